//! The bank office's reports: fill rate, time to fill, bank and agency-tier fills, spend by ward
//! and staff group, cancellations and no-shows over a chosen range of dates (the last four weeks
//! unless chosen), each as a server-drawn SVG chart with its numbers in a table beside it and as a
//! CSV download. The figures come from the API's `trustReport`.

mod figures;
mod page;

use axum::Router;
use axum::routing::get;

use crate::WebState;

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/office/reports", get(page::page))
        .route("/office/reports/csv/{section}", get(page::csv))
}
