//! Credentials: a worker's checks and training. The worker or HR records one (pending); HR of a
//! trust where the worker is engaged verifies or rejects it. A verification is also that trust's
//! recognition of the credential; other trusts recognise it by accepting a passport, or by their
//! own HR accepting the verification.
//!
//! Only the verifier may undo a verification: revoking is for HR of the trust that verified it, and
//! no other trust can reject or replace it. A trust that does not accept what another verified
//! records its own decision ([`decline`]), which counts only in its own compliance and which only
//! it can reverse (by accepting the credential after all with [`verify`]). A decided credential
//! never changes its facts or its document: a new document starts a new version
//! ([`record_version`]), pending until it is verified, and the old one stays as it was decided.
//! Nothing is overwritten: every change is an event, and the status shown is computed from the
//! dates (a verified credential past its expiry is expired).

use std::collections::HashSet;
use std::fmt;

use chrono::NaiveDate;
use sea_orm::entity::prelude::StringLen;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use staffbank_core::text::limits;
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::catalogue;
use crate::entity::{
    credential, credential_decline, credential_event, credential_recognition, worker,
};
use crate::error::{Error, Result, conflict, forbidden, not_found, validation};
use crate::membership;
use crate::visibility::{self, Look, Viewed};
use crate::workers;

/// A credential's status as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum CredentialStatus {
    /// Recorded, waiting for HR.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// Verified by HR of a trust.
    #[sea_orm(string_value = "VERIFIED")]
    Verified,
    /// Rejected by HR (with a reason).
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
    /// Withdrawn after verification (with a reason).
    #[sea_orm(string_value = "REVOKED")]
    Revoked,
    /// Past its expiry date.
    #[sea_orm(string_value = "EXPIRED")]
    Expired,
}

impl fmt::Display for CredentialStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// The status of a credential on `date`: a verified credential whose expiry date has come is
/// expired, whatever is stored.
#[must_use]
pub fn status_on(c: &credential::Model, date: NaiveDate) -> CredentialStatus {
    let stored = c.status;
    match (stored, c.expires_on) {
        (CredentialStatus::Verified, Some(exp)) if exp <= date => CredentialStatus::Expired,
        (s, _) => s,
    }
}

/// What is recorded.
#[derive(Debug, Clone)]
pub struct NewCredential {
    /// Kind code.
    pub kind: String,
    /// Level, for kinds with levels.
    pub level: Option<i32>,
    /// Who issued it (e.g. the training provider, "DBS").
    pub issuer: String,
    /// Certificate or document reference.
    pub reference: Option<String>,
    /// Issued / completed on.
    pub valid_from: NaiveDate,
    /// Expires on (not valid from this date).
    pub expires_on: Option<NaiveDate>,
}

/// The trusts at which `actor` is HR and the worker is engaged.
async fn hr_trusts_engaging(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    w: &worker::Model,
) -> Result<Vec<Uuid>> {
    let mut out = Vec::new();
    for t in actor.trusts_with(&[Role::Hr]) {
        if membership::find(conn, w.id, t).await?.is_some() {
            out.push(t);
        }
    }
    Ok(out)
}

