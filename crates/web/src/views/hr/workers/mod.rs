//! HR's workers: find a worker engaged at this trust, their compliance here (and on a ward chosen
//! with a GET form) item by item with where each met item came from, their checks, and who at
//! which organisation has looked at their record.

mod access;
mod compliance;
mod search;

use axum::Router;
use axum::routing::get;

use crate::WebState;

/// The workers pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/hr/workers", get(search::page))
        .route("/hr/workers/{id}", get(compliance::page))
        .route("/hr/workers/{id}/access", get(access::page))
}
