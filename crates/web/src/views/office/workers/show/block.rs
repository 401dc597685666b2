//! Blocking a worker from this trust's shifts, with a reason (`POST …/block`), and lifting the
//! block (`POST …/lift`).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::operations::{Block, BlockVariables, Lift, LiftVariables};
use super::page::show;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_invalid};
use crate::forms::Errors;
use crate::session::Visitor;
use crate::views::office::Office;
use crate::views::office::shift::parse_id;

/// The block form.
#[derive(Debug, Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    reason: String,
}

/// `POST /office/workers/{id}/block`.
pub async fn block(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<BlockForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let reason = form.reason.trim().to_owned();
    let mut errors = Errors::new();
    if reason.is_empty() {
        errors.add("reason", "Enter why you are blocking them");
    } else if reason.chars().count() > 500 {
        errors.add(
            "reason",
            "Why you are blocking them must be 500 characters or fewer",
        );
    } else {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            Block::build(BlockVariables {
                worker_id: id,
                trust_id: office.trust.id,
                reason: reason.clone(),
            }),
        )
        .await
        {
            Ok(done) => {
                tracing::debug!(restriction = %done.block_worker.id, "blocked");
                return Ok(
                    Redirect::to(&format!("/office/workers/{id}?done=block#block")).into_response(),
                );
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
                errors.add("reason", crate::format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&show(&state, &visitor, &office, id, errors, &reason, "").await?)
}

/// The lift form.
#[derive(Debug, Deserialize)]
pub struct LiftForm {
    #[serde(default)]
    restriction: String,
}

/// `POST /office/workers/{id}/lift`.
pub async fn lift(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<LiftForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let restriction_id = parse_id(form.restriction.trim())?;
    Office::of(&state, &visitor).await?;
    let lifted = api::run(
        state.api.as_ref(),
        &visitor.caller,
        Lift::build(LiftVariables { restriction_id }),
    )
    .await?;
    tracing::debug!(restriction = %lifted.lift_restriction.id, "lifted");
    Ok(Redirect::to(&format!("/office/workers/{id}?done=lift#block")).into_response())
}
