//! `timesheet_policies`: how long a trust's ward managers have to decide a timesheet, and whether
//! matching timesheets are approved automatically at the deadline.

use sea_orm::entity::prelude::*;

/// A trust's timesheet deadline and automatic-approval policy.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "timesheet_policies")]
pub struct Model {
    /// The trust.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trust_id: Uuid,
    /// Hours a ward manager has to approve or query a submitted timesheet.
    pub approval_hours: i32,
    /// Whether a timesheet matching the booked shift is approved automatically at the deadline.
    pub auto_approve: bool,
    /// How far (minutes) each end may be from the booked times and still match.
    pub tolerance_minutes: i32,
    /// Who last changed it.
    pub updated_by: Option<Uuid>,
    /// When changed.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
