//! Dates, times and money the way the NHS content style guide writes them: "Tuesday 2 December
//! 2026", "8am", "7:30pm", "midday", "£1,234.50". Times are shown in London time.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use chrono_tz::Europe::London;
use rust_decimal::Decimal;

/// London wall-clock time of an instant.
#[must_use]
pub fn london(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&London).naive_local()
}

/// Today's date in London.
#[must_use]
pub fn today() -> NaiveDate {
    london(Utc::now()).date()
}

/// "Tuesday 2 December 2026".
#[must_use]
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.format("%A"), d.day(), d.format("%B %Y"))
}

/// "2 December 2026".
#[must_use]
pub fn date_short(d: NaiveDate) -> String {
    format!("{} {}", d.day(), d.format("%B %Y"))
}

/// "8am", "7:30pm", "midday", "midnight".
#[must_use]
pub fn time(t: NaiveDateTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    match (h, m) {
        (0, 0) => "midnight".to_owned(),
        (12, 0) => "midday".to_owned(),
        _ => {
            let suffix = if h < 12 { "am" } else { "pm" };
            let h12 = match h % 12 {
                0 => 12,
                x => x,
            };
            if m == 0 {
                format!("{h12}{suffix}")
            } else {
                format!("{h12}:{m:02}{suffix}")
            }
        }
    }
}

/// "Tuesday 2 December 2026, 8am to 8pm", or across midnight "Tuesday 2 December 2026, 8pm to
/// 8am on Wednesday 3 December".
#[must_use]
pub fn shift_time(starts: NaiveDateTime, ends: NaiveDateTime) -> String {
    if starts.date() == ends.date() {
        format!(
            "{}, {} to {}",
            date(starts.date()),
            time(starts),
            time(ends)
        )
    } else {
        format!(
            "{}, {} to {} on {} {} {}",
            date(starts.date()),
            time(starts),
            time(ends),
            ends.format("%A"),
            ends.day(),
            ends.format("%B")
        )
    }
}

/// "Tuesday 2 December 2026 at 7:30pm" (an instant, in London time).
#[must_use]
pub fn when(at: DateTime<Utc>) -> String {
    let t = london(at);
    format!("{} at {}", date(t.date()), time(t))
}

/// "£1,234.50".
#[must_use]
pub fn money(pounds: Decimal) -> String {
    let rounded = pounds.round_dp(2);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.2}", rounded.abs());
    let (whole, pence) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}£{grouped}.{pence}", if negative { "-" } else { "" })
}

/// "7 hours 30 minutes", "1 hour", "45 minutes".
#[must_use]
pub fn duration_minutes(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let hours = match h {
        0 => None,
        1 => Some("1 hour".to_owned()),
        n => Some(format!("{n} hours")),
    };
    let mins = match m {
        0 => None,
        1 => Some("1 minute".to_owned()),
        n => Some(format!("{n} minutes")),
    };
    match (hours, mins) {
        (Some(h), Some(m)) => format!("{h} {m}"),
        (Some(h), None) => h,
        (None, Some(m)) => m,
        (None, None) => "0 minutes".to_owned(),
    }
}

/// The first letter in capitals, the rest as it is: "basic life support" as "Basic life support".
#[must_use]
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// An API's message (which starts in lower case) as an error message in the NHS style: a
/// capital first and no full stop at the end.
#[must_use]
pub fn error_message(message: &str) -> String {
    capitalised(message.trim().trim_end_matches('.').trim_end())
}

/// A code in words: "CRITICAL_CARE" as "Critical care".
#[must_use]
pub fn code_words(code: &str) -> String {
    capitalised(&code.trim().replace('_', " ").to_lowercase())
}

/// Skill codes in words, separated by commas, or "None recorded".
#[must_use]
pub fn skills_words(skills: &[String]) -> String {
    if skills.is_empty() {
        "None recorded".to_owned()
    } else {
        skills
            .iter()
            .map(|s| code_words(s))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// "1 shift", "14 shifts" (any noun with a plain -s plural).
#[must_use]
pub fn count(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn times_and_dates_in_the_nhs_style() {
        assert_eq!(time(at("2026-12-02 08:00")), "8am");
        assert_eq!(time(at("2026-12-02 19:30")), "7:30pm");
        assert_eq!(time(at("2026-12-02 12:00")), "midday");
        assert_eq!(time(at("2026-12-02 00:00")), "midnight");
        assert_eq!(
            shift_time(at("2026-12-01 08:00"), at("2026-12-01 20:00")),
            "Tuesday 1 December 2026, 8am to 8pm"
        );
        assert_eq!(
            shift_time(at("2026-12-01 20:00"), at("2026-12-02 08:00")),
            "Tuesday 1 December 2026, 8pm to 8am on Wednesday 2 December"
        );
    }

    #[test]
    fn money_and_durations() {
        assert_eq!(money(dec("1234.5")), "£1,234.50");
        assert_eq!(money(dec("0.333")), "£0.33");
        assert_eq!(money(dec("1000000")), "£1,000,000.00");
        assert_eq!(money(dec("-12.00")), "-£12.00");
        assert_eq!(duration_minutes(450), "7 hours 30 minutes");
        assert_eq!(duration_minutes(60), "1 hour");
        assert_eq!(count(1, "shift"), "1 shift");
        assert_eq!(count(14, "shift"), "14 shifts");
    }

    #[test]
    fn messages_and_codes_in_words() {
        assert_eq!(
            error_message(" the shift has started. "),
            "The shift has started"
        );
        assert_eq!(error_message("ça va."), "Ça va");
        assert_eq!(error_message(""), "");
        assert_eq!(capitalised("basic life support"), "Basic life support");
        assert_eq!(capitalised("BLS is due."), "BLS is due.");
        assert_eq!(code_words("MALE_CATHETERISATION"), "Male catheterisation");
        assert_eq!(code_words(" critical care "), "Critical care");
    }
}
