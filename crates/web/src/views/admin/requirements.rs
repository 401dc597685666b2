//! Requirement profiles: what each staff group and ward needs. `GET /admin/requirements` lists the
//! trust's profile in force — for everyone, then per staff group, then per ward — each item with
//! a link to retire it; `GET|POST /admin/requirements/new` adds an item (a kind of check or
//! training from the catalogue, optionally for one staff group or ward, with how old it may be and
//! a minimum level); retiring asks first (`GET|POST /admin/requirements/{id}/retire`): workers may
//! become able to work shifts they could not, or the other way round.

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
use crate::fragments::StaffGroup;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::office::shift::parse_id;

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct ProfileQuery {
    #[arguments(id: $id)]
    trust: Trust,
    credential_kinds: Vec<Kind>,
}

#[derive(cynic::QueryFragment)]
struct Trust {
    requirements: Vec<Requirement>,
    wards: Vec<Ward>,
}

#[derive(cynic::QueryFragment)]
struct Requirement {
    id: Uuid,
    kind: String,
    kind_name: String,
    min_level: Option<i32>,
    max_age_days: Option<i32>,
    staff_group: Option<StaffGroup>,
    ward_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
struct Ward {
    id: Uuid,
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialKind")]
struct Kind {
    code: String,
    name: String,
    category: String,
    levels: Vec<Level>,
    default_renewal_days: Option<i32>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialLevel")]
struct Level {
    level: i32,
    name: String,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "AddRequirementInput")]
struct AddRequirementInput {
    trust_id: Uuid,
    kind: String,
    min_level: Option<i32>,
    max_age_days: Option<i32>,
    staff_group: Option<StaffGroup>,
    ward_id: Option<Uuid>,
}

#[derive(cynic::QueryVariables)]
struct AddVariables {
    input: AddRequirementInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "AddVariables")]
struct Add {
    #[arguments(input: $input)]
    add_requirement: Added,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Requirement")]
struct Added {
    kind_name: String,
}

#[derive(cynic::QueryVariables)]
struct RetireVariables {
    requirement_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RetireVariables")]
struct Retire {
    #[arguments(requirementId: $requirement_id)]
    retire_requirement: Added,
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<ProfileQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        ProfileQuery::build(TrustVariables { id: admin.trust.id }),
    )
    .await?)
}

/// One item as the list shows it.
struct Row {
    id: Uuid,
    what: String,
    renewal: String,
    level: String,
}

/// Who a group of items applies to, and the items.
struct Group {
    heading: String,
    rows: Vec<Row>,
}

fn level_name(kinds: &[Kind], kind: &str, level: Option<i32>) -> String {
    let Some(l) = level else {
        return "Any".to_owned();
    };
    kinds
        .iter()
        .find(|k| k.code == kind)
        .and_then(|k| k.levels.iter().find(|x| x.level == l))
        .map_or_else(|| format!("Level {l}"), |x| x.name.clone())
}

fn renewal_words(days: Option<i32>) -> String {
    match days {
        None => "Does not expire".to_owned(),
        Some(d) if d % 365 == 0 => match d / 365 {
            1 => "Every year".to_owned(),
            n => format!("Every {n} years"),
        },
        Some(1) => "Every day".to_owned(),
        Some(d) => format!("Every {d} days"),
    }
}

/// The profile grouped: everyone, each staff group, each ward.
fn groups(data: &ProfileQuery) -> Vec<Group> {
    let row = |r: &Requirement| Row {
        id: r.id,
        what: r.kind_name.clone(),
        renewal: renewal_words(r.max_age_days),
        level: level_name(&data.credential_kinds, &r.kind, r.min_level),
    };
    let reqs = &data.trust.requirements;
    let mut out = Vec::new();
    let everyone: Vec<Row> = reqs
        .iter()
        .filter(|r| r.staff_group.is_none() && r.ward_id.is_none())
        .map(row)
        .collect();
    if !everyone.is_empty() {
        out.push(Group {
            heading: "Everyone".to_owned(),
            rows: everyone,
        });
    }
    for g in StaffGroup::ALL {
        let rows: Vec<Row> = reqs
            .iter()
            .filter(|r| r.staff_group == Some(g) && r.ward_id.is_none())
            .map(row)
            .collect();
        if !rows.is_empty() {
            out.push(Group {
                heading: g.name().to_owned(),
                rows,
            });
        }
    }
    for w in &data.trust.wards {
        let rows: Vec<Row> = reqs
            .iter()
            .filter(|r| r.ward_id == Some(w.id))
            .map(|r| {
                let mut x = row(r);
                if let Some(g) = r.staff_group {
                    x.what = format!("{} ({} only)", x.what, g.name());
                }
                x
            })
            .collect();
        if !rows.is_empty() {
            out.push(Group {
                heading: format!("On {}", w.name),
                rows,
            });
        }
    }
    out
}

#[derive(Template)]
#[template(path = "admin/requirements.html")]
struct ListPage {
    layout: Layout,
    done: String,
    groups: Vec<Group>,
}

/// What was just done.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    added: String,
    #[serde(default)]
    retired: String,
}

