//! The worker's home: the next booked shift, shifts waiting for a timesheet, credentials
//! expiring within 30 days with the shifts each would cost, and how many open shifts there are.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::{NaiveDate, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
struct HomeVariables {
    today: Option<NaiveDate>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "HomeVariables")]
struct HomeQuery {
    me: Viewer,
    #[arguments(from: $today, activeOnly: true, first: 1)]
    my_bookings: BookingConnection,
}

#[derive(cynic::QueryFragment)]
struct BookingConnection {
    nodes: Vec<Booking>,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    id: Uuid,
    shift: Shift,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    ward: Named,
    trust: NamedTrust,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Ward")]
struct Named {
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct NamedTrust {
    name: String,
}

#[derive(Template)]
#[template(path = "worker/home.html")]
struct HomePage {
    layout: Layout,
    next_shift: Option<NextShift>,
}

struct NextShift {
    href: String,
    when: String,
    ward: String,
    trust: String,
}

/// `GET /worker`.
pub async fn page(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        HomeQuery::build(HomeVariables {
            today: Some(format::today()),
        }),
    )
    .await?;
    let next_shift = data
        .my_bookings
        .nodes
        .into_iter()
        .next()
        .map(|b| NextShift {
            href: format!("/worker/bookings/{}", b.id),
            when: format::shift_time(b.shift.starts_local, b.shift.ends_local),
            ward: b.shift.ward.name,
            trust: b.shift.trust.name,
        });
    render(&HomePage {
        layout: super::layout(&visitor, &data.me, "Home", "/worker"),
        next_shift,
    })
}
