//! `GET /worker/timesheets`: the shifts the worker still has to send a timesheet for, and the
//! timesheets they have sent, newest first, each with where it stands.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{Tag, TimesheetState, tag_of};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::fragments::{Trust, Ward};
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct TimesheetsQuery {
    me: Viewer,
    #[arguments(timesheetDue: true, first: 100)]
    my_bookings: BookingConnection,
    #[arguments(first: 100)]
    timesheets: TimesheetConnection,
}

#[derive(cynic::QueryFragment)]
struct BookingConnection {
    nodes: Vec<Booking>,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    id: Uuid,
    shift: Shift,
    timesheet: Option<Sent>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
struct Sent {
    id: Uuid,
    state: Option<TimesheetState>,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    ward: Ward,
    trust: Trust,
}

#[derive(cynic::QueryFragment)]
struct TimesheetConnection {
    nodes: Vec<Timesheet>,
}

#[derive(cynic::QueryFragment)]
struct Timesheet {
    id: Uuid,
    started_at: DateTime,
    ended_at: DateTime,
    state: Option<TimesheetState>,
    booking: TimesheetBooking,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct TimesheetBooking {
    shift: Shift,
}

/// One row of a list.
struct Row {
    href: String,
    when: String,
    place: String,
    tag: Tag,
}

/// A shift waiting for the worker: no timesheet yet, or one the ward manager queried.
struct Due {
    row: Row,
    action: &'static str,
}

#[derive(Template)]
#[template(path = "worker/timesheets/list.html")]
struct ListPage {
    layout: Layout,
    due: Vec<Due>,
    sent: Vec<Row>,
}

/// `GET /worker/timesheets`.
pub async fn page(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        TimesheetsQuery::build(()),
    )
    .await?;
    let due = data
        .my_bookings
        .nodes
        .into_iter()
        .map(|b| {
            let (href, tag, action) = match b.timesheet {
                Some(t) => (
                    format!("/worker/timesheets/{}", t.id),
                    tag_of(t.state),
                    "See the question and answer it",
                ),
                None => (
                    format!("/worker/bookings/{}/timesheet", b.id),
                    Tag {
                        text: "Not sent yet",
                        class: "nhsuk-tag--grey",
                    },
                    "Send timesheet",
                ),
            };
            Due {
                row: Row {
                    href,
                    when: format::shift_time(b.shift.starts_local, b.shift.ends_local),
                    place: place(&b.shift),
                    tag,
                },
                action,
            }
        })
        .collect();
    let mut sheets: Vec<Timesheet> = data
        .timesheets
        .nodes
        .into_iter()
        .filter(|t| t.state != Some(TimesheetState::Queried))
        .collect();
    sheets.sort_by_key(|t| std::cmp::Reverse(t.started_at));
    let sent = sheets
        .into_iter()
        .map(|t| Row {
            href: format!("/worker/timesheets/{}", t.id),
            when: format::shift_time(format::london(t.started_at), format::london(t.ended_at)),
            place: place(&t.booking.shift),
            tag: tag_of(t.state),
        })
        .collect();
    render(&ListPage {
        layout: super::super::layout(&visitor, &data.me, "Timesheets", "/worker/timesheets"),
        due,
        sent,
    })
}

fn place(shift: &Shift) -> String {
    format!("{}, {}", shift.ward.name, shift.trust.name)
}
