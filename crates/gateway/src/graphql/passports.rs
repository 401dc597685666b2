//! Passports in GraphQL: trust keys and the registry, issuing, sharing (consent), verifying,
//! evaluating and accepting under the passporting agreement, revoking and suspending, and the
//! audit of who looked. Every rule lives in `staffbank_passport`; this file translates.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{
    ComplexObject, Context, Enum, InputObject, Json, Object, Result, SimpleObject,
};
use chrono::{DateTime, NaiveDate, Utc};
use staffbank_passport::accept::{self, Evaluation, ItemDecision};
use staffbank_passport::agreement::{self, Agreement, NewAgreement, Rule};
use staffbank_passport::entity::{acceptance, passport, passport_event, passport_share, trust_key};
use staffbank_passport::keys::{self, KeyState};
use staffbank_passport::passports;
use staffbank_passport::verify::Verification;
use staffbank_passport::{audit, issue, registry, revoke, share, vc};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::GqlResultExt;
use crate::graphql::estate::load_trust;
use crate::graphql::loaders::DbLoader;
use crate::graphql::organisations::Trust;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::workers::AccessLogEntry;

/// Why a passport failed verification.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "VerificationFailureReason",
    remote = "staffbank_passport::verify::Reason"
)]
pub enum ReasonName {
    /// Longer than the size limit (64 KiB).
    TooLarge,
    /// Not a compact JWS (three dot-separated parts).
    Malformed,
    /// A part is not base64url.
    #[graphql(name = "INVALID_BASE64")]
    InvalidBase64,
    /// The header or payload is not a JSON object.
    InvalidJson,
    /// `alg` is not EdDSA (`none`, HMAC, RSA and ECDSA are refused).
    UnsupportedAlgorithm,
    /// `typ` is not `vc+jwt`.
    WrongType,
    /// No `kid` in the header.
    MissingKeyId,
    /// The header tries to bring its own key (`jwk`, `jku`, `x5u`, `x5c`) or critical extensions.
    ForbiddenHeader,
    /// The issuer is not a member trust of the collaborative bank's registry.
    UnknownIssuer,
    /// The issuer has no key with this `kid`.
    UnknownKey,
    /// The key was retired.
    KeyRetired,
    /// The key was not the issuer's valid key when the passport was issued.
    KeyNotValidAtIssue,
    /// The registry's key is not an Ed25519 key.
    KeyUnusable,
    /// The signature does not verify.
    BadSignature,
    /// The credential does not have the passport shape.
    InvalidCredential,
    /// Past `validUntil`.
    Expired,
    /// Before `validFrom`, or issued in the future.
    NotYetValid,
    /// The issuer revoked it.
    Revoked,
    /// The issuer suspended it.
    Suspended,
}

/// One verification failure.
#[derive(SimpleObject, Debug, Clone)]
pub struct VerificationFailure {
    /// The reason.
    pub reason: ReasonName,
    /// What exactly.
    pub detail: String,
}

/// One check or training item carried by a passport.
#[derive(SimpleObject, Debug, Clone)]
pub struct PassportItem {
    /// The credential.
    pub credential_id: Option<Uuid>,
    /// Kind code.
    pub kind: String,
    /// Kind name.
    pub kind_name: String,
    /// Level.
    pub level: Option<i32>,
    /// Level name.
    pub level_name: Option<String>,
    /// Who issued the certificate.
    pub issued_by: String,
    /// Issued or completed on.
    pub issued_on: NaiveDate,
    /// Expires on.
    pub expires_on: Option<NaiveDate>,
    /// When a trust's HR verified it.
    pub verified_at: DateTime<Utc>,
    /// Which trust verified it.
    pub verified_by: String,
}

impl From<&vc::Item> for PassportItem {
    fn from(i: &vc::Item) -> Self {
        Self {
            credential_id: i.credential_id(),
            kind: i.kind.clone(),
            kind_name: i.name.clone(),
            level: i.level,
            level_name: i.level_name.clone(),
            issued_by: i.issued_by.clone(),
            issued_on: i.issued_on,
            expires_on: i.expires_on,
            verified_at: i.verified_at,
            verified_by: i.verified_by.clone(),
        }
    }
}

