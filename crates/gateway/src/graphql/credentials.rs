//! Credentials in GraphQL: recording, HR decisions and history.

use std::io::Read;

use async_graphql::{
    ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject, Upload,
};
use chrono::{DateTime, NaiveDate, Utc};
use staffbank_bank::credentials::{self, CredentialStatus, NewCredential};
use staffbank_bank::entity::{credential, credential_event};
use staffbank_bank::{catalogue, evidence};
use staffbank_core::ErrorKind;
use staffbank_core::time::london_date;
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::estate::load_trust;
use crate::graphql::loaders::{EventsOf, RecognitionsOf, TrustId};
use crate::graphql::organisations::Trust;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::workers::{StaffGroupName, Worker};

/// A credential's status (an expired one is computed from its date).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "CredentialStatus",
    remote = "staffbank_bank::credentials::CredentialStatus"
)]
pub enum CredentialStatusName {
    /// Waiting for HR.
    Pending,
    /// Verified by HR of a trust.
    Verified,
    /// Rejected by HR.
    Rejected,
    /// Withdrawn after verification.
    Revoked,
    /// Past its expiry date.
    Expired,
}

/// A check or training record.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Credential {
    /// Id.
    pub id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// Kind code.
    pub kind: String,
    /// Kind name.
    pub kind_name: String,
    /// Level.
    pub level: Option<i32>,
    /// Issuer.
    pub issuer: String,
    /// Certificate or document reference.
    pub reference: Option<String>,
    /// Issued / completed on.
    pub valid_from: NaiveDate,
    /// Expires on.
    pub expires_on: Option<NaiveDate>,
    /// Status today.
    pub status: CredentialStatusName,
    /// Reason for rejection or revocation.
    pub status_reason: Option<String>,
    /// When verified.
    pub verified_at: Option<DateTime<Utc>>,
    /// When recorded.
    pub created_at: DateTime<Utc>,
    /// The evidence document, if one is attached.
    pub evidence: Option<Evidence>,
    /// The credential this one is a new version of (recorded for a new document, after that one
    /// was decided).
    pub previous_version_id: Option<Uuid>,
    #[graphql(skip)]
    pub verified_trust_id: Option<Uuid>,
}

/// An evidence document (download it from `GET /evidence/{credentialId}` with the bearer token).
#[derive(SimpleObject, Debug, Clone)]
pub struct Evidence {
    /// File name as uploaded, without its folders, control or direction characters (at most 120
    /// characters, the extension kept).
    pub filename: String,
    /// Media type, judged from the content.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Path to download it from (relative to the service).
    pub download_path: String,
}

impl Credential {
    /// A credential with its status as of `now`.
    #[must_use]
    pub fn new(m: credential::Model, now: DateTime<Utc>) -> Self {
        let status = credentials::status_on(&m, london_date(now));
        let evidence = match (&m.evidence_sha256, &m.evidence_content_type) {
            (Some(sha), Some(t)) => Some(Evidence {
                filename: m
                    .evidence_filename
                    .clone()
                    .unwrap_or_else(|| "evidence".into()),
                content_type: t.clone(),
                size: m.evidence_size.unwrap_or_default(),
                sha256: sha.clone(),
                download_path: format!("/evidence/{}", m.id),
            }),
            _ => None,
        };
        Self {
            evidence,
            id: m.id,
            worker_id: m.worker_id,
            kind_name: catalogue::kind(&m.kind)
                .map(|k| k.name.to_owned())
                .unwrap_or_default(),
            kind: m.kind,
            level: m.level,
            issuer: m.issuer,
            reference: m.reference,
            valid_from: m.valid_from,
            expires_on: m.expires_on,
            status: status.into(),
            status_reason: m.status_reason,
            verified_at: m.verified_at,
            created_at: m.created_at,
            verified_trust_id: m.verified_trust_id,
            previous_version_id: m.previous_version_id,
        }
    }
}

