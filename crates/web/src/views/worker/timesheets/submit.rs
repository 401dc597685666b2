//! Sending a timesheet (or, after a query, sending it again): the times worked, as the clock on
//! the ward showed them (London time) — start and end each a date and a time, so a shift past
//! midnight is never ambiguous — and the unpaid break, prefilled from the booked shift; then a
//! check-your-answers page; then `submitTimesheet`, and a confirmation.
//!
//! Nothing is sent until the worker confirms on the check page. London times become UTC
//! instants here with chrono-tz: a time the clocks skipped, or one they passed twice, is refused
//! with a message saying so rather than guessed.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::London;
use serde::{Deserialize, Serialize};

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{CsrfField, DateInput, DateValue, Errors, Input};
use crate::fragments::{Trust, Ward};
use crate::layout::Layout;
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
struct BookingVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "BookingVariables")]
struct BookingQuery {
    me: Viewer,
    #[arguments(id: $id)]
    booking: Booking,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    shift: Shift,
    timesheet_due: bool,
    timesheet: Option<Previous>,
}

/// The timesheet already sent for the booking, if any.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
struct Previous {
    id: Uuid,
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
    state: Option<super::TimesheetState>,
    query_reason: Option<String>,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: crate::schema::NaiveDateTime,
    ends_local: crate::schema::NaiveDateTime,
    break_minutes: i32,
    ward: Ward,
    trust: Trust,
}