/// Who a passport is about, as it says.
#[derive(SimpleObject, Debug, Clone)]
pub struct PassportSubject {
    /// The worker.
    pub worker_id: Option<Uuid>,
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Staff group.
    pub staff_group: String,
    /// Grade.
    pub grade: String,
    /// Registration body.
    pub registration_body: Option<String>,
    /// Registration number.
    pub registration_number: Option<String>,
}

/// The answer of a verification: valid, or each failure.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct PassportVerification {
    /// No failure was found.
    pub valid: bool,
    /// Each failure, specifically.
    pub failures: Vec<VerificationFailure>,
    /// Whether the revocation and suspension lists were consulted.
    pub status_checked: bool,
    /// A note on the status check.
    pub status_note: Option<String>,
    /// The key id from the header.
    pub kid: Option<String>,
    /// The issuer's id (its URL).
    pub issuer: Option<String>,
    /// The passport, once its signature verified.
    pub passport_id: Option<Uuid>,
    /// Valid from.
    pub valid_from: Option<DateTime<Utc>>,
    /// Valid until.
    pub valid_until: Option<DateTime<Utc>>,
    /// The worker, as the passport says.
    pub subject: Option<PassportSubject>,
    /// The items.
    pub items: Vec<PassportItem>,
    /// The moment checked for.
    pub checked_at: DateTime<Utc>,
    #[graphql(skip)]
    pub issuer_trust_id: Option<Uuid>,
}

impl From<Verification> for PassportVerification {
    fn from(v: Verification) -> Self {
        let p = v.passport.as_ref();
        Self {
            valid: v.valid(),
            failures: v
                .failures
                .iter()
                .map(|f| VerificationFailure {
                    reason: f.reason.into(),
                    detail: f.detail.clone(),
                })
                .collect(),
            status_checked: v.status_checked,
            status_note: v.status_note.clone(),
            kid: v.kid.clone(),
            issuer: v.issuer.as_ref().map(|i| i.issuer.clone()),
            issuer_trust_id: v.issuer.as_ref().map(|i| i.trust_id),
            passport_id: p.and_then(vc::Passport::passport_id),
            valid_from: p.map(|p| p.valid_from),
            valid_until: p.map(|p| p.valid_until),
            subject: p.map(|p| {
                let s = &p.credential_subject;
                PassportSubject {
                    worker_id: s.worker_id(),
                    given_name: s.given_name.clone(),
                    family_name: s.family_name.clone(),
                    date_of_birth: s.date_of_birth,
                    staff_group: s.staff_group.clone(),
                    grade: s.grade.clone(),
                    registration_body: s.professional_registration.as_ref().map(|r| r.body.clone()),
                    registration_number: s
                        .professional_registration
                        .as_ref()
                        .map(|r| r.number.clone()),
                }
            }),
            items: p
                .map(|p| {
                    p.credential_subject
                        .items()
                        .map(PassportItem::from)
                        .collect()
                })
                .unwrap_or_default(),
            checked_at: v.checked_at,
        }
    }
}

#[ComplexObject]
impl PassportVerification {
    /// The issuing trust, when it is a member of the registry.
    async fn issuer_trust(&self, ctx: &Context<'_>) -> Result<Option<Trust>> {
        match self.issuer_trust_id {
            Some(id) => load_trust(ctx, id).await.map(Some),
            None => Ok(None),
        }
    }
}

/// A passport's status.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "PassportStatus",
    remote = "staffbank_passport::passports::PassportStatus"
)]
pub enum PassportStatusName {
    /// Valid within its dates.
    Active,
    /// Suspended by the issuer for now.
    Suspended,
    /// Revoked by the issuer for good.
    Revoked,
}