/// One entry of a credential's history.
#[derive(SimpleObject, Debug, Clone)]
pub struct CredentialEvent {
    /// RECORDED, VERIFIED, REJECTED, REVOKED, EXPIRED, EVIDENCE_ADDED, RECOGNISED, DECLINED,
    /// DECLINE_WITHDRAWN, NEW_VERSION.
    pub event: String,
    /// Who (none for the service).
    pub actor_account_id: Option<Uuid>,
    /// For which trust.
    pub trust_id: Option<Uuid>,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<credential_event::Model> for CredentialEvent {
    fn from(m: credential_event::Model) -> Self {
        Self {
            event: m.event,
            actor_account_id: m.actor_account_id,
            trust_id: m.trust_id,
            reason: m.reason,
            at: m.at,
        }
    }
}

#[ComplexObject]
impl Credential {
    /// The trust whose HR verified it.
    async fn verified_by_trust(&self, ctx: &Context<'_>) -> Result<Option<Trust>> {
        match self.verified_trust_id {
            Some(id) => load_trust(ctx, id).await.map(Some),
            None => Ok(None),
        }
    }

    /// The trusts that recognise it (verified it themselves or accepted it through a passport).
    async fn recognised_by(&self, ctx: &Context<'_>) -> Result<Vec<Trust>> {
        let ids = ctx
            .loader()
            .load_one(RecognitionsOf(self.id))
            .await?
            .unwrap_or_default();
        let trusts = ctx
            .loader()
            .load_many(ids.iter().map(|id| TrustId(*id)))
            .await?;
        Ok(ids
            .iter()
            .filter_map(|id| trusts.get(&TrustId(*id)).cloned().map(Trust::from))
            .collect())
    }

    /// Its history, oldest first: nothing is overwritten.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<CredentialEvent>> {
        Ok(ctx
            .loader()
            .load_one(EventsOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(CredentialEvent::from)
            .collect())
    }
}

/// A credential to record.
#[derive(InputObject, Debug)]
pub struct RecordCredentialInput {
    /// The worker.
    pub worker_id: Uuid,
    /// Kind code (see `credentialKinds`; at most 64 characters).
    pub kind: String,
    /// Level, for kinds with levels.
    pub level: Option<i32>,
    /// Who issued it: 1 to 200 characters, one line.
    pub issuer: String,
    /// Certificate or document reference: at most 200 characters, one line.
    pub reference: Option<String>,
    /// Issued / completed on.
    pub valid_from: NaiveDate,
    /// Expires on (not valid from this date).
    pub expires_on: Option<NaiveDate>,
}

/// A new version of a credential, for a new document.
#[derive(InputObject, Debug)]
pub struct CredentialVersionInput {
    /// Level, for kinds with levels (default: the previous version's).
    pub level: Option<i32>,
    /// Who issued it (default: the previous version's issuer): 1 to 200 characters, one line.
    pub issuer: Option<String>,
    /// Certificate or document reference: at most 200 characters, one line.
    pub reference: Option<String>,
    /// Issued / completed on.
    pub valid_from: NaiveDate,
    /// Expires on (not valid from this date).
    pub expires_on: Option<NaiveDate>,
}

/// A credential waiting for HR of a trust to verify it, with its worker.
#[derive(SimpleObject, Debug, Clone)]
pub struct CredentialToVerify {
    /// The credential (pending).
    pub credential: Credential,
    /// Its worker (engaged at the trust).
    pub worker: Worker,
}

/// A credential expiring soon at a trust, with its worker and the bookings there it would hit.
#[derive(SimpleObject, Debug, Clone)]
pub struct CredentialExpiringAtTrust {
    /// The credential (verified and recognised by the trust).
    pub credential: Credential,
    /// Its worker (engaged at the trust).
    pub worker: Worker,
    /// The first day it no longer counts for a requirement here (it counts up to the day before):
    /// its expiry, or sooner when a requirement's maximum age runs out first (the earliest, when a
    /// ward's requirement is stricter than the trust's).
    pub expires_on: NaiveDate,
    /// The plain name of the requirement it meets, e.g. "Basic life support".
    pub requirement_name: String,
    /// The worker's active bookings at the trust that the expiry would stop them working, soonest
    /// first: those on a ward where this credential meets a requirement and stops counting on or
    /// before the day the shift ends (as eligibility's `EXPIRES_BEFORE_SHIFT_ENDS`).
    pub bookings_hit: Vec<crate::graphql::bookings::Booking>,
}

/// Credential queries.
#[derive(Default)]
pub struct CredentialQuery;

#[Object]
impl CredentialQuery {
    /// One credential: for the worker, and for staff of a trust engaging them (looks from trusts
    /// other than the worker's home trust are written to the worker's access log). `FORBIDDEN`
    /// for a trust that sees only the worker's summary.
    async fn credential(&self, ctx: &Context<'_>, id: Uuid) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let (c, _) = credentials::one(&s.db, s.clock.as_ref(), actor, id)
            .await
            .gql()?;
        Ok(Credential::new(c, s.clock.now()))
    }

