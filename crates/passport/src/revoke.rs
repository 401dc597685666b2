//! Revoking and suspending: HR of the issuing trust revokes a passport for good, or suspends it
//! for now (and may reinstate it). The status lists change in the same transaction (they are read
//! from the passports), so every verifier sees it at once; the recognitions made through the
//! passport at other trusts are withdrawn (and, on reinstatement, restored), so compliance there
//! follows; the accepting trusts see it on their list of accepted passports and their HR, and the
//! worker, are emailed ([`crate::mail`]). Each change is an event with its reason.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, Set};
use staffbank_bank::credentials::{self, CredentialStatus, Recognition};
use staffbank_bank::organisation;
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Role, db};
use uuid::Uuid;

use crate::accept::{self, Decision};
use crate::entity::passport;
use crate::error::{Result, conflict};
use crate::passports::{self, PassportStatus};

/// What a status change did, for notifying people.
#[derive(Debug, Clone)]
pub struct Change {
    /// The passport as it is now.
    pub passport: passport::Model,
    /// The trusts that had accepted it.
    pub accepting_trusts: Vec<Uuid>,
    /// How many recognitions were withdrawn (or restored).
    pub recognitions: u64,
}

fn reason(raw: &str) -> Result<String> {
    Ok(staffbank_core::text::limits::REASON_TEXT.required(raw)?)
}

/// Loads the passport for a decision of its issuing trust's HR (or the bank's system admins).
async fn for_issuer(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    passport_id: Uuid,
) -> Result<(passport::Model, PassportStatus)> {
    let p = passports::get(conn, passport_id).await?;
    let t = organisation::trust(conn, p.issuer_trust_id).await?;
    actor.require_trust_role(&[Role::Hr], t.id, t.system_id)?;
    let status = p.status;
    Ok((p, status))
}

async fn set_status(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    p: passport::Model,
    status: PassportStatus,
    why: Option<String>,
) -> Result<passport::Model> {
    let mut a: passport::ActiveModel = p.into();
    a.status = Set(status);
    a.status_reason = Set(why);
    a.updated_at = Set(clock.now());
    Ok(a.update(conn).await?)
}

async fn accepting_trusts(conn: &impl ConnectionTrait, passport_id: Uuid) -> Result<Vec<Uuid>> {
    let mut ts: Vec<Uuid> = accept::of_passport(conn, passport_id)
        .await?
        .into_iter()
        .map(|a| a.trust_id)
        .collect();
    ts.sort_unstable();
    ts.dedup();
    Ok(ts)
}

/// Revokes a passport for good, with a reason.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (reason); conflict (already revoked).
pub async fn revoke(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
    why: &str,
) -> Result<Change> {
    db::write(db, |tx| {
        Box::pin(async move { revoke_in(&tx, clock, actor, passport_id, why).await })
    })
    .await
}

/// The work of [`revoke`], in the caller's transaction.
async fn revoke_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
    why: &str,
) -> Result<Change> {
    let why = reason(why)?;
    let (p, status) = for_issuer(tx, actor, passport_id).await?;
    if status == PassportStatus::Revoked {
        return Err(conflict("the passport is revoked already"));
    }
    let p = set_status(tx, clock, p, PassportStatus::Revoked, Some(why.clone())).await?;
    let recognitions = credentials::withdraw_passport_recognitions(tx, clock, p.id).await?;
    passports::event(
        tx,
        clock,
        actor,
        p.id,
        "REVOKED",
        Some(p.issuer_trust_id),
        Some(&why),
    )
    .await?;
    let change = Change {
        accepting_trusts: accepting_trusts(tx, p.id).await?,
        passport: p,
        recognitions,
    };
    crate::mail::status_changed(tx, clock, &change, "revoked").await?;
    Ok(change)
}

/// Suspends an active passport, with a reason: it fails verification and the recognitions made
/// through it stop counting until it is reinstated.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (reason); conflict (not active).
pub async fn suspend(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
    why: &str,
) -> Result<Change> {
    db::write(db, |tx| {
        Box::pin(async move { suspend_in(&tx, clock, actor, passport_id, why).await })
    })
    .await
}

/// The work of [`suspend`], in the caller's transaction.
async fn suspend_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
    why: &str,
) -> Result<Change> {
    let why = reason(why)?;
    let (p, status) = for_issuer(tx, actor, passport_id).await?;
    if status != PassportStatus::Active {
        return Err(conflict(format!(
            "only an active passport can be suspended; this one is {status}"
        )));
    }
    let p = set_status(tx, clock, p, PassportStatus::Suspended, Some(why.clone())).await?;
    let recognitions = credentials::withdraw_passport_recognitions(tx, clock, p.id).await?;
    passports::event(
        tx,
        clock,
        actor,
        p.id,
        "SUSPENDED",
        Some(p.issuer_trust_id),
        Some(&why),
    )
    .await?;
    let change = Change {
        accepting_trusts: accepting_trusts(tx, p.id).await?,
        passport: p,
        recognitions,
    };
    crate::mail::status_changed(tx, clock, &change, "suspended").await?;
    Ok(change)
}

/// Reinstates a suspended passport; the items the accepting trusts accepted count again (those
/// still verified).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; conflict (not suspended).
pub async fn reinstate(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
) -> Result<Change> {
    db::write(db, |tx| {
        Box::pin(async move { reinstate_in(&tx, clock, actor, passport_id).await })
    })
    .await
}

/// The work of [`reinstate`], in the caller's transaction.
async fn reinstate_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    passport_id: Uuid,
) -> Result<Change> {
    let (p, status) = for_issuer(tx, actor, passport_id).await?;
    if status != PassportStatus::Suspended {
        return Err(conflict(format!(
            "only a suspended passport can be reinstated; this one is {status}"
        )));
    }
    let p = set_status(tx, clock, p, PassportStatus::Active, None).await?;
    let today = london_date(clock.now());
    let mut restored = 0;
    for a in accept::of_passport(tx, p.id).await? {
        for d in accept::decisions_of(&a)?
            .into_iter()
            .filter(|d| d.decision == Decision::Accepted)
        {
            let Some(cid) = d.credential_id else { continue };
            let c = credentials::get(tx, cid).await?;
            if credentials::status_on(&c, today) != CredentialStatus::Verified {
                continue;
            }
            credentials::recognise(
                tx,
                clock,
                actor,
                cid,
                a.trust_id,
                Recognition::Passport {
                    passport_id: p.id,
                    issuer_trust_id: p.issuer_trust_id,
                },
            )
            .await?;
            restored += 1;
        }
    }
    passports::event(
        tx,
        clock,
        actor,
        p.id,
        "REINSTATED",
        Some(p.issuer_trust_id),
        None,
    )
    .await?;
    Ok(Change {
        accepting_trusts: accepting_trusts(tx, p.id).await?,
        passport: p,
        recognitions: restored,
    })
}