/// A passport.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Passport {
    /// Id.
    pub id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// The signing key.
    pub kid: String,
    /// The passport itself: a compact JWS (`vc+jwt`) to hand to a verifier.
    pub token: String,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until.
    pub valid_until: DateTime<Utc>,
    /// Status.
    pub status: PassportStatusName,
    /// Why suspended or revoked.
    pub status_reason: Option<String>,
    /// The items it carries.
    pub items: Vec<PassportItem>,
    /// When issued.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub issuer_trust_id: Uuid,
}

impl Passport {
    fn new(m: passport::Model) -> Result<Self> {
        let items = issue::items_of(&m).gql()?;
        Ok(Self {
            id: m.id,
            worker_id: m.worker_id,
            kid: m.kid,
            token: m.token,
            valid_from: m.valid_from,
            valid_until: m.valid_until,
            status: m.status.into(),
            status_reason: m.status_reason,
            items: items.iter().map(PassportItem::from).collect(),
            created_at: m.created_at,
            issuer_trust_id: m.issuer_trust_id,
        })
    }
}

/// One entry of a passport's history.
#[derive(SimpleObject, Debug, Clone)]
pub struct PassportEvent {
    /// ISSUED, SHARED, SHARE_WITHDRAWN, ACCEPTED, SUSPENDED, REINSTATED, REVOKED.
    pub event: String,
    /// Who (none for the service).
    pub actor_account_id: Option<Uuid>,
    /// The trust concerned.
    pub trust_id: Option<Uuid>,
    /// Why, or what.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<passport_event::Model> for PassportEvent {
    fn from(m: passport_event::Model) -> Self {
        Self {
            event: m.event,
            actor_account_id: m.actor_account_id,
            trust_id: m.trust_id,
            reason: m.reason,
            at: m.at,
        }
    }
}

/// The worker's consent for a trust to see a passport.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct PassportShare {
    /// Id.
    pub id: Uuid,
    /// The passport.
    pub passport_id: Uuid,
    /// When consent was given.
    pub shared_at: DateTime<Utc>,
    /// When it was withdrawn.
    pub withdrawn_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub trust_id: Uuid,
}

impl From<passport_share::Model> for PassportShare {
    fn from(m: passport_share::Model) -> Self {
        Self {
            id: m.id,
            passport_id: m.passport_id,
            shared_at: m.shared_at,
            withdrawn_at: m.withdrawn_at,
            trust_id: m.trust_id,
        }
    }
}

#[ComplexObject]
impl PassportShare {
    /// The trust it is shared with.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.trust_id).await
    }

    /// Whether consent is in force.
    async fn active(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

/// Key: the history of a passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PassportEventsOf(pub Uuid);

impl Loader<PassportEventsOf> for DbLoader {
    type Value = Vec<passport_event::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PassportEventsOf],
    ) -> Result<HashMap<PassportEventsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<PassportEventsOf, Self::Value> = HashMap::new();
        for e in passports::events_of(&self.db, &ids).await.gql()? {
            out.entry(PassportEventsOf(e.passport_id))
                .or_default()
                .push(e);
        }
        Ok(out)
    }
}

/// Key: the shares of a passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PassportSharesOf(pub Uuid);

impl Loader<PassportSharesOf> for DbLoader {
    type Value = Vec<passport_share::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PassportSharesOf],
    ) -> Result<HashMap<PassportSharesOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<PassportSharesOf, Self::Value> = HashMap::new();
        for s in passports::shares_of(&self.db, &ids).await.gql()? {
            out.entry(PassportSharesOf(s.passport_id))
                .or_default()
                .push(s);
        }
        Ok(out)
    }
}

#[ComplexObject]
impl Passport {
    /// The issuing trust.
    async fn issuer_trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.issuer_trust_id).await
    }

    /// Its history, oldest first: nothing is overwritten.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<PassportEvent>> {
        Ok(ctx
            .loader()
            .load_one(PassportEventsOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(PassportEvent::from)
            .collect())
    }

    /// The trusts the worker has shared it with (the worker and the issuer see these).
    async fn shares(&self, ctx: &Context<'_>) -> Result<Vec<PassportShare>> {
        Ok(ctx
            .loader()
            .load_one(PassportSharesOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(PassportShare::from)
            .collect())
    }
}

