//! `timesheets`: what a worker says they worked on a booking, and its approval.

use sea_orm::entity::prelude::*;

/// What a worker says they worked on a booking, and its approval.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "timesheets")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The booking.
    pub booking_id: Uuid,
    /// The shift.
    pub shift_id: Uuid,
    /// Where worked.
    pub trust_id: Uuid,
    /// The ward.
    pub ward_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// Actual start.
    pub started_at: DateTimeUtc,
    /// Actual end.
    pub ended_at: DateTimeUtc,
    /// Actual unpaid break.
    pub break_minutes: i32,
    /// SUBMITTED, QUERIED, APPROVED, PAYMENT_APPROVED or EXPORTED.
    pub state: crate::pay::timesheets::TimesheetState,
    /// Why it was queried.
    pub query_reason: Option<String>,
    /// When (last) submitted.
    pub submitted_at: DateTimeUtc,
    /// When approved.
    pub approved_at: Option<DateTimeUtc>,
    /// Who approved.
    pub approved_by: Option<Uuid>,
    /// When approved for payment.
    pub payment_approved_at: Option<DateTimeUtc>,
    /// Who approved payment.
    pub payment_approved_by: Option<Uuid>,
    /// The pay period (YYYY-MM) it is paid in.
    pub pay_period: Option<String>,
    /// When the ward manager must decide by, set at each (re)submission (none on timesheets
    /// submitted before deadlines existed: see `pay::deadlines::deadline_of`).
    pub deadline_at: Option<DateTimeUtc>,
    /// When it passed its deadline undecided and went to the trust's bank office.
    pub escalated_at: Option<DateTimeUtc>,
    /// When first submitted.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
