//! HR's checks to do: the queue of credentials waiting to be verified at this trust (HR's home),
//! and a credential's page with its document shown in the page, its history, and the decisions
//! this trust may make (verify, reject or revoke with a reason).

mod credential;
mod queue;

pub(crate) use queue::{check_name, document_words};

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;

/// The checks pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/hr", get(queue::page))
        .route("/hr/credentials/{id}", get(credential::page))
        .route("/hr/credentials/{id}/evidence", get(credential::evidence))
        .route("/hr/credentials/{id}/verify", post(credential::verify))
        .route("/hr/credentials/{id}/reject", post(credential::reject))
        .route("/hr/credentials/{id}/revoke", post(credential::revoke))
}
