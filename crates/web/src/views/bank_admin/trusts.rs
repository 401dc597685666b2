//! `GET /bank-admin/trusts`: the bank's member trusts. `GET|POST /bank-admin/trusts/new`: admit
//! one by its name and ODS code; what the API refuses is shown on the field it is about, with
//! what was typed kept.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::BankAdmin;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{CsrfField, Errors, Input};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::{Visitor, urlencode};

#[derive(cynic::QueryVariables)]
struct BankVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "BankVariables")]
struct TrustsQuery {
    #[arguments(id: $id)]
    collaborative_bank: BankTrusts,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CollaborativeBank")]
struct BankTrusts {
    trusts: Vec<MemberTrust>,
}

/// A member trust.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "Trust")]
pub struct MemberTrust {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// ODS code.
    pub ods_code: String,
    /// When admitted.
    pub created_at: DateTime<Utc>,
}

/// The bank's member trusts, by name.
///
/// # Errors
/// The API failed.
pub async fn member_trusts(
    state: &WebState,
    visitor: &Visitor,
    admin: &BankAdmin,
) -> Result<Vec<MemberTrust>, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        TrustsQuery::build(BankVariables { id: admin.bank.id }),
    )
    .await?
    .collaborative_bank
    .trusts)
}

#[derive(cynic::QueryVariables)]
struct AdmitVariables {
    bank: Uuid,
    name: String,
    ods_code: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "AdmitVariables")]
struct Admit {
    #[arguments(collaborativeBankId: $bank, name: $name, odsCode: $ods_code)]
    admit_trust: MemberTrust,
}

struct Row {
    name: String,
    ods_code: String,
    admitted: String,
}

#[derive(Template)]
#[template(path = "bank_admin/trusts.html")]
struct TrustsPage {
    layout: Layout,
    bank: String,
    rows: Vec<Row>,
    done: String,
}

/// What the list was sent back with.
#[derive(Debug, Deserialize, Default)]
struct Done {
    admitted: Option<String>,
}

/// `GET /bank-admin/trusts`.
async fn list(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let trusts = member_trusts(&state, &visitor, &admin).await?;
    let done = done
        .admitted
        .and_then(|ods| trusts.iter().find(|t| t.ods_code == ods))
        .map(|t| format!("{} ({}) is now a member of the bank.", t.name, t.ods_code))
        .unwrap_or_default();
    render(&TrustsPage {
        layout: admin.layout(&visitor, "Trusts", "/bank-admin/trusts"),
        bank: admin.bank.name.clone(),
        rows: trusts
            .into_iter()
            .map(|t| Row {
                admitted: format::date(format::london(t.created_at).date()),
                name: t.name,
                ods_code: t.ods_code,
            })
            .collect(),
        done,
    })
}

#[derive(Template)]
#[template(path = "bank_admin/admit.html")]
struct AdmitPage {
    layout: Layout,
    errors: Errors,
    bank: String,
    name: Input,
    ods_code: Input,
}

/// The admit form as typed.
#[derive(Debug, Deserialize, Default)]
struct AdmitForm {
    #[serde(default)]
    name: String,
    #[serde(rename = "ods-code", default)]
    ods_code: String,
}

fn admit_page(admin: &BankAdmin, visitor: &Visitor, form: &AdmitForm, errors: Errors) -> AdmitPage {
    AdmitPage {
        layout: admin
            .layout(visitor, "Admit a trust", "/bank-admin/trusts")
            .with_errors(!errors.is_empty()),
        bank: admin.bank.name.clone(),
        name: Input::new("name", "Trust name")
            .hint("Its full name, for example Northfield Hospitals NHS Foundation Trust")
            .value(form.name.clone())
            .error_from(&errors),
        ods_code: Input::new("ods-code", "ODS code")
            .hint("The trust's organisation code from the NHS Organisation Data Service: 3 to 5 letters and numbers, for example RXP")
            .value(form.ods_code.clone())
            .width("nhsuk-input--width-5")
            .autocomplete("off")
            .error_from(&errors),
        errors,
    }
}

/// `GET /bank-admin/trusts/new`.
async fn form(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    render(&admit_page(
        &admin,
        &visitor,
        &AdmitForm::default(),
        Errors::new(),
    ))
}

/// `POST /bank-admin/trusts/new`.
async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<AdmitForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = BankAdmin::of(&state, &visitor).await?;
    let mut errors = Errors::new();
    if form.name.trim().is_empty() {
        errors.add("name", "Enter the trust's name");
    }
    if form.ods_code.trim().is_empty() {
        errors.add("ods-code", "Enter the trust's ODS code");
    }
    if errors.is_empty() {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            Admit::build(AdmitVariables {
                bank: admin.bank.id,
                name: form.name.trim().to_owned(),
                ods_code: form.ods_code.trim().to_owned(),
            }),
        )
        .await
        {
            Ok(done) => {
                return Ok(Redirect::to(&format!(
                    "/bank-admin/trusts?admitted={}",
                    urlencode(&done.admit_trust.ods_code)
                ))
                .into_response());
            }
            // The API names what it refused: the ODS code, or else the name. Its description of
            // a malformed code is for programmers ("e.g."): the form says it in the page's words.
            Err(e) if e.code == Code::Validation && e.message.contains("not an ODS code") => {
                errors.add(
                    "ods-code",
                    "ODS code must be 3 to 5 letters and numbers, like RXP",
                );
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
                let field = if e.message.contains("ODS code") {
                    "ods-code"
                } else {
                    "name"
                };
                errors.add(field, format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&admit_page(&admin, &visitor, &form, errors))
}

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/bank-admin/trusts", get(list))
        .route("/bank-admin/trusts/new", get(form).post(submit))
}
