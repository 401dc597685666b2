//! The list of timesheets waiting: oldest first, each with the worker, the shift, when it was
//! sent and the deadline (overdue ones marked in words, not colour alone), whether the times
//! differ from the booking, a link to check them, and a checkbox to approve or query several at
//! once. After a decision the list says what was done.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{AtDesk, Desk, at_desk};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render_form};
use crate::format;
use crate::forms::{Errors, Textarea};
use crate::fragments::Ward;
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
pub(super) struct WaitingVariables {
    pub trust_id: Option<Uuid>,
    pub escalated: Option<bool>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WaitingVariables")]
struct WaitingQuery {
    #[arguments(trustId: $trust_id, state: SUBMITTED, escalated: $escalated, first: 100)]
    timesheets: TimesheetConnection,
}

#[derive(cynic::QueryFragment)]
struct TimesheetConnection {
    nodes: Vec<Timesheet>,
    page_info: PageInfo,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
}

#[derive(cynic::QueryFragment)]
struct Timesheet {
    id: Uuid,
    started_at: DateTime,
    ended_at: DateTime,
    break_minutes: i32,
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
}

/// One timesheet in the list.
struct Row {
    id: Uuid,
    href: String,
    worker: String,
    shift: String,
    ward: String,
    sent: String,
    deadline: String,
    overdue: bool,
    escalated: bool,
    differs: bool,
    checked: bool,
}

/// What the person chose and typed, kept when the form comes back with errors.
#[derive(Debug, Clone, Default)]
pub struct Chosen {
    /// The timesheets ticked.
    pub ids: Vec<Uuid>,
    /// The reason typed for querying.
    pub reason: String,
}

/// What was just done, from the redirect after a decision.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    approved: Option<u32>,
    queried: Option<u32>,
}

#[derive(Template)]
#[template(path = "ward/timesheets.html")]
struct ListPage {
    layout: Layout,
    desk_office: bool,
    heading: &'static str,
    action: &'static str,
    rows: Vec<Row>,
    more: bool,
    done: Option<String>,
    errors: Errors,
    reason: Textarea,
}

/// Whether the times sent differ from the booking at all.
fn differs(t: &Timesheet) -> bool {
    let s = &t.booking.shift;
    format::london(t.started_at) != s.starts_local
        || format::london(t.ended_at) != s.ends_local
        || t.break_minutes != s.break_minutes
}

fn done_words(done: &Done) -> Option<String> {
    let n = |k: u32, what: &str| {
        if k == 1 {
            format!("1 timesheet {what}")
        } else {
            format!("{k} timesheets {what}")
        }
    };
    match (done.approved, done.queried) {
        (Some(k), _) => Some(n(k, "approved")),
        (None, Some(k)) => Some(format!(
            "{}: the worker has been asked to check and send it again",
            n(k, "queried")
        )),
        (None, None) => None,
    }
}

/// Renders the list (with `errors`, the choices kept, when a decision could not be made).
///
/// # Errors
/// As [`at_desk`]; the API failed.
pub async fn build(
    state: &WebState,
    visitor: &Visitor,
    desk: Desk,
    chosen: &Chosen,
    done: &Done,
    errors: Errors,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let heading = match desk {
        Desk::Ward => "Timesheets waiting for you",
        Desk::Office => "Timesheets past their deadline",
    };
    let AtDesk { layout, trust_id } = at_desk(state, visitor, desk, heading).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        WaitingQuery::build(WaitingVariables {
            trust_id: Some(trust_id),
            escalated: (desk == Desk::Office).then_some(true),
        }),
    )
    .await?;
    let more = data.timesheets.page_info.has_next_page;
    let mut sheets = data.timesheets.nodes;
    sheets.sort_by_key(|t| (t.submitted_at, t.id));
    let rows = sheets
        .into_iter()
        .map(|t| {
            let s = &t.booking.shift;
            Row {
                id: t.id,
                href: desk.timesheet_href(t.id),
                worker: format!("{} {}", t.worker.given_name, t.worker.family_name),
                shift: format::shift_time(s.starts_local, s.ends_local),
                ward: s.ward.name.clone(),
                sent: format::when(t.submitted_at),
                deadline: t.deadline.map(format::when).unwrap_or_default(),
                overdue: t.overdue,
                escalated: t.escalated_at.is_some(),
                differs: differs(&t),
                checked: chosen.ids.contains(&t.id),
            }
        })
        .collect();
    let reason = Textarea::new("reason", "Why are you querying them?")
        .hint("The worker sees this and is asked to check their times and send the timesheet again. Needed only to query.")
        .value(chosen.reason.clone())
        .error_from(&errors);
    let invalid = !errors.is_empty();
    let page = ListPage {
        layout: layout.with_errors(invalid),
        desk_office: desk == Desk::Office,
        heading,
        action: desk.decide_href(),
        rows,
        more,
        done: done_words(done),
        errors,
        reason,
    };
    render_form(&page, invalid)
}

/// `GET /ward` or `GET /office/timesheets`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
    desk: Desk,
) -> Result<Response, PageError> {
    build(
        &state,
        &visitor,
        desk,
        &Chosen::default(),
        &done,
        Errors::new(),
    )
    .await
}
