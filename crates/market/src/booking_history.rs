//! The history of every booking: one event row per change of state, appended in the same
//! transaction as the change and never updated. Reports and reliability are computed from it.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::StringLen;
use sea_orm::sea_query::{Asterisk, Expr, Func};
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use staffbank_core::{Actor, new_id};
use uuid::Uuid;

use crate::entity::{booking, booking_event};
use crate::error::Result;

/// What happened to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum BookingEvent {
    /// The worker was booked.
    #[sea_orm(string_value = "BOOKED")]
    Booked,
    /// The worker cancelled.
    #[sea_orm(string_value = "CANCELLED_BY_WORKER")]
    CancelledByWorker,
    /// The trust cancelled (or withdrew the shift).
    #[sea_orm(string_value = "CANCELLED_BY_TRUST")]
    CancelledByTrust,
    /// The worker did not come.
    #[sea_orm(string_value = "NO_SHOW")]
    NoShow,
}

impl fmt::Display for BookingEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Appends an event.
///
/// # Errors
/// Database errors.
pub(crate) async fn record(
    conn: &impl ConnectionTrait,
    at: DateTime<Utc>,
    actor: &Actor,
    b: &booking::Model,
    event: BookingEvent,
    strike: bool,
    reason: Option<&str>,
) -> Result<booking_event::Model> {
    Ok(booking_event::ActiveModel {
        id: Set(new_id()),
        booking_id: Set(b.id),
        shift_id: Set(b.shift_id),
        trust_id: Set(b.trust_id),
        worker_id: Set(b.worker_id),
        event: Set(event),
        strike: Set(strike),
        actor_account_id: Set(actor.account_id()),
        reason: Set(reason.map(str::to_owned)),
        at: Set(at),
    }
    .insert(conn)
    .await?)
}

/// The events of these bookings, oldest first.
///
/// # Errors
/// Database errors.
pub async fn of_bookings(
    conn: &impl ConnectionTrait,
    booking_ids: &[Uuid],
) -> Result<Vec<booking_event::Model>> {
    Ok(booking_event::Entity::find()
        .filter(booking_event::Column::BookingId.is_in(booking_ids.iter().copied()))
        .order_by_asc(booking_event::Column::Id)
        .all(conn)
        .await?)
}

/// Strikes (short-notice cancellations and no-shows) since `since`, per worker — at one trust, or
/// at every trust.
///
/// # Errors
/// Database errors.
pub async fn strikes_since(
    conn: &impl ConnectionTrait,
    trust_id: Option<Uuid>,
    worker_ids: Option<&[Uuid]>,
    since: DateTime<Utc>,
) -> Result<HashMap<Uuid, i64>> {
    let rows: Vec<(Uuid, i64)> = strikes_query(trust_id, worker_ids, since)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The query behind [`strikes_since`]: `worker_id` and their `strikes`, one row per worker.
pub(crate) fn strikes_query(
    trust_id: Option<Uuid>,
    worker_ids: Option<&[Uuid]>,
    since: DateTime<Utc>,
) -> sea_orm::Select<booking_event::Entity> {
    let mut q = booking_event::Entity::find()
        .select_only()
        .column(booking_event::Column::WorkerId)
        // COUNT(*) lets both databases answer from the (strike, at, worker_id) index alone.
        .expr_as(Func::count(Expr::col(Asterisk)), "strikes")
        .filter(booking_event::Column::Strike.eq(true))
        .filter(booking_event::Column::At.gte(since));
    if let Some(t) = trust_id {
        q = q.filter(booking_event::Column::TrustId.eq(t));
    }
    if let Some(ids) = worker_ids {
        q = q.filter(booking_event::Column::WorkerId.is_in(ids.iter().copied()));
    }
    q.group_by(booking_event::Column::WorkerId)
}
