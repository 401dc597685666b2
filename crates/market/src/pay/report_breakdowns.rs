//! A report's figures broken down for charts: week by week (fill rate and time to fill), by ward
//! and by staff group (positions, fills, spend, cancellations, no-shows), and fills by the release
//! tier that was open when the booking was made (the trust's own bank, the collaborative bank, or
//! after escalation to agency). Worked out from the rows [`super::reports::report`] has already
//! read (shifts, bookings, tiers, pay lines, cancellations), so the breakdown costs no query of
//! its own, and every breakdown adds up to the report's totals.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use staffbank_core::StaffGroup;
use uuid::Uuid;

use crate::booking::BookingState;
use crate::cancellation::CancelledBy;
use crate::entity::{booking, cancellation, pay_line, shift, shift_tier};
use crate::release_cascade::Audience;

/// The figures of one group of shifts (a week, a ward, a staff group).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// Positions on the posted (not withdrawn) shifts.
    pub positions: i64,
    /// Positions held by a booking.
    pub positions_filled: i64,
    /// Median minutes from posting to booking over the filled positions.
    pub median_minutes_to_fill: Option<i64>,
    /// Spend in pence (worked time, holiday pay and late-cancellation fees).
    pub spend_pence: i64,
    /// Bookings cancelled by workers.
    pub cancelled_by_workers: i64,
    /// Bookings cancelled by the trust.
    pub cancelled_by_trust: i64,
    /// Bookings whose worker did not come.
    pub no_shows: i64,
}

impl Figures {
    /// Filled / positions, to 4 decimal places (none when nothing was posted).
    #[must_use]
    pub fn fill_rate(&self) -> Option<Decimal> {
        (self.positions > 0).then(|| {
            (Decimal::from(self.positions_filled) / Decimal::from(self.positions)).round_dp(4)
        })
    }
}

/// A week's figures: shifts starting Monday to Sunday (London dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    /// Its Monday (the first week may start before the report's first day).
    pub starts_on: NaiveDate,
    /// Its figures.
    pub figures: Figures,
}

/// Fills by the release tier open when the booking was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierFills {
    /// The tier's audience.
    pub audience: Audience,
    /// Positions filled while it was the widest tier open.
    pub fills: i64,
}

/// The breakdowns of a report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdowns {
    /// Week by week, every week of the range, oldest first (weeks with nothing posted included).
    pub weeks: Vec<Week>,
    /// By ward (wards with shifts in the range), by ward id.
    pub wards: Vec<(Uuid, Figures)>,
    /// By staff group (as stored), in name order.
    pub staff_groups: Vec<(StaffGroup, Figures)>,
    /// Fills by tier, every tier narrowest first (zeros included).
    pub fills_by_tier: Vec<TierFills>,
}

/// The rows a report read.
pub struct Rows<'a> {
    /// Shifts starting in the range (withdrawn ones too).
    pub shifts: &'a [shift::Model],
    /// Their bookings, in every state.
    pub bookings: &'a [booking::Model],
    /// Their release tiers.
    pub tiers: &'a [shift_tier::Model],
    /// The pay lines of their bookings.
    pub lines: &'a [pay_line::Model],
    /// Their cancellations.
    pub cancellations: &'a [cancellation::Model],
}

/// The Monday of a date's week.
#[must_use]
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d.checked_sub_signed(Duration::days(i64::from(
        d.weekday().num_days_from_monday(),
    )))
    .unwrap_or(d)
}

/// The median of some minutes (the mean of the middle two for an even count).
#[must_use]
pub fn median(mut minutes: Vec<i64>) -> Option<i64> {
    minutes.sort_unstable();
    match minutes.len() {
        0 => None,
        n if n % 2 == 1 => Some(minutes[n / 2]),
        n => Some((minutes[n / 2 - 1] + minutes[n / 2]) / 2),
    }
}

/// The widest tier open when a booking was made: the last to open at or before then (a booking
/// made before any tier opened, by the bank office for a named worker, counts in the first).
fn tier_at(tiers: &[&shift_tier::Model], at: chrono::DateTime<chrono::Utc>) -> Audience {
    let first = tiers.iter().min_by_key(|t| t.position);
    tiers
        .iter()
        .filter(|t| t.opens_at <= at)
        .max_by_key(|t| (t.opens_at, t.position))
        .or(first)
        .map_or(Audience::OwnTrust, |t| t.audience)
}

