//! Asking a worker to work at this trust: what asking means (`GET …/engage`), then
//! `engageWorker` (`POST`).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::Consent;
use super::operations::{Engage, EngageVariables, Loaded, load};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render};
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::office::Office;
use crate::views::office::shift::parse_id;

#[derive(Template)]
#[template(path = "office/workers/engage.html")]
struct EngagePage {
    layout: Layout,
    id: Uuid,
    name: String,
    trust_name: String,
}

/// `GET /office/workers/{id}/engage`: what asking means, before asking.
pub async fn engage_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let Loaded { w, .. } = load(&state, &visitor, &office, id).await?;
    let name = format!("{} {}", w.given_name, w.family_name);
    render(&EngagePage {
        layout: office.layout(
            &visitor,
            &format!("Ask {name} to work at {}", office.trust.name),
            "/office/workers",
        ),
        id,
        name,
        trust_name: office.trust.name.clone(),
    })
}

/// `POST /office/workers/{id}/engage`.
pub async fn engage_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        Engage::build(EngageVariables {
            worker_id: id,
            trust_id: office.trust.id,
        }),
    )
    .await
    {
        Ok(done) if done.engage_worker.consent == Consent::Proposed => {
            Ok(Redirect::to(&format!("/office/workers/{id}?done=engage")).into_response())
        }
        // Already asked or engaged meanwhile: the page says where it stands.
        Ok(_) => Ok(Redirect::to(&format!("/office/workers/{id}")).into_response()),
        Err(e) if e.code == Code::Conflict => {
            Ok(Redirect::to(&format!("/office/workers/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
