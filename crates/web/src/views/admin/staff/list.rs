//! `GET /admin/staff`: who holds which role at the trust, with the form to give an existing
//! account a role (`POST /admin/staff`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::super::TrustAdmin;
use super::done_to;
use super::operations::{Grant, GrantVariables, RoleScopeInput, staff};
use super::roles::{role_of, role_select, role_words};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Input, Select};
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;

/// A person as the list shows them.
struct Row {
    name: String,
    email: String,
    disabled: bool,
    roles: Vec<(Uuid, String)>,
}

#[derive(Template)]
#[template(path = "admin/staff.html")]
struct StaffPage {
    layout: Layout,
    errors: Errors,
    done: String,
    trust_name: String,
    rows: Vec<Row>,
    email: Input,
    role: Select,
}

/// What was just done.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
    #[serde(default)]
    who: String,
}

async fn staff_page(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
    errors: Errors,
    form: &GrantForm,
    done: String,
) -> Result<StaffPage, PageError> {
    let rows = staff(state, visitor, admin)
        .await?
        .into_iter()
        .map(|m| Row {
            name: m.display_name,
            email: m.email,
            disabled: m.disabled,
            roles: m
                .roles
                .into_iter()
                .map(|g| {
                    let mut words = role_words(g.role).to_owned();
                    if g.ward_id.is_some() {
                        words.push_str(" (one ward)");
                    }
                    (g.id, words)
                })
                .collect(),
        })
        .collect();
    Ok(StaffPage {
        layout: admin
            .layout(visitor, "Staff accounts and roles", "/admin/staff")
            .with_errors(!errors.is_empty()),
        trust_name: admin.trust.name.clone(),
        rows,
        email: Input::new("email", "Email address of their staff bank account")
            .kind("email")
            .autocomplete("off")
            .value(form.email.trim())
            .error_from(&errors),
        role: role_select(&errors, form.role.trim()),
        errors,
        done,
    })
}

/// `GET /admin/staff`.
pub(super) async fn list(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let who = done.who.trim();
    let said = match done.done.as_str() {
        "created" => format!("Account made for {who}. We have emailed them to say so."),
        "granted" => format!("Role given to {who}. We have emailed them to say so."),
        "revoked" => format!("Role removed from {who}. They have been signed out."),
        _ => String::new(),
    };
    render(
        &staff_page(
            &state,
            &visitor,
            &admin,
            Errors::new(),
            &GrantForm::default(),
            said,
        )
        .await?,
    )
}

/// The give-a-role form.
#[derive(Debug, Deserialize, Default)]
pub struct GrantForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/staff` (give an existing account a role).
pub(super) async fn grant(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<GrantForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let mut errors = Errors::new();
    let email = form.email.trim();
    if email.is_empty() {
        errors.add(
            "email",
            "Enter the email address of their staff bank account",
        );
    } else if !email.contains('@') {
        errors.add(
            "email",
            "Enter an email address in the correct format, like name@example.com",
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
            Grant::build(GrantVariables {
                email: email.to_owned(),
                scope: RoleScopeInput {
                    role,
                    trust_id: Some(admin.trust.id),
                },
            }),
        )
        .await
        {
            Ok(done) => {
                tracing::debug!(grant = %done.grant_role.id, "granted");
                return Ok(done_to("granted", email));
            }
            Err(e) if e.code == Code::NotFound => errors.add(
                "email",
                "There is no staff bank account with this email address. Add a staff account instead",
            ),
            Err(e) if e.code == Code::Conflict => errors.add(
                "role",
                format!("{email} already has this role at {}", admin.trust.name),
            ),
            Err(e) if e.code == Code::Validation => {
                errors.add("email", format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&staff_page(&state, &visitor, &admin, errors, &form, String::new()).await?)
}
