//! `GET /hr/workers/{id}`: a worker engaged at this trust as HR sees them — whether they meet the
//! trust's requirements, or a chosen ward's (a GET form), item by item: met (and where it came
//! from: this trust's own check, another trust's check it accepted, or a passport), missing,
//! expired, expiring (with the date), waiting to be checked, or not accepted here; then every
//! check they hold, each linking to its page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::WebState;
use crate::api;
use crate::errors::{PageError, render_form};
use crate::format;
use crate::forms::{Errors, Select};
use crate::fragments::{CredentialStatus, StaffGroup};
use crate::layout::Layout;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::board::query::{EstateQuery, EstateVariables};
use crate::views::office::shift::parse_id;
use crate::views::office::workers::Access;

#[derive(cynic::QueryVariables)]
struct SummaryVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SummaryVariables")]
struct SummaryQuery {
    #[arguments(id: $id)]
    worker: Summary,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct Summary {
    id: Uuid,
    given_name: String,
    family_name: String,
    staff_group: Option<StaffGroup>,
    grade: String,
    access: Access,
}

#[derive(cynic::QueryVariables)]
struct FullVariables {
    id: Uuid,
    trust_id: Uuid,
    ward_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "FullVariables")]
struct FullQuery {
    #[arguments(id: $id)]
    worker: Full,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker", variables = "FullVariables")]
struct Full {
    credentials: Vec<Held>,
    #[arguments(trustId: $trust_id, wardId: $ward_id)]
    compliance: Report,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Credential")]
struct Held {
    id: Uuid,
    kind_name: String,
    level: Option<i32>,
    status: CredentialStatus,
    expires_on: Option<NaiveDate>,
    verified_by_trust: Option<TrustName>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct TrustName {
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "ComplianceReport")]
struct Report {
    compliant: bool,
    items: Vec<Item>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "ComplianceItem")]
struct Item {
    kind_name: String,
    min_level: Option<i32>,
    ward_specific: bool,
    status: ItemStatus,
    credential_id: Option<Uuid>,
    valid_until: Option<NaiveDate>,
    provenance: Option<Provenance>,
}

/// How one requirement stands (the API's `ComplianceStatus`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "ComplianceStatus")]
enum ItemStatus {
    Missing,
    Expired,
    NotAccepted,
    PendingVerification,
    Expiring,
    Met,
}

/// Where a met item came from (the API's `CredentialProvenance`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CredentialProvenance")]
enum Provenance {
    OwnCheck,
    AcceptedVerification,
    Passport,
}

/// One requirement, as the page shows it.
struct Row {
    requirement: String,
    for_ward: bool,
    status: String,
    tag: &'static str,
    source: String,
    href: Option<String>,
}

/// One check the worker holds.
struct HeldRow {
    href: String,
    name: String,
    status: &'static str,
    expires: String,
}

#[derive(Template)]
#[template(path = "hr/workers/compliance.html")]
struct CompliancePage {
    layout: Layout,
    errors: Errors,
    id: Uuid,
    name: String,
    group: String,
    grade: String,
    trust_name: String,
    engaged: bool,
    ward: Select,
    ward_name: Option<String>,
    compliant: bool,
    rows: Vec<Row>,
    held: Vec<HeldRow>,
}

/// The ward chosen, as given in the address.
#[derive(Debug, Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    ward: String,
}

fn status_of(i: &Item) -> (String, &'static str) {
    let until = i.valid_until.map(format::date);
    match i.status {
        ItemStatus::Met => (
            until.map_or_else(|| "Met".to_owned(), |d| format!("Met until {d}")),
            "nhsuk-tag--green",
        ),
        ItemStatus::Expiring => (
            until.map_or_else(
                || "Expiring soon".to_owned(),
                |d| format!("Expiring: stops counting on {d}"),
            ),
            "nhsuk-tag--orange",
        ),
        ItemStatus::Expired => ("Expired".to_owned(), "nhsuk-tag--red"),
        ItemStatus::Missing => ("Missing".to_owned(), "nhsuk-tag--red"),
        ItemStatus::PendingVerification => {
            ("Waiting to be checked".to_owned(), "nhsuk-tag--yellow")
        }
        ItemStatus::NotAccepted => ("Not accepted here".to_owned(), "nhsuk-tag--red"),
    }
}

fn source_of(i: &Item, verifier: Option<&str>) -> String {
    if !matches!(i.status, ItemStatus::Met | ItemStatus::Expiring) {
        return String::new();
    }
    match i.provenance {
        Some(Provenance::OwnCheck) => "Our own check".to_owned(),
        Some(Provenance::AcceptedVerification) => format!(
            "{}'s check, accepted by us",
            verifier.unwrap_or("Another trust")
        ),
        Some(Provenance::Passport) => "A passport from another trust".to_owned(),
        None => String::new(),
    }
}

