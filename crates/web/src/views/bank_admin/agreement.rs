//! The passporting agreement: which checks and training the bank's trusts accept from each
//! other's passports, how old each may be, and which are always checked again by the receiving
//! trust. `GET /bank-admin/agreement` shows the version in force; `GET /bank-admin/agreement/edit`
//! is its form (every credential kind, pre-filled); `POST` there checks what was typed and shows
//! the answers to check (or the form again, with errors); `POST /bank-admin/agreement/save` sets
//! the new version through `setPassportingAgreement`.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::BankAdmin;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{CsrfField, Errors};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct SystemVariables {
    system_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SystemVariables")]
struct AgreementQuery {
    #[arguments(systemId: $system_id)]
    passporting_agreement: Agreement,
    credential_kinds: Vec<Kind>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportingAgreement")]
struct Agreement {
    max_passport_days: i32,
    rules: Vec<Rule>,
    is_default: bool,
    since: Option<DateTime<Utc>>,
}

#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "AgreementRule")]
struct Rule {
    kind: String,
    recognised: bool,
    max_age_days: Option<i32>,
    min_level: Option<i32>,
    always_local_check: bool,
    note: Option<String>,
}

#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "CredentialKind")]
struct Kind {
    code: String,
    name: String,
}

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "PassportingAgreementInput")]
struct AgreementInput {
    max_passport_days: i32,
    rules: Vec<RuleInput>,
}

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "AgreementRuleInput")]
struct RuleInput {
    kind: String,
    recognised: bool,
    max_age_days: Option<i32>,
    min_level: Option<i32>,
    always_local_check: bool,
    note: Option<String>,
}

#[derive(cynic::QueryVariables)]
struct SetVariables {
    system_id: Uuid,
    input: AgreementInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SetVariables")]
struct SetAgreement {
    #[arguments(systemId: $system_id, input: $input)]
    set_passporting_agreement: Saved,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportingAgreement")]
struct Saved {
    max_passport_days: i32,
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    admin: &BankAdmin,
) -> Result<AgreementQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        AgreementQuery::build(SystemVariables {
            system_id: admin.bank.id,
        }),
    )
    .await?)
}

/// A kind's rule in words, as the agreement page and the answers to check show it.
struct RuleRow {
    code: String,
    name: String,
    accepted: &'static str,
    oldest: String,
    local: &'static str,
}

fn days(d: i32) -> String {
    format::count(i64::from(d), "day")
}

fn row(kind: &Kind, rule: Option<&Rule>) -> RuleRow {
    let recognised = rule.is_some_and(|r| r.recognised);
    RuleRow {
        code: kind.code.clone(),
        name: kind.name.clone(),
        accepted: if recognised { "Yes" } else { "No" },
        oldest: match rule.and_then(|r| r.max_age_days) {
            Some(d) if recognised => days(d),
            _ if recognised => "No limit".to_owned(),
            _ => "Not accepted".to_owned(),
        },
        local: if rule.is_some_and(|r| r.always_local_check) {
            "Yes"
        } else {
            "No"
        },
    }
}

#[derive(Template)]
#[template(path = "bank_admin/agreement.html")]
struct AgreementPage {
    layout: Layout,
    bank: String,
    max_days: String,
    since: String,
    rows: Vec<RuleRow>,
    saved: bool,
}

/// What the page was sent back with.
#[derive(Debug, Deserialize, Default)]
struct Done {
    saved: Option<String>,
}

/// `GET /bank-admin/agreement`.
async fn show(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let q = load(&state, &visitor, &admin).await?;
    let a = &q.passporting_agreement;
    let rules: HashMap<&str, &Rule> = a.rules.iter().map(|r| (r.kind.as_str(), r)).collect();
    render(&AgreementPage {
        layout: admin.layout(&visitor, "Passporting agreement", "/bank-admin/agreement"),
        bank: admin.bank.name.clone(),
        max_days: days(a.max_passport_days),
        since: match (a.is_default, a.since) {
            (false, Some(at)) => format!("In force since {}.", format::when(at)),
            _ => "The built-in agreement applies: no version has been set yet.".to_owned(),
        },
        rows: q
            .credential_kinds
            .iter()
            .map(|k| row(k, rules.get(k.code.as_str()).copied()))
            .collect(),
        saved: done.saved.is_some(),
    })
}