async fn event(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    kind: &str,
    trust_id: Option<Uuid>,
    reason: Option<&str>,
) -> Result<()> {
    credential_event::ActiveModel {
        id: Set(new_id()),
        credential_id: Set(credential_id),
        event: Set(kind.to_owned()),
        actor_account_id: Set(actor.account_id()),
        trust_id: Set(trust_id),
        reason: Set(reason.map(str::to_owned)),
        at: Set(clock.now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The fields of a credential, checked.
struct Checked {
    kind: &'static str,
    issuer: String,
    reference: Option<String>,
}

fn check(clock: &dyn Clock, input: &NewCredential) -> Result<Checked> {
    let kind = catalogue::kind(&input.kind)?;
    kind.check_level(input.level)?;
    let issuer = limits::ISSUER_TEXT.required(&input.issuer)?;
    let reference = limits::REFERENCE_TEXT.optional(input.reference.as_deref())?;
    let today = london_date(clock.now());
    staffbank_core::time::storable_day(input.valid_from, "validFrom")?;
    if let Some(e) = input.expires_on {
        staffbank_core::time::storable_day(e, "expiresOn")?;
    }
    if input.valid_from > today {
        return Err(validation("validFrom cannot be in the future"));
    }
    if input.expires_on.is_some_and(|e| e <= input.valid_from) {
        return Err(validation("expiresOn must be after validFrom"));
    }
    Ok(Checked {
        kind: kind.code,
        issuer,
        reference,
    })
}

/// Whether `actor` may record credentials for `w`: the worker, HR of a trust engaging them, or
/// the service.
async fn may_record(conn: &impl ConnectionTrait, actor: &Actor, w: &worker::Model) -> Result<()> {
    let own = actor.worker_id() == Some(w.id);
    if !own && !actor.is_service() && hr_trusts_engaging(conn, actor, w).await?.is_empty() {
        return Err(forbidden(
            "only the worker, or HR of a trust engaging them, can record their credentials",
        ));
    }
    Ok(())
}

async fn insert(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    w: &worker::Model,
    input: &NewCredential,
    checked: &Checked,
    previous_version_id: Option<Uuid>,
) -> Result<credential::Model> {
    let now = clock.now();
    let row = credential::ActiveModel {
        id: Set(new_id()),
        worker_id: Set(w.id),
        kind: Set(checked.kind.to_owned()),
        level: Set(input.level),
        issuer: Set(checked.issuer.clone()),
        reference: Set(checked.reference.clone()),
        valid_from: Set(input.valid_from),
        expires_on: Set(input.expires_on),
        status: Set(CredentialStatus::Pending),
        status_reason: Set(None),
        verified_by: Set(None),
        verified_trust_id: Set(None),
        verified_at: Set(None),
        recorded_by: Set(actor.account_id()),
        evidence_sha256: Set(None),
        evidence_content_type: Set(None),
        evidence_size: Set(None),
        evidence_filename: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        previous_version_id: Set(previous_version_id),
    }
    .insert(conn)
    .await?;
    let note = previous_version_id.map(|p| format!("a new version of credential {p}"));
    event(
        conn,
        clock,
        actor,
        row.id,
        "RECORDED",
        None,
        note.as_deref(),
    )
    .await?;
    Ok(row)
}

/// Records a credential for a worker (the worker themself, or HR of a trust engaging them).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation (kind, level, dates, issuer).
pub async fn record(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    input: &NewCredential,
) -> Result<credential::Model> {
    db::write(db, |tx| {
        Box::pin(async move { record_in(&tx, clock, actor, worker_id, input).await })
    })
    .await
}

/// The work of [`record`], in the caller's transaction.
///
/// # Errors
/// As [`record`].
pub async fn record_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    input: &NewCredential,
) -> Result<credential::Model> {
    let w = workers::get(tx, worker_id).await?;
    may_record(tx, actor, &w).await?;
    let checked = check(clock, input)?;
    insert(tx, clock, actor, &w, input, &checked, None).await
}

/// A new version of a credential: the same kind, with the facts of the new document.
#[derive(Debug, Clone)]
pub struct NewVersion {
    /// Level, for kinds with levels (default: the previous version's).
    pub level: Option<i32>,
    /// Who issued it (default: the previous version's issuer).
    pub issuer: Option<String>,
    /// Certificate or document reference (default: none).
    pub reference: Option<String>,
    /// Issued / completed on.
    pub valid_from: NaiveDate,
    /// Expires on (not valid from this date).
    pub expires_on: Option<NaiveDate>,
}

/// Records a new version of a decided (verified, rejected, revoked or expired) credential, for a
/// new document: a new credential of the same kind, pending until HR verifies it. The previous
/// version is not changed (its history notes the new version); a pending credential takes a new
/// document itself, and a credential has at most one newer version.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (as [`record`]); validation (as [`record`]); conflict (the credential is
/// pending, or already has a newer version).
pub async fn record_version(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    previous_id: Uuid,
    input: &NewVersion,
) -> Result<credential::Model> {
    db::write(db, |tx| {
        Box::pin(async move { record_version_in(&tx, clock, actor, previous_id, input).await })
    })
    .await
}

/// The work of [`record_version`], in the caller's transaction.
async fn record_version_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    previous_id: Uuid,
    input: &NewVersion,
) -> Result<credential::Model> {
    let previous = get(tx, previous_id).await?;
    let w = workers::get(tx, previous.worker_id).await?;
    may_record(tx, actor, &w).await?;
    if previous.status == CredentialStatus::Pending {
        return Err(conflict(
            "this credential is still pending: add the new document to it instead of recording \
             a new version",
        ));
    }
    if let Some(newer) = credential::Entity::find()
        .filter(credential::Column::PreviousVersionId.eq(previous.id))
        .one(tx)
        .await?
    {
        return Err(conflict(format!(
            "this credential already has a newer version ({}); record the new document against \
             that one",
            newer.id
        )));
    }
    let new = NewCredential {
        kind: previous.kind.clone(),
        level: input.level.or(previous.level),
        issuer: input
            .issuer
            .clone()
            .unwrap_or_else(|| previous.issuer.clone()),
        reference: input.reference.clone(),
        valid_from: input.valid_from,
        expires_on: input.expires_on,
    };
    let checked = check(clock, &new)?;
    let row = insert(tx, clock, actor, &w, &new, &checked, Some(previous.id)).await?;
    event(
        tx,
        clock,
        actor,
        previous.id,
        "NEW_VERSION",
        None,
        Some(&format!("new version recorded: credential {}", row.id)),
    )
    .await?;
    Ok(row)
}

/// One credential, with the worker it belongs to.
///
/// # Errors
/// Not found.
pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<credential::Model> {
    credential::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("credential"))
}