/// `GET /admin/requirements`.
async fn list(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = load(&state, &visitor, &admin).await?;
    let done = if !done.added.trim().is_empty() {
        format!("{} added to the requirements.", done.added.trim())
    } else if !done.retired.trim().is_empty() {
        format!("{} retired: it no longer applies.", done.retired.trim())
    } else {
        String::new()
    };
    render(&ListPage {
        layout: admin.layout(&visitor, "Requirements", "/admin/requirements"),
        done,
        groups: groups(&data),
    })
}

/// The add form, as typed.
#[derive(Debug, Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    ward: String,
    #[serde(default, rename = "max-age")]
    max_age: String,
    #[serde(default, rename = "min-level")]
    min_level: String,
}

#[derive(Template)]
#[template(path = "admin/requirement_new.html")]
struct AddPage {
    layout: Layout,
    errors: Errors,
    kind: Select,
    group: Select,
    ward: Select,
    max_age: Input,
    min_level: Input,
}

fn add_page(
    admin: &TrustAdmin,
    visitor: &Visitor,
    data: &ProfileQuery,
    errors: Errors,
    form: &AddForm,
) -> AddPage {
    let mut kinds = vec![(String::new(), "Choose a check or training".to_owned())];
    kinds.extend(data.credential_kinds.iter().map(|k| {
        let category = match k.category.as_str() {
            "EMPLOYMENT_CHECK" => "Check",
            "CORE_TRAINING" => "Core training",
            _ => "Training",
        };
        let renew = k.default_renewal_days.map_or(String::new(), |d| {
            format!(", usually {}", renewal_words(Some(d)).to_lowercase())
        });
        (k.code.clone(), format!("{}: {}{renew}", category, k.name))
    }));
    let mut groups = vec![(String::new(), "All staff groups".to_owned())];
    groups.extend(
        StaffGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), g.name().to_owned())),
    );
    let mut wards = vec![(String::new(), "All wards".to_owned())];
    wards.extend(
        data.trust
            .wards
            .iter()
            .map(|w| (w.id.to_string(), w.name.clone())),
    );
    AddPage {
        layout: admin
            .layout(visitor, "Add a requirement", "/admin/requirements")
            .with_errors(!errors.is_empty()),
        kind: Select::new("kind", "Check or training", kinds)
            .selected(form.kind.trim())
            .error_from(&errors),
        group: Select::new("group", "Staff group", groups)
            .hint("Who must have it")
            .selected(form.group.trim())
            .error_from(&errors),
        ward: Select::new("ward", "Ward", wards)
            .hint("Only for shifts on one ward, or on every ward")
            .selected(form.ward.trim())
            .error_from(&errors),
        max_age: Input::new("max-age", "How old it may be, in days (optional)")
            .hint("For example, 365 to renew it every year. Leave empty to use the usual renewal period")
            .value(form.max_age.trim())
            .inputmode("numeric")
            .width("nhsuk-input--width-5")
            .error_from(&errors),
        min_level: Input::new("min-level", "Minimum level (optional)")
            .hint("Only for training with levels, for example 2 for level 2 safeguarding")
            .value(form.min_level.trim())
            .inputmode("numeric")
            .width("nhsuk-input--width-2")
            .error_from(&errors),
        errors,
    }
}

/// `GET /admin/requirements/new`.
async fn new(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = load(&state, &visitor, &admin).await?;
    render(&add_page(
        &admin,
        &visitor,
        &data,
        Errors::new(),
        &AddForm::default(),
    ))
}