/// `GET /hr/workers/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let w = api::run(
        state.api.as_ref(),
        &visitor.caller,
        SummaryQuery::build(SummaryVariables { id }),
    )
    .await?
    .worker;
    let wards = ward_list(&state, &visitor, &hr).await?;
    let mut errors = Errors::new();
    let ward_id = chosen_ward(params.ward.trim(), &wards, &mut errors);
    let engaged = w.access != Access::Summary;
    let (compliant, rows, held) = if engaged {
        let full = api::run(
            state.api.as_ref(),
            &visitor.caller,
            FullQuery::build(FullVariables {
                id,
                trust_id: hr.trust.id,
                ward_id,
            }),
        )
        .await?
        .worker;
        let rows = full
            .compliance
            .items
            .iter()
            .map(|i| Row::of(i, &full.credentials))
            .collect();
        let held = full.credentials.iter().map(HeldRow::of).collect();
        (full.compliance.compliant, rows, held)
    } else {
        (false, Vec::new(), Vec::new())
    };
    let name = format!("{} {}", w.given_name, w.family_name);
    let mut options = vec![(String::new(), "The whole trust".to_owned())];
    options.extend(wards.iter().map(|(id, n)| (id.to_string(), n.clone())));
    let invalid = !errors.is_empty();
    let page = CompliancePage {
        layout: hr
            .layout(&visitor, &name, "/hr/workers")
            .with_errors(invalid),
        id: w.id,
        group: w.staff_group.map_or("", StaffGroup::name).to_owned(),
        grade: crate::views::worker::shifts::grade_name(&w.grade),
        trust_name: hr.trust.name.clone(),
        engaged,
        ward_name: ward_id
            .and_then(|u| wards.iter().find(|(w, _)| *w == u).map(|(_, n)| n.clone())),
        ward: Select::new("ward", "Ward", options)
            .hint("Wards can need more checks than the whole trust")
            .selected(params.ward.trim())
            .error_from(&errors),
        compliant,
        rows,
        held,
        errors,
        name,
    };
    render_form(&page, invalid)
}

/// The trust's wards, each named with its hospital.
async fn ward_list(
    state: &WebState,
    visitor: &Visitor,
    hr: &Hr,
) -> Result<Vec<(Uuid, String)>, PageError> {
    use cynic::QueryBuilder;
    let estate = api::run(
        state.api.as_ref(),
        &visitor.caller,
        EstateQuery::build(EstateVariables {
            trust_id: hr.trust.id,
        }),
    )
    .await?
    .trust;
    Ok(estate
        .sites
        .into_iter()
        .flat_map(|s| {
            let site = s.name;
            s.wards
                .into_iter()
                .map(move |w| (w.id, format!("{}, {site}", w.name)))
        })
        .collect())
}

/// The ward asked for in the address (`None`: the whole trust), which must be one of `wards`.
fn chosen_ward(raw: &str, wards: &[(Uuid, String)], errors: &mut Errors) -> Option<Uuid> {
    match raw {
        "" => None,
        raw => match raw
            .parse::<Uuid>()
            .ok()
            .filter(|u| wards.iter().any(|(w, _)| w == u))
        {
            Some(u) => Some(u),
            None => {
                errors.add("ward", "Select a ward from the list");
                None
            }
        },
    }
}

impl Row {
    /// One requirement and how it stands, naming the trust that checked what meets it.
    fn of(i: &Item, credentials: &[Held]) -> Self {
        let (status, tag) = status_of(i);
        let verifier = i
            .credential_id
            .and_then(|c| credentials.iter().find(|h| h.id == c))
            .and_then(|h| h.verified_by_trust.as_ref())
            .map(|t| t.name.as_str());
        Self {
            requirement: match i.min_level {
                Some(l) => format!("{}, level {l} or above", i.kind_name),
                None => i.kind_name.clone(),
            },
            for_ward: i.ward_specific,
            status,
            tag,
            source: source_of(i, verifier),
            href: i.credential_id.map(|c| format!("/hr/credentials/{c}")),
        }
    }
}

impl HeldRow {
    /// One check the worker holds.
    fn of(h: &Held) -> Self {
        Self {
            href: format!("/hr/credentials/{}", h.id),
            name: super::super::checks::check_name(&h.kind_name, h.level),
            status: h.status.words(),
            expires: h.expires_on.map_or_else(
                || "Does not expire".to_owned(),
                |d| format!("Expires on {}", format::date(d)),
            ),
        }
    }
}