/// The decision on one item.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "PassportItemDecision",
    remote = "staffbank_passport::accept::Decision"
)]
pub enum DecisionName {
    /// Recognised: the check is not redone.
    Accepted,
    /// The agreement wants a local check.
    NeedsLocalCheck,
    /// Not recognised.
    Rejected,
}

/// One item and the decision on it.
#[derive(SimpleObject, Debug, Clone)]
pub struct PassportItemOutcome {
    /// Kind code.
    pub kind: String,
    /// Kind name.
    pub kind_name: String,
    /// Level.
    pub level: Option<i32>,
    /// The credential.
    pub credential_id: Option<Uuid>,
    /// Issued on.
    pub issued_on: NaiveDate,
    /// Expires on.
    pub expires_on: Option<NaiveDate>,
    /// The decision.
    pub decision: DecisionName,
    /// Why.
    pub reason: String,
}

impl From<ItemDecision> for PassportItemOutcome {
    fn from(d: ItemDecision) -> Self {
        Self {
            kind: d.kind,
            kind_name: d.name,
            level: d.level,
            credential_id: d.credential_id,
            issued_on: d.issued_on,
            expires_on: d.expires_on,
            decision: d.decision.into(),
            reason: d.reason,
        }
    }
}

/// A passport weighed by a trust under the passporting agreement and its own requirements.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct PassportEvaluation {
    /// The recorded acceptance, when it was accepted (none for an evaluation only).
    pub acceptance_id: Option<Uuid>,
    /// The verification it passed.
    pub verification: PassportVerification,
    /// The passport.
    pub passport_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// Each item and its decision.
    pub items: Vec<PassportItemOutcome>,
    /// Items accepted: checks and training not redone.
    pub accepted_count: i32,
    /// Items that need a local check.
    pub local_check_count: i32,
    /// Items rejected.
    pub rejected_count: i32,
    /// Kinds this trust requires of the worker that no accepted item covers.
    pub still_required: Vec<String>,
    #[graphql(skip)]
    pub trust_id: Uuid,
    #[graphql(skip)]
    pub issuer_trust_id: Uuid,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl PassportEvaluation {
    fn new(e: Evaluation, acceptance_id: Option<Uuid>) -> Self {
        Self {
            acceptance_id,
            accepted_count: count(e.count(accept::Decision::Accepted)),
            local_check_count: count(e.count(accept::Decision::NeedsLocalCheck)),
            rejected_count: count(e.count(accept::Decision::Rejected)),
            verification: e.verification.into(),
            passport_id: e.passport_id,
            worker_id: e.worker_id,
            items: e.items.into_iter().map(PassportItemOutcome::from).collect(),
            still_required: e.still_required,
            trust_id: e.trust_id,
            issuer_trust_id: e.issuer_trust_id,
        }
    }
}

#[ComplexObject]
impl PassportEvaluation {
    /// The evaluating trust.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.trust_id).await
    }

    /// The issuing trust.
    async fn issuer_trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.issuer_trust_id).await
    }
}

/// A trust's recorded decision on a passport, with the passport's status now (a revoked or
/// suspended passport the trust relied on shows here).
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct PassportAcceptance {
    /// Id.
    pub id: Uuid,
    /// The passport.
    pub passport_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// When decided.
    pub decided_at: DateTime<Utc>,
    /// Each item and its decision.
    pub items: Vec<PassportItemOutcome>,
    /// Items accepted: checks and training not redone.
    pub accepted_count: i32,
    /// Items that needed a local check.
    pub local_check_count: i32,
    /// Items rejected.
    pub rejected_count: i32,
    /// The passport's status now.
    pub passport_status: PassportStatusName,
    /// Why it was suspended or revoked.
    pub passport_status_reason: Option<String>,
    #[graphql(skip)]
    pub issuer_trust_id: Uuid,
}

