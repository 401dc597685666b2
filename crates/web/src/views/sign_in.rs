//! Sign in (email and password, through the API's `login`, so its throttling applies) and sign
//! out (the API ends the session, so the cookie is worthless even if kept).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::{Errors, Input};
use crate::layout::Layout;
use crate::schema::{DateTime, schema};
use crate::session::{self, Visitor};

#[derive(cynic::QueryVariables)]
struct LoginVariables {
    email: String,
    password: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "LoginVariables")]
struct Login {
    #[arguments(email: $email, password: $password)]
    login: LoginPayload,
}

#[derive(cynic::QueryFragment)]
struct LoginPayload {
    token: String,
    expires_at: DateTime,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation")]
struct Logout {
    logout: bool,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    errors: Errors,
    email: Input,
    password: Input,
    next: String,
    signed_out: bool,
}

impl SignInPage {
    fn new(visitor: &Visitor, errors: Errors, email: &str, next: String, signed_out: bool) -> Self {
        Self {
            layout: Layout::public(visitor, "Sign in").with_errors(!errors.is_empty()),
            email: Input::new("email", "Email address")
                .kind("email")
                .autocomplete("email")
                .value(email)
                .error_from(&errors),
            password: Input::new("password", "Password")
                .kind("password")
                .autocomplete("current-password")
                .error_from(&errors),
            errors,
            next,
            signed_out,
        }
    }
}

/// What the sign-in page's address may carry.
#[derive(Debug, Deserialize)]
pub struct SignInQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

/// `GET /sign-in`.
pub async fn form(visitor: Visitor, Query(q): Query<SignInQuery>) -> Result<Response, PageError> {
    render(&SignInPage::new(
        &visitor,
        Errors::new(),
        "",
        session::safe_next(q.next.as_deref()),
        q.signed_out.is_some(),
    ))
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /sign-in`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let next = session::safe_next(Some(&form.next));
    let email = form.email.trim().to_owned();
    let mut errors = Errors::new();
    if email.is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if !errors.is_empty() {
        return render_invalid(&SignInPage::new(&visitor, errors, &email, next, false));
    }
    let mut caller = visitor.caller.clone();
    caller.token = None;
    let op = {
        use cynic::MutationBuilder;
        Login::build(LoginVariables {
            email: email.clone(),
            password: form.password,
        })
    };
    match api::run(state.api.as_ref(), &caller, op).await {
        Ok(done) => {
            let cookie = session::start(&state.settings, done.login.token, done.login.expires_at);
            Ok((jar.add(cookie), Redirect::to(&next)).into_response())
        }
        Err(e) if matches!(e.code, Code::Unauthenticated | Code::Validation) => {
            errors.add(
                "email",
                "Enter the email address and password of your staff bank account. Check them and try again.",
            );
            render_invalid(&SignInPage::new(&visitor, errors, &email, next, false))
        }
        Err(e) if e.code == Code::RateLimited => {
            errors.add("email", e.message);
            render_invalid(&SignInPage::new(&visitor, errors, &email, next, false))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /sign-out`: ends the session in the API, drops the cookie.
pub async fn sign_out(State(state): State<WebState>, visitor: Visitor, jar: CookieJar) -> Response {
    if visitor.has_session() {
        let op = {
            use cynic::MutationBuilder;
            Logout::build(())
        };
        // Already ended or expired is fine: the person is signed out either way.
        match api::run(state.api.as_ref(), &visitor.caller, op).await {
            Ok(done) if done.logout => {}
            Err(e) if e.code == Code::Unauthenticated => {}
            other => {
                tracing::warn!(result = ?other.err(), "sign-out: the API did not end the session")
            }
        }
    }
    (
        jar.add(session::end(&state.settings)),
        Redirect::to("/sign-in?signed_out=1"),
    )
        .into_response()
}
