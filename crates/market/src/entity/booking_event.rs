//! `booking_events`: the append-only history of every booking.

use sea_orm::entity::prelude::*;

/// One change of a booking.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_events")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The booking.
    pub booking_id: Uuid,
    /// Its shift.
    pub shift_id: Uuid,
    /// Its trust.
    pub trust_id: Uuid,
    /// Its worker.
    pub worker_id: Uuid,
    /// BOOKED, CANCELLED_BY_WORKER, CANCELLED_BY_TRUST, NO_SHOW.
    pub event: crate::booking_history::BookingEvent,
    /// Whether it counts against the worker's reliability.
    pub strike: bool,
    /// Who did it.
    pub actor_account_id: Option<Uuid>,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