impl PassportAcceptance {
    fn new(a: acceptance::Model, p: passport::Model) -> Result<Self> {
        let items = accept::decisions_of(&a).gql()?;
        Ok(Self {
            id: a.id,
            passport_id: a.passport_id,
            worker_id: a.worker_id,
            decided_at: a.decided_at,
            items: items.into_iter().map(PassportItemOutcome::from).collect(),
            accepted_count: a.accepted_count,
            local_check_count: a.local_check_count,
            rejected_count: a.rejected_count,
            passport_status: p.status.into(),
            passport_status_reason: p.status_reason,
            issuer_trust_id: a.issuer_trust_id,
        })
    }
}

#[ComplexObject]
impl PassportAcceptance {
    /// The issuing trust.
    async fn issuer_trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.issuer_trust_id).await
    }
}

/// Where a key is in its life.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "TrustKeyState", remote = "staffbank_passport::keys::KeyState")]
pub enum KeyStateName {
    /// Signs new passports.
    Active,
    /// Replaced; verifies what it signed while active.
    Rotated,
    /// Verifies nothing any more.
    Retired,
}

/// A trust's signing key (public part only).
#[derive(SimpleObject, Debug, Clone)]
pub struct TrustKey {
    /// Key id (RFC 7638 thumbprint).
    pub kid: String,
    /// State.
    pub state: KeyStateName,
    /// Signing from.
    pub valid_from: DateTime<Utc>,
    /// Signing until (a newer key took over).
    pub valid_until: Option<DateTime<Utc>>,
    /// Retired at.
    pub retired_at: Option<DateTime<Utc>>,
    /// The public key as a JWK.
    pub jwk: Json<serde_json::Value>,
}

impl TrustKey {
    fn new(k: &trust_key::Model, now: DateTime<Utc>) -> Result<Self> {
        let jwk = keys::jwk_of(k).gql()?;
        Ok(Self {
            kid: k.kid.clone(),
            state: KeyState::of(k, now).into(),
            valid_from: k.created_at,
            valid_until: k.rotated_at,
            retired_at: k.retired_at,
            jwk: Json(serde_json::to_value(jwk).unwrap_or_default()),
        })
    }
}

/// The agreement about one kind.
#[derive(SimpleObject, InputObject, Debug, Clone)]
#[graphql(input_name = "AgreementRuleInput")]
pub struct AgreementRule {
    /// Credential kind (at most 64 characters).
    pub kind: String,
    /// Whether trusts accept it from each other's passports.
    pub recognised: bool,
    /// The oldest it may be, in days from its issue or completion.
    pub max_age_days: Option<i32>,
    /// Below this level it needs a local check.
    pub min_level: Option<i32>,
    /// Always checked by the receiving trust itself.
    #[graphql(default)]
    pub always_local_check: bool,
    /// Why (shown with decisions): at most 300 characters; line breaks allowed.
    pub note: Option<String>,
}

impl From<Rule> for AgreementRule {
    fn from(r: Rule) -> Self {
        Self {
            kind: r.kind,
            recognised: r.recognised,
            max_age_days: r.max_age_days,
            min_level: r.min_level,
            always_local_check: r.always_local_check,
            note: r.note,
        }
    }
}

impl From<AgreementRule> for Rule {
    fn from(r: AgreementRule) -> Self {
        Self {
            kind: r.kind,
            recognised: r.recognised,
            max_age_days: r.max_age_days,
            min_level: r.min_level,
            always_local_check: r.always_local_check,
            note: r.note,
        }
    }
}

/// A collaborative bank's passporting agreement.
#[derive(SimpleObject, Debug, Clone)]
pub struct PassportingAgreement {
    /// The collaborative bank.
    pub system_id: Uuid,
    /// The longest a passport may be valid, in days.
    pub max_passport_days: i32,
    /// One rule per kind; kinds without one are not recognised.
    pub rules: Vec<AgreementRule>,
    /// Whether this is the built-in default (no version set yet).
    pub is_default: bool,
    /// Since when this version applies.
    pub since: Option<DateTime<Utc>>,
}

