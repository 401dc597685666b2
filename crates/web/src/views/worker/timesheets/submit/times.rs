//! The times worked, as typed and as read: each side a London date and time, checked and turned
//! into an instant (a time the clocks skipped or passed twice is refused, not guessed), and the
//! unpaid break.

use chrono::{LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};

use super::operations::Booking;
use crate::format;
use crate::forms::{DateValue, Errors};
use crate::schema::DateTime;

/// The form as typed (every field text, so it can be shown again as it was).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TimesForm {
    #[serde(rename = "start-day", default)]
    pub(super) start_day: String,
    #[serde(rename = "start-month", default)]
    pub(super) start_month: String,
    #[serde(rename = "start-year", default)]
    pub(super) start_year: String,
    #[serde(rename = "start-time", default)]
    pub(super) start_time: String,
    #[serde(rename = "end-day", default)]
    pub(super) end_day: String,
    #[serde(rename = "end-month", default)]
    pub(super) end_month: String,
    #[serde(rename = "end-year", default)]
    pub(super) end_year: String,
    #[serde(rename = "end-time", default)]
    pub(super) end_time: String,
    #[serde(rename = "break", default)]
    pub(super) break_minutes: String,
}

impl TimesForm {
    /// The booked times, or those of the timesheet sent before (being answered after a query).
    pub(super) fn prefilled(booking: &Booking) -> Self {
        match &booking.timesheet {
            Some(t) => Self::of(
                format::london(t.started_at),
                format::london(t.ended_at),
                t.break_minutes,
            ),
            None => Self::of(
                booking.shift.starts_local,
                booking.shift.ends_local,
                booking.shift.break_minutes,
            ),
        }
    }

    fn of(s: NaiveDateTime, e: NaiveDateTime, break_minutes: i32) -> Self {
        let start = DateValue::of(s.date());
        let end = DateValue::of(e.date());
        Self {
            start_day: start.day,
            start_month: start.month,
            start_year: start.year,
            start_time: s.format("%H:%M").to_string(),
            end_day: end.day,
            end_month: end.month,
            end_year: end.year,
            end_time: e.format("%H:%M").to_string(),
            break_minutes: break_minutes.to_string(),
        }
    }

