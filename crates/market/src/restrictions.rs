//! Restrictions a trust places on a worker: blocked from its shifts, or self-booking suspended
//! (placed by policy after repeated short-notice cancellations or no-shows; its bank office can
//! still book the worker). A restriction is in force until lifted, and is never deleted.

use std::fmt;

use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_bank::access::{authorize_at_trust, authorize_at_trust_for};
use staffbank_bank::workers;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::entity::worker_restriction;
use crate::error::{Result, conflict, not_found};

/// Roles that place and lift restrictions.
pub const MANAGERS: [Role; 3] = [Role::BankOffice, Role::Hr, Role::TrustAdmin];

/// What a restriction stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum RestrictionKind {
    /// Any booking at the trust.
    #[sea_orm(string_value = "BLOCKED")]
    Blocked,
    /// The worker booking themself at the trust.
    #[sea_orm(string_value = "SELF_BOOKING_SUSPENDED")]
    SelfBookingSuspended,
}

impl fmt::Display for RestrictionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Restrictions in force on these workers, at one trust or at all.
///
/// # Errors
/// Database errors.
pub async fn in_force(
    conn: &impl ConnectionTrait,
    trust_id: Option<Uuid>,
    worker_ids: &[Uuid],
) -> Result<Vec<worker_restriction::Model>> {
    let mut q = worker_restriction::Entity::find()
        .filter(worker_restriction::Column::WorkerId.is_in(worker_ids.iter().copied()))
        .filter(worker_restriction::Column::LiftedAt.is_null());
    if let Some(t) = trust_id {
        q = q.filter(worker_restriction::Column::TrustId.eq(t));
    }
    Ok(q.all(conn).await?)
}

pub(crate) async fn place(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    worker_id: Uuid,
    kind: RestrictionKind,
    reason: &str,
) -> Result<worker_restriction::Model> {
    Ok(worker_restriction::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(trust_id),
        worker_id: Set(worker_id),
        kind: Set(kind),
        reason: Set(reason.to_owned()),
        created_by: Set(actor.account_id()),
        created_at: Set(clock.now()),
        lifted_at: Set(None),
        lifted_by: Set(None),
    }
    .insert(conn)
    .await?)
}

/// A trust blocks a worker from its shifts (its bank office, HR or admins), with a reason.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; not found; validation (reason); conflict (already blocked).
pub async fn block(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    worker_id: Uuid,
    reason: &str,
) -> Result<worker_restriction::Model> {
    db::write(db, |tx| {
        Box::pin(async move { block_in(&tx, clock, actor, trust_id, worker_id, reason).await })
    })
    .await
}

/// The work of [`block`], in the caller's transaction.
///
/// # Errors
/// As [`block`].
pub async fn block_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    worker_id: Uuid,
    reason: &str,
) -> Result<worker_restriction::Model> {
    let t = authorize_at_trust(tx, actor, trust_id, &MANAGERS).await?;
    // A worker of another bank does not exist, as far as this trust can tell.
    let w = workers::get(tx, worker_id).await?;
    if w.system_id != t.system_id {
        return Err(not_found("worker"));
    }
    let reason = staffbank_core::text::limits::REASON_TEXT.required(reason)?;
    let reason = reason.as_str();
    let blocked = in_force(tx, Some(trust_id), &[worker_id])
        .await?
        .iter()
        .any(|r| r.kind == RestrictionKind::Blocked);
    if blocked {
        return Err(conflict("the worker is already blocked at this trust"));
    }
    place(
        tx,
        clock,
        actor,
        trust_id,
        worker_id,
        RestrictionKind::Blocked,
        reason,
    )
    .await
}

/// Lifts a restriction (the trust's bank office, HR or admins).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; conflict (already lifted).
pub async fn lift(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    restriction_id: Uuid,
) -> Result<worker_restriction::Model> {
    db::write(db, |tx| {
        Box::pin(async move { lift_in(&tx, clock, actor, restriction_id).await })
    })
    .await
}

/// The work of [`lift`], in the caller's transaction.
async fn lift_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    restriction_id: Uuid,
) -> Result<worker_restriction::Model> {
    let r = worker_restriction::Entity::find_by_id(restriction_id)
        .one(tx)
        .await?
        .ok_or_else(|| not_found("restriction"))?;
    authorize_at_trust_for(tx, actor, r.trust_id, &MANAGERS, "restriction").await?;
    if r.lifted_at.is_some() {
        return Err(conflict("the restriction was lifted already"));
    }
    let mut a: worker_restriction::ActiveModel = r.into();
    a.lifted_at = Set(Some(clock.now()));
    a.lifted_by = Set(actor.account_id());
    Ok(a.update(tx).await?)
}

/// A trust's restrictions (in force, or all with history), newest first.
///
/// # Errors
/// Forbidden.
pub async fn of_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
    include_lifted: bool,
) -> Result<Vec<worker_restriction::Model>> {
    authorize_at_trust(conn, actor, trust_id, &MANAGERS).await?;
    let mut q =
        worker_restriction::Entity::find().filter(worker_restriction::Column::TrustId.eq(trust_id));
    if !include_lifted {
        q = q.filter(worker_restriction::Column::LiftedAt.is_null());
    }
    Ok(q.order_by_desc(worker_restriction::Column::Id)
        .all(conn)
        .await?)
}