/// One kind's fields on the form, as typed.
struct KindFields {
    code: String,
    name: String,
    recognised: bool,
    oldest: String,
    local: bool,
    /// Kept as they are (not edited here).
    min_level: String,
    note: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "bank_admin/agreement_edit.html")]
struct EditPage {
    layout: Layout,
    errors: Errors,
    bank: String,
    max_days: String,
    max_days_error: Option<String>,
    kinds: Vec<KindFields>,
}

#[derive(Template)]
#[template(path = "bank_admin/agreement_check.html")]
struct CheckPage {
    layout: Layout,
    bank: String,
    max_days: String,
    rows: Vec<RuleRow>,
    hidden: Vec<(String, String)>,
}

/// The form as typed: every field by name (the kinds' fields are named after each kind).
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The form's fields for the agreement in force.
fn fields_of(a: &Agreement, kinds: &[Kind]) -> Fields {
    let mut out = vec![("max-days".to_owned(), a.max_passport_days.to_string())];
    for k in kinds {
        let Some(r) = a.rules.iter().find(|r| r.kind == k.code) else {
            continue;
        };
        let c = &k.code;
        if r.recognised {
            out.push((format!("recognised-{c}"), "yes".to_owned()));
        }
        if let Some(d) = r.max_age_days {
            out.push((format!("oldest-{c}"), d.to_string()));
        }
        if r.always_local_check {
            out.push((format!("local-{c}"), "yes".to_owned()));
        }
        if let Some(l) = r.min_level {
            out.push((format!("level-{c}"), l.to_string()));
        }
        if let Some(n) = &r.note {
            out.push((format!("note-{c}"), n.clone()));
        }
    }
    out
}

/// A whole number of days typed into `name`, or the error to show.
fn whole_days(typed: &str, what: &str) -> Result<Option<i32>, String> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(d) if d > 0 => Ok(Some(d)),
        Ok(_) => Err(format!(
            "{} must be more than 0 days",
            format::capitalised(what)
        )),
        Err(_) => Err(format!(
            "{} must be a whole number of days, like 365",
            format::capitalised(what)
        )),
    }
}

/// What was typed, as the new version, or the form with its errors.
fn parse(
    fields: &Fields,
    kinds: &[Kind],
) -> (Vec<KindFields>, String, Errors, Option<AgreementInput>) {
    let mut errors = Errors::new();
    let max_typed = field(fields, "max-days")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let max = match whole_days(&max_typed, "the longest a passport may be valid") {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add(
                "max-days",
                "Enter the longest a passport may be valid, in days",
            );
            None
        }
        Err(m) => {
            errors.add("max-days", m);
            None
        }
    };
    let mut rows = Vec::with_capacity(kinds.len());
    let mut rules = Vec::with_capacity(kinds.len());
    for k in kinds {
        let c = &k.code;
        let get = |prefix: &str| field(fields, &format!("{prefix}-{c}")).unwrap_or_default();
        let recognised = get("recognised") == "yes";
        let local = get("local") == "yes";
        let oldest = get("oldest").trim().to_owned();
        let id = format!("oldest-{c}");
        let age = match whole_days(&oldest, &format!("the oldest {} accepted", k.name)) {
            Ok(d) => d,
            Err(m) => {
                errors.add(id.clone(), m);
                None
            }
        };
        let min_level = get("level").trim().parse::<i32>().ok();
        let note = Some(get("note").to_owned()).filter(|n| !n.trim().is_empty());
        rules.push(RuleInput {
            kind: c.clone(),
            recognised,
            max_age_days: age,
            min_level,
            always_local_check: local,
            note: note.clone(),
        });
        rows.push(KindFields {
            code: c.clone(),
            name: k.name.clone(),
            recognised,
            oldest,
            local,
            min_level: get("level").trim().to_owned(),
            note: note.unwrap_or_default(),
            error: errors.get(&id).map(str::to_owned),
        });
    }
    let input = match max {
        Some(max_passport_days) if errors.is_empty() => Some(AgreementInput {
            max_passport_days,
            rules,
        }),
        _ => None,
    };
    (rows, max_typed, errors, input)
}

