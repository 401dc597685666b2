//! One booking: the shift, where it stands, its history, and a link to cancel it while it holds
//! its place and the shift has not started.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{BookingState, event_words};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::fragments::{PayQuote, Site, Trust, Ward};
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDateTime, Uuid, schema};
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
    id: Uuid,
    state: BookingState,
    self_booked: bool,
    created_at: DateTime,
    shift: Shift,
    history: Vec<BookingEvent>,
    cancellation: Option<Cancellation>,
    cancellation_preview: Option<Preview>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CancellationPreview")]
struct Preview {
    short_notice: bool,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    id: Uuid,
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    my_pay: Option<PayQuote>,
    ward: Ward,
    site: Site,
    trust: Trust,
}

#[derive(cynic::QueryFragment)]
struct BookingEvent {
    event: String,
    strike: bool,
    reason: Option<String>,
    at: DateTime,
}

#[derive(cynic::QueryFragment)]
struct Cancellation {
    short_notice: bool,
}

#[derive(Template)]
#[template(path = "worker/bookings/one.html")]
struct BookingPage {
    layout: Layout,
    id: Uuid,
    caption: String,
    heading: String,
    tag: (&'static str, &'static str),
    facts: Vec<(&'static str, String)>,
    history: Vec<(String, String, Option<String>)>,
    can_cancel: bool,
    short_notice_now: bool,
    shift_href: String,
}

/// `GET /worker/bookings/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = id.parse().map_err(|_| PageError::NotFound)?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookingQuery::build(BookingVariables { id }),
    )
    .await?;
    let b = &data.booking;
    let s = &b.shift;
    let when = format::shift_time(s.starts_local, s.ends_local);
    let mut facts = vec![
        ("Date and time", when.clone()),
        ("Ward", s.ward.name.clone()),
        ("Hospital", s.site.name.clone()),
        ("Trust", s.trust.name.clone()),
        (
            "Pay",
            s.my_pay
                .as_ref()
                .map_or_else(|| "Pay not shown".to_owned(), |p| format::money(p.total)),
        ),
        (
            "Booked",
            format!(
                "{}{}",
                format::when(b.created_at),
                if b.self_booked {
                    ", by you"
                } else {
                    ", by the bank office"
                }
            ),
        ),
    ];
    if let Some(c) = &b.cancellation {
        facts.push((
            "Short notice",
            if c.short_notice {
                "Yes, it was cancelled at short notice".to_owned()
            } else {
                "No".to_owned()
            },
        ));
    }
    let history = b
        .history
        .iter()
        .map(|e| {
            let mut what = event_words(&e.event).to_owned();
            if e.strike {
                what.push_str(" (counts as short notice)");
            }
            (
                format::when(e.at),
                what,
                e.reason.clone().filter(|r| !r.trim().is_empty()),
            )
        })
        .collect();
    render(&BookingPage {
        layout: super::super::layout(&visitor, &data.me, &when, "/worker/bookings"),
        id: b.id,
        caption: format!("{}, {}", s.ward.name, s.site.name),
        heading: when,
        tag: b.state.tag(),
        facts,
        history,
        // The API previews a cancellation only when the worker may cancel now.
        can_cancel: b.cancellation_preview.is_some(),
        short_notice_now: b
            .cancellation_preview
            .as_ref()
            .is_some_and(|p| p.short_notice),
        shift_href: format!("/worker/shifts/{}", s.id),
    })
}
