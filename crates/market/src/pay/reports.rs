//! Reports for a trust (optionally one ward or staff group) over a range of dates: shifts posted
//! and filled, fill rate, median time to fill, hours and spend, cancellations by side and at short
//! notice, and cross-trust fills — shifts filled by workers from another trust of the bank, the
//! value of the collaboration. Computed from the shifts, bookings, cancellations and pay lines
//! themselves, never from stored counters.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::workers;
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Role, StaffGroup};
use uuid::Uuid;

use crate::booking::BookingState;
use crate::cancellation::CancelledBy;
use crate::entity::{booking, cancellation, pay_line, shift, shift_tier};
use crate::error::{Result, validation};
use crate::pay::fees::LATE_CANCELLATION_FEE;
use crate::pay::report_breakdowns::{self, Breakdowns, Rows};

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportFilter {
    /// The trust.
    pub trust_id: Uuid,
    /// Only this ward.
    pub ward_id: Option<Uuid>,
    /// Only this staff group.
    pub staff_group: Option<StaffGroup>,
    /// First day (London), by shift start.
    pub from: NaiveDate,
    /// Last day (London), inclusive.
    pub to: NaiveDate,
}

/// The figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Shifts posted (not withdrawn) starting in the range.
    pub shifts_posted: i64,
    /// Shifts withdrawn.
    pub shifts_withdrawn: i64,
    /// Positions on the posted shifts.
    pub positions: i64,
    /// Positions held by a booking.
    pub positions_filled: i64,
    /// Filled / positions, to 4 decimal places (none when nothing was posted).
    pub fill_rate: Option<Decimal>,
    /// Median minutes from posting to booking, over filled positions.
    pub median_minutes_to_fill: Option<i64>,
    /// Hours paid (worked time on approved timesheets).
    pub hours_paid: Decimal,
    /// Spend in pence (worked time, holiday pay and late-cancellation fees).
    pub spend_pence: i64,
    /// Cancellations by workers.
    pub cancelled_by_workers: i64,
    /// Of which at short notice.
    pub short_notice_by_workers: i64,
    /// Cancellations by the trust.
    pub cancelled_by_trust: i64,
    /// Of which late (a fee was owed).
    pub late_by_trust: i64,
    /// Positions filled by workers whose home trust is another trust of the bank.
    pub cross_trust_fills: i64,
    /// Bookings whose worker did not come.
    pub no_shows: i64,
    /// The same figures week by week, by ward and by staff group, and fills by release tier.
    pub breakdowns: Breakdowns,
}

