//! Accepting an invitation to a login a bank office made: set a password
//! (`/invitation/accept?code=`, `acceptInvitation`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::password::{EXISTING_LOGIN, check_passwords, password_inputs};
use super::unusable::{Unusable, unusable};
use super::{CodeQuery, LoginPayload, anonymous, signed_in, the_code};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::{Errors, Input};
use crate::layout::Layout;
use crate::schema::schema;
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct AcceptVariables {
    code: String,
    password: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "AcceptVariables")]
struct AcceptInvitation {
    #[arguments(code: $code, password: $password)]
    accept_invitation: LoginPayload,
}

#[derive(Template)]
#[template(path = "invitation/accept.html")]
struct AcceptPage {
    layout: Layout,
    errors: Errors,
    code: String,
    password: Input,
    confirm: Input,
}

impl AcceptPage {
    fn new(visitor: &Visitor, code: String, errors: Errors) -> Self {
        let (password, confirm) = password_inputs(&errors);
        Self {
            layout: Layout::public(visitor, "Set up your staff bank login")
                .with_errors(!errors.is_empty()),
            errors,
            code,
            password,
            confirm,
        }
    }
}

/// `GET /invitation/accept?code=`.
pub async fn accept_form(
    visitor: Visitor,
    Query(q): Query<CodeQuery>,
) -> Result<Response, PageError> {
    match the_code(&q) {
        Some(code) => render(&AcceptPage::new(&visitor, code, Errors::new())),
        None => unusable(&visitor, Unusable::Unknown),
    }
}

/// The form to set a password.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default, rename = "confirm-password")]
    confirm: String,
}

/// `POST /invitation/accept`.
pub async fn accept_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<AcceptForm>,
) -> Result<Response, PageError> {
    let code = form.code.trim().to_owned();
    if code.is_empty() {
        return unusable(&visitor, Unusable::Unknown);
    }
    let mut errors = Errors::new();
    check_passwords(&form.password, &form.confirm, &mut errors);
    if !errors.is_empty() {
        return render_invalid(&AcceptPage::new(&visitor, code, errors));
    }
    let op = {
        use cynic::MutationBuilder;
        AcceptInvitation::build(AcceptVariables {
            code: code.clone(),
            password: form.password,
        })
    };
    match api::run(state.api.as_ref(), &anonymous(&visitor), op).await {
        Ok(done) => Ok(signed_in(&state, jar, done.accept_invitation)),
        Err(e) => {
            if let Some(why) = Unusable::of(&e) {
                return unusable(&visitor, why);
            }
            match e.code {
                Code::Validation | Code::RateLimited => {
                    errors.add("password", crate::format::error_message(&e.message))
                }
                // The email has a login already, with another password.
                Code::Unauthenticated => errors.add("password", EXISTING_LOGIN),
                _ => return Err(e.into()),
            }
            render_invalid(&AcceptPage::new(&visitor, code, errors))
        }
    }
}
