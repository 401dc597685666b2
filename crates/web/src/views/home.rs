//! The home page: someone signed in with one role goes straight to their area; someone with
//! several chooses.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::layout::Layout;
use crate::schema::schema;
use crate::session::Visitor;
use crate::viewer::{Area, Viewer};

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct Me {
    me: Viewer,
}

/// The signed-in person, or sign in first.
///
/// # Errors
/// Not signed in (the middleware sends them to sign in), or the API failed.
pub async fn viewer(state: &WebState, visitor: &Visitor) -> Result<Viewer, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(state.api.as_ref(), &visitor.caller, Me::build(()))
        .await?
        .me)
}

#[derive(Template)]
#[template(path = "choose_role.html")]
struct ChooseRolePage {
    layout: Layout,
    areas: Vec<Area>,
}

/// `GET /`.
pub async fn home(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    if !visitor.has_session() {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    let me = viewer(&state, &visitor).await?;
    let areas = me.areas();
    match areas.as_slice() {
        [only] => Ok(Redirect::to(only.href).into_response()),
        _ => render(&ChooseRolePage {
            layout: Layout::signed_in(&visitor, "What do you want to do?", &me.display_name),
            areas,
        }),
    }
}
