//! A passport accepted (`GET /hr/passports/accepted/{id}`): the decision recorded, the checks it
//! saved the trust, and the items left to check here.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::evaluation::{Counts, Decision, Outcome, OutcomeView};
use super::verification::Named;
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::hr::passports::workers::{Savings, bank_of, savings};
use crate::views::hr::passports::{SECTION, worker_name};
use crate::views::office::shift::parse_id;

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct AcceptancesQuery {
    #[arguments(trustId: $trust_id)]
    passport_acceptances: Vec<Acceptance>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportAcceptance")]
struct Acceptance {
    id: Uuid,
    worker_id: Uuid,
    items: Vec<Outcome>,
    accepted_count: i32,
    local_check_count: i32,
    rejected_count: i32,
    issuer_trust: Named,
}

#[derive(Template)]
#[template(path = "hr/passports/accepted.html")]
struct AcceptedPage {
    layout: Layout,
    name: String,
    trust: String,
    issuer: String,
    counts: Counts,
    /// Whether some items still need checking here.
    to_check_here: bool,
    /// "Check the 2 items left here", above the links to them.
    to_check_heading: String,
    /// The items left to check here, each linked to its page in "Checks to do".
    to_check: Vec<ToCheck>,
    /// "1 passport", "3 passports".
    passports_accepted: String,
    items: Vec<OutcomeView>,
    savings: Savings,
}

/// An item the agreement has this trust check itself, and where HR checks it.
struct ToCheck {
    name: String,
    href: String,
}

/// The items of an acceptance left for this trust to check, each with its credential's page.
fn left_to_check(items: &[Outcome]) -> Vec<ToCheck> {
    items
        .iter()
        .filter(|o| o.decision == Decision::NeedsLocalCheck)
        .filter_map(|o| {
            o.credential_id.map(|id| ToCheck {
                name: OutcomeView::of(o).name,
                href: format!("/hr/credentials/{id}"),
            })
        })
        .collect()
}

/// "Check the item left here", "Check the 2 items left here".
fn to_check_heading(n: i32) -> String {
    match n {
        1 => "Check the item left here".to_owned(),
        n => format!("Check the {n} items left here"),
    }
}

/// `GET /hr/passports/accepted/{id}`: the decision recorded, the checks saved, and links to the
/// items left for this trust to check.
pub async fn accepted(
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
        AcceptancesQuery::build(TrustVariables {
            trust_id: hr.trust.id,
        }),
    )
    .await?;
    let Some(a) = data.passport_acceptances.into_iter().find(|a| a.id == id) else {
        return Err(PageError::NotFound);
    };
    let name = worker_name(&state, &visitor, a.worker_id).await?;
    let system_id = bank_of(&state, &visitor, hr.trust.id).await?;
    let savings = savings(&state, &visitor, system_id, hr.trust.id).await?;
    render(&AcceptedPage {
        layout: hr.layout(&visitor, "Passport accepted", SECTION),
        name,
        trust: hr.trust.name.clone(),
        issuer: a.issuer_trust.name,
        counts: Counts::of(a.accepted_count, a.local_check_count, a.rejected_count),
        to_check_here: a.local_check_count > 0,
        to_check_heading: to_check_heading(a.local_check_count),
        to_check: left_to_check(&a.items),
        passports_accepted: format::count(i64::from(savings.acceptances), "passport"),
        items: a.items.iter().map(OutcomeView::of).collect(),
        savings,
    })
}
