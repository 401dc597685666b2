//! Local time. Times are stored in UTC; shifts are shown, checked and paid in Europe/London, where
//! a night on the clock-change date is 11 or 13 hours long.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::Error;

/// The zone every trust works in.
pub const LONDON: Tz = chrono_tz::Europe::London;

/// The local date in London at `at`.
#[must_use]
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&LONDON).date_naive()
}

/// The local wall-clock time in London at `at`.
#[must_use]
pub fn london_local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&LONDON).naive_local()
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

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
}
