//! The pay engine: pay for a worked shift, as pure functions.
//!
//! Pay for a worked shift: the shift is split into Europe/London local-time segments at midnight,
//! 06:00 and 20:00; each segment is plain time, Saturday-or-weekday-night, or
//! Sunday-or-public-holiday (the higher enhancement applies where two overlap), and paid at the
//! hourly rate plus that enhancement. Durations are real elapsed time, so the nights on which the
//! clocks change are 11 or 13 hours long. Amounts are exact `Decimal`s, rounded to pence once per
//! payslip line.
//!
//! **Break rule**: the unpaid break is taken at the middle of the shift (centred on its midpoint),
//! so it comes out of whatever time band the middle of the shift falls in.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use rust_decimal::{Decimal, RoundingStrategy};
use staffbank_core::time::LONDON as London;

/// Which time band a stretch of work falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeBand {
    /// Weekdays 06:00–20:00.
    Plain,
    /// Saturdays, and weekday nights 20:00–06:00.
    SaturdayOrNight,
    /// Sundays and public holidays.
    SundayOrPublicHoliday,
}

impl TimeBand {
    /// The code on a payslip line.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Plain => "PLAIN",
            Self::SaturdayOrNight => "SATURDAY_OR_NIGHT",
            Self::SundayOrPublicHoliday => "SUNDAY_OR_PUBLIC_HOLIDAY",
        }
    }
}

/// Unsocial-hours enhancements as fractions (0.30 = +30%).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enhancements {
    /// Saturdays and weekday nights.
    pub saturday_or_night: Decimal,
    /// Sundays and public holidays.
    pub sunday_or_public_holiday: Decimal,
}

impl Enhancements {
    /// None (e.g. medical grades, paid a flat rate).
    pub const NONE: Self = Self {
        saturday_or_night: Decimal::ZERO,
        sunday_or_public_holiday: Decimal::ZERO,
    };

    fn for_band(&self, band: TimeBand) -> Decimal {
        match band {
            TimeBand::Plain => Decimal::ZERO,
            TimeBand::SaturdayOrNight => self.saturday_or_night,
            TimeBand::SundayOrPublicHoliday => self.sunday_or_public_holiday,
        }
    }
}

/// What to pay.
#[derive(Debug, Clone)]
pub struct Shift<'a> {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Unpaid break, in minutes.
    pub unpaid_break_minutes: i64,
    /// Hourly rate before enhancements.
    pub hourly_rate: Decimal,
    /// Enhancements for the worker's pay band.
    pub enhancements: Enhancements,
    /// Public holidays (England and Wales) by local date.
    pub public_holidays: &'a BTreeSet<NaiveDate>,
    /// Holiday pay accrued as an uplift on pay (0.1207 = 12.07%), as its own line.
    pub holiday_uplift: Decimal,
}

/// One payslip line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `PLAIN`, `SATURDAY_OR_NIGHT`, `SUNDAY_OR_PUBLIC_HOLIDAY` or `HOLIDAY_PAY`.
    pub code: &'static str,
    /// Paid time in seconds (zero for the holiday pay line).
    pub seconds: i64,
    /// Hourly rate paid, enhancement included.
    pub rate: Decimal,
    /// The enhancement (fraction) included in the rate.
    pub enhancement: Decimal,
    /// Amount, rounded to pence.
    pub amount: Decimal,
}

impl Line {
    /// Paid hours, exact.
    #[must_use]
    pub fn hours(&self) -> Decimal {
        Decimal::from(self.seconds) / Decimal::from(3600)
    }
}

/// Why pay cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayError {
    /// The end is not after the start.
    EndBeforeStart,
    /// The break is negative or not shorter than the shift.
    BadBreak,
}

