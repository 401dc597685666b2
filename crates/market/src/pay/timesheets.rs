//! Timesheets: after a shift the worker says when they actually started and finished and how long
//! their break was; a ward manager of that ward approves it or queries it with a reason; the
//! worker resubmits; an approved timesheet is locked. The trust's bank office then approves it for
//! payment: its pay lines are made (actual times, the rate card in force on the shift's date) and
//! it falls into the pay period the cut-off puts it in. Then payroll exports it.
//!
//! `SUBMITTED -> APPROVED | QUERIED -> (resubmitted) SUBMITTED ...; APPROVED -> PAYMENT_APPROVED
//! -> EXPORTED`. Every step is also an event row. A submitted timesheet has a deadline; past it,
//! it escalates to the bank office or is approved automatically (`pay::deadlines`). Each step
//! emails whoever acts next (`timesheet_mail`).

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};
use staffbank_bank::{estate, organisation, workers};
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::booking::{self, BookingState};
use crate::entity::{booking as booking_entity, timesheet, timesheet_event};
use crate::error::{Result, conflict, forbidden, not_found, validation};
use crate::pay::lines::{self, LineContext};
use crate::pay::quote::{self, QuoteRequest};
use crate::pay::{deadlines, holidays, periods, rate_cards};
use crate::shifts;
use crate::timesheet_mail::{self, Decision};

/// Where a timesheet stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum TimesheetState {
    /// Waiting for the ward manager.
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    /// Sent back to the worker with a reason.
    #[sea_orm(string_value = "QUERIED")]
    Queried,
    /// Approved by the ward manager; locked.
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    /// Approved for payment; its pay lines exist.
    #[sea_orm(string_value = "PAYMENT_APPROVED")]
    PaymentApproved,
    /// Sent to payroll.
    #[sea_orm(string_value = "EXPORTED")]
    Exported,
}

impl TimesheetState {
    /// Every state.
    pub const ALL: [Self; 5] = [
        Self::Submitted,
        Self::Queried,
        Self::Approved,
        Self::PaymentApproved,
        Self::Exported,
    ];
}

impl fmt::Display for TimesheetState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Whether the worker owes a timesheet for booking `b` at `now`: the booking still stands
/// (BOOKED), its shift has ended, and it has no timesheet yet (`t`) or its timesheet was queried.
#[must_use]
pub fn due(b: &booking_entity::Model, t: Option<&timesheet::Model>, now: DateTime<Utc>) -> bool {
    b.state == BookingState::Booked
        && b.ends_at <= now
        && t.is_none_or(|t| t.state == TimesheetState::Queried)
}

/// [`due`] as a condition on bookings, so the database can list the bookings owing a timesheet.
#[must_use]
pub fn due_condition(now: DateTime<Utc>) -> Condition {
    let settled = timesheet::Entity::find()
        .select_only()
        .column(timesheet::Column::BookingId)
        .filter(timesheet::Column::State.ne(TimesheetState::Queried))
        .into_query();
    Condition::all()
        .add(booking_entity::Column::State.eq(BookingState::Booked))
        .add(booking_entity::Column::EndsAt.lte(now))
        .add(booking_entity::Column::Id.not_in_subquery(settled))
}

/// When a timesheet's lines went to payroll, from its history (none before).
#[must_use]
pub fn exported_at(history: &[timesheet_event::Model]) -> Option<DateTime<Utc>> {
    history
        .iter()
        .filter(|e| e.event == "EXPORTED")
        .map(|e| e.at)
        .max()
}

/// What the worker says they worked.
#[derive(Debug, Clone, Copy)]
pub struct Worked {
    /// Actual start.
    pub started_at: DateTime<Utc>,
    /// Actual end.
    pub ended_at: DateTime<Utc>,
    /// Actual unpaid break, minutes.
    pub break_minutes: i32,
}

/// How far actual times may be from the booked ones.
const MAX_DRIFT_HOURS: i64 = 6;