impl From<Agreement> for PassportingAgreement {
    fn from(a: Agreement) -> Self {
        Self {
            is_default: a.is_default(),
            system_id: a.system_id,
            max_passport_days: a.max_passport_days,
            rules: a.rules.into_iter().map(AgreementRule::from).collect(),
            since: a.since,
        }
    }
}

/// A new version of the agreement.
#[derive(InputObject, Debug)]
pub struct PassportingAgreementInput {
    /// The longest a passport may be valid, in days (1 to 730).
    pub max_passport_days: i32,
    /// One rule per kind.
    pub rules: Vec<AgreementRule>,
}

/// What passporting saved.
#[derive(SimpleObject, Debug, Clone)]
pub struct PassportSavings {
    /// Passports issued.
    pub passports_issued: u64,
    /// Acceptance decisions made.
    pub acceptances: u64,
    /// Checks and training accepted rather than redone.
    pub checks_accepted: i64,
    /// Items that needed a local check.
    pub checks_needing_local_check: i64,
    /// Items rejected.
    pub checks_rejected: i64,
}

impl From<audit::Savings> for PassportSavings {
    fn from(s: audit::Savings) -> Self {
        Self {
            passports_issued: s.passports_issued,
            acceptances: s.acceptances,
            checks_accepted: s.checks_accepted,
            checks_needing_local_check: s.checks_needing_local_check,
            checks_rejected: s.checks_rejected,
        }
    }
}

/// A collaborative bank's trust registry.
#[derive(SimpleObject, Debug, Clone)]
pub struct TrustRegistry {
    /// Its stable public URL (what verifiers download).
    pub url: String,
    /// The document.
    pub document: Json<serde_json::Value>,
}

/// Passport queries.
#[derive(Default)]
pub struct PassportQuery;

