//! Sites and wards: `GET /admin/wards` lists the trust's sites and their wards (cost centre,
//! skills a worker needs there) with a form to add a site; `GET|POST /admin/wards/new` adds a
//! ward. The API has no way to change a site or ward once made, so neither does this page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::TrustAdmin;
use crate::WebState;
use crate::api::{self, ApiError, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Input, Select};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct EstateQuery {
    #[arguments(id: $id)]
    trust: Trust,
}

#[derive(cynic::QueryFragment)]
struct Trust {
    sites: Vec<Site>,
}

#[derive(cynic::QueryFragment)]
struct Site {
    id: Uuid,
    name: String,
    wards: Vec<Ward>,
}

#[derive(cynic::QueryFragment)]
struct Ward {
    name: String,
    cost_centre: String,
    required_skills: Vec<String>,
}

#[derive(cynic::QueryVariables)]
struct SiteVariables {
    trust_id: Uuid,
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SiteVariables")]
struct CreateSite {
    #[arguments(trustId: $trust_id, name: $name)]
    create_site: Created,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Site")]
struct Created {
    name: String,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "CreateWardInput")]
struct CreateWardInput {
    site_id: Uuid,
    name: String,
    cost_centre: String,
    required_skills: Vec<String>,
}

#[derive(cynic::QueryVariables)]
struct WardVariables {
    input: CreateWardInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "WardVariables")]
struct CreateWard {
    #[arguments(input: $input)]
    create_ward: CreatedWard,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Ward")]
struct CreatedWard {
    name: String,
}

async fn sites(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<Vec<Site>, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        EstateQuery::build(TrustVariables { id: admin.trust.id }),
    )
    .await?
    .trust
    .sites)
}

/// A ward as the list shows it.
struct Row {
    name: String,
    cost_centre: String,
    skills: String,
}

/// A site and its wards.
struct SiteRows {
    name: String,
    wards: Vec<Row>,
}

#[derive(Template)]
#[template(path = "admin/wards.html")]
struct WardsPage {
    layout: Layout,
    errors: Errors,
    done: String,
    sites: Vec<SiteRows>,
    site_name: Input,
}

/// What was just done, from the address.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    site: String,
    #[serde(default)]
    ward: String,
}