fn check_worked(b: &booking_entity::Model, w: &Worked, now: DateTime<Utc>) -> Result<()> {
    if w.ended_at <= w.started_at {
        return Err(validation("the end must be after the start"));
    }
    let length = w.ended_at - w.started_at;
    if length > Duration::hours(24) {
        return Err(validation("a timesheet covers at most 24 hours"));
    }
    let drift = Duration::hours(MAX_DRIFT_HOURS);
    if (w.started_at - b.starts_at).abs() > drift || (w.ended_at - b.ends_at).abs() > drift {
        return Err(validation(format!(
            "the times must be within {MAX_DRIFT_HOURS} hours of the booked shift ({} to {})",
            b.starts_at, b.ends_at
        )));
    }
    if w.break_minutes < 0 || Duration::minutes(i64::from(w.break_minutes)) >= length {
        return Err(validation(
            "the break must be at least 0 and shorter than the time worked",
        ));
    }
    if w.ended_at > now {
        return Err(validation(
            "a timesheet is submitted after the shift has ended",
        ));
    }
    Ok(())
}

/// Writes one entry of a timesheet's history.
pub(crate) async fn record_event(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
    what: &str,
    reason: Option<&str>,
) -> Result<()> {
    timesheet_event::ActiveModel {
        id: Set(new_id()),
        timesheet_id: Set(id),
        event: Set(what.to_owned()),
        actor_account_id: Set(actor.account_id()),
        reason: Set(reason.map(str::to_owned)),
        at: Set(clock.now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// One timesheet.
///
/// # Errors
/// Not found.
pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<timesheet::Model> {
    timesheet::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("timesheet"))
}

/// The worker submits (or, after a query, resubmits) the timesheet of their booking.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (not their booking); validation (times, break, before the end); conflict
/// (cancelled booking, already waiting, already approved).
pub async fn submit(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    booking_id: Uuid,
    worked: &Worked,
) -> Result<timesheet::Model> {
    db::write(db, |tx| {
        Box::pin(async move { submit_in(&tx, clock, actor, booking_id, worked).await })
    })
    .await
}

/// The work of [`submit`], in the caller's transaction.
///
/// # Errors
/// As [`submit`].
pub async fn submit_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    booking_id: Uuid,
    worked: &Worked,
) -> Result<timesheet::Model> {
    let b = booking::get(tx, booking_id).await?;
    if actor.worker_id() != Some(b.worker_id) {
        return Err(forbidden(
            "only the booked worker submits the timesheet of a booking",
        ));
    }
    if b.state != BookingState::Booked {
        return Err(conflict(format!(
            "this booking is {}; there is no timesheet to submit",
            b.state
        )));
    }
    let now = clock.now();
    check_worked(&b, worked, now)?;
    let deadline = deadlines::policy_of(tx, b.trust_id).await?.deadline(now);
    let existing = timesheet::Entity::find()
        .filter(timesheet::Column::BookingId.eq(b.id))
        .one(tx)
        .await?;
    let row = match existing {
        None => {
            let row = timesheet::ActiveModel {
                id: Set(new_id()),
                booking_id: Set(b.id),
                shift_id: Set(b.shift_id),
                trust_id: Set(b.trust_id),
                ward_id: Set(b.ward_id),
                worker_id: Set(b.worker_id),
                started_at: Set(worked.started_at),
                ended_at: Set(worked.ended_at),
                break_minutes: Set(worked.break_minutes),
                state: Set(TimesheetState::Submitted),
                query_reason: Set(None),
                submitted_at: Set(now),
                approved_at: Set(None),
                approved_by: Set(None),
                payment_approved_at: Set(None),
                payment_approved_by: Set(None),
                pay_period: Set(None),
                deadline_at: Set(Some(deadline)),
                escalated_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(tx)
            .await?;
            record_event(tx, clock, actor, row.id, "SUBMITTED", None).await?;
            row
        }
        Some(t) if t.state == TimesheetState::Queried => {
            let mut a: timesheet::ActiveModel = t.into();
            a.started_at = Set(worked.started_at);
            a.ended_at = Set(worked.ended_at);
            a.break_minutes = Set(worked.break_minutes);
            a.state = Set(TimesheetState::Submitted);
            a.submitted_at = Set(now);
            a.deadline_at = Set(Some(deadline));
            a.escalated_at = Set(None);
            a.updated_at = Set(now);
            let row = a.update(tx).await?;
            record_event(tx, clock, actor, row.id, "RESUBMITTED", None).await?;
            row
        }
        Some(t) if t.state == TimesheetState::Submitted => {
            return Err(conflict("this timesheet is already waiting for approval"));
        }
        Some(t) => {
            return Err(conflict(format!(
                "this timesheet is {} and locked",
                t.state
            )));
        }
    };
    timesheet_mail::submitted(tx, clock, &row, deadline).await?;
    Ok(row)
}

/// Whether the caller manages the ward (a ward manager of that ward, or of all the trust's wards).
fn manages(actor: &Actor, t: &timesheet::Model) -> bool {
    actor.is_service()
        || actor.grants().iter().any(|g| {
            g.role == Role::WardManager
                && g.trust_id == Some(t.trust_id)
                && g.ward_id.is_none_or(|w| w == t.ward_id)
        })
}

/// Whether the caller may approve or query `t`: a ward manager of its ward, or, once it has
/// escalated past its deadline, the trust's bank office.
#[must_use]
pub fn may_decide(actor: &Actor, t: &timesheet::Model) -> bool {
    manages(actor, t)
        || (t.escalated_at.is_some() && actor.has_any_trust_role(&[Role::BankOffice], t.trust_id))
}

async fn for_decision(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<timesheet::Model> {
    let t = get(conn, id).await?;
    if !may_decide(actor, &t) {
        return Err(forbidden(
            "only a ward manager of this ward can approve or query its timesheets (and the \
             trust's bank office, once a timesheet has passed its deadline)",
        ));
    }
    if t.state != TimesheetState::Submitted {
        return Err(conflict(format!(
            "only a submitted timesheet can be decided; this one is {}",
            t.state
        )));
    }
    Ok(t)
}

/// A ward manager of the ward (or, after escalation, the bank office) approves a submitted
/// timesheet; it is then locked, and the worker is told.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; conflict (not waiting).
pub async fn approve(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
) -> Result<timesheet::Model> {
    db::write(db, |tx| {
        Box::pin(async move { approve_in(&tx, clock, actor, id).await })
    })
    .await
}

/// The work of [`approve`], in the caller's transaction.
///
/// # Errors
/// As [`approve`].
pub async fn approve_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
) -> Result<timesheet::Model> {
    let t = for_decision(tx, actor, id).await?;
    let mut a: timesheet::ActiveModel = t.into();
    a.state = Set(TimesheetState::Approved);
    a.query_reason = Set(None);
    a.approved_at = Set(Some(clock.now()));
    a.approved_by = Set(actor.account_id());
    a.updated_at = Set(clock.now());
    let t = a.update(tx).await?;
    record_event(tx, clock, actor, t.id, "APPROVED", None).await?;
    timesheet_mail::decided(tx, clock, &t, Decision::Approved).await?;
    Ok(t)
}

/// A ward manager of the ward (or, after escalation, the bank office) queries a submitted
/// timesheet, with a reason; the worker is told, and resubmits.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (reason); conflict (not waiting).
pub async fn query(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
    reason: &str,
) -> Result<timesheet::Model> {
    db::write(db, |tx| {
        Box::pin(async move { query_in(&tx, clock, actor, id, reason).await })
    })
    .await
}

/// The work of [`query`], in the caller's transaction.
///
/// # Errors
/// As [`query`].
pub async fn query_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
    reason: &str,
) -> Result<timesheet::Model> {
    let reason = staffbank_core::text::limits::REASON_TEXT.required(reason)?;
    let reason = reason.as_str();
    let t = for_decision(tx, actor, id).await?;
    let mut a: timesheet::ActiveModel = t.into();
    a.state = Set(TimesheetState::Queried);
    a.query_reason = Set(Some(reason.to_owned()));
    a.updated_at = Set(clock.now());
    let t = a.update(tx).await?;
    record_event(tx, clock, actor, t.id, "QUERIED", Some(reason)).await?;
    timesheet_mail::decided(tx, clock, &t, Decision::Queried).await?;
    Ok(t)
}

/// The most timesheets decided in one go.
pub const MAX_AT_ONCE: usize = 100;

fn several(ids: &[Uuid]) -> Result<Vec<Uuid>> {
    let mut out: Vec<Uuid> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    if out.is_empty() {
        return Err(validation("choose at least one timesheet"));
    }
    if out.len() > MAX_AT_ONCE {
        return Err(validation(format!(
            "choose at most {MAX_AT_ONCE} timesheets at once"
        )));
    }
    Ok(out)
}

/// Approves several submitted timesheets at once, all or none (call it in one transaction): if
/// any cannot be approved, the error says which and nothing changes.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Validation (none, or too many); as [`approve`], for the first that cannot be.
pub async fn approve_many(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<timesheet::Model>> {
    db::write(db, |tx| {
        Box::pin(async move { approve_many_in(&tx, clock, actor, ids).await })
    })
    .await
}

/// The work of [`approve_many`], in the caller's transaction.
async fn approve_many_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<timesheet::Model>> {
    let mut out = Vec::new();
    for id in several(ids)? {
        out.push(approve_in(tx, clock, actor, id).await?);
    }
    Ok(out)
}

/// Queries several submitted timesheets at once with one reason, all or none (call it in one
/// transaction).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Validation (none, too many, reason); as [`query`], for the first that cannot be.
pub async fn query_many(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    ids: &[Uuid],
    reason: &str,
) -> Result<Vec<timesheet::Model>> {
    db::write(db, |tx| {
        Box::pin(async move { query_many_in(&tx, clock, actor, ids, reason).await })
    })
    .await
}

/// The work of [`query_many`], in the caller's transaction.
async fn query_many_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    ids: &[Uuid],
    reason: &str,
) -> Result<Vec<timesheet::Model>> {
    let ids = several(ids)?;
    staffbank_core::text::limits::REASON_TEXT.required(reason)?;
    let mut out = Vec::new();
    for id in ids {
        out.push(query_in(tx, clock, actor, id, reason).await?);
    }
    Ok(out)
}

/// The trust's bank office approves an approved timesheet for payment: its pay lines are made and
/// it is put in the pay period the trust's cut-off gives.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; conflict (not approved); validation (the rate card has no rate for the
/// grade paid).
pub async fn approve_payment(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
) -> Result<timesheet::Model> {
    db::write(db, |tx| {
        Box::pin(async move { approve_payment_in(&tx, clock, actor, id).await })
    })
    .await
}

/// The work of [`approve_payment`], in the caller's transaction.
///
/// # Errors
/// As [`approve_payment`].
pub async fn approve_payment_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
) -> Result<timesheet::Model> {
    let t = get(tx, id).await?;
    staffbank_bank::access::authorize_at_trust(tx, actor, t.trust_id, &[Role::BankOffice]).await?;
    if t.state != TimesheetState::Approved {
        return Err(conflict(format!(
            "only an approved timesheet can be approved for payment; this one is {}",
            t.state
        )));
    }
    let s = shifts::get(tx, t.shift_id).await?;
    let w = workers::get(tx, t.worker_id).await?;
    let ward = estate::ward(tx, t.ward_id).await?;
    let work_date = london_date(s.starts_at);
    let card = rate_cards::in_force(tx, t.trust_id, work_date).await?;
    let hols = holidays::of_trust_between(
        tx,
        t.trust_id,
        london_date(t.started_at),
        london_date(t.ended_at),
    )
    .await?;
    let request = QuoteRequest {
        trust_id: t.trust_id,
        starts_at: t.started_at,
        ends_at: t.ended_at,
        break_minutes: t.break_minutes,
        grade: quote::grade_paid(&s, &w.grade),
    };
    let priced = quote::price(&card, &hols, &request).ok_or_else(|| {
        validation(format!(
            "the trust's rate card has no rate for {}; set one before approving payment",
            request.grade
        ))
    })?;
    let now = clock.now();
    let period = periods::period_for(now, periods::cutoff_day(tx, t.trust_id).await?);
    lines::insert(
        tx,
        now,
        &LineContext {
            trust_id: t.trust_id,
            payroll_trust_id: w.home_trust_id,
            worker_id: w.id,
            booking_id: t.booking_id,
            timesheet_id: Some(t.id),
            cancellation_id: None,
            ward_id: ward.id,
            cost_centre: ward.cost_centre.clone(),
            work_date,
            grade: priced.grade.clone(),
            pay_period: period.clone(),
        },
        &priced.lines,
    )
    .await?;
    let mut a: timesheet::ActiveModel = t.into();
    a.state = Set(TimesheetState::PaymentApproved);
    a.payment_approved_at = Set(Some(now));
    a.payment_approved_by = Set(actor.account_id());
    a.pay_period = Set(Some(period.clone()));
    a.updated_at = Set(now);
    let t = a.update(tx).await?;
    record_event(tx, clock, actor, t.id, "PAYMENT_APPROVED", Some(&period)).await?;
    Ok(t)
}

