//! `GET /worker/timesheets/{id}`: one timesheet — where it stands, as a list of steps with their
//! dates, why the ward manager queried it (and a way to answer), the times sent, the shift as
//! booked and, once approved for payment, the pay line by line.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{Tag, TimesheetHolder, TimesheetState, hours_words, pay_line_name, tag_of};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::fragments::{Site, Trust, Ward};
use crate::layout::Layout;
use crate::schema::{DateTime, Decimal, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
struct TimesheetVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TimesheetVariables")]
struct TimesheetQuery {
    me: Viewer,
    #[arguments(id: $id)]
    timesheet: Timesheet,
}

#[derive(cynic::QueryFragment)]
struct Timesheet {
    booking_id: Uuid,
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
    state: Option<TimesheetState>,
    query_reason: Option<String>,
    submitted_at: DateTime,
    approved_at: Option<DateTime>,
    payment_approved_at: Option<DateTime>,
    pay_period: Option<String>,
    pay_lines: Vec<PayLine>,
    pay_total: Decimal,
    exported_at: Option<DateTime>,
    history: Vec<TimesheetEvent>,
    booking: Booking,
    holder: Option<TimesheetHolder>,
    holder_due_by: Option<DateTime>,
    approved_automatically: bool,
}

#[derive(cynic::QueryFragment)]
struct PayLine {
    code: String,
    hours: Decimal,
    rate: Decimal,
    enhancement: Decimal,
    amount: Decimal,
}

#[derive(cynic::QueryFragment)]
struct TimesheetEvent {
    event: String,
    at: DateTime,
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
    trust: Trust,
}

/// One step of the timesheet's way to payroll.
struct Step {
    name: &'static str,
    hint: Option<String>,
    tag: Tag,
}

struct Line {
    name: String,
    /// "7 hours 45 minutes at £15.88 an hour", or for holiday pay "12.07% on top of your pay".
    detail: Option<String>,
    amount: String,
}

#[derive(Template)]
#[template(path = "worker/timesheets/show.html")]
struct ShowPage {
    layout: Layout,
    tag: Tag,
    queried: bool,
    query_reason: Option<String>,
    answer_href: String,
    steps: Vec<Step>,
    shift_when: String,
    ward: String,
    place: String,
    booked_break: String,
    worked_when: String,
    worked_break: String,
    lines: Vec<Line>,
    total: String,
    pay_period: Option<String>,
    /// Who has the timesheet now and by when, in a sentence (none once it is with payroll).
    holder: Option<String>,
}

/// Who has the timesheet now, and by when, in the worker's words.
fn holder_words(t: &Timesheet) -> Option<String> {
    let shift = &t.booking.shift;
    let by = t.holder_due_by.map(format::when);
    // The cut-off is the midnight that ends the cut-off day: name that day.
    let cutoff = t
        .holder_due_by
        .map(|at| format::date(format::london(at - chrono::Duration::seconds(1)).date()));
    let trust = &shift.trust.name;
    Some(match (t.holder?, t.state?) {
        (TimesheetHolder::WardManager, _) => format!(
            "The ward manager of {} has it. They should approve it by {}; if they have not by \
             then, it goes to the bank office at {trust}, so you are still paid on time.",
            shift.ward.name,
            by.unwrap_or_else(|| "the deadline".to_owned())
        ),
        (TimesheetHolder::BankOffice, TimesheetState::Submitted) => format!(
            "The ward manager did not approve it by the deadline, so the bank office at {trust} \
             has it now{}.",
            cutoff
                .map(|d| format!(", to approve before the pay cut-off at the end of {d}"))
                .unwrap_or_default()
        ),
        (TimesheetHolder::BankOffice, TimesheetState::Approved) => format!(
            "The bank office at {trust} has it, to approve your pay{}.",
            cutoff
                .map(|d| format!(" before the pay cut-off at the end of {d}"))
                .unwrap_or_default()
        ),
        (TimesheetHolder::BankOffice, _) => {
            format!("The bank office at {trust} has it, to send to payroll.")
        }
        (TimesheetHolder::Worker, _) => {
            "You have it: it was queried, and waits for you to check it and send it again."
                .to_owned()
        }
    })
}

fn done(on: DateTime) -> (Option<String>, Tag) {
    (
        Some(format::when(on)),
        Tag {
            text: "Done",
            class: "nhsuk-tag--green",
        },
    )
}

fn not_yet() -> (Option<String>, Tag) {
    (
        None,
        Tag {
            text: "Not yet",
            class: "nhsuk-tag--grey",
        },
    )
}

fn waiting() -> (Option<String>, Tag) {
    (
        None,
        Tag {
            text: "Waiting",
            class: "nhsuk-tag--blue",
        },
    )
}

fn steps(t: &Timesheet) -> Vec<Step> {
    let state = t.state;
    let queried_at = t
        .history
        .iter()
        .rev()
        .find(|e| e.event == "QUERIED")
        .map(|e| e.at);
    let sent = done(t.submitted_at);
    let approved = match (t.approved_at, state) {
        (Some(at), _) if t.approved_automatically => (
            Some(format!(
                "Approved automatically {}: your times matched the booked shift",
                format::when(at)
            )),
            Tag {
                text: "Done",
                class: "nhsuk-tag--green",
            },
        ),
        (Some(at), _) => done(at),
        (None, Some(TimesheetState::Queried)) => (
            queried_at.map(|at| format!("Queried {}", format::when(at))),
            Tag {
                text: "Queried",
                class: "nhsuk-tag--red",
            },
        ),
        (None, Some(TimesheetState::Submitted)) => waiting(),
        (None, _) => not_yet(),
    };
    let for_payment = match (t.payment_approved_at, state) {
        (Some(at), _) => done(at),
        (None, Some(TimesheetState::Approved)) => waiting(),
        (None, _) => not_yet(),
    };
    let payroll = match (t.exported_at, state) {
        (Some(at), _) => done(at),
        (None, Some(TimesheetState::PaymentApproved)) => waiting(),
        (None, _) => not_yet(),
    };
    [
        ("Sent to the ward manager", sent),
        ("Approved by the ward manager", approved),
        ("Approved for payment by the bank office", for_payment),
        ("Sent to payroll", payroll),
    ]
    .into_iter()
    .map(|(name, (hint, tag))| Step { name, hint, tag })
    .collect()
}

/// "December 2026" for a pay period "2026-12".
fn period_words(period: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d")
        .map_or_else(|_| period.to_owned(), |d| d.format("%B %Y").to_string())
}

/// `GET /worker/timesheets/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = id.parse().map_err(|_| PageError::NotFound)?;
    let api = state.api.as_ref();
    let data = api::run(
        api,
        &visitor.caller,
        TimesheetQuery::build(TimesheetVariables { id }),
    )
    .await?;
    let t = data.timesheet;
    let steps = steps(&t);
    let shift = &t.booking.shift;
    render(&ShowPage {
        layout: super::super::layout(&visitor, &data.me, "Your timesheet", "/worker/timesheets"),
        tag: tag_of(t.state),
        queried: t.state == Some(TimesheetState::Queried),
        query_reason: t.query_reason.clone(),
        answer_href: format!("/worker/bookings/{}/timesheet", t.booking_id),
        steps,
        shift_when: format::shift_time(shift.starts_local, shift.ends_local),
        ward: shift.ward.name.clone(),
        place: format!("{}, {}", shift.site.name, shift.trust.name),
        booked_break: format::duration_minutes(i64::from(shift.break_minutes)),
        worked_when: format::shift_time(format::london(t.started_at), format::london(t.ended_at)),
        worked_break: format::duration_minutes(i64::from(t.break_minutes)),
        lines: t
            .pay_lines
            .iter()
            .map(|l| Line {
                name: pay_line_name(&l.code),
                detail: if !l.hours.is_zero() {
                    Some(format!(
                        "{} at {} an hour",
                        hours_words(l.hours),
                        format::money(l.rate)
                    ))
                } else if l.enhancement.is_sign_positive() && !l.enhancement.is_zero() {
                    Some(format!(
                        "{}% on top of the pay for your hours",
                        (l.enhancement * Decimal::from(100)).round_dp(2).normalize()
                    ))
                } else {
                    None
                },
                amount: format::money(l.amount),
            })
            .collect(),
        total: format::money(t.pay_total),
        pay_period: t.pay_period.as_deref().map(period_words),
        holder: holder_words(&t),
    })
}
