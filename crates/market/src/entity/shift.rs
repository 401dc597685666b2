//! `shifts`: a vacant shift posted by a trust.

use sea_orm::entity::prelude::*;

/// A shift posted to the bank.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "shifts")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The collaborative bank of the trust.
    pub system_id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// The site.
    pub site_id: Uuid,
    /// The ward.
    pub ward_id: Uuid,
    /// ESR staff group code.
    pub staff_group: staffbank_core::StaffGroup,
    /// The grade asked for (fallback grades are in `shift_grades`).
    pub grade: String,
    /// Skills needed: the ward's and the shift's own (JSON array).
    pub skills: Json,
    /// Start (UTC).
    pub starts_at: DateTimeUtc,
    /// End (UTC).
    pub ends_at: DateTimeUtc,
    /// Unpaid break.
    pub break_minutes: i32,
    /// Length less the break.
    pub worked_minutes: i32,
    /// Why the shift is needed.
    pub reason: crate::posting::ShiftReason,
    /// SHIFT_GRADE or WORKER_GRADE.
    pub pay_basis: crate::posting::PayBasis,
    /// Workers needed.
    pub positions: i32,
    /// Positions with an active booking (kept in the booking transaction).
    pub filled_positions: i32,
    /// Notes for workers.
    pub notes: Option<String>,
    /// When the first cascade tier opens.
    pub opens_at: DateTimeUtc,
    /// When the agency tier opens, if the cascade has one.
    pub escalates_at: Option<DateTimeUtc>,
    /// Who posted it.
    pub posted_by: Option<Uuid>,
    /// When.
    pub posted_at: DateTimeUtc,
    /// When the trust withdrew it.
    pub cancelled_at: Option<DateTimeUtc>,
    /// Who withdrew it.
    pub cancelled_by: Option<Uuid>,
    /// Why.
    pub cancel_reason: Option<String>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
