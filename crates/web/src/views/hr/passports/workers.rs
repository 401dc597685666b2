//! `GET /hr/passports`: what passporting saved this trust, the way to receive a passport, and a
//! search for a worker engaged here by name; a worker's passports (`passportsOfWorker`) with
//! their status, and issuing a new one after a page that says what it will hold.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{HrPassport, PassportRow, SECTION};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_form};
use crate::forms::{Errors, Input};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::shift::parse_id;

// --- Search ------------------------------------------------------------------------------------

#[derive(cynic::QueryVariables)]
struct SearchVariables {
    trust_id: Option<Uuid>,
    name: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SearchVariables")]
struct SearchQuery {
    #[arguments(trustId: $trust_id, name: $name, first: 50)]
    workers: Found,
}

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct BankQuery {
    #[arguments(id: $trust_id)]
    trust: BankOf,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct BankOf {
    collaborative_bank: BankId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CollaborativeBank")]
struct BankId {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerConnection")]
struct Found {
    nodes: Vec<FoundWorker>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct FoundWorker {
    id: Uuid,
    given_name: String,
    family_name: String,
    grade: String,
    staff_group: Option<crate::fragments::StaffGroup>,
}

#[derive(cynic::QueryVariables)]
struct SavingsVariables {
    system_id: Uuid,
    trust_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SavingsVariables")]
struct SavingsQuery {
    #[arguments(systemId: $system_id, trustId: $trust_id)]
    passport_savings: Savings,
}

/// What passporting saved a trust (the API's `PassportSavings`).
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "PassportSavings")]
pub struct Savings {
    /// Passports issued.
    pub passports_issued: i32,
    /// Acceptance decisions made.
    pub acceptances: i32,
    /// Checks and training accepted rather than redone.
    pub checks_accepted: i32,
    /// Items that needed a local check.
    pub checks_needing_local_check: i32,
    /// Items rejected.
    pub checks_rejected: i32,
}

/// The savings of `trust`, in the bank `system`.
///
/// # Errors
/// The API's.
pub async fn savings(
    state: &WebState,
    visitor: &Visitor,
    system_id: Uuid,
    trust_id: Uuid,
) -> Result<Savings, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        SavingsQuery::build(SavingsVariables {
            system_id,
            trust_id: Some(trust_id),
        }),
    )
    .await?
    .passport_savings)
}

/// The collaborative bank `trust` belongs to.
///
/// # Errors
/// The API's.
pub async fn bank_of(
    state: &WebState,
    visitor: &Visitor,
    trust_id: Uuid,
) -> Result<Uuid, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        BankQuery::build(TrustVariables { trust_id }),
    )
    .await?
    .trust
    .collaborative_bank
    .id)
}

struct Row {
    href: String,
    name: String,
    group: String,
    grade: String,
}

#[derive(Template)]
#[template(path = "hr/passports/index.html")]
struct IndexPage {
    layout: Layout,
    errors: Errors,
    trust: String,
    savings: Savings,
    name: Input,
    searched: bool,
    rows: Vec<Row>,
}

/// The search's field.
#[derive(Debug, Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    name: String,
}

