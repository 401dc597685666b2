//! The worker's pages: home, find shifts, a shift and booking it, my bookings and cancelling,
//! timesheets, my record, passports and privacy. Mobile first: each works at 360 px.

pub mod bookings;
pub mod home;
pub mod passports;
pub mod record;
pub mod shifts;
pub mod timesheets;

use axum::Router;
use axum::routing::get;

use crate::WebState;
use crate::layout::Layout;
use crate::session::Visitor;
use crate::viewer::Viewer;

/// The worker's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/worker", "Home"),
    ("/worker/shifts", "Find shifts"),
    ("/worker/bookings", "My bookings"),
    ("/worker/timesheets", "Timesheets"),
    ("/worker/record", "My record"),
    ("/worker/passports", "Passports and privacy"),
];

/// The frame of a worker's page in section `current` (one of [`NAV`]'s links).
#[must_use]
pub fn layout(visitor: &Visitor, me: &Viewer, title: &str, current: &str) -> Layout {
    let mut layout = Layout::signed_in(visitor, title, &me.display_name).nav(NAV, current);
    if me.areas().len() > 1 {
        layout.home = "/";
    } else {
        layout.home = "/worker";
    }
    layout
}

/// Every worker page.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/worker", get(home::page))
        .merge(shifts::routes())
        .merge(bookings::routes())
        .merge(timesheets::routes())
        .merge(record::routes())
        .merge(passports::routes())
}