/// The report (the trust's bank office, admins and ward managers; the bank's system admins).
///
/// # Errors
/// Forbidden; validation (range).
pub async fn report(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    f: &ReportFilter,
) -> Result<Report> {
    authorize_at_trust(
        conn,
        actor,
        f.trust_id,
        &[Role::BankOffice, Role::TrustAdmin, Role::WardManager],
    )
    .await?;
    staffbank_core::time::storable_day(f.from, "from")?;
    staffbank_core::time::storable_day(f.to, "to")?;
    if f.to < f.from || (f.to - f.from).num_days() > 366 {
        return Err(validation("a report covers 1 to 366 days, from before to"));
    }
    let mut q = shift::Entity::find()
        .filter(shift::Column::TrustId.eq(f.trust_id))
        .filter(crate::shifts::bounds_condition(
            shift::Column::StartsAt,
            Some(f.from),
            Some(f.to),
        ));
    if let Some(w) = f.ward_id {
        q = q.filter(shift::Column::WardId.eq(w));
    }
    if let Some(g) = f.staff_group {
        q = q.filter(shift::Column::StaffGroup.eq(g));
    }
    let shifts = q.all(conn).await?;
    let (withdrawn, posted): (Vec<&shift::Model>, Vec<&shift::Model>) =
        shifts.iter().partition(|s| s.cancelled_at.is_some());
    let ids: Vec<Uuid> = shifts.iter().map(|s| s.id).collect();
    let mut r = Report {
        shifts_posted: posted.len() as i64,
        shifts_withdrawn: withdrawn.len() as i64,
        positions: posted.iter().map(|s| i64::from(s.positions)).sum(),
        ..Report::default()
    };
    if ids.is_empty() {
        r.breakdowns = report_breakdowns::breakdowns(
            &Rows {
                shifts: &[],
                bookings: &[],
                tiers: &[],
                lines: &[],
                cancellations: &[],
            },
            f.from,
            f.to,
            london_date,
        );
        return Ok(r);
    }
    let bookings = booking::Entity::find()
        .filter(booking::Column::ShiftId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let by_id: HashMap<Uuid, &shift::Model> = shifts.iter().map(|s| (s.id, s)).collect();
    let held: Vec<&booking::Model> = bookings
        .iter()
        .filter(|b| b.state == BookingState::Booked)
        .filter(|b| {
            by_id
                .get(&b.shift_id)
                .is_some_and(|s| s.cancelled_at.is_none())
        })
        .collect();
    r.positions_filled = held.len() as i64;
    r.fill_rate = (r.positions > 0)
        .then(|| (Decimal::from(r.positions_filled) / Decimal::from(r.positions)).round_dp(4));
    let waits: Vec<i64> = held
        .iter()
        .filter_map(|b| {
            by_id
                .get(&b.shift_id)
                .map(|s| (b.created_at - s.posted_at).num_minutes())
        })
        .collect();
    r.median_minutes_to_fill = report_breakdowns::median(waits);
    r.no_shows = bookings
        .iter()
        .filter(|b| b.state == BookingState::NoShow)
        .count() as i64;
    let mut worker_ids: Vec<Uuid> = held.iter().map(|b| b.worker_id).collect();
    worker_ids.sort_unstable();
    worker_ids.dedup();
    let homes: HashMap<Uuid, Uuid> = workers::by_ids(conn, &worker_ids)
        .await?
        .into_iter()
        .map(|w| (w.id, w.home_trust_id))
        .collect();
    r.cross_trust_fills = held
        .iter()
        .filter(|b| {
            homes
                .get(&b.worker_id)
                .is_some_and(|home| *home != f.trust_id)
        })
        .count() as i64;
    let booking_ids: Vec<Uuid> = bookings.iter().map(|b| b.id).collect();
    let lines = pay_line::Entity::find()
        .filter(pay_line::Column::BookingId.is_in(booking_ids))
        .all(conn)
        .await?;
    r.spend_pence = lines.iter().map(|l| l.amount_pence).sum();
    let worked_seconds: i64 = lines
        .iter()
        .filter(|l| {
            l.timesheet_id.is_some() && l.code != "HOLIDAY_PAY" && l.code != LATE_CANCELLATION_FEE
        })
        .map(|l| l.seconds)
        .sum();
    r.hours_paid = Decimal::from(worked_seconds) / Decimal::from(3600);
    let cancellations = cancellation::Entity::find()
        .filter(cancellation::Column::ShiftId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let tiers = shift_tier::Entity::find()
        .filter(shift_tier::Column::ShiftId.is_in(ids))
        .all(conn)
        .await?;
    r.breakdowns = report_breakdowns::breakdowns(
        &Rows {
            shifts: &shifts,
            bookings: &bookings,
            tiers: &tiers,
            lines: &lines,
            cancellations: &cancellations,
        },
        f.from,
        f.to,
        london_date,
    );
    for c in &cancellations {
        if c.cancelled_by == CancelledBy::Worker {
            r.cancelled_by_workers += 1;
            r.short_notice_by_workers += i64::from(c.short_notice);
        } else {
            r.cancelled_by_trust += 1;
            r.late_by_trust += i64::from(c.short_notice);
        }
    }
    Ok(r)
}
