//! Staff accounts and roles: `GET /admin/staff` lists who holds which role at the trust
//! (`trustStaff`) with a form to give an existing account a role (`grantRole`);
//! `GET|POST /admin/staff/new` creates a staff account with its first role
//! (`createStaffAccount`); removing a role asks first (`GET|POST /admin/staff/revoke/{grant}`),
//! because it signs the person out everywhere at once (`revokeRole`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use super::TrustAdmin;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Input, Select};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Role;
use crate::views::office::shift::parse_id;

/// The roles a trust admin gives at their trust, as the forms list them.
const ROLES: [Role; 4] = [
    Role::BankOffice,
    Role::Hr,
    Role::WardManager,
    Role::TrustAdmin,
];

fn role_code(r: Role) -> &'static str {
    match r {
        Role::Worker => "worker",
        Role::BankOffice => "bank-office",
        Role::Hr => "hr",
        Role::WardManager => "ward-manager",
        Role::TrustAdmin => "trust-admin",
        Role::SystemAdmin => "system-admin",
    }
}

fn role_words(r: Role) -> &'static str {
    match r {
        Role::Worker => "Bank worker",
        Role::BankOffice => "Bank office",
        Role::Hr => "HR and compliance",
        Role::WardManager => "Ward manager",
        Role::TrustAdmin => "Trust administrator",
        Role::SystemAdmin => "System administrator",
    }
}

fn role_of(code: &str) -> Option<Role> {
    ROLES.into_iter().find(|r| role_code(*r) == code)
}

fn role_select(errors: &Errors, selected: &str) -> Select {
    let mut options = vec![(String::new(), "Choose a role".to_owned())];
    options.extend(
        ROLES
            .iter()
            .map(|r| (role_code(*r).to_owned(), role_words(*r).to_owned())),
    );
    Select::new("role", "Role", options)
        .selected(selected)
        .error_from(errors)
}

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct StaffQuery {
    #[arguments(trustId: $trust_id)]
    trust_staff: Vec<Member>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "StaffMember")]
struct Member {
    email: String,
    display_name: String,
    disabled: bool,
    roles: Vec<Held>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RoleGrant")]
struct Held {
    id: Uuid,
    role: Role,
    ward_id: Option<Uuid>,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "RoleScopeInput")]
struct RoleScopeInput {
    role: Role,
    trust_id: Option<Uuid>,
}

#[derive(cynic::QueryVariables)]
struct GrantVariables {
    email: String,
    scope: RoleScopeInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "GrantVariables")]
struct Grant {
    #[arguments(email: $email, scope: $scope)]
    grant_role: Granted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RoleGrant")]
struct Granted {
    id: Uuid,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "CreateStaffAccountInput")]
struct CreateStaffAccountInput {
    email: String,
    display_name: String,
    password: String,
    scope: RoleScopeInput,
}

#[derive(cynic::QueryVariables)]
struct CreateVariables {
    input: CreateStaffAccountInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "CreateVariables")]
struct Create {
    #[arguments(input: $input)]
    create_staff_account: Account,
}

#[derive(cynic::QueryFragment)]
struct Account {
    display_name: String,
}

#[derive(cynic::QueryVariables)]
struct RevokeVariables {
    grant_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RevokeVariables")]
struct Revoke {
    #[arguments(grantId: $grant_id)]
    revoke_role: bool,
}

async fn staff(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<Vec<Member>, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        StaffQuery::build(TrustVariables {
            trust_id: admin.trust.id,
        }),
    )
    .await?
    .trust_staff)
}

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
async fn list(
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

fn done_to(done: &str, who: &str) -> Response {
    let q = serde_urlencoded::to_string([("done", done), ("who", who)]).unwrap_or_default();
    Redirect::to(&format!("/admin/staff?{q}")).into_response()
}

/// `POST /admin/staff` (give an existing account a role).
async fn grant(
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
async fn new(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    render(&new_page(
        &admin,
        &visitor,
        &NewForm::default(),
        Errors::new(),
    ))
}

/// `POST /admin/staff/new`.
async fn create(
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

#[derive(Template)]
#[template(path = "admin/revoke.html")]
struct RevokePage {
    layout: Layout,
    id: Uuid,
    name: String,
    role: String,
    trust_name: String,
}

/// The person holding a grant, and the grant's role in words.
async fn holder(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
    id: Uuid,
) -> Result<(String, String), PageError> {
    staff(state, visitor, admin)
        .await?
        .into_iter()
        .find_map(|m| {
            m.roles
                .iter()
                .find(|g| g.id == id)
                .map(|g| (m.display_name.clone(), role_words(g.role).to_lowercase()))
        })
        .ok_or(PageError::NotFound)
}

/// `GET /admin/staff/revoke/{grant}`: are you sure?
async fn revoke_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let (name, role) = holder(&state, &visitor, &admin, id).await?;
    render(&RevokePage {
        layout: admin.layout(&visitor, &format!("Remove {name}'s role?"), "/admin/staff"),
        id,
        name,
        role,
        trust_name: admin.trust.name.clone(),
    })
}

/// `POST /admin/staff/revoke/{grant}`.
async fn revoke(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let (name, _) = holder(&state, &visitor, &admin, id).await?;
    let done = api::run(
        state.api.as_ref(),
        &visitor.caller,
        Revoke::build(RevokeVariables { grant_id: id }),
    )
    .await?;
    if !done.revoke_role {
        return Err(PageError::NotFound);
    }
    Ok(done_to("revoked", &name))
}

/// The staff pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/staff", get(list).post(grant))
        .route("/admin/staff/new", get(new).post(create))
        .route("/admin/staff/revoke/{id}", get(revoke_confirm).post(revoke))
}
