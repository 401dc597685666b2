//! The post-a-shift form as typed, and reading it: every mistake found at once, each against its
//! field, in the words of the NHS service manual. What the form cannot know (a grade outside the
//! staff group, a break too short for the shift, a date in the past) the API decides when the
//! shift is posted; its refusal comes back to the field it is about (see [`field_of`]).

use chrono::{Duration, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::catalogue::{self, GradeChoice};
use crate::forms::{DateValue, Errors};

/// Every field as text, so the form can be shown again exactly as it was typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ShiftForm {
    /// The ward's id.
    #[serde(default)]
    pub ward: String,
    /// A staff group code.
    #[serde(rename = "staff-group", default)]
    pub staff_group: String,
    /// A grade code.
    #[serde(default)]
    pub grade: String,
    /// Other grades accepted, by name or code, separated by commas.
    #[serde(default)]
    pub fallback: String,
    /// Skills beyond the ward's own, separated by commas.
    #[serde(default)]
    pub skills: String,
    /// The day the shift starts.
    #[serde(rename = "date-day", default)]
    pub date_day: String,
    /// Its month.
    #[serde(rename = "date-month", default)]
    pub date_month: String,
    /// Its year.
    #[serde(rename = "date-year", default)]
    pub date_year: String,
    /// Start time.
    #[serde(rename = "start-time", default)]
    pub start_time: String,
    /// End time (earlier than the start: the next day).
    #[serde(rename = "end-time", default)]
    pub end_time: String,
    /// Unpaid break in minutes.
    #[serde(rename = "break", default)]
    pub break_minutes: String,
    /// A reason code.
    #[serde(default)]
    pub reason: String,
    /// A pay basis code.
    #[serde(rename = "pay-basis", default)]
    pub pay_basis: String,
    /// Workers needed.
    #[serde(default)]
    pub positions: String,
    /// Notes for workers.
    #[serde(default)]
    pub notes: String,
}

/// The form, read and checked: what `postShift` takes (less the trust and site, which the page
/// adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftAnswers {
    /// The ward's id.
    pub ward: uuid::Uuid,
    /// A staff group code.
    pub staff_group: &'static str,
    /// A grade code.
    pub grade: String,
    /// Other grade codes, best first.
    pub fallback: Vec<String>,
    /// Skills as typed, one each.
    pub skills: Vec<String>,
    /// Start, London time.
    pub starts: NaiveDateTime,
    /// End, London time.
    pub ends: NaiveDateTime,
    /// Unpaid break.
    pub break_minutes: i32,
    /// A reason code.
    pub reason: &'static str,
    /// A pay basis code.
    pub pay_basis: &'static str,
    /// Workers needed.
    pub positions: i32,
    /// Notes, if any.
    pub notes: Option<String>,
}

impl ShiftForm {
    /// A new form: one worker, paid at the shift's grade, as most shifts are.
    #[must_use]
    pub fn blank() -> Self {
        Self {
            positions: "1".to_owned(),
            pay_basis: "SHIFT_GRADE".to_owned(),
            ..Self::default()
        }
    }

    /// Whether nothing was typed (a first visit).
    #[must_use]
    pub fn is_blank(&self) -> bool {
        serde_urlencoded::to_string(self)
            .map(|s| s.split('&').all(|kv| kv.ends_with('=')))
            .unwrap_or(true)
    }

    /// The start date as typed.
    #[must_use]
    pub fn date(&self) -> DateValue {
        DateValue {
            day: self.date_day.clone(),
            month: self.date_month.clone(),
            year: self.date_year.clone(),
        }
    }

    /// The form as a query string (the check page's Change links).
    #[must_use]
    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// The fields as (name, value) pairs, for the hidden inputs of the check page.
    #[must_use]
    pub fn pairs(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_str(&self.query_string()).unwrap_or_default()
    }
}

/// "07:30", "7:30", "7.30", "0730", "19" as a time of day.
#[must_use]
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim().replace(['.', ' '], ":");
    let (h, m) = match t.split_once(':') {
        Some((h, m)) => (h.to_owned(), m.to_owned()),
        None if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) => {
            (t[..2].to_owned(), t[2..].to_owned())
        }
        None if (1..=2).contains(&t.len()) => (t.clone(), "00".to_owned()),
        None => return None,
    };
    if h.is_empty() || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

