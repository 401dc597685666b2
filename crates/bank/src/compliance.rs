//! Compliance: is this worker fit to work at this trust, on this ward, at this moment — and if not,
//! exactly which requirement fails. A requirement is met by a credential of its kind, at least its
//! level, recognised by the trust (verified by its own HR, or accepted through a passport), and
//! still valid at the moment asked about: before its expiry date and younger than the requirement's
//! maximum age. The marketplace asks at the end of a shift, so a credential that lapses mid-shift
//! fails.
//!
//! A trust's own decision not to accept a credential (see [`crate::credentials::decline`]) makes the
//! requirement NOT_ACCEPTED at that trust only.
//!
//! Evaluation is batched: any number of workers costs four queries (requirements, credentials,
//! recognitions, declines), never one per requirement or per worker. A report answered to a caller
//! ([`evaluate`]) names the deciding credential and its dates only when the caller may see the
//! worker's credentials; otherwise it says only how each requirement stands.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Role, StaffGroup};
use uuid::Uuid;

use crate::credentials::CredentialStatus;
use crate::entity::{credential, credential_decline, credential_recognition, requirement, worker};
use crate::error::{Result, forbidden, validation};
use crate::organisation;
use crate::visibility::{self, TRUST_STAFF};
use crate::{estate, workers};

/// Days before expiry when an item shows as expiring.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;
/// Workers per query when evaluating many (keeps bind parameters within database limits).
const CHUNK: usize = 500;

/// How one requirement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemStatus {
    /// No credential of the kind and level.
    Missing,
    /// The best credential has expired (or is older than allowed).
    Expired,
    /// A credential exists, but this trust has decided not to accept it.
    NotAccepted,
    /// A credential exists but this trust has not verified or accepted it yet.
    PendingVerification,
    /// Met, but expires within [`EXPIRING_WITHIN_DAYS`].
    Expiring,
    /// Met.
    Met,
}

impl ItemStatus {
    /// Whether the requirement is satisfied (expiring still counts).
    #[must_use]
    pub fn satisfied(self) -> bool {
        matches!(self, Self::Met | Self::Expiring)
    }

    /// As shown in the API.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "MISSING",
            Self::Expired => "EXPIRED",
            Self::NotAccepted => "NOT_ACCEPTED",
            Self::PendingVerification => "PENDING_VERIFICATION",
            Self::Expiring => "EXPIRING",
            Self::Met => "MET",
        }
    }
}

/// One requirement and how the worker stands against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Credential kind.
    pub kind: String,
    /// Minimum level required.
    pub min_level: Option<i32>,
    /// Maximum age allowed, in days.
    pub max_age_days: Option<i32>,
    /// Whether the requirement comes from the ward rather than the trust.
    pub ward_specific: bool,
    /// The status.
    pub status: ItemStatus,
    /// The credential that decides the status, if any (none, too, when withheld from the caller).
    pub credential_id: Option<Uuid>,
    /// When that credential stops counting for this requirement (none, too, when withheld).
    pub valid_until: Option<NaiveDate>,
}

/// A worker's compliance at a trust (and ward) at a moment.
#[derive(Debug, Clone)]
pub struct Report {
    /// The worker.
    pub worker_id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// The ward, if asked.
    pub ward_id: Option<Uuid>,
    /// The moment.
    pub at: DateTime<Utc>,
    /// Every applicable requirement, by kind.
    pub items: Vec<Item>,
    /// Whether the credentials behind the items (ids, dates) are withheld from the caller, who may
    /// not see the worker's credentials: then every item's `credential_id` and `valid_until` are
    /// none.
    pub credentials_withheld: bool,
}

impl Report {
    /// The report with the credentials behind its items withheld.
    #[must_use]
    pub fn withholding_credentials(mut self) -> Self {
        for i in &mut self.items {
            i.credential_id = None;
            i.valid_until = None;
        }
        self.credentials_withheld = true;
        self
    }

    /// Whether every requirement is satisfied.
    #[must_use]
    pub fn compliant(&self) -> bool {
        self.items.iter().all(|i| i.status.satisfied())
    }

    /// The items that fail.
    pub fn failures(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| !i.status.satisfied())
    }
}

/// Who is evaluated: a worker and their staff group.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The worker.
    pub worker_id: Uuid,
    /// Their staff group.
    pub staff_group: StaffGroup,
}

impl From<&worker::Model> for Subject {
    fn from(w: &worker::Model) -> Self {
        Self {
            worker_id: w.id,
            staff_group: w.staff_group,
        }
    }
}

/// The requirements in force at a trust and ward, merged per kind and staff group (highest level,
/// shortest age win), as `(staff group or None, kind) -> item template`.
struct Profile {
    items: Vec<(Option<StaffGroup>, Item)>,
}

