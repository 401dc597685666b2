//! The bank office's workers: search the bank (name, staff group, grade, skill), and a worker's
//! page showing exactly what this trust may see of them — the bank-wide summary until the worker
//! accepts an engagement, their full record once they have — with asking to engage them, blocking
//! them from this trust's shifts (and lifting it), and adding them to a ward's preferred list.

mod search;
mod show;

pub use show::Access;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;

/// The workers pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/office/workers", get(search::page))
        .route("/office/workers/{id}", get(show::page))
        .route(
            "/office/workers/{id}/engage",
            get(show::engage_confirm).post(show::engage_submit),
        )
        .route("/office/workers/{id}/block", post(show::block))
        .route("/office/workers/{id}/lift", post(show::lift))
        .route("/office/workers/{id}/preferred", post(show::preferred))
}