fn time(errors: &mut Errors, id: &str, text: &str, what: &str) -> Option<NaiveTime> {
    if text.trim().is_empty() {
        errors.add(id, format!("Enter the time the shift {what}"));
        return None;
    }
    let t = parse_time(text);
    if t.is_none() {
        errors.add(
            id,
            format!("The time the shift {what} must be a real time, like 07:30 or 19:45"),
        );
    }
    t
}

fn number(errors: &mut Errors, id: &str, text: &str, empty: &str, what: &str) -> Option<i32> {
    let text = text.trim();
    if text.is_empty() {
        errors.add(id, empty);
        return None;
    }
    match text.parse::<i32>() {
        Ok(n) if n >= 0 => Some(n),
        _ => {
            errors.add(
                id,
                format!("{what} must be a whole number, like {}", {
                    if id == "break" { "30" } else { "2" }
                }),
            );
            None
        }
    }
}

/// Grades typed as names or codes ("Band 4, band 3", "ST3"), as codes in the order given.
///
/// # Errors
/// The message for the first one that is not a grade.
pub fn read_grades(text: &str, grades: &[GradeChoice]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for typed in text
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let code = catalogue::grade_code(typed, grades).ok_or_else(|| {
            format!(
                "'{typed}' is not a grade. Enter grades like Band 4 or ST3, separated by commas"
            )
        })?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

/// Reads the form against the trust's wards and the grades there are.
///
/// # Errors
/// Every mistake, each against its field.
pub fn read(
    form: &ShiftForm,
    wards: &[uuid::Uuid],
    grades: &[GradeChoice],
) -> Result<ShiftAnswers, Errors> {
    let mut errors = Errors::new();
    let ward = form
        .ward
        .parse::<uuid::Uuid>()
        .ok()
        .filter(|w| wards.contains(w));
    if ward.is_none() {
        errors.add("ward", "Select the ward the shift is on");
    }
    let staff_group = catalogue::staff_group(&form.staff_group).map(|g| g.code);
    if staff_group.is_none() {
        errors.add("staff-group", "Select the staff group");
    }
    let (grade, fallback) = read_shift_grades(form, grades, &mut errors);
    let when = read_times(form, &mut errors);
    let break_minutes = number(
        &mut errors,
        "break",
        &form.break_minutes,
        "Enter the unpaid break in minutes, or 0 if there is none",
        "The break",
    );
    let reason = catalogue::reason(&form.reason).map(|r| r.0);
    if reason.is_none() {
        errors.add("reason", "Select why the shift is needed");
    }
    let pay_basis = catalogue::pay_basis(&form.pay_basis).map(|p| p.0);
    if pay_basis.is_none() {
        errors.add("pay-basis", "Select which grade the pay follows");
    }
    let positions = number(
        &mut errors,
        "positions",
        &form.positions,
        "Enter how many workers the shift needs",
        "The number of workers",
    );
    if positions == Some(0) {
        errors.add("positions", "The shift must need at least 1 worker");
    }
    let notes = form.notes.trim();
    let skills: Vec<String> = form
        .skills
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    match (
        ward,
        staff_group,
        grade,
        fallback,
        when,
        break_minutes,
        reason,
        pay_basis,
        positions,
    ) {
        (
            Some(ward),
            Some(staff_group),
            Some(grade),
            Some(fallback),
            Some((starts, ends)),
            Some(break_minutes),
            Some(reason),
            Some(pay_basis),
            Some(positions),
        ) if errors.is_empty() => Ok(ShiftAnswers {
            ward,
            staff_group,
            grade,
            fallback,
            skills,
            starts,
            ends,
            break_minutes,
            reason,
            pay_basis,
            positions,
            notes: (!notes.is_empty()).then(|| notes.to_owned()),
        }),
        _ => Err(errors),
    }
}

/// The grade the shift is for and the other grades it may go to, each checked (the other grades
/// must not include the shift's own).
fn read_shift_grades(
    form: &ShiftForm,
    grades: &[GradeChoice],
    errors: &mut Errors,
) -> (Option<String>, Option<Vec<String>>) {
    let grade = catalogue::grade_code(&form.grade, grades);
    if grade.is_none() {
        errors.add("grade", "Select the grade the shift is for");
    }
    let fallback = match read_grades(&form.fallback, grades) {
        Ok(g) => Some(g),
        Err(m) => {
            errors.add("fallback", m);
            None
        }
    };
    if let (Some(g), Some(f)) = (&grade, &fallback)
        && f.contains(g)
    {
        errors.add(
            "fallback",
            "The other grades must not include the grade the shift is for",
        );
    }
    (grade, fallback)
}

/// The shift's start and end, London time: an end before the start is on the next day (a night
/// shift), and an end the same as the start is refused.
fn read_times(form: &ShiftForm, errors: &mut Errors) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let date = match form.date().parse("the date the shift starts") {
        Ok(d) => Some(d),
        Err(m) => {
            errors.add("date-day", m);
            None
        }
    };
    let start = time(errors, "start-time", &form.start_time, "starts");
    let end = time(errors, "end-time", &form.end_time, "ends");
    if let (Some(s), Some(e)) = (start, end)
        && s == e
    {
        errors.add(
            "end-time",
            "The time the shift ends must be different from the time it starts",
        );
        return None;
    }
    let (date, start, end) = (date?, start?, end?);
    let ends = if end < start {
        (date + Duration::days(1)).and_time(end)
    } else {
        date.and_time(end)
    };
    Some((date.and_time(start), ends))
}

