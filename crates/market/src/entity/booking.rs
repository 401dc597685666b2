//! `bookings`: a worker booked onto one position of a shift.

use sea_orm::entity::prelude::*;

/// A booking.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The shift.
    pub shift_id: Uuid,
    /// The shift's trust.
    pub trust_id: Uuid,
    /// The shift's ward.
    pub ward_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// Which position of the shift, from 1.
    pub position: i32,
    /// The shift's start, copied so the database can refuse overlaps.
    pub starts_at: DateTimeUtc,
    /// The shift's end, copied likewise.
    pub ends_at: DateTimeUtc,
    /// Working time (length less break), for the working-time rules.
    pub worked_minutes: i32,
    /// Whether it holds the position (booked, not cancelled or a no-show).
    pub active: bool,
    /// BOOKED, CANCELLED_BY_WORKER, CANCELLED_BY_TRUST or NO_SHOW.
    pub state: crate::booking::BookingState,
    /// SELF or BANK_OFFICE.
    pub booked_via: crate::booking::BookedVia,
    /// The account that made the request.
    pub booked_by: Option<Uuid>,
    /// The client's key for the request, so a retry finds this booking.
    pub idempotency_key: Option<String>,
    /// When booked.
    pub created_at: DateTimeUtc,
    /// When it stopped being active.
    pub closed_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
