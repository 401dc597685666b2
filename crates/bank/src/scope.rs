//! Which collaborative banks a caller belongs to, and the one rule every read and change of a
//! bank's data follows: a caller from another bank is told the thing does not exist (not found,
//! never forbidden), so nothing — not even that a trust, ward or rate card exists — crosses from
//! one bank to another.
//!
//! A caller belongs to a bank when they administer it, hold a staff role at one of its trusts, or
//! are one of its workers. The service belongs to every bank.

use std::collections::BTreeSet;

use sea_orm::ConnectionTrait;
use staffbank_core::{Actor, Role};
use uuid::Uuid;

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

/// The banks the caller belongs to (two small queries at most: their trusts, their worker record).
///
/// # Errors
/// Database errors.
pub async fn banks_of(conn: &impl ConnectionTrait, actor: &Actor) -> Result<Banks> {
    if actor.is_service() {
        return Ok(Banks::All);
    }
    let mut ids: BTreeSet<Uuid> = actor
        .grants()
        .iter()
        .filter(|g| g.role == Role::SystemAdmin)
        .filter_map(|g| g.system_id)
        .collect();
    let staff_at: Vec<Uuid> = actor
        .grants()
        .iter()
        .filter(|g| g.role.is_trust_scoped())
        .filter_map(|g| g.trust_id)
        .collect();
    if !staff_at.is_empty() {
        ids.extend(
            organisation::trusts_by_ids(conn, &staff_at)
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
        ids.extend(
            workers::by_ids(conn, &worker_ids)
                .await?
                .into_iter()
                .map(|w| w.system_id),
        );
    }
    Ok(Banks::Only(ids))
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