/// Which field an API refusal of a posted shift belongs to.
#[must_use]
pub fn field_of(message: &str) -> &'static str {
    let m = message.to_lowercase();
    if m.contains("break") {
        "break"
    } else if m.contains("grade") && m.contains("listed twice") {
        "fallback"
    } else if m.contains("grade") {
        "grade"
    } else if m.contains("skill") {
        "skills"
    } else if m.contains("ward") || m.contains("site") {
        "ward"
    } else if m.contains("position") {
        "positions"
    } else if m.contains("notes") {
        "notes"
    } else if m.contains("clocks") || m.contains("last") || m.contains("end after") {
        "end-time"
    } else {
        "date-day"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grades() -> Vec<GradeChoice> {
        vec![
            GradeChoice {
                code: "BAND_3".to_owned(),
                name: "Band 3".to_owned(),
            },
            GradeChoice {
                code: "BAND_4".to_owned(),
                name: "Band 4".to_owned(),
            },
            GradeChoice {
                code: "BAND_5".to_owned(),
                name: "Band 5".to_owned(),
            },
        ]
    }

    fn good(ward: uuid::Uuid) -> ShiftForm {
        ShiftForm {
            ward: ward.to_string(),
            staff_group: "NURSING_MIDWIFERY_REGISTERED".to_owned(),
            grade: "BAND_5".to_owned(),
            fallback: "band 4, Band 3".to_owned(),
            skills: "Critical care, IV therapy".to_owned(),
            date_day: "14".to_owned(),
            date_month: "12".to_owned(),
            date_year: "2026".to_owned(),
            start_time: "20:00".to_owned(),
            end_time: "0800".to_owned(),
            break_minutes: "60".to_owned(),
            reason: "SICKNESS".to_owned(),
            pay_basis: "SHIFT_GRADE".to_owned(),
            positions: "2".to_owned(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_night_ends_the_next_day_and_grades_are_read_by_name() {
        let ward = uuid::Uuid::new_v4();
        let a = read(&good(ward), &[ward], &grades()).map_err(|e| format!("{e:?}"));
        let a = a.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.starts.to_string(), "2026-12-14 20:00:00");
        assert_eq!(a.ends.to_string(), "2026-12-15 08:00:00");
        assert_eq!(a.fallback, ["BAND_4", "BAND_3"]);
        assert_eq!(a.skills, ["Critical care", "IV therapy"]);
        assert_eq!(a.positions, 2);
    }

    #[test]
    fn every_mistake_against_its_field() {
        let ward = uuid::Uuid::new_v4();
        let form = ShiftForm {
            ward: "nonsense".to_owned(),
            grade: String::new(),
            fallback: "Band 44".to_owned(),
            date_day: "31".to_owned(),
            date_month: "2".to_owned(),
            start_time: "25:00".to_owned(),
            break_minutes: "half an hour".to_owned(),
            positions: "0".to_owned(),
            reason: String::new(),
            ..good(ward)
        };
        let errors = read(&form, &[ward], &grades()).err().unwrap_or_default();
        let fields: Vec<&str> = errors.items().iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "ward",
                "grade",
                "fallback",
                "date-day",
                "start-time",
                "break",
                "reason",
                "positions"
            ]
        );
        assert_eq!(
            errors.get("start-time"),
            Some("The time the shift starts must be a real time, like 07:30 or 19:45")
        );
    }

    #[test]
    fn a_blank_form_is_blank() {
        assert!(ShiftForm::default().is_blank());
        assert!(!ShiftForm::blank().is_blank());
        assert!(
            ShiftForm::default()
                .pairs()
                .iter()
                .all(|(_, v)| v.is_empty())
        );
    }
}
