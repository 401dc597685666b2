//! Payroll export: per paying trust (the worker's home trust) and pay period, a CSV of the pay
//! lines approved and not yet exported. Each line goes out once: exporting again takes only lines
//! approved since. A past export is fetched again with [`export`], byte for byte the same file —
//! re-exporting is explicit and idempotent.

use std::collections::HashMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::workers;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::entity::{pay_line, payroll_export, timesheet, timesheet_event};
use crate::error::{Result, conflict, not_found};
use crate::pay::periods::parse_period;
use crate::pay::pounds;
use crate::pay::timesheets::TimesheetState;

/// Roles that run payroll for a trust.
pub const PAYROLL: [Role; 2] = [Role::BankOffice, Role::TrustAdmin];

/// The CSV header.
pub const HEADER: &str =
    "worker_id,worker_name,ni_number,cost_centre,work_date,hours,rate_code,rate,amount";

/// One CSV field, quoted as needed and never read by a spreadsheet as a formula.
fn field(raw: &str) -> String {
    staffbank_core::text::csv_field(raw)
}

/// Exports a trust's not-yet-exported lines of a pay period.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation (period); conflict (nothing new to export).
pub async fn run(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    period: &str,
) -> Result<payroll_export::Model> {
    db::write(db, |tx| {
        Box::pin(async move { run_in(&tx, clock, actor, trust_id, period).await })
    })
    .await
}

/// The work of [`run`], in the caller's transaction.
async fn run_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    period: &str,
) -> Result<payroll_export::Model> {
    authorize_at_trust(tx, actor, trust_id, &PAYROLL).await?;
    let period = parse_period(period)?;
    let lines = pay_line::Entity::find()
        .filter(pay_line::Column::PayrollTrustId.eq(trust_id))
        .filter(pay_line::Column::PayPeriod.eq(&period))
        .filter(pay_line::Column::ExportId.is_null())
        .order_by_asc(pay_line::Column::WorkDate)
        .order_by_asc(pay_line::Column::WorkerId)
        .order_by_asc(pay_line::Column::Id)
        .all(tx)
        .await?;
    if lines.is_empty() {
        return Err(conflict(format!(
            "nothing new to export for {period}: every approved line has gone out already"
        )));
    }
    let mut ids: Vec<Uuid> = lines.iter().map(|l| l.worker_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let people: HashMap<Uuid, (String, String)> = workers::by_ids(tx, &ids)
        .await?
        .into_iter()
        .map(|w| {
            (
                w.id,
                (format!("{} {}", w.given_name, w.family_name), w.ni_number),
            )
        })
        .collect();
    let mut csv = String::from(HEADER);
    csv.push('\n');
    let mut total: i64 = 0;
    for l in &lines {
        let (name, ni) = people.get(&l.worker_id).cloned().unwrap_or_default();
        let hours = (Decimal::from(l.seconds) / Decimal::from(3600)).round_dp(2);
        total += l.amount_pence;
        let _ = writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{}",
            l.worker_id,
            field(&name),
            field(&ni),
            field(&l.cost_centre),
            l.work_date,
            hours,
            field(&format!("{}:{}", l.grade, l.code)),
            l.rate,
            pounds(l.amount_pence)
        );
    }
    let export = payroll_export::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(trust_id),
        pay_period: Set(period.clone()),
        line_count: Set(i32::try_from(lines.len()).unwrap_or(i32::MAX)),
        total_pence: Set(total),
        csv: Set(csv),
        created_by: Set(actor.account_id()),
        created_at: Set(clock.now()),
    }
    .insert(tx)
    .await?;
    let line_ids: Vec<Uuid> = lines.iter().map(|l| l.id).collect();
    for chunk in line_ids.chunks(500) {
        pay_line::Entity::update_many()
            .col_expr(pay_line::Column::ExportId, Expr::value(export.id))
            .filter(pay_line::Column::Id.is_in(chunk.iter().copied()))
            .filter(pay_line::Column::ExportId.is_null())
            .exec(tx)
            .await?;
    }
    let mut sheets: Vec<Uuid> = lines.iter().filter_map(|l| l.timesheet_id).collect();
    sheets.sort_unstable();
    sheets.dedup();
    for id in sheets {
        let Some(t) = timesheet::Entity::find_by_id(id).one(tx).await? else {
            continue;
        };
        if t.state != TimesheetState::PaymentApproved {
            continue;
        }
        let mut a: timesheet::ActiveModel = t.into();
        a.state = Set(TimesheetState::Exported);
        a.updated_at = Set(clock.now());
        a.update(tx).await?;
        timesheet_event::ActiveModel {
            id: Set(new_id()),
            timesheet_id: Set(id),
            event: Set("EXPORTED".to_owned()),
            actor_account_id: Set(actor.account_id()),
            reason: Set(Some(export.id.to_string())),
            at: Set(clock.now()),
        }
        .insert(tx)
        .await?;
    }
    Ok(export)
}

/// A past export, the same file as when it was made.
///
/// # Errors
/// Not found; forbidden.
pub async fn export(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<payroll_export::Model> {
    let e = payroll_export::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("payroll export"))?;
    authorize_at_trust(conn, actor, e.trust_id, &PAYROLL).await?;
    Ok(e)
}

/// A trust's exports of a period (or of every period), oldest first.
///
/// # Errors
/// Forbidden; validation (period).
pub async fn exports_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
    period: Option<&str>,
) -> Result<Vec<payroll_export::Model>> {
    authorize_at_trust(conn, actor, trust_id, &PAYROLL).await?;
    let mut q = payroll_export::Entity::find().filter(payroll_export::Column::TrustId.eq(trust_id));
    if let Some(period) = period {
        q = q.filter(payroll_export::Column::PayPeriod.eq(parse_period(period)?));
    }
    Ok(q.order_by_asc(payroll_export::Column::CreatedAt)
        .order_by_asc(payroll_export::Column::Id)
        .all(conn)
        .await?)
}
