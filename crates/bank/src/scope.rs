//! Which collaborative banks a caller belongs to, and the one rule every read and change of a
//! bank's data follows: a caller from another bank is told the thing does not exist (not found,
//! never forbidden), so nothing — not even that a trust, ward or rate card exists — crosses from
//! one bank to another.
//!
//! A caller belongs to a bank when they administer it, hold a staff role at one of its trusts, or
//! are one of its workers. The service belongs to every bank.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use staffbank_core::{Actor, GrantBanks, Role};
use uuid::Uuid;

use crate::entity::trust;
use crate::error::{Result, not_found};
use crate::{organisation, workers};

/// The banks a caller belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Banks {
    /// Every bank (the service itself).
    All,
    /// These banks.
    Only(BTreeSet<Uuid>),
}

impl Banks {
    /// Whether `system_id` is one of them.
    #[must_use]
    pub fn includes(&self, system_id: Uuid) -> bool {
        match self {
            Self::All => true,
            Self::Only(ids) => ids.contains(&system_id),
        }
    }
}

/// The banks the caller belongs to (two small queries at most, once per request: their trusts,
/// their worker record).
///
/// # Errors
/// Database errors.
pub async fn banks_of(conn: &impl ConnectionTrait, actor: &Actor) -> Result<Banks> {
    banks_of_knowing(conn, actor, &[]).await
}

/// As [`banks_of`], for a caller who has just read these trusts: the caller's own trusts among
/// them are not read again.
///
/// # Errors
/// Database errors.
pub async fn banks_of_knowing(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    known: &[trust::Model],
) -> Result<Banks> {
    let Some(of_grants) = grant_banks_knowing(conn, actor, known).await? else {
        return Ok(Banks::All);
    };
    let mut ids: BTreeSet<Uuid> = actor
        .grants()
        .iter()
        .filter(|g| g.role == Role::SystemAdmin)
        .filter_map(|g| g.system_id)
        .collect();
    ids.extend(of_grants.staff.iter().copied());
    ids.extend(of_grants.worker.iter().copied());
    Ok(Banks::Only(ids))
}

/// The banks of the trusts where the caller holds a staff role, and of their worker record (none
/// for the service): read the first time they are asked for, then kept in the actor's memo for
/// the rest of its request.
///
/// # Errors
/// Database errors.
pub async fn grant_banks<'a>(
    conn: &impl ConnectionTrait,
    actor: &'a Actor,
) -> Result<Option<&'a GrantBanks>> {
    grant_banks_knowing(conn, actor, &[]).await
}

async fn grant_banks_knowing<'a>(
    conn: &impl ConnectionTrait,
    actor: &'a Actor,
    known: &[trust::Model],
) -> Result<Option<&'a GrantBanks>> {
    let Some(memo) = actor.banks_memo() else {
        return Ok(None);
    };
    let banks = memo
        .get_or_try_init(|| read_grant_banks(conn, actor, known))
        .await?;
    Ok(Some(banks))
}

/// The banks the caller's trust and worker grants make them one of, read now (the trusts in
/// `known` taken as read).
async fn read_grant_banks(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    known: &[trust::Model],
) -> Result<GrantBanks> {
    let mut banks = GrantBanks::default();
    let mut unread: Vec<Uuid> = Vec::new();
    for trust_id in actor
        .grants()
        .iter()
        .filter(|g| g.role.is_trust_scoped())
        .filter_map(|g| g.trust_id)
    {
        match known.iter().find(|t| t.id == trust_id) {
            Some(t) => {
                banks.staff.insert(t.system_id);
            }
            None => unread.push(trust_id),
        }
    }
    if !unread.is_empty() {
        banks.staff.extend(
            organisation::trusts_by_ids(conn, &unread)
                .await?
                .into_iter()
                .map(|t| t.system_id),
        );
    }
    let worker_ids: Vec<Uuid> = actor
        .grants()
        .iter()
        .filter(|g| g.role == Role::Worker)
        .filter_map(|g| g.worker_id)
        .collect();
    if !worker_ids.is_empty() {
        banks.worker.extend(
            workers::by_ids(conn, &worker_ids)
                .await?
                .into_iter()
                .map(|w| w.system_id),
        );
    }
    Ok(banks)
}

/// Whether the caller belongs to the bank `system_id`.
///
/// # Errors
/// Database errors.
pub async fn belongs(conn: &impl ConnectionTrait, actor: &Actor, system_id: Uuid) -> Result<bool> {
    if actor.is_system_admin(system_id) {
        return Ok(true);
    }
    Ok(banks_of(conn, actor).await?.includes(system_id))
}

/// Succeeds when the caller belongs to the bank `system_id`; otherwise "`what` not found".
///
/// # Errors
/// Not found (naming `what`), database errors.
pub async fn require_member(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
    what: &'static str,
) -> Result<()> {
    if belongs(conn, actor, system_id).await? {
        Ok(())
    } else {
        Err(not_found(what))
    }
}
