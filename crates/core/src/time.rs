//! Local time. Times are stored in UTC; shifts are shown, checked and paid in Europe/London, where
//! a night on the clock-change date is 11 or 13 hours long.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::Error;

/// The zone every trust works in.
pub const LONDON: Tz = chrono_tz::Europe::London;

/// The local date in London at `at`.
#[must_use]
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    london_local(at).date()
}

/// The local wall-clock time in London at `at`. At the very ends of chrono's range, where the
/// local time would not exist (London's offset pushes it past the first or last representable
/// moment), the UTC wall-clock time is given instead of a panic: a client may send such an
/// instant.
#[must_use]
pub fn london_local(at: DateTime<Utc>) -> NaiveDateTime {
    let utc = at.naive_utc();
    utc.checked_add_offset(LONDON.offset_from_utc_datetime(&utc).fix())
        .unwrap_or(utc)
}

/// The instant a London wall-clock time names. In the repeated hour of October the earlier
/// instant is taken; a time in the skipped hour of March does not exist and is refused.
///
/// # Errors
/// [`Error::Validation`] for a time that does not exist in London.
pub fn from_london(local: NaiveDateTime) -> Result<DateTime<Utc>, Error> {
    match LONDON.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earliest, _) => Ok(earliest.with_timezone(&Utc)),
        LocalResult::None => Err(Error::Validation(format!(
            "{local} does not exist in Europe/London (the clocks go forward that night)"
        ))),
    }
}

/// The instant London's day `d` begins.
#[must_use]
pub fn start_of_london_day(d: NaiveDate) -> DateTime<Utc> {
    // Midnight always exists in London (changes happen at 01:00 / 02:00).
    from_london(d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .unwrap_or_else(|_| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// The first day the service stores: every database keeps and orders dates from year 1 to 9999
/// alike (PostgreSQL cannot store years before 4713 BC, and SQLite orders dates as text, which
/// holds only for four-digit years).
pub const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date");
/// The last day the service stores (see [`FIRST_DAY`]).
pub const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");

/// `d` if it can be stored — from [`FIRST_DAY`] to [`LAST_DAY`].
///
/// # Errors
/// [`Error::Validation`] naming `what` otherwise.
pub fn storable_day(d: NaiveDate, what: &str) -> Result<NaiveDate, Error> {
    if (FIRST_DAY..=LAST_DAY).contains(&d) {
        Ok(d)
    } else {
        Err(Error::Validation(format!(
            "{what} must be a date from the year 1 to the year 9999"
        )))
    }
}

/// The first instant a filter includes and the first it excludes, either open.
pub type InstantBounds = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// A from–to filter on London days as bounds a query can use on every database: `None` when no
/// stored day can match (a `from` after [`LAST_DAY`], a `to` before [`FIRST_DAY`]); otherwise the
/// first instant included (none when `from` is before every stored day) and the first instant
/// excluded (none when `to` is past every stored day).
#[must_use]
pub fn day_bounds(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<InstantBounds> {
    if from.is_some_and(|d| d > LAST_DAY) || to.is_some_and(|d| d < FIRST_DAY) {
        return None;
    }
    let lower = from.filter(|d| *d > FIRST_DAY).map(start_of_london_day);
    let upper = to
        .filter(|d| *d < LAST_DAY)
        .and_then(|d| d.succ_opt())
        .map(start_of_london_day);
    Some((lower, upper))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn day_bounds_past_the_stored_days_are_no_bounds_or_match_nothing() {
        assert_eq!(day_bounds(None, None), Some((None, None)));
        assert_eq!(
            day_bounds(Some(NaiveDate::MIN), Some(NaiveDate::MAX)),
            Some((None, None))
        );
        assert_eq!(day_bounds(Some(NaiveDate::MAX), None), None);
        assert_eq!(day_bounds(None, Some(NaiveDate::MIN)), None);
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        assert_eq!(
            day_bounds(Some(d), Some(d)),
            Some((
                Some(start_of_london_day(d)),
                Some(start_of_london_day(d.succ_opt().unwrap_or_default()))
            ))
        );
        assert!(storable_day(NaiveDate::MIN, "the date").is_err());
        assert!(storable_day(NaiveDate::MAX, "the date").is_err());
        assert!(storable_day(LAST_DAY, "the date").is_ok());
        assert!(storable_day(FIRST_DAY, "the date").is_ok());
    }

    fn at(d: &str, t: &str) -> NaiveDateTime {
        NaiveDateTime::new(
            d.parse().unwrap_or_default(),
            t.parse::<NaiveTime>().unwrap_or_default(),
        )
    }

    #[test]
    fn clock_change_nights() -> Result<(), Error> {
        // 29 March 2026: clocks go forward at 01:00 GMT.
        let start = from_london(at("2026-03-28", "20:00:00"))?;
        let end = from_london(at("2026-03-29", "08:00:00"))?;
        assert_eq!((end - start).num_hours(), 11);
        assert!(from_london(at("2026-03-29", "01:30:00")).is_err());
        // 25 October 2026: clocks go back at 02:00 BST.
        let start = from_london(at("2026-10-24", "20:00:00"))?;
        let end = from_london(at("2026-10-25", "08:00:00"))?;
        assert_eq!((end - start).num_hours(), 13);
        Ok(())
    }

    #[test]
    fn local_time_follows_the_clock_changes() {
        let summer = at("2026-07-01", "23:30:00").and_utc();
        assert_eq!(london_local(summer), at("2026-07-02", "00:30:00"));
        assert_eq!(london_date(summer), at("2026-07-02", "00:00:00").date());
        let winter = at("2026-12-01", "23:30:00").and_utc();
        assert_eq!(london_local(winter), winter.naive_utc());
    }

    /// Found by the `newtypes` fuzz target: the first instant chrono can represent (which a
    /// client can send as a `DateTime`, e.g. `compliance(at: "-262143-01-01T00:00:00Z")`) has no
    /// London local time — London was 75 seconds behind GMT then — and panicked ("Local time out
    /// of range for `NaiveDateTime`").
    #[test]
    fn the_ends_of_time_have_a_local_date_and_do_not_panic() {
        assert_eq!(
            london_date(DateTime::<Utc>::MIN_UTC),
            DateTime::<Utc>::MIN_UTC.date_naive()
        );
        assert_eq!(
            london_date(DateTime::<Utc>::MAX_UTC),
            DateTime::<Utc>::MAX_UTC.date_naive()
        );
        let _ = london_local(DateTime::<Utc>::MIN_UTC);
        let _ = start_of_london_day(NaiveDate::MIN);
        let _ = start_of_london_day(NaiveDate::MAX);
    }
}
