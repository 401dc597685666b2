//! Timesheet deadlines, so bank workers are paid on time. Each trust gives its ward managers a
//! number of hours (48 unless it says otherwise) to approve or query a submitted timesheet; the
//! deadline is set when the timesheet is (re)submitted. When it passes undecided the timesheet
//! **escalates** to the trust's bank office, who may then approve or query it too (the ward
//! manager still may). A trust may also choose (off unless it does) that a timesheet whose times
//! are within a tolerance of the booked shift at each end, with the booked break, is **approved
//! automatically** at the deadline instead, recorded as such.
//!
//! Who holds a timesheet now, and by when: the ward manager until the deadline; the bank office
//! after escalation, and once approved (to approve it for payment), by the pay cut-off; the worker
//! when it is queried.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_core::time::{london_date, start_of_london_day};
use staffbank_core::{Actor, Clock, Role, db, jobs};
use uuid::Uuid;

use crate::entity::{booking as booking_entity, timesheet, timesheet_policy};
use crate::error::{Result, validation};
use crate::pay::periods;
use crate::pay::timesheets::{TimesheetState, record_event};
use crate::timesheet_mail;

/// Hours a ward manager has when the trust has not said.
pub const DEFAULT_APPROVAL_HOURS: i32 = 48;
/// The tolerance, minutes at each end, when the trust has not said.
pub const DEFAULT_TOLERANCE_MINUTES: i32 = 15;
/// The most hours a trust may give (two weeks: longer and pay is late anyway).
pub const MAX_APPROVAL_HOURS: i32 = 336;
/// The widest tolerance a trust may set, minutes.
pub const MAX_TOLERANCE_MINUTES: i32 = 60;
/// The job's name in logs and metrics.
pub const JOB: &str = "timesheet_deadlines";

/// A trust's timesheet rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Hours a ward manager has to approve or query a submitted timesheet.
    pub approval_hours: i32,
    /// Whether timesheets matching the booked shift are approved automatically at the deadline.
    pub auto_approve: bool,
    /// Minutes each end may be off the booked times and still match.
    pub tolerance_minutes: i32,
    /// The pay cut-off day of the month the deadline serves.
    pub cutoff_day: i32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            approval_hours: DEFAULT_APPROVAL_HOURS,
            auto_approve: false,
            tolerance_minutes: DEFAULT_TOLERANCE_MINUTES,
            cutoff_day: periods::DEFAULT_CUTOFF_DAY,
        }
    }
}

impl Policy {
    /// The deadline of a timesheet submitted at `submitted_at`.
    #[must_use]
    pub fn deadline(&self, submitted_at: DateTime<Utc>) -> DateTime<Utc> {
        submitted_at + Duration::hours(i64::from(self.approval_hours))
    }
}

/// The rules of each of these trusts (the defaults for a trust that set none).
///
/// # Errors
/// Database errors.
pub async fn policies_of(
    conn: &impl ConnectionTrait,
    trust_ids: &[Uuid],
) -> Result<HashMap<Uuid, Policy>> {
    let mut out: HashMap<Uuid, Policy> =
        trust_ids.iter().map(|t| (*t, Policy::default())).collect();
    for p in timesheet_policy::Entity::find()
        .filter(timesheet_policy::Column::TrustId.is_in(trust_ids.iter().copied()))
        .all(conn)
        .await?
    {
        let e = out.entry(p.trust_id).or_default();
        e.approval_hours = p.approval_hours;
        e.auto_approve = p.auto_approve;
        e.tolerance_minutes = p.tolerance_minutes;
    }
    for p in crate::entity::pay_policy::Entity::find()
        .filter(crate::entity::pay_policy::Column::TrustId.is_in(trust_ids.iter().copied()))
        .all(conn)
        .await?
    {
        out.entry(p.trust_id).or_default().cutoff_day = p.cutoff_day;
    }
    Ok(out)
}

