//! Posting shifts (the "Post shifts" section): one at a time through a form, check your answers
//! and a confirmation (`one`), or many from a roster file, previewed and posted all or nothing
//! (`roster`).

pub mod catalogue;
mod one;
mod roster;
pub mod shift_form;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/office/shifts/new", get(one::form).post(one::check))
        .route("/office/shifts/new/post", post(one::post))
        .route("/office/shifts/{id}/posted", get(one::posted))
        .route(
            "/office/shifts/upload",
            get(roster::form).post(roster::upload),
        )
        .route(
            "/office/shifts/upload/roster-template.csv",
            get(roster::template),
        )
        .route("/office/shifts/imports/{id}", get(roster::show))
        .route("/office/shifts/imports/{id}/post", post(roster::post))
}