/// Loads a credential for an HR decision at `trust_id`: the caller must be HR there and the worker
/// engaged there.
async fn for_hr_decision(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
) -> Result<(credential::Model, worker::Model)> {
    let c = get(conn, credential_id).await?;
    let w = workers::get(conn, c.worker_id).await?;
    if !(actor.has_trust_role(Role::Hr, trust_id) || actor.is_service()) {
        return Err(staffbank_core::actor::forbidden_for(&[Role::Hr], "this trust").into());
    }
    if membership::find(conn, w.id, trust_id).await?.is_none() {
        return Err(forbidden("the worker is not engaged at this trust"));
    }
    Ok((c, w))
}

/// Records a trust's recognition of a credential (idempotent: a second recognition by the same
/// trust is not an error and changes nothing).
///
/// # Errors
/// Database errors.
pub async fn recognise(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
    source: Recognition,
) -> Result<credential_recognition::Model> {
    let existing = credential_recognition::Entity::find()
        .filter(credential_recognition::Column::CredentialId.eq(credential_id))
        .filter(credential_recognition::Column::TrustId.eq(trust_id))
        .one(conn)
        .await?;
    let (source_name, passport_id, issuer_trust_id) = match source {
        Recognition::LocalVerification => ("LOCAL_VERIFICATION", None, None),
        Recognition::Passport {
            passport_id,
            issuer_trust_id,
        } => ("PASSPORT", Some(passport_id), Some(issuer_trust_id)),
    };
    let now = clock.now();
    let row = match existing {
        Some(r) if r.withdrawn_at.is_none() => return Ok(r),
        Some(r) => {
            let mut a: credential_recognition::ActiveModel = r.into();
            a.source = Set(source_name.to_owned());
            a.passport_id = Set(passport_id);
            a.issuer_trust_id = Set(issuer_trust_id);
            a.recognised_by = Set(actor.account_id());
            a.recognised_at = Set(now);
            a.withdrawn_at = Set(None);
            a.update(conn).await?
        }
        None => {
            credential_recognition::ActiveModel {
                id: Set(new_id()),
                credential_id: Set(credential_id),
                trust_id: Set(trust_id),
                source: Set(source_name.to_owned()),
                passport_id: Set(passport_id),
                issuer_trust_id: Set(issuer_trust_id),
                recognised_by: Set(actor.account_id()),
                recognised_at: Set(now),
                withdrawn_at: Set(None),
            }
            .insert(conn)
            .await?
        }
    };
    event(
        conn,
        clock,
        actor,
        credential_id,
        "RECOGNISED",
        Some(trust_id),
        Some(source_name),
    )
    .await?;
    Ok(row)
}