#[Object]
impl PassportQuery {
    /// One passport: for the worker, and for HR of the issuing trust, of a trust the worker shared
    /// it with, or of a trust engaging the worker (`trustId`: the trust you act for). Looks from
    /// other organisations are written to the worker's access log.
    async fn passport(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        trust_id: Option<Uuid>,
    ) -> Result<Passport> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let (p, _) = passports::fetch(&s.db, s.clock.as_ref(), actor, id, trust_id)
            .await
            .gql()?;
        Passport::new(p)
    }

    /// A worker's passports that you may see, newest first.
    async fn passports_of_worker(
        &self,
        ctx: &Context<'_>,
        worker_id: Uuid,
    ) -> Result<Vec<Passport>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        passports::of_worker(&s.db, s.clock.as_ref(), actor, worker_id)
            .await
            .gql()?
            .into_iter()
            .map(Passport::new)
            .collect()
    }

    /// Verifies a passport token: structure, algorithm (EdDSA only), issuer and key against the
    /// collaborative bank's registry, signature, validity window, revocation and suspension, and
    /// the credential's shape. Failures are listed, not raised. `trustId`: the trust you verify
    /// for (for the access log).
    async fn verify_passport(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The passport: a compact JWS (at most 65536 bytes).")] token: String,
        trust_id: Option<Uuid>,
    ) -> Result<PassportVerification> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        passports::verify_as(
            &s.db,
            s.clock.as_ref(),
            actor,
            &s.public_url(),
            &token,
            trust_id,
        )
        .await
        .map(PassportVerification::from)
        .gql()
    }

    /// HR of a trust weighs a passport shared with it, item by item, under the passporting
    /// agreement and the trust's requirements, without recording a decision.
    async fn evaluate_passport(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The passport: a compact JWS (at most 65536 bytes).")] token: String,
        trust_id: Uuid,
    ) -> Result<PassportEvaluation> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let env = s.passport_env();
        accept::evaluate(&s.db, s.clock.as_ref(), actor, &env, &token, trust_id)
            .await
            .map(|e| PassportEvaluation::new(e, None))
            .gql()
    }

    /// The passports a trust accepted, newest first, with their status now (HR and admins of the
    /// trust).
    async fn passport_acceptances(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
    ) -> Result<Vec<PassportAcceptance>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        accept::of_trust(&s.db, actor, trust_id)
            .await
            .gql()?
            .into_iter()
            .map(|(a, p)| PassportAcceptance::new(a, p))
            .collect()
    }

    /// The passporting agreement in force for a collaborative bank (for the people of that bank).
    async fn passporting_agreement(
        &self,
        ctx: &Context<'_>,
        system_id: Uuid,
    ) -> Result<PassportingAgreement> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        staffbank_bank::organisation::visible_system(&s.db, actor, system_id)
            .await
            .gql()?;
        agreement::current(&s.db, system_id)
            .await
            .map(PassportingAgreement::from)
            .gql()
    }

    /// A trust's signing keys (public parts), oldest first.
    async fn trust_keys(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Vec<TrustKey>> {
        ctx.actor().await?;
        let s = ctx.services();
        staffbank_bank::organisation::trust(&s.db, trust_id)
            .await
            .gql()?;
        let now = s.clock.now();
        keys::of_trusts(&s.db, &[trust_id])
            .await
            .gql()?
            .iter()
            .map(|k| TrustKey::new(k, now))
            .collect()
    }

    /// A collaborative bank's trust registry: the document the offline verifier takes, and its
    /// public URL.
    async fn trust_registry(&self, ctx: &Context<'_>, system_id: Uuid) -> Result<TrustRegistry> {
        ctx.actor().await?;
        let s = ctx.services();
        let base = s.public_url();
        let r = registry::build(&s.db, &base, system_id, s.clock.now())
            .await
            .gql()?;
        Ok(TrustRegistry {
            url: format!("{base}/systems/{system_id}/trust-registry.json"),
            document: Json(serde_json::to_value(r).unwrap_or_default()),
        })
    }

    /// What passporting saved: checks accepted rather than redone, in a collaborative bank (its
    /// system admins) or at one trust (also its HR and admins).
    async fn passport_savings(
        &self,
        ctx: &Context<'_>,
        system_id: Uuid,
        trust_id: Option<Uuid>,
    ) -> Result<PassportSavings> {
        let actor = ctx.actor().await?;
        audit::savings(&ctx.services().db, actor, system_id, trust_id)
            .await
            .map(PassportSavings::from)
            .gql()
    }

    /// Every cross-organisation look at the bank's workers' records, newest first (system
    /// admins), narrowed by any of: the trust looked for, the worker looked at, the purpose,
    /// and a range of London days. `VALIDATION` for a trust or worker of another bank, an
    /// unknown purpose, or a last day before the first.
    #[expect(
        clippy::too_many_arguments,
        reason = "each GraphQL argument is a resolver parameter"
    )]
    async fn access_audit(
        &self,
        ctx: &Context<'_>,
        system_id: Uuid,
        #[graphql(desc = "Only looks made for this trust of the bank.")] trust_id: Option<Uuid>,
        #[graphql(desc = "Only looks at this worker of the bank.")] worker_id: Option<Uuid>,
        #[graphql(
            desc = "Only looks with this purpose: ENGAGED_AT_TRUST, PASSPORT_SHARED, PASSPORT_ISSUER, PASSPORT_PRESENTED, COMPLIANCE_CHECK or BANK_ADMINISTRATION."
        )]
        purpose: Option<String>,
        #[graphql(desc = "Only looks on or after this London day.")] from: Option<NaiveDate>,
        #[graphql(desc = "Only looks on or before this London day.")] to: Option<NaiveDate>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<AccessLogEntry>> {
        let actor = ctx.actor().await?;
        let page = pagination::request(first, after)?;
        let filter = audit::AuditFilter {
            trust_id,
            worker_id,
            purpose,
            from,
            to,
        };
        let rows = audit::access_log(&ctx.services().db, actor, system_id, &filter, &page)
            .await
            .gql()?;
        Ok(pagination::connection(rows, AccessLogEntry::from))
    }
}

/// Passport changes.
#[derive(Default)]
pub struct PassportMutation;

