//! Market rules: `GET /admin/market` shows the trust's market policy (cancellation windows and
//! fee, strikes that suspend self-booking, dormancy) and the release cascade new shifts get by
//! default (who is offered a shift, and when), each a form of its own
//! (`POST /admin/market/policy`, `POST /admin/market/cascade`). Times are asked in hours, as
//! people think of them, and sent in minutes.

mod cascade;
mod hours;
mod operations;
mod page;
mod policy;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;

/// The market rules pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/market", get(page::page))
        .route("/admin/market/policy", post(policy::set_policy))
        .route("/admin/market/cascade", post(cascade::set_cascade))
}