/// How a trust came to recognise a credential.
#[derive(Debug, Clone, Copy)]
pub enum Recognition {
    /// Its own HR verified it.
    LocalVerification,
    /// It accepted a passport issued by another trust.
    Passport {
        /// The passport.
        passport_id: Uuid,
        /// The trust that issued it.
        issuer_trust_id: Uuid,
    },
}

/// Withdraws the recognitions that came through a passport (when it is revoked).
///
/// # Errors
/// Database errors.
pub async fn withdraw_passport_recognitions(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    passport_id: Uuid,
) -> Result<u64> {
    let rows = credential_recognition::Entity::find()
        .filter(credential_recognition::Column::PassportId.eq(passport_id))
        .filter(credential_recognition::Column::WithdrawnAt.is_null())
        .all(conn)
        .await?;
    let n = rows.len() as u64;
    for r in rows {
        let mut a: credential_recognition::ActiveModel = r.into();
        a.withdrawn_at = Set(Some(clock.now()));
        a.update(conn).await?;
    }
    Ok(n)
}

/// HR of a trust engaging the worker verifies a credential: pending becomes verified, and the trust
/// recognises it. A credential already verified by another trust is accepted here instead: this
/// trust recognises it (its own decision; the verification stays the verifier's), which also
/// reverses this trust's earlier decision not to accept it.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; conflict (rejected, revoked or expired credentials cannot be verified).
pub async fn verify(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
) -> Result<credential::Model> {
    db::write(db, |tx| {
        Box::pin(async move { verify_in(&tx, clock, actor, credential_id, trust_id).await })
    })
    .await
}

/// The work of [`verify`], in the caller's transaction.
///
/// # Errors
/// As [`verify`].
pub async fn verify_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
) -> Result<credential::Model> {
    let (c, _) = for_hr_decision(tx, actor, credential_id, trust_id).await?;
    let today = london_date(clock.now());
    let c = match status_on(&c, today) {
        CredentialStatus::Pending => {
            let mut a: credential::ActiveModel = c.into();
            a.status = Set(CredentialStatus::Verified);
            a.verified_by = Set(actor.account_id());
            a.verified_trust_id = Set(Some(trust_id));
            a.verified_at = Set(Some(clock.now()));
            a.updated_at = Set(clock.now());
            let c = a.update(tx).await?;
            event(tx, clock, actor, c.id, "VERIFIED", Some(trust_id), None).await?;
            c
        }
        CredentialStatus::Verified => c,
        other => return Err(conflict(format!("a {other} credential cannot be verified"))),
    };
    withdraw_decline(tx, clock, actor, c.id, trust_id).await?;
    recognise(
        tx,
        clock,
        actor,
        c.id,
        trust_id,
        Recognition::LocalVerification,
    )
    .await?;
    Ok(c)
}

fn reason(raw: &str) -> Result<String> {
    Ok(limits::REASON_TEXT.required(raw)?)
}

/// Whether `c` was verified by a trust other than `trust_id` (and so is not this trust's to undo).
fn verified_elsewhere(c: &credential::Model, trust_id: Uuid) -> bool {
    let stored = c.status;
    matches!(
        stored,
        CredentialStatus::Verified | CredentialStatus::Expired
    ) && c.verified_trust_id != Some(trust_id)
}

fn not_yours() -> Error {
    forbidden(
        "another trust verified this credential, and only its HR can undo that; to record that \
         your trust does not accept it, decline it",
    )
}

/// HR rejects a pending credential, with a reason. A credential another trust verified cannot be
/// rejected (that trust's verification stands): decline it instead.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (also for a credential verified by another trust); validation (reason);
/// conflict (not pending).
pub async fn reject(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
    why: &str,
) -> Result<credential::Model> {
    db::write(db, |tx| {
        Box::pin(async move { reject_in(&tx, clock, actor, credential_id, trust_id, why).await })
    })
    .await
}