/// One trust's rules.
///
/// # Errors
/// Database errors.
pub async fn policy_of(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<Policy> {
    Ok(policies_of(conn, &[trust_id])
        .await?
        .remove(&trust_id)
        .unwrap_or_default())
}

/// A trust's rules, for the people who may set them or decide its timesheets (its trust admins,
/// bank office and ward managers).
///
/// # Errors
/// Forbidden; not found.
pub async fn visible_policy(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Policy> {
    authorize_at_trust(
        conn,
        actor,
        trust_id,
        &[Role::TrustAdmin, Role::BankOffice, Role::WardManager],
    )
    .await?;
    policy_of(conn, trust_id).await
}

/// A trust's new timesheet rules.
#[derive(Debug, Clone, Copy)]
pub struct NewPolicy {
    /// Hours a ward manager has, 1 to [`MAX_APPROVAL_HOURS`].
    pub approval_hours: i32,
    /// Approve matching timesheets automatically at the deadline.
    pub auto_approve: bool,
    /// Minutes each end may be off, 0 to [`MAX_TOLERANCE_MINUTES`].
    pub tolerance_minutes: i32,
}

/// Sets a trust's timesheet rules (its trust admins and bank office, as for the pay cut-off). They
/// apply to timesheets submitted from now on; a timesheet keeps the deadline it was given.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation.
pub async fn set_policy(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    new: NewPolicy,
) -> Result<Policy> {
    db::write(db, |tx| {
        Box::pin(async move { set_policy_in(&tx, clock, actor, trust_id, new).await })
    })
    .await
}

/// The work of [`set_policy`], in the caller's transaction.
async fn set_policy_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    new: NewPolicy,
) -> Result<Policy> {
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin, Role::BankOffice]).await?;
    if !(1..=MAX_APPROVAL_HOURS).contains(&new.approval_hours) {
        return Err(validation(format!(
            "the hours a ward manager has must be 1 to {MAX_APPROVAL_HOURS}"
        )));
    }
    if !(0..=MAX_TOLERANCE_MINUTES).contains(&new.tolerance_minutes) {
        return Err(validation(format!(
            "the tolerance must be 0 to {MAX_TOLERANCE_MINUTES} minutes"
        )));
    }
    let row = timesheet_policy::ActiveModel {
        trust_id: Set(trust_id),
        approval_hours: Set(new.approval_hours),
        auto_approve: Set(new.auto_approve),
        tolerance_minutes: Set(new.tolerance_minutes),
        updated_by: Set(actor.account_id()),
        updated_at: Set(clock.now()),
    };
    if timesheet_policy::Entity::find_by_id(trust_id)
        .one(tx)
        .await?
        .is_some()
    {
        row.update(tx).await?;
    } else {
        row.insert(tx).await?;
    }
    policy_of(tx, trust_id).await
}

/// A timesheet's deadline: the one it was given at (re)submission, or for one submitted before
/// deadlines existed, its submission time plus the trust's hours.
#[must_use]
pub fn deadline_of(t: &timesheet::Model, policy: &Policy) -> DateTime<Utc> {
    t.deadline_at
        .unwrap_or_else(|| policy.deadline(t.submitted_at))
}

/// The end of the first pay cut-off day at or after `at` (midnight, London time, after the
/// cut-off day): approved for payment before then, pay goes in that month's period.
#[must_use]
pub fn cutoff_after(at: DateTime<Utc>, cutoff_day: i32) -> DateTime<Utc> {
    let day = u32::try_from(cutoff_day.clamp(1, 28)).unwrap_or(28);
    let d = london_date(at);
    let end_of = |y: i32, m: u32| {
        NaiveDate::from_ymd_opt(y, m, day)
            .and_then(|d| d.succ_opt())
            .map(start_of_london_day)
    };
    let this = end_of(d.year(), d.month());
    match this {
        Some(end) if end > at => end,
        _ => {
            let (y, m) = if d.month() == 12 {
                (d.year() + 1, 1)
            } else {
                (d.year(), d.month() + 1)
            };
            end_of(y, m).unwrap_or(at)
        }
    }
}

