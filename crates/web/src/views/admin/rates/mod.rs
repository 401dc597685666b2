//! Rate cards: `GET /admin/rates` lists the trust's cards by the day each applies from (the
//! built-in Agenda for Change card first), marking the one in force today. Setting a new card is
//! a form (`GET|POST /admin/rates/new`: the day it applies from, an hourly rate per grade, the
//! holiday pay uplift, and a grade to preview) and then a check-answers page showing what four
//! example shifts — a weekday day, a night, a Saturday and a bank holiday — pay at that grade
//! under the card in force and under the new one (`rateCardPreview`); only from there is the card
//! saved (`POST /admin/rates/save`). The unsocial-hours enhancements of the card in force carry
//! over unchanged.

mod form;
mod list;
mod operations;
mod preview;
mod save;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;

/// The rate card pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/rates", get(list::list))
        .route("/admin/rates/new", get(form::new).post(preview::check))
        .route("/admin/rates/save", post(save::save))
}
