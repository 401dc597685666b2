//! The home page: someone signed in with one role goes straight to their area; someone with
//! several chooses. The areas not built yet say so and point to GraphiQL.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::layout::Layout;
use crate::schema::schema;
use crate::session::Visitor;
use crate::viewer::{Area, Role, Viewer};

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

#[derive(Template)]
#[template(path = "not_yet.html")]
struct NotYetPage {
    layout: Layout,
    title: &'static str,
    who: &'static str,
    several_roles: bool,
    graphiql: bool,
}

/// The areas whose pages are still to come: each says so, for those who hold the role.
pub fn other_areas() -> Router<WebState> {
    let mut router = Router::new();
    for role in [Role::TrustAdmin, Role::SystemAdmin] {
        let area = Area::of(role);
        router = router.route(
            area.href,
            get(
                move |State(state): State<WebState>, visitor: Visitor| async move {
                    let me = viewer(&state, &visitor).await?;
                    if !me.has(role) {
                        return Err(PageError::forbidden(&format!(
                            "this part is for {}",
                            area.who
                        )));
                    }
                    render(&NotYetPage {
                        layout: Layout::signed_in(&visitor, area.title, &me.display_name),
                        title: area.title,
                        who: area.who,
                        several_roles: me.areas().len() > 1,
                        graphiql: state.settings.graphiql,
                    })
                },
            ),
        );
    }
    router
}