/// Who holds a timesheet now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// A ward manager of its ward, to approve or query it.
    WardManager,
    /// The trust's bank office: after escalation, to approve or query it; once approved, to
    /// approve it for payment and send it to payroll.
    BankOffice,
    /// The worker, to answer a query.
    Worker,
}

/// Who holds timesheet `t` now and by when (none once it has gone to payroll).
#[must_use]
pub fn holder(t: &timesheet::Model, policy: &Policy) -> Option<(Holder, Option<DateTime<Utc>>)> {
    let deadline = deadline_of(t, policy);
    match t.state {
        TimesheetState::Submitted if t.escalated_at.is_none() => {
            Some((Holder::WardManager, Some(deadline)))
        }
        TimesheetState::Submitted => Some((
            Holder::BankOffice,
            Some(cutoff_after(deadline, policy.cutoff_day)),
        )),
        TimesheetState::Queried => Some((Holder::Worker, None)),
        TimesheetState::Approved => Some((
            Holder::BankOffice,
            Some(cutoff_after(
                t.approved_at.unwrap_or(t.updated_at),
                policy.cutoff_day,
            )),
        )),
        TimesheetState::PaymentApproved => Some((Holder::BankOffice, None)),
        TimesheetState::Exported => None,
    }
}

/// Whether the times sent match the booked shift closely enough to approve automatically: each
/// end within the tolerance, and the booked break.
#[must_use]
pub fn matches_booking(
    t: &timesheet::Model,
    b: &booking_entity::Model,
    booked_break_minutes: i32,
    tolerance_minutes: i32,
) -> bool {
    let tolerance = Duration::minutes(i64::from(tolerance_minutes));
    (t.started_at - b.starts_at).abs() <= tolerance
        && (t.ended_at - b.ends_at).abs() <= tolerance
        && t.break_minutes == booked_break_minutes
}

/// What one run of the deadline job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Timesheets sent to the bank office.
    pub escalated: u64,
    /// Timesheets approved automatically.
    pub auto_approved: u64,
}

/// What happened to one timesheet at its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Escalated,
    AutoApproved,
    /// Decided, resubmitted or escalated meanwhile (by a request or another replica).
    Nothing,
}

/// The scheduled job: every submitted timesheet past its deadline and not yet escalated is
/// approved automatically (when its trust chose so and it matches the booking) or escalated to the
/// bank office, each in its own transaction; one that fails is logged and counted with
/// [`jobs::row_failed`], and the others go on. Running twice, or on several replicas at once,
/// changes and emails each timesheet once: the change is conditional on the state it was read in,
/// and the emails are keyed.
///
/// # Errors
/// Database errors finding the timesheets due.
pub async fn run(db: &DatabaseConnection, clock: &dyn Clock) -> Result<Sweep> {
    let now = clock.now();
    let due = timesheet::Entity::find()
        .filter(timesheet::Column::State.eq(TimesheetState::Submitted))
        .filter(timesheet::Column::EscalatedAt.is_null())
        .filter(
            Condition::any()
                .add(timesheet::Column::DeadlineAt.lte(now))
                .add(timesheet::Column::DeadlineAt.is_null()),
        )
        .all(db)
        .await?;
    let mut trusts: Vec<Uuid> = due.iter().map(|t| t.trust_id).collect();
    trusts.sort_unstable();
    trusts.dedup();
    let policies = policies_of(db, &trusts).await?;
    let mut sweep = Sweep::default();
    for t in &due {
        let policy = policies.get(&t.trust_id).copied().unwrap_or_default();
        if deadline_of(t, &policy) > now {
            continue;
        }
        let one = db::write(db, |tx| {
            Box::pin(async move { at_deadline(&*tx, clock, t, &policy).await })
        })
        .await;
        match one {
            Ok(Outcome::Escalated) => sweep.escalated += 1,
            Ok(Outcome::AutoApproved) => sweep.auto_approved += 1,
            Ok(Outcome::Nothing) => {}
            Err(e) => jobs::row_failed(JOB, t.id, &e),
        }
    }
    Ok(sweep)
}

