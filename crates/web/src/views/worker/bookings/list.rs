//! My bookings: upcoming (from today, soonest first, with pages) and the past 12 weeks (latest
//! first), each with its state.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Duration;
use serde::Deserialize;

use super::BookingState;
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::fragments::{Site, Trust, Ward};
use crate::layout::Layout;
use crate::pagination::Pagination;
use crate::schema::{NaiveDate, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

/// Upcoming bookings a page.
const PAGE_SIZE: i32 = 20;
/// Past bookings shown (more than one a day for 12 weeks).
const PAST: i32 = 100;

#[derive(cynic::QueryVariables)]
struct ListVariables {
    today: Option<NaiveDate>,
    past_from: Option<NaiveDate>,
    yesterday: Option<NaiveDate>,
    first: Option<i32>,
    past: Option<i32>,
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ListVariables")]
struct ListQuery {
    me: Viewer,
    #[arguments(from: $today, first: $first, after: $after)]
    #[cynic(alias, rename = "myBookings")]
    upcoming: BookingConnection,
    #[arguments(from: $past_from, to: $yesterday, first: $past)]
    #[cynic(alias, rename = "myBookings")]
    past: BookingConnection,
}

#[derive(cynic::QueryFragment)]
struct BookingConnection {
    page_info: PageInfo,
    nodes: Vec<Booking>,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    id: Uuid,
    state: BookingState,
    shift: Shift,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    ward: Ward,
    site: Site,
    trust: Trust,
}

/// One booking as the list shows it.
struct Item {
    href: String,
    when: String,
    place: String,
    trust: String,
    tag: (&'static str, &'static str),
}

impl From<&Booking> for Item {
    fn from(b: &Booking) -> Self {
        Self {
            href: format!("/worker/bookings/{}", b.id),
            when: format::shift_time(b.shift.starts_local, b.shift.ends_local),
            place: format!("{}, {}", b.shift.ward.name, b.shift.site.name),
            trust: b.shift.trust.name.clone(),
            tag: b.state.tag(),
        }
    }
}

#[derive(Template)]
#[template(path = "worker/bookings/list.html")]
struct ListPage {
    layout: Layout,
    upcoming: Vec<Item>,
    past: Vec<Item>,
    pagination: Pagination,
}

/// The page position.
#[derive(Debug, Deserialize)]
pub struct ListParams {
    after: Option<String>,
}

/// `GET /worker/bookings`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let today = format::today();
    let after = params.after.filter(|a| !a.trim().is_empty());
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        ListQuery::build(ListVariables {
            today: Some(today),
            past_from: Some(today - Duration::weeks(12)),
            yesterday: Some(today - Duration::days(1)),
            first: Some(PAGE_SIZE),
            past: Some(PAST),
            after: after.clone(),
        }),
    )
    .await?;
    let info = &data.upcoming.page_info;
    let more = info
        .has_next_page
        .then_some(info.end_cursor.as_deref())
        .flatten()
        .map(|c| format!("/worker/bookings?after={}", crate::session::urlencode(c)));
    render(&ListPage {
        layout: super::super::layout(&visitor, &data.me, "My bookings", "/worker/bookings"),
        upcoming: data.upcoming.nodes.iter().map(Item::from).collect(),
        past: data.past.nodes.iter().rev().map(Item::from).collect(),
        pagination: Pagination {
            // The first part of the list has no cursor.
            previous: after.is_some().then(|| "/worker/bookings".to_owned()),
            next: more,
        },
    })
}
