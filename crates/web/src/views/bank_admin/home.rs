//! `GET /bank-admin`: the system admin's home — the bank, how many trusts it has, and what each
//! part of their area is for.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::BankAdmin;
use super::trusts::member_trusts;
use crate::WebState;
use crate::errors::{PageError, render};
use crate::layout::Layout;
use crate::session::Visitor;

/// One part of the area.
struct Part {
    href: &'static str,
    title: &'static str,
    description: &'static str,
}

const PARTS: &[Part] = &[
    Part {
        href: "/bank-admin/trusts",
        title: "Trusts",
        description: "The trusts in the bank, and admitting a new one.",
    },
    Part {
        href: "/bank-admin/agreement",
        title: "Passporting agreement",
        description: "Which checks and training the trusts accept from each other's passports, and how old they may be.",
    },
    Part {
        href: "/bank-admin/keys",
        title: "Keys and the trust registry",
        description: "The keys each trust signs passports with, and the registry that lets anyone check them.",
    },
    Part {
        href: "/bank-admin/audit",
        title: "Access audit",
        description: "Who at which trust looked at a worker's details, and why.",
    },
    Part {
        href: "/bank-admin/recharges",
        title: "Recharges between trusts",
        description: "What each trust owes the others for a pay period.",
    },
    Part {
        href: "/bank-admin/compare",
        title: "Compare the trusts",
        description: "Fill rate, time to fill, agency use and cancellations, side by side.",
    },
];

#[derive(Template)]
#[template(path = "bank_admin/home.html")]
struct HomePage {
    layout: Layout,
    bank: String,
    trusts: usize,
    parts: &'static [Part],
}

/// `GET /bank-admin`.
async fn page(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let trusts = member_trusts(&state, &visitor, &admin).await?.len();
    render(&HomePage {
        layout: admin.layout(&visitor, "Manage the collaborative bank", "/bank-admin"),
        bank: admin.bank.name.clone(),
        trusts,
        parts: PARTS,
    })
}

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new().route("/bank-admin", get(page))
}
