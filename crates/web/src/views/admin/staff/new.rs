//! A new staff account with its first role (`GET|POST /admin/staff/new`, `createStaffAccount`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::super::TrustAdmin;
use super::done_to;
use super::operations::{Create, CreateStaffAccountInput, CreateVariables, RoleScopeInput};
use super::roles::{role_of, role_select};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Input, Select};
use crate::layout::Layout;
use crate::session::Visitor;

/// The new account form.
#[derive(Debug, Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "admin/staff_new.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    trust_name: String,
    name: Input,
    email: Input,
    password: Input,
    role: Select,
}

fn new_page(admin: &TrustAdmin, visitor: &Visitor, form: &NewForm, errors: Errors) -> NewPage {
    NewPage {
        layout: admin
            .layout(visitor, "Add a staff account", "/admin/staff")
            .with_errors(!errors.is_empty()),
        trust_name: admin.trust.name.clone(),
        name: Input::new("name", "Full name")
            .autocomplete("off")
            .value(form.name.trim())
            .error_from(&errors),
        email: Input::new("email", "Email address")
            .hint("They sign in with this")
            .kind("email")
            .autocomplete("off")
            .value(form.email.trim())
            .error_from(&errors),
        password: Input::new("password", "First password")
            .kind("password")
            .hint(
                "10 characters or more. Give it to them safely; they can change it once signed in",
            )
            .autocomplete("new-password")
            .error_from(&errors),
        role: role_select(&errors, form.role.trim()),
        errors,
    }
}

/// `GET /admin/staff/new`.
pub(super) async fn new(
    State(state): State<WebState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    render(&new_page(
        &admin,
        &visitor,
        &NewForm::default(),
        Errors::new(),
    ))
}

/// `POST /admin/staff/new`.
pub(super) async fn create(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<NewForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let mut errors = Errors::new();
    if form.name.trim().is_empty() {
        errors.add("name", "Enter their full name");
    }
    let email = form.email.trim();
    if email.is_empty() {
        errors.add("email", "Enter their email address");
    } else if !email.contains('@') {
        errors.add(
            "email",
            "Enter an email address in the correct format, like name@example.com",
        );
    }
    if form.password.chars().count() < 10 {
        errors.add(
            "password",
            "The first password must be 10 characters or more",
        );
    }
    let role = role_of(form.role.trim());
    if role.is_none() {
        errors.add("role", "Select the role to give them");
    }
    if let (Some(role), true) = (role, errors.is_empty()) {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            Create::build(CreateVariables {
                input: CreateStaffAccountInput {
                    email: email.to_owned(),
                    display_name: form.name.trim().to_owned(),
                    password: form.password.clone(),
                    scope: RoleScopeInput {
                        role,
                        trust_id: Some(admin.trust.id),
                    },
                },
            }),
        )
        .await
        {
            Ok(done) => return Ok(done_to("created", &done.create_staff_account.display_name)),
            Err(e) if e.code == Code::Conflict => errors.add(
                "email",
                "There is already an account with this email address. Give it a role from the staff list instead",
            ),
            Err(e) if e.code == Code::Validation => {
                let m = e.message.to_lowercase();
                let field = if m.contains("password") {
                    "password"
                } else if m.contains("email") {
                    "email"
                } else {
                    "name"
                };
                errors.add(field, format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&new_page(&admin, &visitor, &form, errors))
}