    /// The credentials awaiting verification at a trust (PENDING, of workers engaged there),
    /// oldest first, for its HR only; optionally of one kind, or of workers of one staff group.
    /// `VALIDATION` for an unknown kind.
    async fn credentials_awaiting_verification(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        #[graphql(desc = "A credential kind code (see `credentialKinds`; at most 64 characters).")]
        kind: Option<String>,
        staff_group: Option<StaffGroupName>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<CredentialToVerify>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let page = pagination::request(first, after)?;
        let filter = staffbank_bank::verification_queue::QueueFilter {
            kind,
            staff_group: staff_group.map(Into::into),
        };
        let now = s.clock.now();
        let result = staffbank_bank::verification_queue::awaiting_verification(
            &s.db,
            s.clock.as_ref(),
            actor,
            trust_id,
            &filter,
            &page,
        )
        .await
        .gql()?;
        Ok(pagination::connection(result, |(c, w)| {
            CredentialToVerify {
                credential: Credential::new(c, now),
                worker: Worker::new(w, staffbank_bank::visibility::Access::Engaged { trust_id }),
            }
        }))
    }

    /// The credentials of workers engaged at a trust that meet one of its requirements (at the
    /// trust, or on a ward where the worker is booked) and stop counting for it within
    /// `withinDays` days (1 to 365), soonest first, each with the worker's bookings at the trust
    /// that the expiry would hit; one already renewed (a longer-lasting credential meets the
    /// requirement instead), or that no requirement needs, is left out. For the trust's HR.
    async fn expiring_at_trust(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        #[graphql(default = 30)] within_days: i32,
    ) -> Result<Vec<CredentialExpiringAtTrust>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let now = s.clock.now();
        let rows = staffbank_market::expiring_at_trust::expiring_at_trust(
            &s.db,
            s.clock.as_ref(),
            actor,
            trust_id,
            within_days,
        )
        .await
        .gql()?;
        Ok(rows
            .into_iter()
            .map(|e| CredentialExpiringAtTrust {
                credential: Credential::new(e.credential, now),
                worker: Worker::new(
                    e.worker,
                    staffbank_bank::visibility::Access::Engaged { trust_id },
                ),
                expires_on: e.expires_on,
                requirement_name: e.requirement_name.to_owned(),
                bookings_hit: e
                    .bookings_hit
                    .into_iter()
                    .map(crate::graphql::bookings::Booking::from)
                    .collect(),
            })
            .collect())
    }
}

/// Credential changes.
#[derive(Default)]
pub struct CredentialMutation;

