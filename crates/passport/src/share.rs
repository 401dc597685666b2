//! Consent: the worker shares a passport with a named trust of their collaborative bank, and may
//! withdraw it. Sharing is explicit (one trust at a time), recorded with who and when, and each
//! share and withdrawal is an event of the passport. While shared, HR of that trust may fetch the
//! passport and accept it; after withdrawal it may not.

use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set};
use staffbank_bank::organisation;
use staffbank_core::{Actor, Clock, db, new_id};
use uuid::Uuid;

use crate::entity::passport_share;
use crate::error::{Result, conflict, forbidden, not_found, validation};
use crate::passports::{self, PassportStatus};

/// The worker shares their passport with a trust of the same bank. Sharing again with the same
/// trust returns the share in force.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (not the worker); validation (a trust of another bank, the issuer itself);
/// conflict (a revoked passport).
pub async fn share(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
    trust_id: Uuid,
) -> Result<passport_share::Model> {
    db::write(db, |tx| {
        Box::pin(async move { share_in(&tx, clock, actor, passport_id, trust_id).await })
    })
    .await
}

/// The work of [`share`], in the caller's transaction.
async fn share_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
    trust_id: Uuid,
) -> Result<passport_share::Model> {
    let p = passports::get(tx, passport_id).await?;
    if actor.worker_id() != Some(p.worker_id) {
        return Err(forbidden("only the worker can share their passport"));
    }
    let t = organisation::trust(tx, trust_id).await?;
    if t.system_id != p.system_id {
        return Err(validation(
            "a passport can be shared with trusts of the worker's collaborative bank only",
        ));
    }
    if t.id == p.issuer_trust_id {
        return Err(validation("the issuing trust has this passport already"));
    }
    if p.status == PassportStatus::Revoked {
        return Err(conflict("a revoked passport cannot be shared"));
    }
    if let Some(existing) = passports::active_share(tx, p.id, t.id).await? {
        return Ok(existing);
    }
    let row = passport_share::ActiveModel {
        id: Set(new_id()),
        passport_id: Set(p.id),
        worker_id: Set(p.worker_id),
        trust_id: Set(t.id),
        shared_by: Set(actor.account_id()),
        shared_at: Set(clock.now()),
        withdrawn_at: Set(None),
    }
    .insert(tx)
    .await?;
    passports::event(tx, clock, actor, p.id, "SHARED", Some(t.id), None).await?;
    Ok(row)
}

/// The worker withdraws a share: the trust can no longer fetch or accept the passport. (What it
/// accepted before stays recorded: it made its decision with consent.)
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (not the worker); conflict (already withdrawn).
pub async fn withdraw(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    share_id: Uuid,
) -> Result<passport_share::Model> {
    db::write(db, |tx| {
        Box::pin(async move { withdraw_in(&tx, clock, actor, share_id).await })
    })
    .await
}

/// The work of [`withdraw`], in the caller's transaction.
async fn withdraw_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    share_id: Uuid,
) -> Result<passport_share::Model> {
    let s = passport_share::Entity::find_by_id(share_id)
        .one(tx)
        .await?
        .ok_or_else(|| not_found("passport share"))?;
    if actor.worker_id() != Some(s.worker_id) {
        return Err(forbidden("only the worker can withdraw their consent"));
    }
    if s.withdrawn_at.is_some() {
        return Err(conflict("this share was withdrawn already"));
    }
    let (passport_id, trust_id) = (s.passport_id, s.trust_id);
    let mut a: passport_share::ActiveModel = s.into();
    a.withdrawn_at = Set(Some(clock.now()));
    let s = a.update(tx).await?;
    passports::event(
        tx,
        clock,
        actor,
        passport_id,
        "SHARE_WITHDRAWN",
        Some(trust_id),
        None,
    )
    .await?;
    Ok(s)
}