/// `GET /hr/passports`.
pub async fn search(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<SearchParams>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(&state, &visitor).await?;
    let name = params.name.trim().to_owned();
    let mut errors = Errors::new();
    if name.chars().count() > 100 {
        errors.add("name", "Name must be 100 characters or fewer");
    }
    let mut searched = !name.is_empty() && errors.is_empty();
    let mut found = Vec::new();
    if searched {
        let result = api::run(
            state.api.as_ref(),
            &visitor.caller,
            SearchQuery::build(SearchVariables {
                trust_id: Some(hr.trust.id),
                name: Some(name.clone()),
            }),
        )
        .await;
        match result {
            Ok(data) => found = data.workers.nodes,
            Err(e) if e.code == Code::Validation => {
                searched = false;
                errors.add("name", "Enter part of a name, on one line");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let system_id = bank_of(&state, &visitor, hr.trust.id).await?;
    let savings = savings(&state, &visitor, system_id, hr.trust.id).await?;
    let rows = found
        .into_iter()
        .map(|w| Row {
            href: format!("/hr/passports/workers/{}", w.id),
            name: format!("{} {}", w.given_name, w.family_name),
            group: w
                .staff_group
                .map_or("", crate::fragments::StaffGroup::name)
                .to_owned(),
            grade: crate::views::worker::shifts::grade_name(&w.grade),
        })
        .collect();
    let invalid = !errors.is_empty();
    let page = IndexPage {
        layout: hr
            .layout(&visitor, "Passports", SECTION)
            .with_errors(invalid),
        trust: hr.trust.name.clone(),
        savings,
        name: Input::new("name", "Name of the worker")
            .hint("Part of their first name or surname. Only workers engaged here are found.")
            .value(name)
            .error_from(&errors),
        searched,
        rows,
        errors,
    };
    render_form(&page, invalid)
}

// --- A worker's passports ----------------------------------------------------------------------

#[derive(cynic::QueryVariables)]
struct WorkerVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
struct WorkerQuery {
    #[arguments(id: $id)]
    worker: Person,
    #[arguments(workerId: $id)]
    passports_of_worker: Vec<HrPassport>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct Person {
    id: Uuid,
    given_name: String,
    family_name: String,
}

async fn worker_query(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<WorkerQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        WorkerQuery::build(WorkerVariables { id }),
    )
    .await?)
}

#[derive(Template)]
#[template(path = "hr/passports/worker.html")]
struct WorkerPage {
    layout: Layout,
    name: String,
    trust: String,
    issue_href: String,
    banner: Option<String>,
    passports: Vec<PassportRow>,
}

/// What the address may carry: what was just done, for the banner.
#[derive(Debug, Deserialize)]
pub struct WorkerParams {
    done: Option<String>,
}

/// `GET /hr/passports/workers/{id}`.
pub async fn worker(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(q): Query<WorkerParams>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let data = worker_query(&state, &visitor, id).await?;
    let name = format!("{} {}", data.worker.given_name, data.worker.family_name);
    let banner = q.done.as_deref().and_then(|done| {
        Some(match done {
            "issued" => format!("Passport issued. {name} can now share it with another trust."),
            "suspended" => {
                "Passport suspended. No trust can accept it until you reinstate it.".to_owned()
            }
            "reinstated" => "Passport reinstated. Trusts can accept it again.".to_owned(),
            "revoked" => "Passport revoked. No trust can accept it again.".to_owned(),
            _ => return None,
        })
    });
    render(&WorkerPage {
        layout: hr.layout(&visitor, &format!("Passports of {name}"), SECTION),
        trust: hr.trust.name.clone(),
        issue_href: format!("/hr/passports/workers/{}/issue", data.worker.id),
        banner,
        passports: data
            .passports_of_worker
            .iter()
            .map(|p| PassportRow::of(p, hr.trust.id))
            .collect(),
        name,
    })
}

// --- Issue -------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "hr/passports/issue.html")]
struct IssuePage {
    layout: Layout,
    errors: Errors,
    name: String,
    trust: String,
    back: String,
    action: String,
}

async fn issue_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    errors: Errors,
) -> Result<Response, PageError> {
    let hr = Hr::of(state, visitor).await?;
    let data = worker_query(state, visitor, id).await?;
    let name = format!("{} {}", data.worker.given_name, data.worker.family_name);
    let invalid = !errors.is_empty();
    let page = IssuePage {
        layout: hr
            .layout(visitor, &format!("Issue a passport to {name}?"), SECTION)
            .with_errors(invalid),
        errors,
        name,
        trust: hr.trust.name.clone(),
        back: format!("/hr/passports/workers/{id}"),
        action: format!("/hr/passports/workers/{id}/issue"),
    };
    render_form(&page, invalid)
}

/// `GET /hr/passports/workers/{id}/issue`: what the passport will hold, and "Issue passport".
pub async fn issue_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    issue_page(&state, &visitor, id, Errors::new()).await
}

#[derive(cynic::QueryVariables)]
struct IssueVariables {
    worker_id: Uuid,
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "IssueVariables")]
struct IssuePassport {
    #[arguments(workerId: $worker_id, trustId: $trust_id)]
    issue_passport: Issued,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Passport")]
struct Issued {
    id: Uuid,
}

/// `POST /hr/passports/workers/{id}/issue`.
pub async fn issue(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let op = IssuePassport::build(IssueVariables {
        worker_id: id,
        trust_id: hr.trust.id,
    });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => {
            tracing::debug!(passport = %done.issue_passport.id, "passport issued");
            Ok(Redirect::to(&format!("/hr/passports/workers/{id}?done=issued")).into_response())
        }
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            errors.add("issue", crate::format::error_message(&e.message));
            issue_page(&state, &visitor, id, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