fn edit_page(
    admin: &BankAdmin,
    visitor: &Visitor,
    rows: Vec<KindFields>,
    max_days: String,
    errors: Errors,
) -> EditPage {
    EditPage {
        layout: admin
            .layout(
                visitor,
                "Change the passporting agreement",
                "/bank-admin/agreement",
            )
            .with_errors(!errors.is_empty()),
        bank: admin.bank.name.clone(),
        max_days,
        max_days_error: errors.get("max-days").map(str::to_owned),
        kinds: rows,
        errors,
    }
}

/// `GET /bank-admin/agreement/edit`.
async fn edit(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let q = load(&state, &visitor, &admin).await?;
    let fields = fields_of(&q.passporting_agreement, &q.credential_kinds);
    let (rows, max, _, _) = parse(&fields, &q.credential_kinds);
    render(&edit_page(&admin, &visitor, rows, max, Errors::new()))
}

/// The hidden fields that carry what was typed from the answers to check to the save.
fn hidden_of(fields: &Fields) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(k, _)| k != crate::csrf::FIELD && k != "change")
        .cloned()
        .collect()
}

/// `POST /bank-admin/agreement/edit`: the answers to check, or the form again (with errors, or
/// to change what was typed).
async fn check(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let q = load(&state, &visitor, &admin).await?;
    let (rows, max, errors, input) = parse(&fields, &q.credential_kinds);
    let Some(input) = input.filter(|_| field(&fields, "change").is_none()) else {
        let page = edit_page(&admin, &visitor, rows, max, errors.clone());
        return if errors.is_empty() {
            render(&page)
        } else {
            render_invalid(&page)
        };
    };
    let rules: Vec<Rule> = input
        .rules
        .iter()
        .map(|r| Rule {
            kind: r.kind.clone(),
            recognised: r.recognised,
            max_age_days: r.max_age_days,
            min_level: r.min_level,
            always_local_check: r.always_local_check,
            note: r.note.clone(),
        })
        .collect();
    render(&CheckPage {
        layout: admin.layout(
            &visitor,
            "Check the new passporting agreement",
            "/bank-admin/agreement",
        ),
        bank: admin.bank.name.clone(),
        max_days: days(input.max_passport_days),
        rows: q
            .credential_kinds
            .iter()
            .map(|k| row(k, rules.iter().find(|r| r.kind == k.code)))
            .collect(),
        hidden: hidden_of(&fields),
    })
}

/// The API's words for its fields, in the form's.
fn plain(message: &str) -> String {
    format::error_message(
        &message
            .replace(
                "maxPassportDays",
                "the longest a passport may be valid, in days,",
            )
            .replace("maxAgeDays", "the oldest accepted, in days,"),
    )
}

/// `POST /bank-admin/agreement/save`.
async fn save(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(fields): Form<Fields>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = BankAdmin::of(&state, &visitor).await?;
    let q = load(&state, &visitor, &admin).await?;
    let (rows, max, mut errors, input) = parse(&fields, &q.credential_kinds);
    if let Some(input) = input {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            SetAgreement::build(SetVariables {
                system_id: admin.bank.id,
                input,
            }),
        )
        .await
        {
            Ok(saved) => {
                tracing::debug!(
                    days = saved.set_passporting_agreement.max_passport_days,
                    "agreement set"
                );
                return Ok(Redirect::to("/bank-admin/agreement?saved=1").into_response());
            }
            Err(e) if e.code == Code::Validation => {
                errors.add("max-days", plain(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&edit_page(&admin, &visitor, rows, max, errors))
}

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/bank-admin/agreement", get(show))
        .route("/bank-admin/agreement/edit", get(edit).post(check))
        .route("/bank-admin/agreement/save", post(save))
}