/// Which timesheets to list.
#[derive(Debug, Clone, Default)]
pub struct TimesheetFilter {
    /// At this trust (its staff), or the caller's own when a worker and no trust is given.
    pub trust_id: Option<Uuid>,
    /// On this ward.
    pub ward_id: Option<Uuid>,
    /// In this state.
    pub state: Option<TimesheetState>,
    /// Escalated past the deadline (true) or not (false).
    pub escalated: Option<bool>,
}

/// Timesheets, oldest first: a worker's own, or a trust's for its bank office, ward managers and
/// admins (a ward manager of one ward sees that ward's).
///
/// # Errors
/// Forbidden; invalid cursor.
pub async fn list(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    filter: &TimesheetFilter,
    page: &PageRequest,
) -> Result<Page<timesheet::Model>> {
    let mut q = timesheet::Entity::find();
    match filter.trust_id {
        Some(trust_id) => {
            let t = organisation::trust(conn, trust_id).await?;
            let office = actor.has_any_trust_role(&[Role::BankOffice, Role::TrustAdmin], t.id)
                || actor.is_system_admin(t.system_id);
            if !office {
                let wards: Vec<Option<Uuid>> = actor
                    .grants()
                    .iter()
                    .filter(|g| g.role == Role::WardManager && g.trust_id == Some(t.id))
                    .map(|g| g.ward_id)
                    .collect();
                if wards.is_empty() {
                    return Err(forbidden(
                        "a trust's timesheets are for its bank office, ward managers and admins",
                    ));
                }
                if !wards.contains(&None) {
                    q = q.filter(timesheet::Column::WardId.is_in(wards.into_iter().flatten()));
                }
            }
            q = q.filter(timesheet::Column::TrustId.eq(t.id));
        }
        None => {
            let worker_id = actor
                .worker_id()
                .ok_or_else(|| validation("give a trustId, or sign in as a worker"))?;
            q = q.filter(timesheet::Column::WorkerId.eq(worker_id));
        }
    }
    if let Some(w) = filter.ward_id {
        q = q.filter(timesheet::Column::WardId.eq(w));
    }
    if let Some(s) = filter.state {
        q = q.filter(timesheet::Column::State.eq(s));
    }
    match filter.escalated {
        Some(true) => q = q.filter(timesheet::Column::EscalatedAt.is_not_null()),
        Some(false) => q = q.filter(timesheet::Column::EscalatedAt.is_null()),
        None => {}
    }
    if let Some(after) = page.after_key()? {
        let after: Uuid = after
            .parse()
            .map_err(|_| validation("invalid pagination cursor"))?;
        q = q.filter(timesheet::Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(timesheet::Column::Id)
        .limit(page.first + 1)
        .all(conn)
        .await?;
    Ok(Page::from_rows(rows, page.first, |t| t.id.to_string()))
}

/// A timesheet for someone allowed to see it: the worker, or the trust's staff.
///
/// # Errors
/// Not found (also when not allowed).
pub async fn timesheet(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<timesheet::Model> {
    let t = get(conn, id).await?;
    if may_see(actor, &t) {
        Ok(t)
    } else {
        Err(not_found("timesheet"))
    }
}

/// Whether `actor` may see timesheet `t`: its worker, a ward manager of its ward, or its trust's
/// bank office and admins.
#[must_use]
pub fn may_see(actor: &Actor, t: &timesheet::Model) -> bool {
    actor.worker_id() == Some(t.worker_id)
        || manages(actor, t)
        || actor.has_any_trust_role(&[Role::BankOffice, Role::TrustAdmin], t.trust_id)
}

/// The timesheets of these bookings (for batched loading; callers check with [`may_see`]).
///
/// # Errors
/// Database errors.
pub async fn of_bookings(
    conn: &impl ConnectionTrait,
    booking_ids: &[Uuid],
) -> Result<Vec<timesheet::Model>> {
    Ok(timesheet::Entity::find()
        .filter(timesheet::Column::BookingId.is_in(booking_ids.iter().copied()))
        .all(conn)
        .await?)
}

/// A timesheet's history (callers check access), oldest first.
///
/// # Errors
/// Database errors.
pub async fn history(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<timesheet_event::Model>> {
    Ok(timesheet_event::Entity::find()
        .filter(timesheet_event::Column::TimesheetId.is_in(ids.iter().copied()))
        .order_by_asc(timesheet_event::Column::Id)
        .all(conn)
        .await?)
}
