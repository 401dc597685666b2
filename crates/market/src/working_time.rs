//! The Working Time Regulations as the marketplace applies them, all in one place: no overlapping
//! shifts; 11 hours' rest between shifts; at most 48 hours a week averaged over 17 weeks, across
//! every booking at every trust, unless the worker has opted out in writing; and a 20-minute break
//! in a shift longer than 6 hours.
//!
//! Working time is a shift's length less its unpaid break. Weeks are London weeks (Monday to
//! Sunday) and a shift counts in the week it starts. The 17-week average is checked over every
//! 17-week reference period that contains the new shift (a rolling reference period), so a booking
//! far in the future cannot hide an excess in the weeks around it.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use staffbank_core::time::{london_date, start_of_london_day};
use uuid::Uuid;

/// Consecutive rest needed between two shifts.
pub const MIN_REST: Duration = Duration::hours(11);
/// The weekly limit, in minutes, that the 17-week average may not exceed.
pub const WEEKLY_LIMIT_MINUTES: i64 = 48 * 60;
/// Weeks in a reference period.
pub const REFERENCE_WEEKS: i64 = 17;
/// A shift longer than this needs a rest break.
pub const BREAK_NEEDED_AFTER: Duration = Duration::hours(6);
/// The shortest rest break in a shift longer than six hours.
pub const MIN_BREAK_MINUTES: i32 = 20;

/// A stretch of work: a booking held, or the shift being considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    /// The booking, for work already booked.
    pub booking_id: Option<Uuid>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Working time in minutes (length less unpaid break).
    pub worked_minutes: i32,
}

/// A rule the new shift would break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    /// It overlaps work already booked.
    Overlap {
        /// The booking it overlaps.
        booking_id: Option<Uuid>,
    },
    /// Less than 11 hours' rest after the previous shift.
    RestBefore {
        /// The rest there would be, in minutes.
        rest_minutes: i64,
    },
    /// Less than 11 hours' rest before the next shift.
    RestAfter {
        /// The rest there would be, in minutes.
        rest_minutes: i64,
    },
    /// The weekly average over a 17-week reference period would exceed 48 hours.
    WeeklyAverage {
        /// The average there would be, in minutes a week.
        average_minutes: i64,
        /// The first week (Monday) of that reference period.
        period_starts: NaiveDate,
    },
}