#[derive(cynic::QueryVariables)]
struct SubmitVariables {
    booking_id: Uuid,
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SubmitVariables")]
struct Submit {
    #[arguments(bookingId: $booking_id, startedAt: $started_at, endedAt: $ended_at, breakMinutes: $break_minutes)]
    submit_timesheet: Submitted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
struct Submitted {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct SentVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SentVariables")]
struct SentQuery {
    me: Viewer,
    #[arguments(id: $id)]
    timesheet: SentTimesheet,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
struct SentTimesheet {
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
    trust: Trust,
}

/// The form as typed (every field text, so it can be shown again as it was).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct TimesForm {
    #[serde(rename = "start-day", default)]
    start_day: String,
    #[serde(rename = "start-month", default)]
    start_month: String,
    #[serde(rename = "start-year", default)]
    start_year: String,
    #[serde(rename = "start-time", default)]
    start_time: String,
    #[serde(rename = "end-day", default)]
    end_day: String,
    #[serde(rename = "end-month", default)]
    end_month: String,
    #[serde(rename = "end-year", default)]
    end_year: String,
    #[serde(rename = "end-time", default)]
    end_time: String,
    #[serde(rename = "break", default)]
    break_minutes: String,
}

impl TimesForm {
    /// The booked times, or those of the timesheet sent before (being answered after a query).
    fn prefilled(booking: &Booking) -> Self {
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

    fn is_blank(&self) -> bool {
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

    fn start(&self) -> DateValue {
        DateValue {
            day: self.start_day.clone(),
            month: self.start_month.clone(),
            year: self.start_year.clone(),
        }
    }

    fn end(&self) -> DateValue {
        DateValue {
            day: self.end_day.clone(),
            month: self.end_month.clone(),
            year: self.end_year.clone(),
        }
    }

    fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

/// The times, read and checked.
struct Worked {
    start: NaiveDateTime,
    end: NaiveDateTime,
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
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
fn read(form: &TimesForm) -> Result<Worked, Errors> {
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

#[derive(Template)]
#[template(path = "worker/timesheets/form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    action: String,
    ward: String,
    booked: String,
    query_reason: Option<String>,
    start: DateInput,
    start_time: Input,
    end: DateInput,
    end_time: Input,
    break_minutes: Input,
}

impl FormPage {
    fn new(
        visitor: &Visitor,
        me: &Viewer,
        booking_id: Uuid,
        booking: &Booking,
        form: &TimesForm,
        errors: Errors,
    ) -> Self {
        let shift = &booking.shift;
        let time_hint = "Use the 24-hour clock, for example 07:30 or 19:45";
        Self {
            layout: super::super::layout(visitor, me, "Send your timesheet", "/worker/timesheets")
                .with_errors(!errors.is_empty()),
            action: format!("/worker/bookings/{booking_id}/timesheet"),
            ward: format!("{}, {}", shift.ward.name, shift.trust.name),
            booked: format::shift_time(shift.starts_local, shift.ends_local),
            query_reason: booking
                .timesheet
                .as_ref()
                .filter(|t| t.state == Some(super::TimesheetState::Queried))
                .and_then(|t| t.query_reason.clone()),
            start: DateInput::new("start", "Date you started")
                .hint(format!("For example, {}", example_date(shift.starts_local)))
                .value(&form.start())
                .error_from(&errors),
            start_time: Input::new("start-time", "Time you started")
                .hint(time_hint)
                .value(form.start_time.clone())
                .width("nhsuk-input--width-5")
                .error_from(&errors),
            end: DateInput::new("end", "Date you finished")
                .hint("If you finished after midnight, this is the next day")
                .value(&form.end())
                .error_from(&errors),
            end_time: Input::new("end-time", "Time you finished")
                .hint(time_hint)
                .value(form.end_time.clone())
                .width("nhsuk-input--width-5")
                .error_from(&errors),
            break_minutes: Input::new("break", "Unpaid break, in minutes")
                .hint("Enter 0 if you did not have a break")
                .value(form.break_minutes.clone())
                .inputmode("numeric")
                .width("nhsuk-input--width-3")
                .error_from(&errors),
            errors,
        }
    }
}

fn example_date(at: NaiveDateTime) -> String {
    at.format("%-d %-m %Y").to_string()
}

#[derive(Template)]
#[template(path = "worker/timesheets/check.html")]
struct CheckPage {
    layout: Layout,
    action: String,
    change: String,
    ward: String,
    booked: String,
    started: String,
    finished: String,
    break_words: String,
    worked: String,
    form: TimesForm,
}

#[derive(Template)]
#[template(path = "worker/timesheets/sent.html")]
struct SentPage {
    layout: Layout,
    worked: String,
    break_words: String,
    trust: String,
    href: String,
}

fn booking_id(raw: &str) -> Result<Uuid, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

async fn booking(state: &WebState, visitor: &Visitor, id: Uuid) -> Result<BookingQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookingQuery::build(BookingVariables { id }),
    )
    .await?)
}

/// `GET /worker/bookings/{booking_id}/timesheet`: the form, prefilled from the booked shift (or
/// with the answers to change, from the check page's links).
pub async fn form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    Query(typed): Query<TimesForm>,
) -> Result<Response, PageError> {
    let id = booking_id(&raw)?;
    let data = booking(&state, &visitor, id).await?;
    if let (false, Some(t)) = (data.booking.timesheet_due, &data.booking.timesheet) {
        // Sent and not queried: nothing to do here; show where it is.
        return Ok(Redirect::to(&format!("/worker/timesheets/{}", t.id)).into_response());
    }
    let form = if typed.is_blank() {
        TimesForm::prefilled(&data.booking)
    } else {
        typed
    };
    render(&FormPage::new(
        &visitor,
        &data.me,
        id,
        &data.booking,
        &form,
        Errors::new(),
    ))
}

/// `POST /worker/bookings/{booking_id}/timesheet`: checks the times and shows them back to
/// confirm (nothing is sent yet), or the form again with what is wrong.
pub async fn check(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    Form(typed): Form<TimesForm>,
) -> Result<Response, PageError> {
    let id = booking_id(&raw)?;
    let data = booking(&state, &visitor, id).await?;
    let shift = &data.booking.shift;
    let worked = match read(&typed) {
        Ok(w) => w,
        Err(errors) => {
            return render_invalid(&FormPage::new(
                &visitor,
                &data.me,
                id,
                &data.booking,
                &typed,
                errors,
            ));
        }
    };
    let length = (worked.ended_at - worked.started_at).num_minutes();
    render(&CheckPage {
        layout: super::super::layout(
            &visitor,
            &data.me,
            "Check your timesheet before sending it",
            "/worker/timesheets",
        ),
        action: format!("/worker/bookings/{id}/timesheet/send"),
        change: format!("/worker/bookings/{id}/timesheet?{}", typed.query_string()),
        ward: format!("{}, {}", shift.ward.name, shift.trust.name),
        booked: format::shift_time(shift.starts_local, shift.ends_local),
        started: format!(
            "{} at {}",
            format::date(worked.start.date()),
            format::time(worked.start)
        ),
        finished: format!(
            "{} at {}",
            format::date(worked.end.date()),
            format::time(worked.end)
        ),
        break_words: format::duration_minutes(i64::from(worked.break_minutes)),
        worked: format::duration_minutes(length - i64::from(worked.break_minutes)),
        form: typed,
    })
}

/// Which field an API refusal of the times belongs to.
fn field_of(message: &str) -> &'static str {
    if message.contains("break") {
        "break"
    } else if message.contains("end must be") || message.contains("after the shift has ended") {
        "end-time"
    } else {
        "start-day"
    }
}

/// `POST /worker/bookings/{booking_id}/timesheet/send`: sends it, then the confirmation.
pub async fn send(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    Form(typed): Form<TimesForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = booking_id(&raw)?;
    let data = booking(&state, &visitor, id).await?;
    let shift = &data.booking.shift;
    let worked = match read(&typed) {
        Ok(w) => w,
        Err(errors) => {
            return render_invalid(&FormPage::new(
                &visitor,
                &data.me,
                id,
                &data.booking,
                &typed,
                errors,
            ));
        }
    };
    let op = Submit::build(SubmitVariables {
        booking_id: id,
        started_at: worked.started_at,
        ended_at: worked.ended_at,
        break_minutes: worked.break_minutes,
    });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => Ok(Redirect::to(&format!(
            "/worker/timesheets/{}/sent",
            done.submit_timesheet.id
        ))
        .into_response()),
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            let message = match e.message.split_once(" (") {
                Some((head, _)) if head.starts_with("the times must be within") => format!(
                    "{}: {}",
                    format::error_message(head),
                    format::shift_time(shift.starts_local, shift.ends_local)
                ),
                _ => format::error_message(&e.message),
            };
            errors.add(field_of(&e.message), message);
            render_invalid(&FormPage::new(
                &visitor,
                &data.me,
                id,
                &data.booking,
                &typed,
                errors,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /worker/timesheets/{id}/sent`: the confirmation.
pub async fn confirmation(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        SentQuery::build(SentVariables { id }),
    )
    .await?;
    let t = data.timesheet;
    render(&SentPage {
        layout: super::super::layout(&visitor, &data.me, "Timesheet sent", "/worker/timesheets"),
        worked: format::shift_time(format::london(t.started_at), format::london(t.ended_at)),
        break_words: format::duration_minutes(i64::from(t.break_minutes)),
        trust: t.trust.name,
        href: format!("/worker/timesheets/{id}"),
    })
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