/// The work of [`reject`], in the caller's transaction.
///
/// # Errors
/// As [`reject`].
pub async fn reject_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
    why: &str,
) -> Result<credential::Model> {
    let why = reason(why)?;
    let (c, _) = for_hr_decision(tx, actor, credential_id, trust_id).await?;
    if verified_elsewhere(&c, trust_id) && !actor.is_service() {
        return Err(not_yours());
    }
    if c.status != CredentialStatus::Pending {
        return Err(conflict(format!(
            "only a pending credential can be rejected; this one is {}",
            c.status
        )));
    }
    let mut a: credential::ActiveModel = c.into();
    a.status = Set(CredentialStatus::Rejected);
    a.status_reason = Set(Some(why.clone()));
    a.updated_at = Set(clock.now());
    let c = a.update(tx).await?;
    event(
        tx,
        clock,
        actor,
        c.id,
        "REJECTED",
        Some(trust_id),
        Some(&why),
    )
    .await?;
    Ok(c)
}

/// HR of the trust that verified a credential revokes it, with a reason; that trust's recognition
/// is withdrawn. The decisions other trusts recorded about it stay theirs (a revoked credential
/// counts nowhere). HR of any other trust is refused: it may decline the credential instead.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (also for a credential another trust verified); validation (reason);
/// conflict (not verified).
pub async fn revoke(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
    why: &str,
) -> Result<credential::Model> {
    db::write(db, |tx| {
        Box::pin(async move { revoke_in(&tx, clock, actor, credential_id, trust_id, why).await })
    })
    .await
}

/// The work of [`revoke`], in the caller's transaction.
///
/// # Errors
/// As [`revoke`].
pub async fn revoke_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
    why: &str,
) -> Result<credential::Model> {
    let why = reason(why)?;
    let (c, _) = for_hr_decision(tx, actor, credential_id, trust_id).await?;
    let stored = c.status;
    if !matches!(
        stored,
        CredentialStatus::Verified | CredentialStatus::Expired
    ) {
        return Err(conflict(format!(
            "only a verified credential can be revoked; this one is {}",
            c.status
        )));
    }
    if c.verified_trust_id != Some(trust_id) && !actor.is_service() {
        return Err(not_yours());
    }
    let mut a: credential::ActiveModel = c.into();
    a.status = Set(CredentialStatus::Revoked);
    a.status_reason = Set(Some(why.clone()));
    a.updated_at = Set(clock.now());
    let c = a.update(tx).await?;
    withdraw_trust_recognition(tx, clock, c.id, trust_id).await?;
    event(
        tx,
        clock,
        actor,
        c.id,
        "REVOKED",
        Some(trust_id),
        Some(&why),
    )
    .await?;
    Ok(c)
}

/// HR of a trust records that the trust does not accept a credential another trust verified (or
/// that reached it through a passport), with a reason. It is this trust's decision only: its
/// recognition of the credential is withdrawn and its compliance shows the requirement as not
/// accepted; the credential, its verification and every other trust's decisions stay as they
/// were. The trust reverses it by accepting the credential ([`verify`]). Declining again changes
/// nothing.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (reason); conflict (the credential is pending — verify or
/// reject it; rejected or revoked — it counts nowhere; or verified by this trust — revoke it).
pub async fn decline(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
    why: &str,
) -> Result<credential::Model> {
    db::write(db, |tx| {
        Box::pin(async move { decline_in(&tx, clock, actor, credential_id, trust_id, why).await })
    })
    .await
}

/// The work of [`decline`], in the caller's transaction.
async fn decline_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
    why: &str,
) -> Result<credential::Model> {
    let why = reason(why)?;
    let (c, _) = for_hr_decision(tx, actor, credential_id, trust_id).await?;
    let stored = c.status;
    match stored {
        CredentialStatus::Verified | CredentialStatus::Expired => {}
        CredentialStatus::Pending => {
            return Err(conflict(
                "a pending credential is verified or rejected, not declined",
            ));
        }
        CredentialStatus::Rejected | CredentialStatus::Revoked => {
            return Err(conflict(format!(
                "a {stored} credential counts at no trust already"
            )));
        }
    }
    if c.verified_trust_id == Some(trust_id) {
        return Err(conflict(
            "your trust verified this credential: revoke it instead of declining it",
        ));
    }
    if active_decline(tx, c.id, trust_id).await?.is_some() {
        return Ok(c);
    }
    credential_decline::ActiveModel {
        id: Set(new_id()),
        credential_id: Set(c.id),
        trust_id: Set(trust_id),
        reason: Set(why.clone()),
        declined_by: Set(actor.account_id()),
        declined_at: Set(clock.now()),
        withdrawn_by: Set(None),
        withdrawn_at: Set(None),
    }
    .insert(tx)
    .await?;
    withdraw_trust_recognition(tx, clock, c.id, trust_id).await?;
    event(
        tx,
        clock,
        actor,
        c.id,
        "DECLINED",
        Some(trust_id),
        Some(&why),
    )
    .await?;
    Ok(c)
}

