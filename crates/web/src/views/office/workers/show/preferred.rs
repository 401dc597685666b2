//! Adding a worker to a ward's preferred list, or removing them (`POST …/preferred`).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::operations::{AddPreferred, PreferVariables, RemovePreferred};
use super::page::show;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_invalid};
use crate::forms::Errors;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::office::Office;
use crate::views::office::shift::parse_id;

/// The preferred-list form: a ward, and whether to add or remove.
#[derive(Debug, Deserialize)]
pub struct PreferredForm {
    #[serde(default)]
    ward: String,
    #[serde(default)]
    action: String,
}

/// `POST /office/workers/{id}/preferred`.
pub async fn preferred(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<PreferredForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let Ok(ward_id) = form.ward.trim().parse::<Uuid>() else {
        let mut errors = Errors::new();
        errors.add("ward", "Select a ward");
        return render_invalid(&show(&state, &visitor, &office, id, errors, "", "").await?);
    };
    let vars = PreferVariables {
        ward_id,
        worker_id: id,
    };
    let done = if form.action == "remove" {
        let removed = api::run(
            state.api.as_ref(),
            &visitor.caller,
            RemovePreferred::build(vars),
        )
        .await?;
        if removed.remove_preferred_worker {
            "removed"
        } else {
            ""
        }
    } else {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            AddPreferred::build(vars),
        )
        .await
        {
            Ok(added) if added.add_preferred_worker.ward_id == ward_id => "added",
            Ok(_) => "",
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
                let mut errors = Errors::new();
                errors.add("ward", crate::format::error_message(&e.message));
                return render_invalid(&show(&state, &visitor, &office, id, errors, "", "").await?);
            }
            Err(e) => return Err(e.into()),
        }
    };
    Ok(Redirect::to(&format!("/office/workers/{id}?done={done}#preferred")).into_response())
}
