//! The pages invitation emails link to: set a password for the login a bank office made
//! (`/invitation/accept?code=`), or register yourself and set a password
//! (`/invitation/register?code=`). Both are public; both sign the person in exactly as sign-in
//! does and take them to their home with a welcome. A code that is unknown, used or expired gets
//! a page that says so and what to do. The password policy is the API's: the page states it and
//! shows the API's message when a password breaks it.

mod accept;
mod password;
mod register;
mod register_form;
mod register_page;
mod unusable;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use self::accept::{accept_form, accept_submit};
use self::register::{register_form, register_submit};
use crate::WebState;
use crate::api;
use crate::schema::{DateTime, schema};
use crate::session::{self, Visitor};

/// Where a new worker lands.
const WELCOME: &str = "/worker?welcome=1";

/// The invitation pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/invitation/accept", get(accept_form).post(accept_submit))
        .route(
            "/invitation/register",
            get(register_form).post(register_submit),
        )
}

/// The code in the address.
#[derive(Debug, Deserialize)]
pub struct CodeQuery {
    code: Option<String>,
}

#[derive(cynic::QueryFragment)]
pub(super) struct LoginPayload {
    pub(super) token: String,
    pub(super) expires_at: DateTime,
}

pub(super) fn the_code(q: &CodeQuery) -> Option<String> {
    q.code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// Signs the person in with the session the mutation started, and welcomes them home.
pub(super) fn signed_in(state: &WebState, jar: CookieJar, login: LoginPayload) -> Response {
    let cookie = session::start(&state.settings, login.token, login.expires_at);
    (jar.add(cookie), Redirect::to(WELCOME)).into_response()
}

/// The caller for these pages: nobody yet (a session cookie of someone else is not theirs).
pub(super) fn anonymous(visitor: &Visitor) -> api::Caller {
    let mut caller = visitor.caller.clone();
    caller.token = None;
    caller
}