impl Profile {
    fn for_group(&self, group: StaffGroup) -> Vec<Item> {
        let mut merged: BTreeMap<String, Item> = BTreeMap::new();
        for (g, item) in &self.items {
            if g.is_some_and(|g| g != group) {
                continue;
            }
            merged
                .entry(item.kind.clone())
                .and_modify(|m| {
                    m.min_level = std::cmp::max(m.min_level, item.min_level);
                    m.max_age_days = match (m.max_age_days, item.max_age_days) {
                        (Some(a), Some(b)) => Some(std::cmp::min(a, b)),
                        (a, b) => a.or(b),
                    };
                    m.ward_specific |= item.ward_specific;
                })
                .or_insert_with(|| item.clone());
        }
        merged.into_values().collect()
    }
}

async fn profile(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    ward_id: Option<Uuid>,
) -> Result<Profile> {
    let ward_filter = match ward_id {
        Some(w) => requirement::Column::WardId
            .is_null()
            .or(requirement::Column::WardId.eq(w)),
        None => requirement::Column::WardId.is_null(),
    };
    let rows = requirement::Entity::find()
        .filter(requirement::Column::TrustId.eq(trust_id))
        .filter(requirement::Column::RetiredAt.is_null())
        .filter(ward_filter)
        .all(conn)
        .await?;
    Ok(Profile {
        items: rows
            .into_iter()
            .map(|r| {
                (
                    r.staff_group,
                    Item {
                        kind: r.kind,
                        min_level: r.min_level,
                        max_age_days: r.max_age_days,
                        ward_specific: r.ward_id.is_some(),
                        status: ItemStatus::Missing,
                        credential_id: None,
                        valid_until: None,
                    },
                )
            })
            .collect(),
    })
}

/// How one credential stands against one requirement on `date`.
fn judge(
    item: &Item,
    c: &credential::Model,
    recognised: bool,
    declined: bool,
    date: NaiveDate,
) -> Option<(ItemStatus, Option<NaiveDate>)> {
    if c.kind != item.kind {
        return None;
    }
    if let Some(min) = item.min_level
        && c.level.is_none_or(|l| l < min)
    {
        return None;
    }
    let stored = c.status;
    let age_limit = item
        .max_age_days
        .map(|d| c.valid_from + Duration::days(i64::from(d)));
    let valid_until = match (c.expires_on, age_limit) {
        (Some(a), Some(b)) => Some(std::cmp::min(a, b)),
        (a, b) => a.or(b),
    };
    let status = match stored {
        CredentialStatus::Rejected | CredentialStatus::Revoked => return None,
        CredentialStatus::Pending => ItemStatus::PendingVerification,
        CredentialStatus::Verified | CredentialStatus::Expired => match valid_until {
            Some(until) if until <= date => ItemStatus::Expired,
            _ if declined => ItemStatus::NotAccepted,
            _ if !recognised => ItemStatus::PendingVerification,
            Some(until) if until <= date + Duration::days(EXPIRING_WITHIN_DAYS) => {
                ItemStatus::Expiring
            }
            _ => ItemStatus::Met,
        },
    };
    Some((status, valid_until))
}

