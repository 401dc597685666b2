//! Memberships: the trusts at which a worker is engaged, and whether they are active there.

use std::fmt;
use std::str::FromStr;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::{Actor, Clock, Role, new_id};
use uuid::Uuid;

use crate::entity::membership;
use crate::error::{Error, Result, conflict, not_found, validation};
use crate::organisation::authorize_at_trust;
use crate::workers;

/// A worker's standing at a trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipState {
    /// May work there.
    Active,
    /// Stopped by the trust (e.g. pending an investigation).
    Suspended,
    /// No shift for a long time; must reconfirm before booking.
    Dormant,
}

impl MembershipState {
    /// As stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::Dormant => "DORMANT",
        }
    }
}

impl fmt::Display for MembershipState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MembershipState {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "ACTIVE" => Ok(Self::Active),
            "SUSPENDED" => Ok(Self::Suspended),
            "DORMANT" => Ok(Self::Dormant),
            other => Err(validation(format!("unknown membership state '{other}'"))),
        }
    }
}

pub(crate) async fn insert(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    worker_id: Uuid,
    trust_id: Uuid,
    state: MembershipState,
) -> Result<membership::Model> {
    let now = clock.now();
    Ok(membership::ActiveModel {
        id: Set(new_id()),
        worker_id: Set(worker_id),
        trust_id: Set(trust_id),
        state: Set(state.as_str().to_owned()),
        state_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?)
}

/// Engages a worker of the same collaborative bank at another trust (its bank office or HR).
///
/// # Errors
/// Not found; forbidden; validation (another bank); conflict (already engaged).
pub async fn engage(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<membership::Model> {
    let t = authorize_at_trust(conn, actor, trust_id, &[Role::BankOffice, Role::Hr]).await?;
    let w = workers::get(conn, worker_id).await?;
    if w.system_id != t.system_id {
        return Err(validation(
            "the worker belongs to another collaborative bank",
        ));
    }
    if find(conn, worker_id, trust_id).await?.is_some() {
        return Err(conflict("the worker is already engaged at this trust"));
    }
    insert(conn, clock, worker_id, trust_id, MembershipState::Active).await
}

/// Changes a worker's standing at a trust (its bank office or HR), with a reason unless active.
///
/// # Errors
/// Not found; forbidden; validation (missing reason).
pub async fn set_state(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    trust_id: Uuid,
    state: MembershipState,
    reason: Option<&str>,
) -> Result<membership::Model> {
    authorize_at_trust(conn, actor, trust_id, &[Role::BankOffice, Role::Hr]).await?;
    let m = find(conn, worker_id, trust_id)
        .await?
        .ok_or_else(|| not_found("membership"))?;
    let reason = staffbank_core::text::limits::REASON_TEXT.optional(reason)?;
    let reason = reason.as_deref();
    if state != MembershipState::Active && reason.is_none() {
        return Err(validation(format!(
            "a reason is needed to make a worker {state}"
        )));
    }
    let mut active: membership::ActiveModel = m.into();
    active.state = Set(state.as_str().to_owned());
    active.state_reason = Set(reason.map(str::to_owned));
    active.updated_at = Set(clock.now());
    Ok(active.update(conn).await?)
}

/// A worker's membership at a trust, if any.
///
/// # Errors
/// Database errors.
pub async fn find(
    conn: &impl ConnectionTrait,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<Option<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorkerId.eq(worker_id))
        .filter(membership::Column::TrustId.eq(trust_id))
        .one(conn)
        .await?)
}

/// The memberships of these workers (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn of_workers(
    conn: &impl ConnectionTrait,
    worker_ids: &[Uuid],
) -> Result<Vec<membership::Model>> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorkerId.is_in(worker_ids.iter().copied()))
        .order_by_asc(membership::Column::Id)
        .all(conn)
        .await?)
}
