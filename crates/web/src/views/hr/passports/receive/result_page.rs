//! The passport's result page (`GET /hr/passports/received/{id}`): its verification and
//! evaluation, and accepting it (`POST …/accept`, `acceptPassport`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::evaluation::{
    Counts, EvaluateQuery, EvaluationView, OutcomeView, TokenVariables, TokenVariablesFields,
};
use super::verification::{Check, VerifyQuery, VerifyVariables, checks_in_words, subject_in_words};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{ErrorPage, PageError, render_form};
use crate::format;
use crate::forms::Errors;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::hr::passports::SECTION;
use crate::views::office::shift::parse_id;

#[derive(cynic::QueryVariables)]
struct PassportVariables {
    id: Uuid,
    trust_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PassportVariables")]
struct TokenQuery {
    #[arguments(id: $id, trustId: $trust_id)]
    passport: Token,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Passport")]
struct Token {
    token: String,
}

#[derive(Template)]
#[template(path = "hr/passports/result.html")]
pub(super) struct ResultPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) heading: String,
    pub(super) trust: String,
    pub(super) checks: Vec<Check>,
    pub(super) valid: bool,
    pub(super) subject: Vec<(&'static str, String)>,
    pub(super) evaluation: Option<EvaluationView>,
    /// Why it cannot be weighed here, though genuine.
    pub(super) refused: Option<String>,
    pub(super) still_required: Vec<String>,
    pub(super) accept_href: String,
}

/// The passport `id` as this trust may read it: its token, or the page saying it was not shared.
async fn token_of(
    state: &WebState,
    visitor: &Visitor,
    hr: &Hr,
    id: Uuid,
) -> Result<Result<String, Response>, PageError> {
    use cynic::QueryBuilder;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        TokenQuery::build(PassportVariables {
            id,
            trust_id: Some(hr.trust.id),
        }),
    )
    .await
    {
        Ok(data) => Ok(Ok(data.passport.token)),
        Err(e) if e.code == Code::Forbidden => Ok(Err(ErrorPage::new(
            StatusCode::FORBIDDEN,
            &format!("This passport has not been shared with {}", hr.trust.name),
            &format!(
                "The worker needs to share it with {} first, from their passport page. Ask them \
                 to do that, then scan or paste it again.",
                hr.trust.name
            ),
        )
        .into_response())),
        Err(e) => Err(e.into()),
    }
}

async fn result_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    errors: Errors,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(state, visitor).await?;
    let token = match token_of(state, visitor, &hr, id).await? {
        Ok(token) => token,
        Err(page) => return Ok(page),
    };
    let verification = api::run(
        state.api.as_ref(),
        &visitor.caller,
        VerifyQuery::build(VerifyVariables {
            token: token.clone(),
            trust_id: Some(hr.trust.id),
        }),
    )
    .await?
    .verify_passport;
    let mut evaluation = None;
    let mut refused = None;
    let mut still_required = Vec::new();
    if verification.valid {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            EvaluateQuery::build(TokenVariables {
                token,
                trust_id: hr.trust.id,
            }),
        )
        .await
        {
            Ok(data) => {
                let e = data.evaluate_passport;
                still_required = e
                    .still_required
                    .iter()
                    .map(|code| {
                        data.credential_kinds
                            .iter()
                            .find(|k| &k.code == code)
                            .map_or_else(|| format::code_words(code), |k| k.name.clone())
                    })
                    .collect();
                evaluation = Some(EvaluationView {
                    counts: Counts::of(e.accepted_count, e.local_check_count, e.rejected_count),
                    items: e.items.iter().map(OutcomeView::of).collect(),
                });
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Forbidden) => {
                refused = Some(format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let name = verification
        .subject
        .as_ref()
        .map(|s| format!("{} {}", s.given_name, s.family_name))
        .unwrap_or_default();
    let heading = if verification.valid {
        format!("Passport of {name}")
    } else {
        format!("The passport of {name} cannot be accepted")
    };
    let invalid = !errors.is_empty();
    let page = ResultPage {
        layout: hr.layout(visitor, &heading, SECTION).with_errors(invalid),
        errors,
        heading,
        trust: hr.trust.name.clone(),
        checks: checks_in_words(&verification),
        valid: verification.valid,
        subject: verification
            .subject
            .as_ref()
            .map(subject_in_words)
            .unwrap_or_default(),
        evaluation,
        refused,
        still_required,
        accept_href: format!("/hr/passports/received/{id}/accept"),
    };
    render_form(&page, invalid)
}

/// `GET /hr/passports/received/{id}`: the verification and the evaluation, and "Accept".
pub async fn result(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    result_page(&state, &visitor, id, Errors::new()).await
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "TokenVariables")]
struct AcceptPassport {
    #[arguments(token: $token, trustId: $trust_id)]
    accept_passport: Accepted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportEvaluation")]
struct Accepted {
    acceptance_id: Option<Uuid>,
}

/// `POST /hr/passports/received/{id}/accept`.
pub async fn accept(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let token = match token_of(&state, &visitor, &hr, id).await? {
        Ok(token) => token,
        Err(page) => return Ok(page),
    };
    let op = AcceptPassport::build(TokenVariables {
        token,
        trust_id: hr.trust.id,
    });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => match done.accept_passport.acceptance_id {
            Some(acceptance) => {
                Ok(Redirect::to(&format!("/hr/passports/accepted/{acceptance}")).into_response())
            }
            None => Err(PageError::NotFound),
        },
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            errors.add("accept", format::error_message(&e.message));
            result_page(&state, &visitor, id, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