/// The Monday of the London week containing `at`.
#[must_use]
pub fn week_of(at: DateTime<Utc>) -> NaiveDate {
    let d = london_date(at);
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The instants between which booked work can matter to a shift starting at `starts_at`: every
/// week of every 17-week reference period containing it, and the rest margin around it.
#[must_use]
pub fn relevant_window(starts_at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let week = week_of(starts_at);
    let first = week - Duration::weeks(REFERENCE_WEEKS - 1);
    let last = week + Duration::weeks(REFERENCE_WEEKS);
    (
        start_of_london_day(first) - MIN_REST - Duration::days(1),
        start_of_london_day(last) + MIN_REST,
    )
}

/// Working time booked in the London week starting on `monday`.
#[must_use]
pub fn minutes_in_week(booked: &[Work], monday: NaiveDate) -> i64 {
    booked
        .iter()
        .filter(|w| week_of(w.starts_at) == monday)
        .map(|w| i64::from(w.worked_minutes))
        .sum()
}

/// Every rule `new` would break given the work already `booked`. The weekly average is not
/// checked for a worker who has opted out.
#[must_use]
pub fn breaches(booked: &[Work], new: &Work, opted_out: bool) -> Vec<Breach> {
    let mut out = Vec::new();
    let mut rest_before: Option<i64> = None;
    let mut rest_after: Option<i64> = None;
    for w in booked {
        if w.starts_at < new.ends_at && new.starts_at < w.ends_at {
            out.push(Breach::Overlap {
                booking_id: w.booking_id,
            });
        } else if w.ends_at <= new.starts_at {
            let rest = new.starts_at - w.ends_at;
            if rest < MIN_REST {
                let m = rest.num_minutes();
                rest_before = Some(rest_before.map_or(m, |r| r.min(m)));
            }
        } else {
            let rest = w.starts_at - new.ends_at;
            if rest < MIN_REST {
                let m = rest.num_minutes();
                rest_after = Some(rest_after.map_or(m, |r| r.min(m)));
            }
        }
    }
    if let Some(rest_minutes) = rest_before {
        out.push(Breach::RestBefore { rest_minutes });
    }
    if let Some(rest_minutes) = rest_after {
        out.push(Breach::RestAfter { rest_minutes });
    }
    if !opted_out && let Some(b) = weekly_average_breach(booked, new) {
        out.push(b);
    }
    out
}

fn weekly_average_breach(booked: &[Work], new: &Work) -> Option<Breach> {
    let week = week_of(new.starts_at);
    // Minutes per week for the 33 weeks any reference period containing `week` can cover.
    let span = usize::try_from(2 * REFERENCE_WEEKS - 1).unwrap_or(33);
    let first = week - Duration::weeks(REFERENCE_WEEKS - 1);
    let mut per_week = vec![0_i64; span];
    for w in booked.iter().chain(std::iter::once(new)) {
        let offset = (week_of(w.starts_at) - first).num_weeks();
        if let Ok(i) = usize::try_from(offset)
            && let Some(slot) = per_week.get_mut(i)
        {
            *slot += i64::from(w.worked_minutes);
        }
    }
    let weeks = usize::try_from(REFERENCE_WEEKS).unwrap_or(17);
    per_week
        .windows(weeks)
        .enumerate()
        .map(|(i, period)| (i, period.iter().sum::<i64>()))
        .filter(|(_, total)| *total > WEEKLY_LIMIT_MINUTES * REFERENCE_WEEKS)
        .max_by_key(|(_, total)| *total)
        .map(|(i, total)| Breach::WeeklyAverage {
            average_minutes: total / REFERENCE_WEEKS,
            period_starts: first + Duration::weeks(i64::try_from(i).unwrap_or(0)),
        })
}

/// Whether an unpaid break is long enough for a shift of `length`.
#[must_use]
pub fn break_is_enough(length: Duration, break_minutes: i32) -> bool {
    length <= BREAK_NEEDED_AFTER || break_minutes >= MIN_BREAK_MINUTES
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn work(start: DateTime<Utc>, hours: i64) -> Work {
        Work {
            booking_id: Some(Uuid::now_v7()),
            starts_at: start,
            ends_at: start + Duration::hours(hours),
            worked_minutes: i32::try_from(hours * 60).unwrap_or(0),
        }
    }

    #[test]
    fn overlap_and_back_to_back() {
        let day = work(at(2026, 1, 12, 8), 12);
        let night = work(at(2026, 1, 12, 20), 12);
        let clash = work(at(2026, 1, 12, 19), 4);
        let b = breaches(&[day], &clash, false);
        assert!(matches!(b[0], Breach::Overlap { .. }), "{b:?}");
        // Back to back is not an overlap, but leaves no rest.
        let b = breaches(&[day], &night, false);
        assert_eq!(b, vec![Breach::RestBefore { rest_minutes: 0 }]);
    }

    #[test]
    fn eleven_hours_rest_before_and_after() {
        let late = work(at(2026, 1, 12, 14), 8); // ends 22:00
        let early = work(at(2026, 1, 13, 7), 8); // 9 hours later
        assert_eq!(
            breaches(&[late], &early, false),
            vec![Breach::RestBefore { rest_minutes: 540 }]
        );
        assert_eq!(
            breaches(&[early], &late, false),
            vec![Breach::RestAfter { rest_minutes: 540 }]
        );
        let fine = work(at(2026, 1, 13, 9), 8); // exactly 11 hours later
        assert!(breaches(&[late], &fine, false).is_empty());
    }

    #[test]
    fn weekly_average_over_seventeen_weeks_unless_opted_out() {
        // 17 weeks of 4 x 12-hour shifts (48 hours a week), Mondays to Thursdays.
        let mut booked = Vec::new();
        let first_monday = at(2026, 1, 5, 8);
        for week in 0..17 {
            for day in 0..4 {
                booked.push(work(
                    first_monday + Duration::weeks(week) + Duration::days(day),
                    12,
                ));
            }
        }
        // One more shift in week 9, on the Saturday: the average goes over 48.
        let extra = work(first_monday + Duration::weeks(8) + Duration::days(5), 12);
        let b = breaches(&booked, &extra, false);
        assert!(
            matches!(b.as_slice(), [Breach::WeeklyAverage { average_minutes, .. }] if *average_minutes > 48 * 60),
            "{b:?}"
        );
        assert!(breaches(&booked, &extra, true).is_empty(), "opted out");
        // A heavy week is fine when the weeks around it are light.
        let light: Vec<Work> = booked.iter().take(8).copied().collect();
        assert!(breaches(&light, &extra, false).is_empty());
    }

    #[test]
    fn the_rolling_period_sees_future_bookings() {
        // Heavy work booked in the 16 weeks after the new shift counts too.
        let start = at(2026, 3, 2, 8);
        let mut booked = Vec::new();
        for week in 1..17 {
            for day in 0..4 {
                booked.push(work(
                    start + Duration::weeks(week) + Duration::days(day),
                    13,
                ));
            }
        }
        let b = breaches(&booked, &work(start, 13), false);
        assert!(
            matches!(b.as_slice(), [Breach::WeeklyAverage { .. }]),
            "{b:?}"
        );
    }

    #[test]
    fn breaks() {
        assert!(break_is_enough(Duration::hours(6), 0));
        assert!(!break_is_enough(Duration::hours(7), 15));
        assert!(break_is_enough(Duration::hours(12), 30));
    }

    #[test]
    fn weeks_are_london_weeks() {
        // Sunday 23:30 GMT in winter is still Sunday in London.
        let sunday_night = Utc
            .with_ymd_and_hms(2026, 1, 11, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            week_of(sunday_night),
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default()
        );
        // Sunday 23:30 UTC in summer is Monday 00:30 in London.
        let summer = Utc
            .with_ymd_and_hms(2026, 7, 12, 23, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            week_of(summer),
            NaiveDate::from_ymd_opt(2026, 7, 13).unwrap_or_default()
        );
    }
}
