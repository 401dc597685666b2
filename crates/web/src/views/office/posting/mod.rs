//! Posting shifts (the "Post shifts" section): one at a time through a form, check your answers
//! and a confirmation (`one`).

pub mod catalogue;
mod one;
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
}