/// Groups of shifts and the figures being added up for each.
#[derive(Default)]
struct Tally {
    figures: Figures,
    waits: Vec<i64>,
}

impl Tally {
    fn finish(self) -> Figures {
        Figures {
            median_minutes_to_fill: median(self.waits),
            ..self.figures
        }
    }
}

/// Breaks a report's rows down; `london_date` gives a shift's London start date.
#[must_use]
pub fn breakdowns(
    rows: &Rows<'_>,
    from: NaiveDate,
    to: NaiveDate,
    london_date: impl Fn(chrono::DateTime<chrono::Utc>) -> NaiveDate,
) -> Breakdowns {
    let mut weeks: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut monday = monday_of(from);
    while monday <= to {
        weeks.insert(monday, Tally::default());
        monday += Duration::days(7);
    }
    let mut wards: BTreeMap<Uuid, Tally> = BTreeMap::new();
    let mut groups: BTreeMap<StaffGroup, Tally> = BTreeMap::new();
    let by_id: HashMap<Uuid, &shift::Model> = rows.shifts.iter().map(|s| (s.id, s)).collect();
    let mut tiers_of: HashMap<Uuid, Vec<&shift_tier::Model>> = HashMap::new();
    for t in rows.tiers {
        tiers_of.entry(t.shift_id).or_default().push(t);
    }
    // Every tally a shift counts in.
    let mut each = |s: &shift::Model, f: &mut dyn FnMut(&mut Tally)| {
        f(weeks
            .entry(monday_of(london_date(s.starts_at)))
            .or_default());
        f(wards.entry(s.ward_id).or_default());
        f(groups.entry(s.staff_group).or_default());
    };
    for s in rows.shifts.iter().filter(|s| s.cancelled_at.is_none()) {
        each(s, &mut |t| t.figures.positions += i64::from(s.positions));
    }
    let mut by_tier: HashMap<Audience, i64> = HashMap::new();
    for b in rows.bookings {
        let Some(s) = by_id.get(&b.shift_id).copied() else {
            continue;
        };
        let state = b.state;
        if state == BookingState::Booked && s.cancelled_at.is_none() {
            let wait = (b.created_at - s.posted_at).num_minutes();
            each(s, &mut |t| {
                t.figures.positions_filled += 1;
                t.waits.push(wait);
            });
            let tiers = tiers_of.get(&s.id).map(Vec::as_slice).unwrap_or_default();
            *by_tier.entry(tier_at(tiers, b.created_at)).or_default() += 1;
        } else if state == BookingState::NoShow {
            each(s, &mut |t| t.figures.no_shows += 1);
        }
    }
    let shift_of_booking: HashMap<Uuid, &shift::Model> = rows
        .bookings
        .iter()
        .filter_map(|b| by_id.get(&b.shift_id).map(|s| (b.id, *s)))
        .collect();
    for l in rows.lines {
        if let Some(s) = shift_of_booking.get(&l.booking_id).copied() {
            each(s, &mut |t| t.figures.spend_pence += l.amount_pence);
        }
    }
    for c in rows.cancellations {
        if let Some(s) = by_id.get(&c.shift_id).copied() {
            let by_worker = c.cancelled_by == CancelledBy::Worker;
            each(s, &mut |t| {
                if by_worker {
                    t.figures.cancelled_by_workers += 1;
                } else {
                    t.figures.cancelled_by_trust += 1;
                }
            });
        }
    }
    Breakdowns {
        weeks: weeks
            .into_iter()
            .map(|(starts_on, t)| Week {
                starts_on,
                figures: t.finish(),
            })
            .collect(),
        wards: wards.into_iter().map(|(w, t)| (w, t.finish())).collect(),
        staff_groups: groups.into_iter().map(|(g, t)| (g, t.finish())).collect(),
        fills_by_tier: Audience::ALL
            .into_iter()
            .map(|audience| TierFills {
                audience,
                fills: by_tier.get(&audience).copied().unwrap_or_default(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_default();
        assert_eq!(monday_of(d("2026-03-08")), d("2026-03-02"));
        assert_eq!(monday_of(d("2026-03-02")), d("2026-03-02"));
        assert_eq!(monday_of(d("2026-03-03")), d("2026-03-02"));
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![90, 30]), Some(60));
        assert_eq!(median(vec![5, 1, 3]), Some(3));
    }
}
