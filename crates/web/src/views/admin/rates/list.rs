//! `GET /admin/rates`: the trust's cards, newest first, the one in force today marked.

use std::str::FromStr;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::super::TrustAdmin;
use super::operations::cards;
use crate::WebState;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::{Decimal, NaiveDate};
use crate::session::Visitor;
use crate::views::worker::shifts::grade_name;

/// "12.07%" from 0.1207.
pub(super) fn percent(fraction: Decimal) -> String {
    format!("{}%", (fraction * Decimal::from(100)).normalize())
}

/// A card as the list shows it.
struct CardView {
    title: String,
    status: &'static str,
    rates: Vec<(String, String)>,
    uplift: String,
}

#[derive(Template)]
#[template(path = "admin/rates.html")]
struct ListPage {
    layout: Layout,
    done: String,
    cards: Vec<CardView>,
}

/// What was just done.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    set: String,
}

/// `GET /admin/rates`.
pub(super) async fn list(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = cards(&state, &visitor, &admin).await?;
    let in_force = data.rate_card_in_force.effective_from;
    let in_force_built_in = data.rate_card_in_force.built_in;
    let mut cards: Vec<CardView> = data
        .rate_cards
        .iter()
        .map(|c| CardView {
            title: if c.built_in {
                "Standard Agenda for Change rates".to_owned()
            } else {
                format!("From {}", format::date(c.effective_from))
            },
            status: if c.built_in == in_force_built_in && c.effective_from == in_force {
                "In force"
            } else if c.effective_from > format::today() {
                "Coming"
            } else {
                "Replaced"
            },
            rates: c
                .rates
                .iter()
                .map(|r| {
                    (
                        grade_name(&r.grade),
                        format!("{} an hour", format::money(r.hourly_rate)),
                    )
                })
                .collect(),
            uplift: percent(c.holiday_uplift),
        })
        .collect();
    // Newest first: the built-in card is the oldest.
    cards.reverse();
    let done = NaiveDate::from_str(done.set.trim())
        .map(|d| {
            format!(
                "New rate card saved. It applies to shifts from {}.",
                format::date(d)
            )
        })
        .unwrap_or_default();
    render(&ListPage {
        layout: admin.layout(&visitor, "Rate cards", "/admin/rates"),
        done,
        cards,
    })
}
