//! One timesheet waiting: the worker's times beside the booked shift's, each difference said in
//! words ("20 minutes later than booked") and marked with a tag, so it does not rest on colour;
//! the deadline; and approve it, or query it with a reason.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{AtDesk, Desk, at_desk, minutes_words};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render_form};
use crate::format;
use crate::forms::{Errors, Textarea};
use crate::fragments::{Site, Ward};
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::worker::timesheets::TimesheetState;

#[derive(cynic::QueryVariables)]
struct TimesheetVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TimesheetVariables")]
struct TimesheetQuery {
    #[arguments(id: $id)]
    timesheet: Timesheet,
}

#[derive(cynic::QueryFragment)]
struct Timesheet {
    id: Uuid,
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
    state: Option<TimesheetState>,
    submitted_at: DateTime,
    deadline: Option<DateTime>,
    overdue: bool,
    escalated_at: Option<DateTime>,
    worker: Worker,
    booking: Booking,
}

#[derive(cynic::QueryFragment)]
struct Worker {
    given_name: String,
    family_name: String,
    grade: String,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    shift: Shift,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    break_minutes: i32,
    ward: Ward,
    site: Site,
}

/// One line of the comparison.
struct Compare {
    what: &'static str,
    booked: String,
    sent: String,
    /// The difference in words, when there is one.
    difference: Option<String>,
}

#[derive(Template)]
#[template(path = "ward/timesheet.html")]
struct ShowPage {
    layout: Layout,
    desk_office: bool,
    back: &'static str,
    action: &'static str,
    id: Uuid,
    worker: String,
    grade: String,
    shift: String,
    place: String,
    sent: String,
    deadline: Option<String>,
    overdue: bool,
    escalated: bool,
    waiting: bool,
    lines: Vec<Compare>,
    differences: usize,
    errors: Errors,
    reason: Textarea,
}

fn later(minutes: i64, booked: &str) -> Option<String> {
    match minutes {
        0 => None,
        m if m > 0 => Some(format!("{} later than {booked}", minutes_words(m))),
        m => Some(format!("{} earlier than {booked}", minutes_words(m))),
    }
}

fn compare(t: &Timesheet) -> Vec<Compare> {
    let s = &t.booking.shift;
    let (start, end) = (format::london(t.started_at), format::london(t.ended_at));
    let on =
        |at: NaiveDateTime| format!("{} at {}", format::date_short(at.date()), format::time(at));
    let worked = |from: NaiveDateTime, to: NaiveDateTime, brk: i32| {
        (to - from).num_minutes() - i64::from(brk)
    };
    let booked_hours = worked(s.starts_local, s.ends_local, s.break_minutes);
    let sent_hours = worked(start, end, t.break_minutes);
    let more_or_less = |m: i64, what: &str| match m {
        0 => None,
        m if m > 0 => Some(format!("{} more than {what}", minutes_words(m))),
        m => Some(format!("{} less than {what}", minutes_words(m))),
    };
    vec![
        Compare {
            what: "Start",
            booked: on(s.starts_local),
            sent: on(start),
            difference: later((start - s.starts_local).num_minutes(), "booked"),
        },
        Compare {
            what: "Finish",
            booked: on(s.ends_local),
            sent: on(end),
            difference: later((end - s.ends_local).num_minutes(), "booked"),
        },
        Compare {
            what: "Unpaid break",
            booked: format::duration_minutes(i64::from(s.break_minutes)),
            sent: format::duration_minutes(i64::from(t.break_minutes)),
            difference: more_or_less(i64::from(t.break_minutes - s.break_minutes), "booked"),
        },
        Compare {
            what: "Time worked",
            booked: format::duration_minutes(booked_hours),
            sent: format::duration_minutes(sent_hours),
            difference: more_or_less(sent_hours - booked_hours, "booked"),
        },
    ]
}

/// Renders a timesheet's page (with `errors` and the reason kept, when a query had no reason).
///
/// # Errors
/// As [`at_desk`]; not found; the API failed.
pub async fn build(
    state: &WebState,
    visitor: &Visitor,
    desk: Desk,
    id: Uuid,
    reason_typed: &str,
    errors: Errors,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        TimesheetQuery::build(TimesheetVariables { id }),
    )
    .await?;
    let t = data.timesheet;
    let worker = format!("{} {}", t.worker.given_name, t.worker.family_name);
    let AtDesk { layout, .. } =
        at_desk(state, visitor, desk, &format!("Timesheet from {worker}")).await?;
    let s = &t.booking.shift;
    let lines = compare(&t);
    let invalid = !errors.is_empty();
    let reason = Textarea::new("reason", "Why are you querying it?")
        .hint(
            "The worker sees this and is asked to check their times and send the timesheet again.",
        )
        .value(reason_typed.to_owned())
        .error_from(&errors);
    let page = ShowPage {
        layout: layout.with_errors(invalid),
        desk_office: desk == Desk::Office,
        back: desk.home(),
        action: desk.decide_href(),
        id: t.id,
        grade: t.worker.grade.replace('_', " ").to_lowercase(),
        shift: format::shift_time(s.starts_local, s.ends_local),
        place: format!("{}, {}", s.ward.name, s.site.name),
        sent: format::when(t.submitted_at),
        deadline: t.deadline.map(format::when),
        overdue: t.overdue,
        escalated: t.escalated_at.is_some(),
        waiting: t.state == Some(TimesheetState::Submitted),
        differences: lines.iter().filter(|l| l.difference.is_some()).count(),
        lines,
        worker,
        errors,
        reason,
    };
    render_form(&page, invalid)
}

/// `GET /ward/timesheets/{id}` or `GET /office/timesheets/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    desk: Desk,
) -> Result<Response, PageError> {
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    build(&state, &visitor, desk, id, "", Errors::new()).await
}