    pub(super) fn is_blank(&self) -> bool {
        [
            &self.start_day,
            &self.start_month,
            &self.start_year,
            &self.start_time,
            &self.end_day,
            &self.end_month,
            &self.end_year,
            &self.end_time,
            &self.break_minutes,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }

    pub(super) fn start(&self) -> DateValue {
        DateValue {
            day: self.start_day.clone(),
            month: self.start_month.clone(),
            year: self.start_year.clone(),
        }
    }

    pub(super) fn end(&self) -> DateValue {
        DateValue {
            day: self.end_day.clone(),
            month: self.end_month.clone(),
            year: self.end_year.clone(),
        }
    }

    pub(super) fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

/// The times, read and checked.
pub(super) struct Worked {
    pub(super) start: NaiveDateTime,
    pub(super) end: NaiveDateTime,
    pub(super) started_at: DateTime,
    pub(super) ended_at: DateTime,
    pub(super) break_minutes: i32,
}

/// "07:30", "7:30", "7.30", "0730", "19" as a time of day.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim().replace(['.', ' '], ":");
    let (h, m) = match t.split_once(':') {
        Some((h, m)) => (h.to_owned(), m.to_owned()),
        None if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) => {
            (t[..2].to_owned(), t[2..].to_owned())
        }
        None if (1..=2).contains(&t.len()) => (t.clone(), "0".to_owned()),
        None => return None,
    };
    if h.is_empty() || m.len() != 2 && m != "0" {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// A London wall-clock time as an instant, or why it is not one.
fn london_instant(local: NaiveDateTime, what: &str) -> Result<DateTime, String> {
    let time = format::time(local);
    let day = format::date(local.date());
    match London.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(..) => Err(format!(
            "{what} ({time}) happened twice on {day}, because the clocks went back an hour. \
             Contact your bank office so they can record the right time"
        )),
        LocalResult::None => Err(format!(
            "There was no {time} on {day}, because the clocks went forward an hour. Enter {} \
             as the clock showed it",
            what.to_lowercase()
        )),
    }
}

/// One side (start or end): its date and time as typed, as a London time and an instant.
fn side(
    errors: &mut Errors,
    id: &str,
    date: &DateValue,
    time: &str,
    what: &str,
    date_words: &str,
) -> Option<(NaiveDateTime, DateTime)> {
    let day = match date.parse(date_words) {
        Ok(d) => Some(d),
        Err(m) => {
            errors.add(format!("{id}-day"), m);
            None
        }
    };
    let at = if time.trim().is_empty() {
        errors.add(
            format!("{id}-time"),
            format!("Enter {}", what.to_lowercase()),
        );
        None
    } else if let Some(t) = parse_time(time) {
        Some(t)
    } else {
        errors.add(
            format!("{id}-time"),
            format!("{what} must be a real time, like 07:30 or 19:45"),
        );
        None
    };
    let local = day?.and_time(at?);
    match london_instant(local, what) {
        Ok(instant) => Some((local, instant)),
        Err(m) => {
            errors.add(format!("{id}-time"), m);
            None
        }
    }
}

/// Reads the form: every mistake found, each against its field.
pub(super) fn read(form: &TimesForm) -> Result<Worked, Errors> {
    let mut errors = Errors::new();
    let start = side(
        &mut errors,
        "start",
        &form.start(),
        &form.start_time,
        "The time you started",
        "the date you started",
    );
    let end = side(
        &mut errors,
        "end",
        &form.end(),
        &form.end_time,
        "The time you finished",
        "the date you finished",
    );
    if let (Some((_, s)), Some((_, e))) = (&start, &end)
        && e <= s
    {
        errors.add(
            "end-time",
            "The time you finished must be after the time you started",
        );
    }
    let text = form.break_minutes.trim();
    let break_minutes = if text.is_empty() {
        errors.add(
            "break",
            "Enter your unpaid break in minutes, or 0 if you did not have one",
        );
        None
    } else {
        match text.parse::<i32>() {
            Ok(m) if m < 0 => {
                errors.add("break", "The break must be 0 minutes or more");
                None
            }
            Ok(m) => Some(m),
            Err(_) => {
                errors.add("break", "The break must be a number of minutes, like 30");
                None
            }
        }
    };
    if let (Some((_, s)), Some((_, e)), Some(b)) = (&start, &end, break_minutes)
        && e > s
        && i64::from(b) >= (*e - *s).num_minutes()
    {
        errors.add(
            "break",
            format!(
                "The break must be shorter than the time you were there ({})",
                format::duration_minutes((*e - *s).num_minutes())
            ),
        );
    }
    match (start, end, break_minutes) {
        (Some((start, started_at)), Some((end, ended_at)), Some(break_minutes))
            if errors.is_empty() =>
        {
            Ok(Worked {
                start,
                end,
                started_at,
                ended_at,
                break_minutes,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(start: (&str, &str), end: (&str, &str), brk: &str) -> TimesForm {
        let split = |d: &str| {
            let p: Vec<String> = d.split('-').map(str::to_owned).collect();
            (p[2].clone(), p[1].clone(), p[0].clone())
        };
        let (sd, sm, sy) = split(start.0);
        let (ed, em, ey) = split(end.0);
        TimesForm {
            start_day: sd,
            start_month: sm,
            start_year: sy,
            start_time: start.1.to_owned(),
            end_day: ed,
            end_month: em,
            end_year: ey,
            end_time: end.1.to_owned(),
            break_minutes: brk.to_owned(),
        }
    }

    fn fields(f: &TimesForm) -> Vec<String> {
        match read(f) {
            Ok(_) => vec![],
            Err(e) => e.items().iter().map(|(f, _)| f.clone()).collect(),
        }
    }

    fn instants(f: &TimesForm) -> Option<(String, String)> {
        read(f)
            .ok()
            .map(|w| (w.started_at.to_rfc3339(), w.ended_at.to_rfc3339()))
    }

    #[test]
    fn times_read_as_london_clock_times() {
        assert_eq!(
            instants(&form(
                ("2026-12-01", "07:30"),
                ("2026-12-01", "20:15"),
                "30"
            )),
            Some((
                "2026-12-01T07:30:00+00:00".to_owned(),
                "2026-12-01T20:15:00+00:00".to_owned()
            ))
        );
        assert_eq!(
            instants(&form(("2026-07-01", "20:00"), ("2026-07-02", "0800"), "60")),
            Some((
                "2026-07-01T19:00:00+00:00".to_owned(),
                "2026-07-02T07:00:00+00:00".to_owned()
            ))
        );
    }

    #[test]
    fn clock_changes_are_refused_not_guessed() {
        // 29 March 2026: 1am became 2am. 25 October 2026: 2am became 1am.
        let skipped = read(&form(("2026-03-28", "20:00"), ("2026-03-29", "01:30"), "0"));
        assert!(skipped.is_err_and(|e| e.get("end-time").is_some_and(|m| m.contains("no 1:30am"))));
        let twice = read(&form(("2026-10-24", "20:00"), ("2026-10-25", "01:30"), "0"));
        assert!(twice.is_err_and(|e| e.get("end-time").is_some_and(|m| m.contains("twice"))));
    }

    #[test]
    fn every_mistake_against_its_field() {
        assert_eq!(
            fields(&form(("--", ""), ("2026-12-01", "25:00"), "")),
            ["start-day", "start-time", "end-time", "break"]
        );
        assert_eq!(
            fields(&form(
                ("2026-12-01", "20:00"),
                ("2026-12-01", "08:00"),
                "30"
            )),
            ["end-time"]
        );
        assert_eq!(
            fields(&form(
                ("2026-12-01", "08:00"),
                ("2026-12-01", "09:00"),
                "60"
            )),
            ["break"]
        );
        assert_eq!(
            fields(&form(
                ("2026-12-01", "08:00"),
                ("2026-12-01", "09:00"),
                "-5"
            )),
            ["break"]
        );
        assert_eq!(
            fields(&form(("2026-02-30", "08:00"), ("2026-12-01", "09:00"), "x")),
            ["start-day", "break"]
        );
    }
}
