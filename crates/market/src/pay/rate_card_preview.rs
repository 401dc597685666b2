//! What a new rate card would pay before it is saved: four example shifts from the card's first
//! day — a weekday day, a weekday night, a Saturday day and a public holiday of the trust's bank —
//! each priced under the card in force on that day now and under the new card, at one grade.
//! The new card is checked by every rule saving it would apply, so a preview is never shown for a
//! card that could not be saved.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use sea_orm::ConnectionTrait;
use staffbank_bank::access::authorize_at_trust;
use staffbank_core::time::{from_london, london_date};
use staffbank_core::{Actor, Clock, Grade, Role};
use uuid::Uuid;

use crate::error::Result;
use crate::pay::holidays;
use crate::pay::quote::{self, Quote, QuoteRequest};
use crate::pay::rate_cards::{self, NewRateCard};

/// How far ahead of the card's first day a public holiday is looked for.
const HOLIDAY_HORIZON_DAYS: i64 = 400;

/// Which kind of shift an example is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleKind {
    /// Monday to Friday, 8am to 4pm, on a day that is not a public holiday.
    WeekdayDay,
    /// Monday to Thursday, 8pm to 8am, neither day a public holiday.
    WeekdayNight,
    /// Saturday, 8am to 4pm.
    Saturday,
    /// A public holiday of the trust's bank, 8am to 4pm.
    PublicHoliday,
}

/// One example shift and its pay now and under the new card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Which kind of shift.
    pub kind: ExampleKind,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Unpaid break.
    pub break_minutes: i32,
    /// Under the card in force on that day now (none when it has no rate for the grade).
    pub now: Option<Quote>,
    /// Under the new card (none when it has no rate for the grade).
    pub new: Option<Quote>,
}

/// The first day from `from` on which `ok` holds, within the horizon.
fn first_day(from: NaiveDate, ok: impl Fn(NaiveDate) -> bool) -> Option<NaiveDate> {
    (0..HOLIDAY_HORIZON_DAYS)
        .map(|n| from + Duration::days(n))
        .find(|d| ok(*d))
}

fn at(d: NaiveDate, hour: u32) -> Option<DateTime<Utc>> {
    from_london(d.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?)).ok()
}

/// An example to find: its kind, which day it falls on, its start hour, its hours and its break.
type Wanted<'a> = (ExampleKind, &'a dyn Fn(NaiveDate) -> bool, u32, u32, i32);

/// The example shifts from `from`, on a bank whose public holidays are `days`.
fn examples(from: NaiveDate, days: &BTreeSet<NaiveDate>) -> Vec<Example> {
    let weekday =
        |d: NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !days.contains(&d);
    let night = |d: NaiveDate| {
        matches!(
            d.weekday(),
            Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu
        ) && !days.contains(&d)
            && !days.contains(&(d + Duration::days(1)))
    };
    let saturday = |d: NaiveDate| d.weekday() == Weekday::Sat && !days.contains(&d);
    let holiday = |d: NaiveDate| days.contains(&d);
    let wanted: [Wanted<'_>; 4] = [
        (ExampleKind::WeekdayDay, &weekday, 8, 8, 30),
        (ExampleKind::WeekdayNight, &night, 20, 12, 60),
        (ExampleKind::Saturday, &saturday, 8, 8, 30),
        (ExampleKind::PublicHoliday, &holiday, 8, 8, 30),
    ];
    wanted
        .into_iter()
        .filter_map(|(kind, ok, start, hours, break_minutes)| {
            let d = first_day(from, ok)?;
            let starts_at = at(d, start)?;
            // Wall-clock end: a night across a clock change is an hour longer or shorter.
            let end_local = d.and_time(NaiveTime::from_hms_opt(start, 0, 0)?)
                + Duration::hours(i64::from(hours));
            let ends_at = from_london(end_local).ok()?;
            Some(Example {
                kind,
                starts_at,
                ends_at,
                break_minutes,
                now: None,
                new: None,
            })
        })
        .collect()
}

/// What a new card would pay at `grade` for the example shifts, against what they pay now (the
/// trust's admins; nothing is saved).
///
/// # Errors
/// Forbidden; validation (the card, as `set_card` checks it; the grade).
pub async fn preview(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    input: &NewRateCard,
    grade: &str,
) -> Result<Vec<Example>> {
    authorize_at_trust(conn, actor, trust_id, &[Role::TrustAdmin]).await?;
    let grade = Grade::parse(grade)?.code().to_owned();
    let new_card = rate_cards::check(london_date(clock.now()), input)?;
    let from = new_card.effective_from;
    let days = holidays::of_trust_between(
        conn,
        trust_id,
        from,
        from + Duration::days(HOLIDAY_HORIZON_DAYS),
    )
    .await?;
    let cards = rate_cards::cards_of(conn, &[trust_id]).await?;
    Ok(examples(from, &days)
        .into_iter()
        .map(|e| {
            let req = QuoteRequest {
                trust_id,
                starts_at: e.starts_at,
                ends_at: e.ends_at,
                break_minutes: e.break_minutes,
                grade: grade.clone(),
            };
            let now_card = cards.in_force(trust_id, london_date(e.starts_at));
            Example {
                now: quote::price(&now_card, &days, &req),
                new: quote::price(&new_card, &days, &req),
                ..e
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        let Some(d) = NaiveDate::from_ymd_opt(y, m, d) else {
            panic!("a date");
        };
        d
    }

    #[test]
    fn examples_fall_on_the_right_days() {
        // Friday 25 December 2026 and Monday 28 December are holidays.
        let days: BTreeSet<NaiveDate> = [day(2026, 12, 25), day(2026, 12, 28)].into();
        let got = examples(day(2026, 12, 24), &days);
        let kinds: Vec<(ExampleKind, NaiveDate)> = got
            .iter()
            .map(|e| (e.kind, london_date(e.starts_at)))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (ExampleKind::WeekdayDay, day(2026, 12, 24)),
                // Thursday 24th's night ends on the 25th, a holiday; Monday 28th is one too.
                (ExampleKind::WeekdayNight, day(2026, 12, 29)),
                (ExampleKind::Saturday, day(2026, 12, 26)),
                (ExampleKind::PublicHoliday, day(2026, 12, 25)),
            ]
        );
        let Some(night) = got.get(1) else {
            panic!("a night");
        };
        assert_eq!(night.ends_at - night.starts_at, Duration::hours(12));
    }

    #[test]
    fn no_holiday_no_holiday_example() {
        let got = examples(day(2026, 6, 1), &BTreeSet::new());
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|e| e.kind != ExampleKind::PublicHoliday));
    }
}
