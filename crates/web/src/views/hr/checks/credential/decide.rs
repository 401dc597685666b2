//! HR's decisions on a credential: verify it (or accept another trust's verification), and reject
//! or revoke it with a reason; what the API refuses is said on the page.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::operations::{DecisionVariables, ReasonedVariables, Reject, Revoke, Verify, load};
use super::page::show;
use crate::WebState;
use crate::api::{self, ApiError, Code};
use crate::errors::{PageError, render_invalid};
use crate::format;
use crate::forms::Errors;
use crate::fragments::CredentialStatus;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::shift::parse_id;

/// Where a refused decision's message goes: a reason's problem beside the reason, anything else
/// beside the buttons.
fn refused(e: &ApiError, errors: &mut Errors) {
    let field = if e.code == Code::Validation && e.message.to_lowercase().contains("reason") {
        "reason"
    } else {
        "decision"
    };
    errors.add(field, format::error_message(&e.message));
}

/// `POST /hr/credentials/{id}/verify`: verify a pending credential, or accept another trust's
/// verification.
pub async fn verify(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let before = load(&state, &visitor, id).await?.c.status;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        Verify::build(DecisionVariables {
            credential_id: id,
            trust_id: hr.trust.id,
        }),
    )
    .await
    {
        Ok(done) => {
            let word = if before == CredentialStatus::Pending {
                "verified"
            } else {
                "accepted"
            };
            tracing::debug!(status = ?done.verify_credential.status, "credential verified");
            Ok(Redirect::to(&format!("/hr/credentials/{id}?done={word}")).into_response())
        }
        Err(e) if matches!(e.code, Code::Conflict | Code::Forbidden | Code::Validation) => {
            let mut errors = Errors::new();
            refused(&e, &mut errors);
            render_invalid(&show(&state, &visitor, &hr, id, errors, "", "").await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The reject and revoke forms.
#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// Runs a decision that needs a reason: checks the reason is there, asks the API, and either
/// redirects to the confirmation or shows the page again with what was wrong.
async fn decide_with_reason(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    form: ReasonForm,
    revoking: bool,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let hr = Hr::of(state, visitor).await?;
    let reason = form.reason.trim().to_owned();
    let verb = if revoking { "revoking" } else { "rejecting" };
    let mut errors = Errors::new();
    if reason.is_empty() {
        errors.add("reason", format!("Enter why you are {verb} it"));
    } else if reason.chars().count() > 500 {
        errors.add(
            "reason",
            format!("Why you are {verb} it must be 500 characters or fewer"),
        );
    } else {
        let vars = ReasonedVariables {
            credential_id: id,
            trust_id: hr.trust.id,
            reason: reason.clone(),
        };
        let result = if revoking {
            api::run(state.api.as_ref(), &visitor.caller, Revoke::build(vars))
                .await
                .map(|d| d.revoke_credential.status)
        } else {
            api::run(state.api.as_ref(), &visitor.caller, Reject::build(vars))
                .await
                .map(|d| d.reject_credential.status)
        };
        match result {
            Ok(status) => {
                tracing::debug!(?status, "credential decided");
                let word = if revoking { "revoked" } else { "rejected" };
                return Ok(
                    Redirect::to(&format!("/hr/credentials/{id}?done={word}")).into_response()
                );
            }
            Err(e) if matches!(e.code, Code::Conflict | Code::Forbidden | Code::Validation) => {
                refused(&e, &mut errors);
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&show(state, visitor, &hr, id, errors, &reason, "").await?)
}

/// `POST /hr/credentials/{id}/reject`.
pub async fn reject(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    decide_with_reason(&state, &visitor, id, form, false).await
}

/// `POST /hr/credentials/{id}/revoke`.
pub async fn revoke(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    decide_with_reason(&state, &visitor, id, form, true).await
}