/// Withdraws `trust_id`'s recognition of a credential (its own decision only), in one statement.
async fn withdraw_trust_recognition(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    credential_id: Uuid,
    trust_id: Uuid,
) -> Result<()> {
    credential_recognition::Entity::update_many()
        .col_expr(
            credential_recognition::Column::WithdrawnAt,
            Expr::value(Some(clock.now())),
        )
        .filter(credential_recognition::Column::CredentialId.eq(credential_id))
        .filter(credential_recognition::Column::TrustId.eq(trust_id))
        .filter(credential_recognition::Column::WithdrawnAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

async fn active_decline(
    conn: &impl ConnectionTrait,
    credential_id: Uuid,
    trust_id: Uuid,
) -> Result<Option<credential_decline::Model>> {
    Ok(credential_decline::Entity::find()
        .filter(credential_decline::Column::CredentialId.eq(credential_id))
        .filter(credential_decline::Column::TrustId.eq(trust_id))
        .filter(credential_decline::Column::WithdrawnAt.is_null())
        .one(conn)
        .await?)
}

/// Reverses a trust's own decision not to accept a credential, if it has one.
async fn withdraw_decline(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
    trust_id: Uuid,
) -> Result<()> {
    let Some(d) = active_decline(conn, credential_id, trust_id).await? else {
        return Ok(());
    };
    let mut a: credential_decline::ActiveModel = d.into();
    a.withdrawn_by = Set(actor.account_id());
    a.withdrawn_at = Set(Some(clock.now()));
    a.update(conn).await?;
    event(
        conn,
        clock,
        actor,
        credential_id,
        "DECLINE_WITHDRAWN",
        Some(trust_id),
        None,
    )
    .await?;
    Ok(())
}

/// Which of these credentials `trust_id` has declined (and not reversed), for compliance and
/// passport acceptance there.
///
/// # Errors
/// Database errors.
pub async fn declined_at(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    credential_ids: &[Uuid],
) -> Result<HashSet<Uuid>> {
    if credential_ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(credential_decline::Entity::find()
        .select_only()
        .column(credential_decline::Column::CredentialId)
        .filter(credential_decline::Column::TrustId.eq(trust_id))
        .filter(credential_decline::Column::WithdrawnAt.is_null())
        .filter(credential_decline::Column::CredentialId.is_in(credential_ids.iter().copied()))
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect())
}

/// The credentials of several workers the caller may fully see (batched: one query for the
/// credentials), newest first; looks from trusts other than a worker's home trust are logged.
///
/// # Errors
/// Database errors.
pub async fn of_workers(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    looks: &[Look],
) -> Result<Vec<credential::Model>> {
    let visible: Vec<Look> = looks
        .iter()
        .filter(|l| l.access.is_full())
        .copied()
        .collect();
    if visible.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = visible.iter().map(|l| l.worker_id).collect();
    let rows = credential::Entity::find()
        .filter(credential::Column::WorkerId.is_in(ids))
        .order_by_desc(credential::Column::Id)
        .all(conn)
        .await?;
    visibility::log_views(conn, clock, actor, &visible, Viewed::Credentials).await?;
    Ok(rows)
}

/// One worker's credentials, when the caller may fully see the worker.
///
/// # Errors
/// Not found; forbidden when the caller sees only the summary.
pub async fn of_worker(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
) -> Result<Vec<credential::Model>> {
    let (w, access) = workers::worker(conn, actor, worker_id).await?;
    if !access.is_full() {
        return Err(forbidden(
            "credential details are visible only to trusts engaging the worker",
        ));
    }
    of_workers(conn, clock, actor, &[Look::at(&w, access)]).await
}

/// One credential with its worker, for those who may see the worker fully (the worker, staff of a
/// trust engaging them, the service); a look from a trust other than the worker's home trust is
/// written to their access log.
///
/// # Errors
/// Not found (also when the caller may not see the worker at all); forbidden when the caller sees
/// only the worker's summary.
pub async fn one(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    credential_id: Uuid,
) -> Result<(credential::Model, worker::Model)> {
    let c = get(conn, credential_id).await?;
    // Not allowed to see the worker at all: the credential does not exist for this caller.
    let (w, access) = workers::worker(conn, actor, c.worker_id)
        .await
        .map_err(|e| match e {
            Error::Core(
                staffbank_core::Error::NotFound(_) | staffbank_core::Error::Forbidden(_),
            ) => not_found("credential"),
            other => other,
        })?;
    if !access.is_full() {
        return Err(forbidden(
            "credential details are visible only to trusts engaging the worker",
        ));
    }
    visibility::log_views(
        conn,
        clock,
        actor,
        &[Look::at(&w, access)],
        Viewed::Credentials,
    )
    .await?;
    Ok((c, w))
}

/// A credential's history, oldest first (for those who may see its worker fully).
///
/// # Errors
/// Not found; forbidden.
pub async fn history(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    credential_id: Uuid,
) -> Result<Vec<credential_event::Model>> {
    let c = get(conn, credential_id).await?;
    let (_, access) = workers::worker(conn, actor, c.worker_id).await?;
    if !access.is_full() {
        return Err(forbidden(
            "credential details are visible only to trusts engaging the worker",
        ));
    }
    Ok(credential_event::Entity::find()
        .filter(credential_event::Column::CredentialId.eq(c.id))
        .order_by_asc(credential_event::Column::Id)
        .all(conn)
        .await?)
}

/// The histories of several credentials (for batched loading; callers check access).
///
/// # Errors
/// Database errors.
pub async fn events_of(
    conn: &impl ConnectionTrait,
    credential_ids: &[Uuid],
) -> Result<Vec<credential_event::Model>> {
    Ok(credential_event::Entity::find()
        .filter(credential_event::Column::CredentialId.is_in(credential_ids.iter().copied()))
        .order_by_asc(credential_event::Column::Id)
        .all(conn)
        .await?)
}

/// Where a trust's recognition of a credential came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// The trust's own HR verified it.
    OwnCheck,
    /// Another trust verified it, and this trust's HR accepted that verification.
    AcceptedVerification,
    /// It came in a passport another trust issued, which this trust accepted.
    Passport,
}

/// How `trust_id` came to recognise each of these credentials (those it recognises now), in one
/// query for all of them (callers check access).
///
/// # Errors
/// Database errors.
pub async fn provenance_at(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    credential_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Provenance>> {
    if credential_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let recognitions = credential_recognition::Entity::find()
        .filter(credential_recognition::Column::TrustId.eq(trust_id))
        .filter(credential_recognition::Column::WithdrawnAt.is_null())
        .filter(credential_recognition::Column::CredentialId.is_in(credential_ids.iter().copied()))
        .all(conn)
        .await?;
    let verified_here: HashSet<Uuid> = credential::Entity::find()
        .select_only()
        .column(credential::Column::Id)
        .filter(credential::Column::Id.is_in(credential_ids.iter().copied()))
        .filter(credential::Column::VerifiedTrustId.eq(trust_id))
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(recognitions
        .into_iter()
        .map(|r| {
            let p = if r.source == "PASSPORT" {
                Provenance::Passport
            } else if verified_here.contains(&r.credential_id) {
                Provenance::OwnCheck
            } else {
                Provenance::AcceptedVerification
            };
            (r.credential_id, p)
        })
        .collect())
}

/// Which trusts recognise these credentials (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn recognitions_of(
    conn: &impl ConnectionTrait,
    credential_ids: &[Uuid],
) -> Result<Vec<credential_recognition::Model>> {
    Ok(credential_recognition::Entity::find()
        .filter(credential_recognition::Column::CredentialId.is_in(credential_ids.iter().copied()))
        .filter(credential_recognition::Column::WithdrawnAt.is_null())
        .all(conn)
        .await?)
}