#[Object]
impl PassportMutation {
    /// HR of a trust where the worker is engaged issues a passport of the worker's verified checks
    /// and training that the trust recognises.
    async fn issue_passport(
        &self,
        ctx: &Context<'_>,
        worker_id: Uuid,
        trust_id: Uuid,
    ) -> Result<Passport> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let env = &s.passport_env();
        let p = issue::issue(&s.db, clock, actor, env, worker_id, trust_id)
            .await
            .gql()?;
        Passport::new(p)
    }

    /// The worker shares a passport with a trust of their bank (explicit consent, recorded).
    async fn share_passport(
        &self,
        ctx: &Context<'_>,
        passport_id: Uuid,
        trust_id: Uuid,
    ) -> Result<PassportShare> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        share::share(&s.db, clock, actor, passport_id, trust_id)
            .await
            .map(PassportShare::from)
            .gql()
    }

    /// The worker withdraws consent: the trust can no longer fetch or accept the passport.
    async fn withdraw_passport_share(
        &self,
        ctx: &Context<'_>,
        share_id: Uuid,
    ) -> Result<PassportShare> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        share::withdraw(&s.db, clock, actor, share_id)
            .await
            .map(PassportShare::from)
            .gql()
    }

    /// HR of a trust accepts a passport shared with it: the accepted items become the worker's
    /// compliance at the trust, with the passport as provenance.
    async fn accept_passport(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The passport: a compact JWS (at most 65536 bytes).")] token: String,
        trust_id: Uuid,
    ) -> Result<PassportEvaluation> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let env = &s.passport_env();
        let (row, eval) = accept::accept(&s.db, clock, actor, env, &token, trust_id)
            .await
            .gql()?;
        Ok(PassportEvaluation::new(eval, Some(row.id)))
    }

    /// HR of the issuing trust revokes a passport for good, with a reason.
    async fn revoke_passport(
        &self,
        ctx: &Context<'_>,
        passport_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Passport> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let c = revoke::revoke(&s.db, clock, actor, passport_id, &reason)
            .await
            .gql()?;
        Passport::new(c.passport)
    }

    /// HR of the issuing trust suspends a passport for now, with a reason.
    async fn suspend_passport(
        &self,
        ctx: &Context<'_>,
        passport_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Passport> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let c = revoke::suspend(&s.db, clock, actor, passport_id, &reason)
            .await
            .gql()?;
        Passport::new(c.passport)
    }

    /// HR of the issuing trust reinstates a suspended passport.
    async fn reinstate_passport(&self, ctx: &Context<'_>, passport_id: Uuid) -> Result<Passport> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let c = revoke::reinstate(&s.db, clock, actor, passport_id)
            .await
            .gql()?;
        Passport::new(c.passport)
    }

    /// A trust admin makes a new signing key; the old one keeps verifying what it signed.
    async fn rotate_trust_key(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<TrustKey> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let kek = &s.kek;
        let k = keys::rotate(&s.db, clock, actor, kek, trust_id)
            .await
            .gql()?;
        TrustKey::new(&k, clock.now())
    }

    /// A trust admin retires a rotated key: nothing it signed verifies any more.
    async fn retire_trust_key(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        #[graphql(desc = "The key's id (at most 200 characters).")] kid: String,
    ) -> Result<TrustKey> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let k = keys::retire(&s.db, clock, actor, trust_id, &kid)
            .await
            .gql()?;
        TrustKey::new(&k, clock.now())
    }

    /// A system admin sets a new version of the bank's passporting agreement.
    async fn set_passporting_agreement(
        &self,
        ctx: &Context<'_>,
        system_id: Uuid,
        input: PassportingAgreementInput,
    ) -> Result<PassportingAgreement> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let new = &NewAgreement {
            max_passport_days: input.max_passport_days,
            rules: input.rules.into_iter().map(Rule::from).collect(),
        };
        agreement::set(&s.db, clock, actor, system_id, new)
            .await
            .map(PassportingAgreement::from)
            .gql()
    }
}
