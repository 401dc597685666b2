//! `GET /worker/passports`: the worker's passports, newest first — who issued each, its dates,
//! status, how much it holds and where it is shared — and the way to the access log.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::{Passport, PassportView, SECTION};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

/// The signed-in worker's header and record id.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
pub struct MeAndWorker {
    /// The header.
    pub me: Viewer,
    /// Their record.
    pub my_worker: WorkerId,
}

/// A worker's id.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
pub struct WorkerId {
    /// Id.
    pub id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct PassportsVariables {
    worker_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PassportsVariables")]
struct PassportsQuery {
    #[arguments(workerId: $worker_id)]
    passports_of_worker: Vec<Passport>,
}

#[derive(Template)]
#[template(path = "worker/passports/list.html")]
struct ListPage {
    layout: Layout,
    passports: Vec<PassportView>,
}

/// The header and the worker's id (the passports and the access log are asked for by it).
///
/// # Errors
/// The API's.
pub async fn me_and_worker(state: &WebState, visitor: &Visitor) -> Result<MeAndWorker, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(state.api.as_ref(), &visitor.caller, MeAndWorker::build(())).await?)
}

/// `GET /worker/passports`.
pub async fn page(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let who = me_and_worker(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        PassportsQuery::build(PassportsVariables {
            worker_id: who.my_worker.id,
        }),
    )
    .await?;
    render(&ListPage {
        layout: super::super::layout(&visitor, &who.me, "Passports and privacy", SECTION),
        passports: data
            .passports_of_worker
            .iter()
            .map(PassportView::of)
            .collect(),
    })
}
