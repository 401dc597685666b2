//! `GET /worker/passports/access`: who from another organisation has looked at the worker's
//! record — when, which trust, what they saw and why they could — newest first, as the API
//! logs it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{SECTION, TrustRef};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct AccessVariables {
    worker_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "AccessVariables")]
struct AccessQuery {
    #[arguments(workerId: $worker_id)]
    access_log: Vec<Entry>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "AccessLogEntry")]
struct Entry {
    at: DateTime,
    what: String,
    purpose: String,
    viewer_trust: Option<TrustRef>,
}

struct Row {
    when: String,
    who: String,
    what: &'static str,
    why: &'static str,
}

#[derive(Template)]
#[template(path = "worker/passports/access.html")]
struct AccessPage {
    layout: Layout,
    rows: Vec<Row>,
}

/// What was seen, in words (the API's codes: RECORD, CREDENTIALS, PASSPORT, COMPLIANCE).
fn what_in_words(code: &str) -> &'static str {
    match code {
        "RECORD" => "Your details, such as your date of birth and contact details",
        "CREDENTIALS" => "Your checks and training",
        "PASSPORT" => "Your passport",
        "COMPLIANCE" => "Whether your checks and training meet their requirements",
        _ => "Your record",
    }
}

/// Why they could, in words (the API's purposes).
fn why_in_words(code: &str) -> &'static str {
    match code {
        "ENGAGED_AT_TRUST" => "You work for them through the bank",
        "PASSPORT_SHARED" => "You shared your passport with them",
        "PASSPORT_ISSUER" => "They issued your passport",
        "PASSPORT_PRESENTED" => "Your passport was shown to them to check",
        "COMPLIANCE_CHECK" => "They checked whether you could work shifts there",
        "BANK_ADMINISTRATION" => "They run the collaborative bank",
        _ => "Their work for the bank",
    }
}

/// `GET /worker/passports/access`.
pub async fn page(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let who = super::list::me_and_worker(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        AccessQuery::build(AccessVariables {
            worker_id: who.my_worker.id,
        }),
    )
    .await?;
    let rows = data
        .access_log
        .iter()
        .map(|e| Row {
            when: format::when(e.at),
            who: e.viewer_trust.as_ref().map_or_else(
                || "An organisation of the bank".to_owned(),
                |t| t.name.clone(),
            ),
            what: what_in_words(&e.what),
            why: why_in_words(&e.purpose),
        })
        .collect();
    render(&AccessPage {
        layout: super::super::layout(&visitor, &who.me, "Who has looked at your record", SECTION),
        rows,
    })
}