/// A whole number typed in a box, or what to say about it.
fn whole(typed: &str, what: &str) -> Result<Option<i32>, String> {
    let t = typed.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(format!("{what} must be a whole number more than 0")),
    }
}

/// `POST /admin/requirements/new`.
async fn add(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<AddForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = load(&state, &visitor, &admin).await?;
    let mut errors = Errors::new();
    let kind = form.kind.trim();
    if !data.credential_kinds.iter().any(|k| k.code == kind) {
        errors.add("kind", "Select a check or training");
    }
    let staff_group = match form.group.trim() {
        "" => None,
        code => {
            let g = StaffGroup::from_code(code);
            if g.is_none() {
                errors.add("group", "Select a staff group from the list");
            }
            g
        }
    };
    let ward_id = match form.ward.trim() {
        "" => None,
        id => {
            let w = id
                .parse::<Uuid>()
                .ok()
                .filter(|w| data.trust.wards.iter().any(|x| x.id == *w));
            if w.is_none() {
                errors.add("ward", "Select a ward from the list");
            }
            w
        }
    };
    let max_age_days = whole(&form.max_age, "How old it may be").unwrap_or_else(|m| {
        errors.add("max-age", m);
        None
    });
    let min_level = whole(&form.min_level, "Minimum level").unwrap_or_else(|m| {
        errors.add("min-level", m);
        None
    });
    if errors.is_empty() {
        let max_age_days = max_age_days.or_else(|| {
            data.credential_kinds
                .iter()
                .find(|k| k.code == kind)
                .and_then(|k| k.default_renewal_days)
        });
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            Add::build(AddVariables {
                input: AddRequirementInput {
                    trust_id: admin.trust.id,
                    kind: kind.to_owned(),
                    min_level,
                    max_age_days,
                    staff_group,
                    ward_id,
                },
            }),
        )
        .await
        {
            Ok(done) => {
                let q = serde_urlencoded::to_string([("added", done.add_requirement.kind_name)])
                    .unwrap_or_default();
                return Ok(Redirect::to(&format!("/admin/requirements?{q}")).into_response());
            }
            Err(e) if e.code == Code::Validation => {
                let m = e.message.to_lowercase();
                let field = if m.contains("level") {
                    "min-level"
                } else if m.contains("ward") {
                    "ward"
                } else if m.contains("age") {
                    "max-age"
                } else {
                    "kind"
                };
                errors.add(field, format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&add_page(&admin, &visitor, &data, errors, &form))
}

#[derive(Template)]
#[template(path = "admin/requirement_retire.html")]
struct RetirePage {
    layout: Layout,
    id: Uuid,
    what: String,
    applies_to: String,
}

/// `GET /admin/requirements/{id}/retire`: are you sure?
async fn retire_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = load(&state, &visitor, &admin).await?;
    let Some(r) = data.trust.requirements.iter().find(|r| r.id == id) else {
        return Err(PageError::NotFound);
    };
    let ward = r
        .ward_id
        .and_then(|w| data.trust.wards.iter().find(|x| x.id == w))
        .map(|w| w.name.clone());
    let applies_to = match (r.staff_group, ward) {
        (None, None) => "everyone, on every ward".to_owned(),
        (Some(g), None) => g.name().to_lowercase(),
        (None, Some(w)) => format!("everyone working on {w}"),
        (Some(g), Some(w)) => format!("{} working on {w}", g.name().to_lowercase()),
    };
    render(&RetirePage {
        layout: admin.layout(
            &visitor,
            &format!("Retire {}?", r.kind_name),
            "/admin/requirements",
        ),
        id,
        what: r.kind_name.clone(),
        applies_to,
    })
}

/// `POST /admin/requirements/{id}/retire`.
async fn retire(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    TrustAdmin::of(&state, &visitor).await?;
    let done = api::run(
        state.api.as_ref(),
        &visitor.caller,
        Retire::build(RetireVariables { requirement_id: id }),
    )
    .await?;
    let q = serde_urlencoded::to_string([("retired", done.retire_requirement.kind_name)])
        .unwrap_or_default();
    Ok(Redirect::to(&format!("/admin/requirements?{q}")).into_response())
}

/// The requirement profile pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/requirements", get(list))
        .route("/admin/requirements/new", get(new).post(add))
        .route(
            "/admin/requirements/{id}/retire",
            get(retire_confirm).post(retire),
        )
}
