//! `GET /hr/workers/{id}/access`: for a worker engaged at this trust, who at which organisation
//! looked at their record, what they saw and why they could — the same entries the worker sees
//! on their own page, newest first, so HR can answer their questions about it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::shift::parse_id;

#[derive(cynic::QueryVariables)]
struct AccessVariables {
    worker_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "AccessVariables")]
struct AccessQuery {
    #[arguments(id: $worker_id)]
    worker: Named,
    #[arguments(workerId: $worker_id)]
    access_log: Vec<Entry>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct Named {
    given_name: String,
    family_name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "AccessLogEntry")]
struct Entry {
    at: DateTime,
    what: String,
    purpose: String,
    viewer_trust: Option<TrustName>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct TrustName {
    name: String,
}

struct Row {
    when: String,
    who: String,
    what: &'static str,
    why: &'static str,
}

#[derive(Template)]
#[template(path = "hr/workers/access.html")]
struct AccessPage {
    layout: Layout,
    id: Uuid,
    name: String,
    rows: Vec<Row>,
}

/// What was seen, in words (the API's codes: RECORD, CREDENTIALS, PASSPORT, COMPLIANCE).
fn what_they_saw(code: &str) -> &'static str {
    match code {
        "RECORD" => "Their details, such as date of birth and contact details",
        "CREDENTIALS" => "Their checks and training",
        "PASSPORT" => "Their passport",
        "COMPLIANCE" => "Whether their checks and training meet the trust's requirements",
        _ => "Their record",
    }
}

/// Why they could, in words (the API's purposes).
fn why_they_could(code: &str) -> &'static str {
    match code {
        "ENGAGED_AT_TRUST" => "The worker works for that trust through the bank",
        "PASSPORT_SHARED" => "The worker shared their passport with that trust",
        "PASSPORT_ISSUER" => "That trust issued the worker's passport",
        "PASSPORT_PRESENTED" => "The worker's passport was shown to that trust to check",
        "COMPLIANCE_CHECK" => "That trust checked whether the worker could work its shifts",
        "BANK_ADMINISTRATION" => "They run the collaborative bank",
        _ => "Their work for the bank",
    }
}

/// `GET /hr/workers/{id}/access`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        AccessQuery::build(AccessVariables { worker_id: id }),
    )
    .await?;
    let name = format!("{} {}", data.worker.given_name, data.worker.family_name);
    let rows = data
        .access_log
        .iter()
        .map(|e| Row {
            when: format::when(e.at),
            who: e.viewer_trust.as_ref().map_or_else(
                || "The collaborative bank's administrators".to_owned(),
                |t| t.name.clone(),
            ),
            what: what_they_saw(&e.what),
            why: why_they_could(&e.purpose),
        })
        .collect();
    render(&AccessPage {
        layout: hr.layout(
            &visitor,
            &format!("Who has looked at {name}'s record"),
            "/hr/workers",
        ),
        id,
        name,
        rows,
    })
}