/// Rounds to pence, halves away from zero (payroll convention).
#[must_use]
pub fn to_pence(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The time band of the instant `at`.
#[must_use]
pub fn band_at(at: DateTime<Utc>, public_holidays: &BTreeSet<NaiveDate>) -> TimeBand {
    let local = at.with_timezone(&London);
    let date = local.date_naive();
    if public_holidays.contains(&date) || date.weekday() == Weekday::Sun {
        TimeBand::SundayOrPublicHoliday
    } else if date.weekday() == Weekday::Sat || local.hour() >= 20 || local.hour() < 6 {
        TimeBand::SaturdayOrNight
    } else {
        TimeBand::Plain
    }
}

/// The next instant after `at` where the time band may change: local midnight, 06:00 or 20:00.
fn next_boundary(at: DateTime<Utc>) -> DateTime<Utc> {
    let local = at.with_timezone(&London).naive_local();
    let date = local.date();
    let candidates = [
        date.and_time(NaiveTime::from_hms_opt(6, 0, 0).unwrap_or_default()),
        date.and_time(NaiveTime::from_hms_opt(20, 0, 0).unwrap_or_default()),
        (date + Duration::days(1)).and_time(NaiveTime::MIN),
    ];
    candidates
        .into_iter()
        .filter(|c| *c > local)
        .filter_map(|c| c.and_local_timezone(London).earliest())
        .map(|t| t.with_timezone(&Utc))
        .find(|t| *t > at)
        .unwrap_or(at + Duration::hours(1))
}

/// Seconds worked in each time band over `[from, to)`.
fn split(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    holidays: &BTreeSet<NaiveDate>,
    out: &mut [(TimeBand, i64); 3],
) {
    let mut t = from;
    while t < to {
        let next = next_boundary(t).min(to);
        let band = band_at(t, holidays);
        if let Some(slot) = out.iter_mut().find(|(b, _)| *b == band) {
            slot.1 += (next - t).num_seconds();
        }
        t = next;
    }
}

/// The payslip lines for a shift.
///
/// # Errors
/// [`PayError`] for an impossible shift or break.
pub fn calculate(shift: &Shift<'_>) -> Result<Vec<Line>, PayError> {
    if shift.end <= shift.start {
        return Err(PayError::EndBeforeStart);
    }
    let length = shift.end - shift.start;
    let brk = Duration::minutes(shift.unpaid_break_minutes);
    if shift.unpaid_break_minutes < 0 || brk >= length {
        return Err(PayError::BadBreak);
    }
    let mid = shift.start + length / 2;
    let break_start = mid - brk / 2;
    let break_end = break_start + brk;
    let mut seconds = [
        (TimeBand::Plain, 0),
        (TimeBand::SaturdayOrNight, 0),
        (TimeBand::SundayOrPublicHoliday, 0),
    ];
    split(
        shift.start,
        break_start,
        shift.public_holidays,
        &mut seconds,
    );
    split(break_end, shift.end, shift.public_holidays, &mut seconds);
    let mut lines = Vec::new();
    let mut gross = Decimal::ZERO;
    for (band, secs) in seconds {
        if secs == 0 {
            continue;
        }
        let enhancement = shift.enhancements.for_band(band);
        let rate = shift.hourly_rate * (Decimal::ONE + enhancement);
        let exact = rate * Decimal::from(secs) / Decimal::from(3600);
        gross += exact;
        lines.push(Line {
            code: band.code(),
            seconds: secs,
            rate,
            enhancement,
            amount: to_pence(exact),
        });
    }
    if shift.holiday_uplift > Decimal::ZERO {
        lines.push(Line {
            code: "HOLIDAY_PAY",
            seconds: 0,
            rate: Decimal::ZERO,
            enhancement: shift.holiday_uplift,
            amount: to_pence(gross * shift.holiday_uplift),
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;
    use rust_decimal_macros::dec;

    const BAND_5: Enhancements = Enhancements {
        saturday_or_night: dec!(0.30),
        sunday_or_public_holiday: dec!(0.60),
    };
    const BAND_2: Enhancements = Enhancements {
        saturday_or_night: dec!(0.41),
        sunday_or_public_holiday: dec!(0.83),
    };

    fn london(s: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
            .ok()
            .and_then(|l| l.and_local_timezone(London).earliest())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn pay(
        start: &str,
        end: &str,
        brk: i64,
        rate: Decimal,
        enh: Enhancements,
    ) -> Vec<(&'static str, Decimal, Decimal)> {
        let holidays: BTreeSet<NaiveDate> = ["2026-12-25", "2026-12-28", "2026-08-31"]
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect();
        let shift = Shift {
            start: london(start),
            end: london(end),
            unpaid_break_minutes: brk,
            hourly_rate: rate,
            enhancements: enh,
            public_holidays: &holidays,
            holiday_uplift: Decimal::ZERO,
        };
        calculate(&shift)
            .unwrap_or_default()
            .into_iter()
            .map(|l| (l.code, l.hours(), l.amount))
            .collect()
    }

    #[test]
    fn weekday_day_shift() {
        // Mon 7 Dec 2026 08:00-16:00, 30 min break: 7.5 h x £16.00 = £120.00.
        assert_eq!(
            pay(
                "2026-12-07 08:00",
                "2026-12-07 16:00",
                30,
                dec!(16.00),
                BAND_5
            ),
            vec![("PLAIN", dec!(7.5), dec!(120.00))]
        );
    }

    #[test]
    fn night_across_midnight() {
        // Tue 8 Dec 20:00 - Wed 9 Dec 08:00, 60 min break taken 01:30-02:30.
        // Night 20:00-06:00 = 10 h - 1 h = 9 h x £16.00 x 1.30 = £187.20.
        // Plain 06:00-08:00 = 2 h x £16.00 = £32.00.
        assert_eq!(
            pay(
                "2026-12-08 20:00",
                "2026-12-09 08:00",
                60,
                dec!(16.00),
                BAND_5
            ),
            vec![
                ("PLAIN", dec!(2), dec!(32.00)),
                ("SATURDAY_OR_NIGHT", dec!(9), dec!(187.20))
            ]
        );
    }

    #[test]
    fn saturday_into_sunday() {
        // Sat 12 Dec 20:00 - Sun 13 Dec 08:00, no break.
        // Saturday 4 h x £16 x 1.30 = £83.20; Sunday 8 h x £16 x 1.60 = £204.80.
        assert_eq!(
            pay(
                "2026-12-12 20:00",
                "2026-12-13 08:00",
                0,
                dec!(16.00),
                BAND_5
            ),
            vec![
                ("SATURDAY_OR_NIGHT", dec!(4), dec!(83.20)),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", dec!(8), dec!(204.80))
            ]
        );
    }

    #[test]
    fn into_a_public_holiday() {
        // Thu 24 Dec 20:00 - Fri 25 Dec (Christmas Day) 08:00.
        // Thursday night 4 h x £16 x 1.30 = £83.20; Christmas Day 8 h x £16 x 1.60 = £204.80.
        assert_eq!(
            pay(
                "2026-12-24 20:00",
                "2026-12-25 08:00",
                0,
                dec!(16.00),
                BAND_5
            ),
            vec![
                ("SATURDAY_OR_NIGHT", dec!(4), dec!(83.20)),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", dec!(8), dec!(204.80))
            ]
        );
    }

    #[test]
    fn clocks_go_forward() {
        // Sat 28 Mar 2026 20:00 - Sun 29 Mar 08:00 is 11 real hours.
        // Saturday 4 h x £16 x 1.30 = £83.20; Sunday 7 h x £16 x 1.60 = £179.20.
        assert_eq!(
            pay(
                "2026-03-28 20:00",
                "2026-03-29 08:00",
                0,
                dec!(16.00),
                BAND_5
            ),
            vec![
                ("SATURDAY_OR_NIGHT", dec!(4), dec!(83.20)),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", dec!(7), dec!(179.20))
            ]
        );
    }

    #[test]
    fn clocks_go_back() {
        // Sat 24 Oct 2026 20:00 - Sun 25 Oct 08:00 is 13 real hours.
        // Saturday 4 h x £16 x 1.30 = £83.20; Sunday 9 h x £16 x 1.60 = £230.40.
        assert_eq!(
            pay(
                "2026-10-24 20:00",
                "2026-10-25 08:00",
                0,
                dec!(16.00),
                BAND_5
            ),
            vec![
                ("SATURDAY_OR_NIGHT", dec!(4), dec!(83.20)),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", dec!(9), dec!(230.40))
            ]
        );
    }

    #[test]
    fn rounds_once_per_line() {
        // Band 2, £12.52/h. Wed 9 Dec 16:40-23:20 (6 h 40 min), 0 break.
        // Plain 16:40-20:00 = 3 h 20 min: 12.52 x 10/3 = 41.7333.. -> £41.73.
        // Night 20:00-23:20 = 3 h 20 min: 12.52 x 1.41 x 10/3 = 58.844 -> £58.84.
        assert_eq!(
            pay(
                "2026-12-09 16:40",
                "2026-12-09 23:20",
                0,
                dec!(12.52),
                BAND_2
            ),
            vec![
                ("PLAIN", dec!(10) / dec!(3), dec!(41.73)),
                ("SATURDAY_OR_NIGHT", dec!(10) / dec!(3), dec!(58.84))
            ]
        );
    }

    #[test]
    fn bad_shifts() {
        let holidays = BTreeSet::new();
        let mut s = Shift {
            start: london("2026-12-09 08:00"),
            end: london("2026-12-09 08:00"),
            unpaid_break_minutes: 0,
            hourly_rate: dec!(16),
            enhancements: BAND_5,
            public_holidays: &holidays,
            holiday_uplift: Decimal::ZERO,
        };
        assert_eq!(calculate(&s), Err(PayError::EndBeforeStart));
        s.end = london("2026-12-09 09:00");
        s.unpaid_break_minutes = 60;
        assert_eq!(calculate(&s), Err(PayError::BadBreak));
    }
}