#[Object]
impl CredentialMutation {
    /// Records a credential (the worker, or HR of a trust engaging them); it starts PENDING.
    async fn record_credential(
        &self,
        ctx: &Context<'_>,
        input: RecordCredentialInput,
    ) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let new = NewCredential {
            kind: input.kind,
            level: input.level,
            issuer: input.issuer,
            reference: input.reference,
            valid_from: input.valid_from,
            expires_on: input.expires_on,
        };
        let c = credentials::record(&s.db, clock, actor, input.worker_id, &new)
            .await
            .gql()?;
        Ok(Credential::new(c, clock.now()))
    }

    /// Records a new version of a decided (verified, rejected, revoked or expired) credential, for
    /// a new document: a credential of the same kind, PENDING until HR verifies it; add the
    /// document to it with `attachEvidence`. The previous version stays as it was decided.
    /// `CONFLICT` for a pending credential (add the document to it) or one that already has a newer
    /// version. The worker, or HR of a trust engaging them.
    async fn record_credential_version(
        &self,
        ctx: &Context<'_>,
        credential_id: Uuid,
        input: CredentialVersionInput,
    ) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let new = credentials::NewVersion {
            level: input.level,
            issuer: input.issuer,
            reference: input.reference,
            valid_from: input.valid_from,
            expires_on: input.expires_on,
        };
        let c = credentials::record_version(&s.db, clock, actor, credential_id, &new)
            .await
            .gql()?;
        Ok(Credential::new(c, clock.now()))
    }

    /// HR of a trust engaging the worker verifies a credential; the trust then recognises it. For a
    /// credential another trust verified, this is the trust accepting that verification (and
    /// reversing its own earlier `declineCredential`).
    async fn verify_credential(
        &self,
        ctx: &Context<'_>,
        credential_id: Uuid,
        trust_id: Uuid,
    ) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let c = credentials::verify(&s.db, clock, actor, credential_id, trust_id)
            .await
            .gql()?;
        Ok(Credential::new(c, clock.now()))
    }

    /// Attaches an evidence document (PDF, JPEG or PNG, up to the configured size) to a pending
    /// credential, or replaces its document, as a GraphQL multipart upload. The worker, or HR of a
    /// trust engaging them. The file's name is kept without folders, control or direction
    /// characters, at most 120 characters. `CONFLICT` for a credential that has been decided: it
    /// keeps the document it was decided on, and a new document goes on a new version
    /// (`recordCredentialVersion`).
    async fn attach_evidence(
        &self,
        ctx: &Context<'_>,
        credential_id: Uuid,
        file: Upload,
    ) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let upload = file.value(ctx)?;
        let filename = upload.filename.clone();
        let mut content = Vec::new();
        upload.into_read().read_to_end(&mut content).map_err(|e| {
            gateway_error(
                ErrorKind::Validation,
                format!("could not read the upload: {e}"),
            )
        })?;
        let clock = s.clock.as_ref();
        let c = evidence::attach(
            &s.db,
            clock,
            actor,
            &s.evidence,
            credential_id,
            &filename,
            &content,
        )
        .await
        .gql()?;
        Ok(Credential::new(c, clock.now()))
    }

    /// HR rejects a pending credential, with a reason. `FORBIDDEN` for a credential another trust
    /// verified (only its verifier may undo that; `declineCredential` records this trust's own
    /// decision).
    async fn reject_credential(
        &self,
        ctx: &Context<'_>,
        credential_id: Uuid,
        trust_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let c = credentials::reject(&s.db, clock, actor, credential_id, trust_id, &reason)
            .await
            .gql()?;
        Ok(Credential::new(c, clock.now()))
    }

    /// HR of a trust records that the trust does not accept a credential another trust verified
    /// (or that reached it through a passport), with a reason: its own decision, shown as
    /// NOT_ACCEPTED in its compliance only; the verification and other trusts' decisions stay.
    /// Reversed by the same trust's `verifyCredential`. `CONFLICT` for a pending, rejected or
    /// revoked credential, or one this trust verified (revoke it instead).
    async fn decline_credential(
        &self,
        ctx: &Context<'_>,
        credential_id: Uuid,
        trust_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let c = credentials::decline(&s.db, clock, actor, credential_id, trust_id, &reason)
            .await
            .gql()?;
        Ok(Credential::new(c, clock.now()))
    }

    /// HR of the trust that verified a credential revokes it, with a reason; that trust's
    /// recognition is withdrawn and the credential counts nowhere. `FORBIDDEN` for HR of any
    /// other trust (it may `declineCredential` instead).
    async fn revoke_credential(
        &self,
        ctx: &Context<'_>,
        credential_id: Uuid,
        trust_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Credential> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let c = credentials::revoke(&s.db, clock, actor, credential_id, trust_id, &reason)
            .await
            .gql()?;
        Ok(Credential::new(c, clock.now()))
    }
}

/// Unused status conversions kept exhaustive at compile time.
const _: fn(CredentialStatus) -> CredentialStatusName = CredentialStatusName::from;
