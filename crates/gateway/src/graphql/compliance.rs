//! Compliance reports in GraphQL.

use async_graphql::{ComplexObject, Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use staffbank_bank::catalogue;
use staffbank_bank::compliance::{self, Item, Report};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::GqlResultExt;
use crate::graphql::estate::load_trust;
use crate::graphql::organisations::Trust;

/// How one requirement stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "ComplianceStatus",
    remote = "staffbank_bank::compliance::ItemStatus"
)]
pub enum ComplianceStatusName {
    /// No credential of the kind and level.
    Missing,
    /// The best credential has expired or is older than allowed.
    Expired,
    /// A credential exists, but this trust has declined it (its own decision; see
    /// `declineCredential`).
    NotAccepted,
    /// A credential exists but this trust has not verified or accepted it.
    PendingVerification,
    /// Met, but expires within 30 days (see `validUntil`).
    Expiring,
    /// Met.
    Met,
}

/// Where a met requirement's credential came from, for the trust asking.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "CredentialProvenance",
    remote = "staffbank_bank::credentials::Provenance"
)]
pub enum ProvenanceName {
    /// The trust's own HR verified it.
    OwnCheck,
    /// Another trust verified it and this trust accepted that verification.
    AcceptedVerification,
    /// It came in a passport another trust issued, which this trust accepted.
    Passport,
}

/// One requirement and how the worker stands against it.
#[derive(SimpleObject, Debug, Clone)]
pub struct ComplianceItem {
    /// Credential kind.
    pub kind: String,
    /// Kind name.
    pub kind_name: String,
    /// Minimum level.
    pub min_level: Option<i32>,
    /// Maximum age in days.
    pub max_age_days: Option<i32>,
    /// Required by the ward rather than the whole trust.
    pub ward_specific: bool,
    /// The status.
    pub status: ComplianceStatusName,
    /// The deciding credential (null, too, when `credentialsWithheld`).
    pub credential_id: Option<Uuid>,
    /// When that credential stops counting for this requirement (null, too, when
    /// `credentialsWithheld`).
    pub valid_until: Option<NaiveDate>,
    /// How the trust came to recognise the deciding credential: its own check, another trust's
    /// verification it accepted, or a passport (null when it does not recognise it, and when
    /// `credentialsWithheld`).
    pub provenance: Option<ProvenanceName>,
}

impl From<Item> for ComplianceItem {
    fn from(i: Item) -> Self {
        Self {
            kind_name: catalogue::kind(&i.kind)
                .map(|k| k.name.to_owned())
                .unwrap_or_default(),
            kind: i.kind,
            min_level: i.min_level,
            max_age_days: i.max_age_days,
            ward_specific: i.ward_specific,
            status: i.status.into(),
            credential_id: i.credential_id,
            valid_until: i.valid_until,
            provenance: None,
        }
    }
}

/// A worker's compliance at a trust (and ward) at a moment.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct ComplianceReport {
    /// The worker.
    pub worker_id: Uuid,
    /// The ward, if asked.
    pub ward_id: Option<Uuid>,
    /// The moment.
    pub at: DateTime<Utc>,
    /// Whether every requirement is met.
    pub compliant: bool,
    /// Every applicable requirement, by kind.
    pub items: Vec<ComplianceItem>,
    /// Whether the credentials behind the items are withheld: the caller may not see the worker's
    /// credentials, so the items say how each requirement stands, without credential ids or dates.
    pub credentials_withheld: bool,
    #[graphql(skip)]
    pub trust_id: Uuid,
}

impl From<Report> for ComplianceReport {
    fn from(r: Report) -> Self {
        Self {
            compliant: r.compliant(),
            credentials_withheld: r.credentials_withheld,
            worker_id: r.worker_id,
            ward_id: r.ward_id,
            at: r.at,
            trust_id: r.trust_id,
            items: r.items.into_iter().map(ComplianceItem::from).collect(),
        }
    }
}

#[ComplexObject]
impl ComplianceReport {
    /// The trust.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.trust_id).await
    }
}

pub(crate) async fn evaluate(
    ctx: &Context<'_>,
    worker_id: Uuid,
    trust_id: Uuid,
    ward_id: Option<Uuid>,
    at: Option<DateTime<Utc>>,
) -> Result<ComplianceReport> {
    let actor = ctx.actor().await?;
    let s = ctx.services();
    let at = at.unwrap_or_else(|| s.clock.now());
    let mut report = compliance::evaluate_logged(
        &s.db,
        s.clock.as_ref(),
        actor,
        worker_id,
        trust_id,
        ward_id,
        at,
    )
    .await
    .map(ComplianceReport::from)
    .gql()?;
    let ids: Vec<Uuid> = report
        .items
        .iter()
        .filter_map(|i| i.credential_id)
        .collect();
    let provenance = staffbank_bank::credentials::provenance_at(&s.db, trust_id, &ids)
        .await
        .gql()?;
    for item in &mut report.items {
        item.provenance = item
            .credential_id
            .and_then(|c| provenance.get(&c).copied())
            .map(Into::into);
    }
    Ok(report)
}

/// Compliance queries.
#[derive(Default)]
pub struct ComplianceQuery;

#[Object]
impl ComplianceQuery {
    /// Is this worker compliant to work at this trust (on this ward, at this moment; default now)
    /// — and if not, why. For the worker, the trust's staff and system admins.
    async fn compliance(
        &self,
        ctx: &Context<'_>,
        worker_id: Uuid,
        trust_id: Uuid,
        ward_id: Option<Uuid>,
        at: Option<DateTime<Utc>>,
    ) -> Result<ComplianceReport> {
        evaluate(ctx, worker_id, trust_id, ward_id, at).await
    }
}