/// Evaluates many workers against a trust's (and ward's) requirements at `at`.
///
/// # Errors
/// Database errors.
pub async fn evaluate_many(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    ward_id: Option<Uuid>,
    at: DateTime<Utc>,
    subjects: &[Subject],
) -> Result<HashMap<Uuid, Report>> {
    let profile = profile(conn, trust_id, ward_id).await?;
    let kinds: Vec<String> = {
        let mut k: Vec<String> = profile.items.iter().map(|(_, i)| i.kind.clone()).collect();
        k.sort();
        k.dedup();
        k
    };
    let date = london_date(at);
    let mut reports = HashMap::with_capacity(subjects.len());
    for chunk in subjects.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|s| s.worker_id).collect();
        let (creds, recognised, declined) = if kinds.is_empty() {
            (Vec::new(), HashSet::new(), HashSet::new())
        } else {
            let of_these = credential::Entity::find()
                .select_only()
                .column(credential::Column::Id)
                .filter(credential::Column::WorkerId.is_in(ids.clone()))
                .filter(credential::Column::Kind.is_in(kinds.clone()))
                .into_query();
            // Independent reads: at once when `conn` is a pool.
            let (creds, recognised, declined) = futures::try_join!(
                credential::Entity::find()
                    .filter(credential::Column::WorkerId.is_in(ids))
                    .filter(credential::Column::Kind.is_in(kinds.clone()))
                    .all(conn),
                credential_recognition::Entity::find()
                    .select_only()
                    .column(credential_recognition::Column::CredentialId)
                    .filter(credential_recognition::Column::TrustId.eq(trust_id))
                    .filter(credential_recognition::Column::WithdrawnAt.is_null())
                    .filter(
                        credential_recognition::Column::CredentialId.in_subquery(of_these.clone())
                    )
                    .into_tuple::<Uuid>()
                    .all(conn),
                credential_decline::Entity::find()
                    .select_only()
                    .column(credential_decline::Column::CredentialId)
                    .filter(credential_decline::Column::TrustId.eq(trust_id))
                    .filter(credential_decline::Column::WithdrawnAt.is_null())
                    .filter(credential_decline::Column::CredentialId.in_subquery(of_these))
                    .into_tuple::<Uuid>()
                    .all(conn),
            )?;
            (
                creds,
                recognised.into_iter().collect::<HashSet<Uuid>>(),
                declined.into_iter().collect::<HashSet<Uuid>>(),
            )
        };
        let mut by_worker: HashMap<Uuid, Vec<&credential::Model>> = HashMap::new();
        for c in &creds {
            by_worker.entry(c.worker_id).or_default().push(c);
        }
        for s in chunk {
            let mut items = profile.for_group(s.staff_group);
            let mine = by_worker
                .get(&s.worker_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for item in &mut items {
                let best = mine
                    .iter()
                    .filter_map(|c| {
                        judge(
                            item,
                            c,
                            recognised.contains(&c.id),
                            declined.contains(&c.id),
                            date,
                        )
                        .map(|(st, until)| (st, until, c.id))
                    })
                    .max_by_key(|(st, until, _)| (*st, until.unwrap_or(NaiveDate::MAX)));
                if let Some((st, until, id)) = best {
                    item.status = st;
                    item.valid_until = until;
                    item.credential_id = Some(id);
                }
            }
            reports.insert(
                s.worker_id,
                Report {
                    worker_id: s.worker_id,
                    trust_id,
                    ward_id,
                    at,
                    items,
                    credentials_withheld: false,
                },
            );
        }
    }
    Ok(reports)
}

/// One worker's compliance at a trust (and ward) at `at` (default now), for the worker themself,
/// staff of that trust, or a system admin of the bank. Which credential decides each item, and its
/// dates, are given only to a caller who may see the worker's credentials
/// ([`visibility::Access::is_full`]); others get how each requirement stands, and
/// [`Report::credentials_withheld`].
///
/// # Errors
/// Not found; forbidden; validation (a ward of another trust, a worker of another bank).
pub async fn evaluate(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
    ward_id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<Report> {
    let w = workers::get(conn, worker_id).await?;
    let t = organisation::trust(conn, trust_id).await?;
    let allowed = actor.worker_id() == Some(w.id)
        || actor.has_any_trust_role(&TRUST_STAFF, t.id)
        || actor.is_system_admin(t.system_id);
    if !allowed {
        return Err(forbidden(
            "compliance at a trust can be asked by the worker or that trust's staff",
        ));
    }
    if w.system_id != t.system_id {
        return Err(validation(
            "the worker belongs to another collaborative bank",
        ));
    }
    if let Some(ward_id) = ward_id
        && estate::ward(conn, ward_id).await?.trust_id != t.id
    {
        return Err(validation("the ward belongs to another trust"));
    }
    let subject = Subject::from(&w);
    let (access, mut reports) = futures::try_join!(
        visibility::access_to(conn, actor, &w),
        evaluate_many(conn, t.id, ward_id, at, std::slice::from_ref(&subject)),
    )?;
    let report = reports
        .remove(&w.id)
        .ok_or_else(|| crate::error::not_found("compliance report"))?;
    Ok(if access.is_full() {
        report
    } else {
        report.withholding_credentials()
    })
}

/// Whether a staff group code is known (for callers building subjects by hand).
#[must_use]
pub fn is_staff_group(code: &str) -> bool {
    staffbank_core::code::parse::<StaffGroup>(code, "staff group").is_ok()
}

/// Keeps the role list in one place for callers that check compliance access themselves.
#[must_use]
pub fn staff_roles() -> &'static [Role] {
    &TRUST_STAFF
}

/// [`evaluate`] for a caller, with the look written to the worker's access log when it comes from
/// another organisation than the worker's home trust (see
/// [`crate::visibility::log_compliance_look`]). This is what the API answers with.
///
/// # Errors
/// As [`evaluate`].
pub async fn evaluate_logged(
    conn: &impl ConnectionTrait,
    clock: &dyn staffbank_core::Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
    ward_id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<Report> {
    let report = evaluate(conn, actor, worker_id, trust_id, ward_id, at).await?;
    let w = workers::get(conn, worker_id).await?;
    crate::visibility::log_compliance_look(conn, clock, actor, &w, trust_id).await?;
    Ok(report)
}
