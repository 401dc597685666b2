//! The worker's bookings: upcoming and past (`myBookings`), one booking with its history, and
//! cancelling one (a reason, then a confirm step that says first whether it counts as short
//! notice and what follows — the API's answer, never the page's — then a confirmation page).

pub mod cancel;
pub mod list;
pub mod one;

use axum::Router;
use axum::routing::get;

use crate::WebState;
use crate::schema::schema;

/// The routes of my bookings.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/worker/bookings", get(list::page))
        .route("/worker/bookings/{id}", get(one::page))
        .route(
            "/worker/bookings/{id}/cancel",
            get(cancel::form).post(cancel::submit),
        )
        .route("/worker/bookings/{id}/cancelled", get(cancel::cancelled))
}

/// Where a booking stands (the API's `BookingState`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "BookingState")]
pub enum BookingState {
    /// Holds its place.
    Booked,
    /// The worker cancelled.
    CancelledByWorker,
    /// The trust cancelled.
    CancelledByTrust,
    /// The worker did not come.
    NoShow,
}

impl BookingState {
    /// The tag: its colour class and words.
    #[must_use]
    pub fn tag(self) -> (&'static str, &'static str) {
        match self {
            Self::Booked => ("nhsuk-tag--green", "Booked"),
            Self::CancelledByWorker => ("nhsuk-tag--grey", "Cancelled by you"),
            Self::CancelledByTrust => ("nhsuk-tag--orange", "Cancelled by the trust"),
            Self::NoShow => ("nhsuk-tag--red", "Did not attend"),
        }
    }
}

/// A booking's history event (`BookingEvent.event`) in words.
#[must_use]
pub fn event_words(event: &str) -> &'static str {
    match event {
        "BOOKED" => "Booked",
        "CANCELLED_BY_WORKER" => "Cancelled by you",
        "CANCELLED_BY_TRUST" => "Cancelled by the trust",
        "NO_SHOW" => "Recorded as did not attend",
        _ => "Changed",
    }
}
