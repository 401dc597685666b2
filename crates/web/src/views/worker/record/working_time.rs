//! `/worker/record/working-time`: the 48-hour average week explained, and the worker's choice to
//! opt out of it or not (`setWorkingTimeOptOut`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::WebState;
use crate::api;
use crate::errors::{PageError, render, render_invalid};
use crate::forms::{Choice, Choices, CsrfField, Errors};
use crate::layout::Layout;
use crate::schema::{DateTime, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct OptOutQuery {
    me: Viewer,
    my_worker: Worker,
}

#[derive(cynic::QueryFragment)]
struct Worker {
    detail: Option<WorkerDetail>,
}

#[derive(cynic::QueryFragment)]
struct WorkerDetail {
    working_time_opt_out_at: Option<DateTime>,
}

#[derive(cynic::QueryVariables)]
struct SetVariables {
    opted_out: bool,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SetVariables")]
struct SetOptOut {
    #[arguments(optedOut: $opted_out)]
    set_working_time_opt_out: Set,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct Set {
    id: crate::schema::Uuid,
}

#[derive(Template)]
#[template(path = "worker/record/working_time.html")]
struct OptOutPage {
    layout: Layout,
    errors: Errors,
    choice: Choices,
}

fn page_of(visitor: &Visitor, me: &Viewer, chosen: Option<bool>, errors: Errors) -> OptOutPage {
    let choice = Choices::radios(
        "opt-out",
        "Do you want to opt out of the 48-hour week?",
        vec![
            Choice::new("no", "No, keep to an average of 48 hours a week")
                .checked(chosen == Some(false)),
            Choice::new("yes", "Yes, I want to opt out")
                .hint("You can change your mind at any time")
                .checked(chosen == Some(true)),
        ],
    )
    .error_from(&errors);
    OptOutPage {
        layout: super::super::layout(visitor, me, "The 48-hour week", "/worker/record")
            .with_errors(!errors.is_empty()),
        errors,
        choice,
    }
}

/// `GET /worker/record/working-time`.
pub async fn form(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(state.api.as_ref(), &visitor.caller, OptOutQuery::build(())).await?;
    let opted_out = data
        .my_worker
        .detail
        .map(|d| d.working_time_opt_out_at.is_some());
    render(&page_of(&visitor, &data.me, opted_out, Errors::new()))
}

/// The form.
#[derive(Debug, Deserialize)]
pub struct OptOutForm {
    #[serde(rename = "opt-out", default)]
    opt_out: String,
}

/// `POST /worker/record/working-time`.
pub async fn save(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<OptOutForm>,
) -> Result<Response, PageError> {
    use cynic::{MutationBuilder, QueryBuilder};
    let opted_out = match form.opt_out.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let data =
                api::run(state.api.as_ref(), &visitor.caller, OptOutQuery::build(())).await?;
            let mut errors = Errors::new();
            errors.add(
                "opt-out",
                "Select yes if you want to opt out of the 48-hour week",
            );
            return render_invalid(&page_of(&visitor, &data.me, None, errors));
        }
    };
    let done = api::run(
        state.api.as_ref(),
        &visitor.caller,
        SetOptOut::build(SetVariables { opted_out }),
    )
    .await?;
    tracing::debug!(worker = %done.set_working_time_opt_out.id, opted_out, "working-time choice saved");
    Ok(Redirect::to("/worker/record?done=working-time#working-time").into_response())
}
