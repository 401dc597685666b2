//! Stop sharing a passport with a trust: a page that asks to confirm and says what it means, then
//! `withdrawPassportShare`; back on the passport, a banner says it is done.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::SECTION;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::Errors;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;

#[derive(Template)]
#[template(path = "worker/passports/withdraw.html")]
struct ConfirmPage {
    layout: Layout,
    errors: Errors,
    back: String,
    action: String,
    trust: String,
}

async fn confirm_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    share_id: Uuid,
    errors: Errors,
) -> Result<Response, PageError> {
    let data = super::show::passport(state, visitor, id).await?;
    let Some(share) = data.passport.shares.iter().find(|s| s.id == share_id) else {
        return Err(PageError::NotFound);
    };
    let trust = share.trust.name.clone();
    let page = ConfirmPage {
        layout: super::super::layout(
            visitor,
            &data.me,
            &format!("Stop sharing your passport with {trust}?"),
            SECTION,
        )
        .with_errors(!errors.is_empty()),
        errors,
        back: format!("/worker/passports/{id}"),
        action: format!("/worker/passports/{id}/shares/{share_id}/withdraw"),
        trust,
    };
    if page.errors.is_empty() {
        render(&page)
    } else {
        render_invalid(&page)
    }
}

/// `GET /worker/passports/{id}/shares/{share_id}/withdraw`.
pub async fn confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((id, share_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    confirm_page(&state, &visitor, id, share_id, Errors::new()).await
}

#[derive(cynic::QueryVariables)]
struct WithdrawVariables {
    share_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "WithdrawVariables")]
struct Withdraw {
    #[arguments(shareId: $share_id)]
    withdraw_passport_share: Withdrawn,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportShare")]
struct Withdrawn {
    id: Uuid,
}

/// `POST /worker/passports/{id}/shares/{share_id}/withdraw`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((id, share_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let op = Withdraw::build(WithdrawVariables { share_id });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => Ok(Redirect::to(&format!(
            "/worker/passports/{id}?withdrawn={}",
            done.withdraw_passport_share.id
        ))
        .into_response()),
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            errors.add("withdraw", crate::format::error_message(&e.message));
            confirm_page(&state, &visitor, id, share_id, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
