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
use crate::layout::Layout;
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct TimesheetsQuery {
    me: Viewer,
    #[arguments(first: 100)]
    timesheets: TimesheetConnection,
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
    trust: Trust,
}

#[derive(cynic::QueryFragment)]
struct Trust {
    name: String,
}

/// One row of a list.
struct Row {
    href: String,
    when: String,
    place: String,
    tag: Tag,
}

#[derive(Template)]
#[template(path = "worker/timesheets/list.html")]
struct ListPage {
    layout: Layout,
    due: Vec<Row>,
    queried: Vec<Row>,
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
    let mut sheets = data.timesheets.nodes;
    sheets.sort_by_key(|t| std::cmp::Reverse(t.started_at));
    let (queried, sent): (Vec<_>, Vec<_>) = sheets
        .into_iter()
        .map(|t| {
            (
                t.state == Some(TimesheetState::Queried),
                Row {
                    href: format!("/worker/timesheets/{}", t.id),
                    when: format::shift_time(
                        format::london(t.started_at),
                        format::london(t.ended_at),
                    ),
                    place: t.trust.name,
                    tag: tag_of(t.state),
                },
            )
        })
        .partition(|(q, _)| *q);
    render(&ListPage {
        layout: super::super::layout(&visitor, &data.me, "Timesheets", "/worker/timesheets"),
        due: Vec::new(),
        queried: queried.into_iter().map(|(_, r)| r).collect(),
        sent: sent.into_iter().map(|(_, r)| r).collect(),
    })
}
