//! `pay_lines`: one payslip line.

use sea_orm::entity::prelude::*;

/// One payslip line.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pay_lines")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust where the work was (or the cancellation was made).
    pub trust_id: Uuid,
    /// The trust that pays the worker (their home trust).
    pub payroll_trust_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// The booking.
    pub booking_id: Uuid,
    /// The timesheet, for worked time.
    pub timesheet_id: Option<Uuid>,
    /// The cancellation, for a late-cancellation fee.
    pub cancellation_id: Option<Uuid>,
    /// The ward.
    pub ward_id: Uuid,
    /// The ward's cost centre.
    pub cost_centre: String,
    /// Local date the shift started.
    pub work_date: Date,
    /// PLAIN, SATURDAY_OR_NIGHT, SUNDAY_OR_PUBLIC_HOLIDAY, HOLIDAY_PAY or LATE_CANCELLATION_FEE.
    pub code: String,
    /// The grade paid.
    pub grade: String,
    /// Paid time in seconds.
    pub seconds: i64,
    /// Hourly rate paid, enhancement included (decimal text).
    pub rate: String,
    /// The enhancement fraction (decimal text).
    pub enhancement: String,
    /// Amount in pence.
    pub amount_pence: i64,
    /// Pay period (YYYY-MM).
    pub pay_period: String,
    /// The payroll export it went out in.
    pub export_id: Option<Uuid>,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
