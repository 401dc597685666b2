//! Pay lines: the rows payroll exports. Each is one payslip line of one booking (worked time per
//! time band, holiday pay, or a late-cancellation fee), in pence, in one pay period, exported once.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::new_id;
use uuid::Uuid;

use crate::entity::pay_line;
use crate::error::Result;
use crate::pay::engine::Line;
use crate::pay::pence;

/// Where a set of lines belongs.
#[derive(Debug, Clone)]
pub struct LineContext {
    /// The trust where the work was.
    pub trust_id: Uuid,
    /// The worker's home trust, which pays them.
    pub payroll_trust_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// The booking.
    pub booking_id: Uuid,
    /// The timesheet, for worked time.
    pub timesheet_id: Option<Uuid>,
    /// The cancellation, for a fee.
    pub cancellation_id: Option<Uuid>,
    /// The ward.
    pub ward_id: Uuid,
    /// Its cost centre.
    pub cost_centre: String,
    /// Local date the shift started.
    pub work_date: NaiveDate,
    /// Grade paid.
    pub grade: String,
    /// Pay period.
    pub pay_period: String,
}

/// Stores engine lines.
///
/// # Errors
/// Database errors.
pub async fn insert(
    conn: &impl ConnectionTrait,
    at: DateTime<Utc>,
    ctx: &LineContext,
    lines: &[Line],
) -> Result<Vec<pay_line::Model>> {
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        out.push(
            pay_line::ActiveModel {
                id: Set(new_id()),
                trust_id: Set(ctx.trust_id),
                payroll_trust_id: Set(ctx.payroll_trust_id),
                worker_id: Set(ctx.worker_id),
                booking_id: Set(ctx.booking_id),
                timesheet_id: Set(ctx.timesheet_id),
                cancellation_id: Set(ctx.cancellation_id),
                ward_id: Set(ctx.ward_id),
                cost_centre: Set(ctx.cost_centre.clone()),
                work_date: Set(ctx.work_date),
                code: Set(l.code.to_owned()),
                grade: Set(ctx.grade.clone()),
                seconds: Set(l.seconds),
                rate: Set(l.rate.normalize().to_string()),
                enhancement: Set(l.enhancement.normalize().to_string()),
                amount_pence: Set(pence(l.amount)),
                pay_period: Set(ctx.pay_period.clone()),
                export_id: Set(None),
                created_at: Set(at),
            }
            .insert(conn)
            .await?,
        );
    }
    Ok(out)
}

/// The lines of some timesheets (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn of_timesheets(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<pay_line::Model>> {
    Ok(pay_line::Entity::find()
        .filter(pay_line::Column::TimesheetId.is_in(ids.iter().copied()))
        .order_by_asc(pay_line::Column::Id)
        .all(conn)
        .await?)
}