async fn wards_page(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
    errors: Errors,
    typed: &str,
    done: String,
) -> Result<WardsPage, PageError> {
    let sites = sites(state, visitor, admin)
        .await?
        .into_iter()
        .map(|s| SiteRows {
            name: s.name,
            wards: s
                .wards
                .into_iter()
                .map(|w| Row {
                    name: w.name,
                    cost_centre: w.cost_centre,
                    skills: if w.required_skills.is_empty() {
                        "None".to_owned()
                    } else {
                        w.required_skills
                            .iter()
                            .map(|s| format::code_words(s))
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                })
                .collect(),
        })
        .collect();
    Ok(WardsPage {
        layout: admin
            .layout(visitor, "Sites and wards", "/admin/wards")
            .with_errors(!errors.is_empty()),
        site_name: Input::new("site-name", "Site name")
            .hint("For example, Northfield General Hospital")
            .value(typed)
            .error_from(&errors),
        errors,
        done,
        sites,
    })
}

/// `GET /admin/wards`.
async fn list(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let said = if !done.ward.trim().is_empty() {
        format!("{} added.", done.ward.trim())
    } else if !done.site.trim().is_empty() {
        format!("{} added. Now add its wards.", done.site.trim())
    } else {
        String::new()
    };
    render(&wards_page(&state, &visitor, &admin, Errors::new(), "", said).await?)
}

/// The add-a-site form.
#[derive(Debug, Deserialize)]
pub struct SiteForm {
    #[serde(default, rename = "site-name")]
    name: String,
}

/// `POST /admin/sites`.
async fn add_site(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<SiteForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let name = form.name.trim().to_owned();
    let mut errors = Errors::new();
    if name.is_empty() {
        errors.add("site-name", "Enter the site's name");
    } else {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            CreateSite::build(SiteVariables {
                trust_id: admin.trust.id,
                name: name.clone(),
            }),
        )
        .await
        {
            Ok(done) => {
                let q = serde_urlencoded::to_string([("site", done.create_site.name)])
                    .unwrap_or_default();
                return Ok(Redirect::to(&format!("/admin/wards?{q}")).into_response());
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
                errors.add("site-name", format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&wards_page(&state, &visitor, &admin, errors, &name, String::new()).await?)
}

/// The add-a-ward form, as typed.
#[derive(Debug, Deserialize, Default)]
pub struct WardForm {
    #[serde(default)]
    site: String,
    #[serde(default)]
    name: String,
    #[serde(default, rename = "cost-centre")]
    cost_centre: String,
    #[serde(default)]
    skills: String,
}

#[derive(Template)]
#[template(path = "admin/ward_new.html")]
struct NewWardPage {
    layout: Layout,
    errors: Errors,
    no_sites: bool,
    site: Select,
    name: Input,
    cost_centre: Input,
    skills: Input,
}

async fn new_ward_page(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
    errors: Errors,
    form: &WardForm,
) -> Result<NewWardPage, PageError> {
    let sites = sites(state, visitor, admin).await?;
    let mut options = vec![(String::new(), "Choose a site".to_owned())];
    options.extend(sites.iter().map(|s| (s.id.to_string(), s.name.clone())));
    Ok(NewWardPage {
        layout: admin
            .layout(visitor, "Add a ward", "/admin/wards")
            .with_errors(!errors.is_empty()),
        no_sites: sites.is_empty(),
        site: Select::new("site", "Site", options)
            .selected(form.site.trim())
            .error_from(&errors),
        name: Input::new("name", "Ward name")
            .value(form.name.trim())
            .error_from(&errors),
        cost_centre: Input::new("cost-centre", "Cost centre")
            .hint("The code payroll and recharges use for this ward, for example W123")
            .value(form.cost_centre.trim())
            .width("nhsuk-input--width-10")
            .error_from(&errors),
        skills: Input::new("skills", "Skills a worker needs on this ward (optional)")
            .hint("Separate skills with commas, for example critical care, paediatrics")
            .value(form.skills.trim())
            .error_from(&errors),
        errors,
    })
}

/// `GET /admin/wards/new`.
async fn new_ward(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    render(
        &new_ward_page(
            &state,
            &visitor,
            &admin,
            Errors::new(),
            &WardForm::default(),
        )
        .await?,
    )
}

/// Which field an API refusal of a ward is about.
fn ward_field(e: &ApiError) -> &'static str {
    let m = e.message.to_lowercase();
    if m.contains("skill") {
        "skills"
    } else if m.contains("cost") {
        "cost-centre"
    } else if m.contains("site") && !m.contains("already has") {
        "site"
    } else {
        "name"
    }
}

/// `POST /admin/wards/new`.
async fn add_ward(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<WardForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let mut errors = Errors::new();
    let site_id = form.site.trim().parse::<Uuid>().ok();
    if site_id.is_none() {
        errors.add("site", "Select the site the ward is in");
    }
    if form.name.trim().is_empty() {
        errors.add("name", "Enter the ward's name");
    }
    if form.cost_centre.trim().is_empty() {
        errors.add("cost-centre", "Enter the ward's cost centre");
    }
    if let (Some(site_id), true) = (site_id, errors.is_empty()) {
        let required_skills = form
            .skills
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.replace(' ', "_").to_uppercase())
            .collect();
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            CreateWard::build(WardVariables {
                input: CreateWardInput {
                    site_id,
                    name: form.name.trim().to_owned(),
                    cost_centre: form.cost_centre.trim().to_owned(),
                    required_skills,
                },
            }),
        )
        .await
        {
            Ok(done) => {
                let q = serde_urlencoded::to_string([("ward", done.create_ward.name)])
                    .unwrap_or_default();
                return Ok(Redirect::to(&format!("/admin/wards?{q}")).into_response());
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict | Code::NotFound) => {
                errors.add(ward_field(&e), format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&new_ward_page(&state, &visitor, &admin, errors, &form).await?)
}

/// The sites and wards pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/wards", get(list))
        .route("/admin/sites", post(add_site))
        .route("/admin/wards/new", get(new_ward).post(add_ward))
}