/// Approves `t` automatically or escalates it, if it is still as it was read.
async fn at_deadline(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    t: &timesheet::Model,
    policy: &Policy,
) -> Result<Outcome> {
    let now = clock.now();
    let b = crate::booking::get(conn, t.booking_id).await?;
    let s = crate::shifts::get(conn, t.shift_id).await?;
    let automatic =
        policy.auto_approve && matches_booking(t, &b, s.break_minutes, policy.tolerance_minutes);
    // Only the timesheet as it was read: still waiting, not escalated, not resubmitted since.
    let unchanged = Condition::all()
        .add(timesheet::Column::Id.eq(t.id))
        .add(timesheet::Column::State.eq(TimesheetState::Submitted))
        .add(timesheet::Column::EscalatedAt.is_null())
        .add(timesheet::Column::SubmittedAt.eq(t.submitted_at));
    let mut update = timesheet::Entity::update_many().filter(unchanged);
    update = if automatic {
        update
            .col_expr(
                timesheet::Column::State,
                Expr::value(TimesheetState::Approved),
            )
            .col_expr(timesheet::Column::ApprovedAt, Expr::value(Some(now)))
            .col_expr(timesheet::Column::ApprovedBy, Expr::value(None::<Uuid>))
            .col_expr(timesheet::Column::QueryReason, Expr::value(None::<String>))
    } else {
        update.col_expr(timesheet::Column::EscalatedAt, Expr::value(Some(now)))
    };
    let done = update
        .col_expr(timesheet::Column::UpdatedAt, Expr::value(now))
        .exec(conn)
        .await?;
    if done.rows_affected == 0 {
        return Ok(Outcome::Nothing);
    }
    let t = crate::pay::timesheets::get(conn, t.id).await?;
    if automatic {
        let why = format!(
            "approved automatically at the deadline: the times were within {} minutes of the \
             booked shift at each end, with the booked break",
            policy.tolerance_minutes
        );
        record_event(
            conn,
            clock,
            &Actor::Service,
            t.id,
            "AUTO_APPROVED",
            Some(&why),
        )
        .await?;
        timesheet_mail::decided(conn, clock, &t, timesheet_mail::Decision::AutoApproved).await?;
        Ok(Outcome::AutoApproved)
    } else {
        record_event(conn, clock, &Actor::Service, t.id, "ESCALATED", None).await?;
        timesheet_mail::escalated(conn, clock, &t).await?;
        Ok(Outcome::Escalated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn the_cut_off_is_the_end_of_the_cut_off_day_in_london() {
        // The 20th ends at midnight London time: GMT in November, BST in June.
        assert_eq!(
            cutoff_after(at("2026-11-03T10:00:00Z"), 20),
            at("2026-11-21T00:00:00Z")
        );
        assert_eq!(
            cutoff_after(at("2026-06-03T10:00:00Z"), 20),
            at("2026-06-20T23:00:00Z")
        );
        // After this month's, next month's; December's rolls into January.
        assert_eq!(
            cutoff_after(at("2026-11-21T00:00:00Z"), 20),
            at("2026-12-21T00:00:00Z")
        );
        assert_eq!(
            cutoff_after(at("2026-12-25T10:00:00Z"), 20),
            at("2027-01-21T00:00:00Z")
        );
    }

    #[test]
    fn the_deadline_is_the_hours_after_submission() {
        let p = Policy {
            approval_hours: 48,
            ..Policy::default()
        };
        assert_eq!(
            p.deadline(at("2026-11-03T10:00:00Z")),
            at("2026-11-05T10:00:00Z")
        );
    }
}
