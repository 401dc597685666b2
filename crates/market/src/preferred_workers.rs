//! A ward's preferred workers: the people its shifts are offered to first, in the PREFERRED tier of
//! the release cascade.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_bank::access::authorize_at_trust_for;
use staffbank_bank::{estate, workers};
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::entity::preferred_worker;
use crate::error::{Result, conflict, not_found};

/// Roles that keep a ward's preferred list.
pub const KEEPERS: [Role; 3] = [Role::BankOffice, Role::WardManager, Role::TrustAdmin];

/// Adds a worker to a ward's preferred list.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (another bank); conflict (already on the list).
pub async fn add(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    ward_id: Uuid,
    worker_id: Uuid,
) -> Result<preferred_worker::Model> {
    db::write(db, |tx| {
        Box::pin(async move { add_in(&tx, clock, actor, ward_id, worker_id).await })
    })
    .await
}

/// The work of [`add`], in the caller's transaction.
///
/// # Errors
/// As [`add`].
pub async fn add_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    ward_id: Uuid,
    worker_id: Uuid,
) -> Result<preferred_worker::Model> {
    let ward = estate::ward(tx, ward_id).await?;
    let t = authorize_at_trust_for(tx, actor, ward.trust_id, &KEEPERS, "ward").await?;
    // A worker of another bank does not exist, as far as this ward can tell.
    let w = workers::get(tx, worker_id).await?;
    if w.system_id != t.system_id {
        return Err(not_found("worker"));
    }
    let existing = preferred_worker::Entity::find()
        .filter(preferred_worker::Column::WardId.eq(ward_id))
        .filter(preferred_worker::Column::WorkerId.eq(worker_id))
        .one(tx)
        .await?;
    if existing.is_some() {
        return Err(conflict("the worker is already preferred on this ward"));
    }
    Ok(preferred_worker::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(ward.trust_id),
        ward_id: Set(ward_id),
        worker_id: Set(worker_id),
        added_by: Set(actor.account_id()),
        created_at: Set(clock.now()),
    }
    .insert(tx)
    .await?)
}

/// Removes a worker from a ward's preferred list.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden.
pub async fn remove(
    db: &DatabaseConnection,
    actor: &Actor,
    ward_id: Uuid,
    worker_id: Uuid,
) -> Result<()> {
    db::write(db, |tx| {
        Box::pin(async move { remove_in(&tx, actor, ward_id, worker_id).await })
    })
    .await
}

/// The work of [`remove`], in the caller's transaction.
async fn remove_in(
    tx: &DatabaseTransaction,
    actor: &Actor,
    ward_id: Uuid,
    worker_id: Uuid,
) -> Result<()> {
    let ward = estate::ward(tx, ward_id).await?;
    authorize_at_trust_for(tx, actor, ward.trust_id, &KEEPERS, "ward").await?;
    let res = preferred_worker::Entity::delete_many()
        .filter(preferred_worker::Column::WardId.eq(ward_id))
        .filter(preferred_worker::Column::WorkerId.eq(worker_id))
        .exec(tx)
        .await?;
    if res.rows_affected == 0 {
        return Err(not_found("preferred worker"));
    }
    Ok(())
}

/// A ward's preferred list, oldest first.
///
/// # Errors
/// Not found; forbidden.
pub async fn of_ward(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ward_id: Uuid,
) -> Result<Vec<preferred_worker::Model>> {
    let ward = estate::ward(conn, ward_id).await?;
    authorize_at_trust_for(conn, actor, ward.trust_id, &KEEPERS, "ward").await?;
    Ok(preferred_worker::Entity::find()
        .filter(preferred_worker::Column::WardId.eq(ward_id))
        .order_by_asc(preferred_worker::Column::Id)
        .all(conn)
        .await?)
}
