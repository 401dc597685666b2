//! `GET /office/workers/{id}`: the page itself, as the trust may see it, with the forms to block
//! the worker and to change the wards' preferred lists (shown again with errors by their posts).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::operations::{
    Detail, FullQuery, Loaded, PreferredQuery, WardVariables, WorkerVariables, load,
};
use super::{Access, Consent};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::forms::{Errors, Select, Textarea};
use crate::fragments::StaffGroup;
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::office::Office;
use crate::views::office::board::query::{EstateQuery, EstateVariables};
use crate::views::office::shift::parse_id;

/// The contact details, credentials (name, status in words) and compliance here of an engaged
/// worker.
type FullRecord = (Option<Detail>, Vec<(String, &'static str)>, Option<bool>);

/// A ward, and whether the worker is on its preferred list.
struct WardRow {
    id: Uuid,
    name: String,
    preferred: bool,
}

#[derive(Template)]
#[template(path = "office/workers/show.html")]
pub(super) struct ShowPage {
    layout: Layout,
    errors: Errors,
    done: String,
    id: Uuid,
    name: String,
    trust_name: String,
    group: String,
    grade: String,
    skills: Vec<String>,
    engaged: bool,
    asked_on: Option<String>,
    answer: &'static str,
    detail: Option<Detail>,
    credentials: Vec<(String, &'static str)>,
    compliant: Option<bool>,
    block: Option<(Uuid, String, String)>,
    reason: Textarea,
    wards: Vec<WardRow>,
    preferred_on: Vec<String>,
    ward: Select,
}

/// The `?done=` a redirect carries, as the success banner's words.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// The worker's page, with `errors` against its forms, the block reason as typed, and the banner
/// for `done`.
pub(super) async fn show(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
    id: Uuid,
    errors: Errors,
    reason: &str,
    done: &str,
) -> Result<ShowPage, PageError> {
    let Loaded { w, block } = load(state, visitor, office, id).await?;
    if w.id != id {
        return Err(PageError::NotFound);
    }
    let engaged = w.access != Access::Summary;
    let (detail, credentials, compliant) = if engaged {
        full_record(state, visitor, office, id).await?
    } else {
        (None, Vec::new(), None)
    };
    let wards = ward_rows(state, visitor, office, id).await?;
    let consent = w.engagement_here.as_ref().map(|e| e.consent);
    let name = format!("{} {}", w.given_name, w.family_name);
    let mut options = vec![(String::new(), "Choose a ward".to_owned())];
    options.extend(wards.iter().map(|r| (r.id.to_string(), r.name.clone())));
    Ok(ShowPage {
        layout: office
            .layout(visitor, &name, "/office/workers")
            .with_errors(!errors.is_empty()),
        done: done_words(done, &name, &office.trust.name),
        id,
        trust_name: office.trust.name.clone(),
        group: w.staff_group.map_or("", StaffGroup::name).to_owned(),
        grade: crate::views::worker::shifts::grade_name(&w.grade),
        skills: w
            .skills
            .iter()
            .map(|s| crate::format::code_words(s))
            .collect(),
        engaged,
        asked_on: w
            .engagement_here
            .as_ref()
            .filter(|e| e.consent == Consent::Proposed)
            .map(|e| format::date(format::london(e.created_at).date())),
        answer: match consent {
            Some(Consent::Declined) => "They said no to an earlier request.",
            Some(Consent::Ended) => "They ended an earlier engagement.",
            _ => "",
        },
        detail,
        credentials,
        compliant,
        block: block.map(|b| {
            (
                b.id,
                b.reason,
                format::date(format::london(b.created_at).date()),
            )
        }),
        reason: Textarea::new("reason", "Why are you blocking them?")
            .hint("They will not be able to work this trust's shifts. Up to 500 characters.")
            .value(reason)
            .error_from(&errors),
        ward: Select::new("ward", "Ward", options).error_from(&errors),
        preferred_on: wards
            .iter()
            .filter(|w| w.preferred)
            .map(|w| w.name.clone())
            .collect(),
        wards,
        errors,
        name,
    })
}

/// `GET /office/workers/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    render(
        &show(
            &state,
            &visitor,
            &office,
            id,
            Errors::new(),
            "",
            done.done.trim(),
        )
        .await?,
    )
}

/// What the engaged trust sees beyond the summary: contact details, credentials, compliance here.
async fn full_record(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
    id: Uuid,
) -> Result<FullRecord, PageError> {
    use cynic::QueryBuilder;
    let full = api::run(
        state.api.as_ref(),
        &visitor.caller,
        FullQuery::build(WorkerVariables {
            id,
            trust_id: office.trust.id,
        }),
    )
    .await?
    .worker;
    Ok((
        full.detail,
        full.credentials
            .into_iter()
            .map(|c| (c.kind_name, c.status.words()))
            .collect(),
        Some(full.compliance.compliant),
    ))
}

/// Every ward of the trust, and whether the worker is on its preferred list.
async fn ward_rows(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
    id: Uuid,
) -> Result<Vec<WardRow>, PageError> {
    use cynic::QueryBuilder;
    let estate = api::run(
        state.api.as_ref(),
        &visitor.caller,
        EstateQuery::build(EstateVariables {
            trust_id: office.trust.id,
        }),
    )
    .await?
    .trust;
    let mut wards = Vec::new();
    for s in estate.sites {
        for ward in s.wards {
            let listed = api::run(
                state.api.as_ref(),
                &visitor.caller,
                PreferredQuery::build(WardVariables { ward_id: ward.id }),
            )
            .await?
            .preferred_workers;
            wards.push(WardRow {
                id: ward.id,
                name: format!("{} ({})", ward.name, s.name),
                preferred: listed
                    .iter()
                    .any(|p| p.worker.as_ref().is_some_and(|x| x.id == id)),
            });
        }
    }
    Ok(wards)
}

/// The success banner's words for the `?done=` a redirect carries.
fn done_words(done: &str, name: &str, trust: &str) -> String {
    match done {
        "engage" => format!("You asked {name} to work at {trust}. They have been emailed."),
        "block" => format!("{name} is blocked from {trust}'s shifts."),
        "lift" => format!("The block on {name} is lifted."),
        "added" => "Added to the ward's preferred workers.".to_owned(),
        "removed" => "Removed from the ward's preferred workers.".to_owned(),
        _ => String::new(),
    }
}
