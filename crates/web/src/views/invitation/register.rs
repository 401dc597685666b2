//! Registering yourself with an invitation (`/invitation/register?code=`,
//! `registerWithInvitation`): the form, then the API's answer, each refusal beside its field.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use axum_extra::extract::CookieJar;

use super::password::EXISTING_LOGIN;
use super::register_form::{RegisterForm, RegisterWorkerInput};
use super::register_page::RegisterPage;
use super::unusable::{Unusable, unusable};
use super::{CodeQuery, LoginPayload, anonymous, signed_in, the_code};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::Errors;
use crate::schema::schema;
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct RegisterVariables {
    code: String,
    details: RegisterWorkerInput,
    password: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RegisterVariables")]
struct RegisterWithInvitation {
    #[arguments(code: $code, details: $details, password: $password)]
    register_with_invitation: LoginPayload,
}

/// The field an API validation message is about (the API names no field; its messages do).
fn field_of(message: &str) -> &'static str {
    let m = message.to_lowercase();
    let fields: [(&str, &str); 10] = [
        ("password", "password"),
        ("national insurance", "ni-number"),
        ("phone", "phone"),
        ("registration", "registration-number"),
        ("registers with", "registration-number"),
        ("grade", "grade"),
        ("date of birth", "date-of-birth"),
        ("given name", "given-name"),
        ("family name", "family-name"),
        ("skill", "skills"),
    ];
    fields
        .iter()
        .find(|(words, _)| m.contains(words))
        .map_or_else(
            || {
                if m.contains("staff group") {
                    "staff-group"
                } else {
                    "given-name"
                }
            },
            |(_, field)| field,
        )
}

/// `GET /invitation/register?code=`.
pub async fn register_form(
    visitor: Visitor,
    Query(q): Query<CodeQuery>,
) -> Result<Response, PageError> {
    match the_code(&q) {
        Some(code) => render(&RegisterPage::new(
            &visitor,
            &RegisterForm::default(),
            code,
            Errors::new(),
        )),
        None => unusable(&visitor, Unusable::Unknown),
    }
}

/// `POST /invitation/register`.
pub async fn register_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<RegisterForm>,
) -> Result<Response, PageError> {
    let code = form.code.trim().to_owned();
    if code.is_empty() {
        return unusable(&visitor, Unusable::Unknown);
    }
    let (mut errors, details) = form.check();
    let Some(details) = details else {
        return render_invalid(&RegisterPage::new(&visitor, &form, code, errors));
    };
    let op = {
        use cynic::MutationBuilder;
        RegisterWithInvitation::build(RegisterVariables {
            code: code.clone(),
            details,
            password: form.password.clone(),
        })
    };
    match api::run(state.api.as_ref(), &anonymous(&visitor), op).await {
        Ok(done) => Ok(signed_in(&state, jar, done.register_with_invitation)),
        Err(e) => {
            if let Some(why) = Unusable::of(&e) {
                return unusable(&visitor, why);
            }
            match e.code {
                Code::Validation => errors.add(
                    field_of(&e.message),
                    crate::format::error_message(&e.message),
                ),
                Code::RateLimited => {
                    errors.add("password", crate::format::error_message(&e.message))
                }
                // Already in the bank (same person or registration).
                Code::Conflict => errors.add(
                    "given-name",
                    format!(
                        "{}. If you have worked for the bank before, ask the bank office that \
                         invited you to help you set up your login instead.",
                        crate::format::error_message(&e.message)
                    ),
                ),
                Code::Unauthenticated => errors.add("password", EXISTING_LOGIN),
                _ => return Err(e.into()),
            }
            render_invalid(&RegisterPage::new(&visitor, &form, code, errors))
        }
    }
}
