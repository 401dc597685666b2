//! `GET /office/workers/{id}`: exactly what this trust may see of a worker. Until the worker
//! accepts an engagement: the bank-wide summary (name, staff group, grade, skills) and where this
//! trust's request stands; once they have: their contact details, credentials and compliance
//! here too. From here the bank office asks to engage them (a confirmation page, then
//! `engageWorker`), blocks them from this trust's shifts with a reason (and lifts it), and adds
//! them to, or removes them from, a ward's preferred list.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Select, Textarea};
use crate::fragments::{CredentialStatus, StaffGroup};
use crate::layout::Layout;
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;
use crate::views::office::board::query::{EstateQuery, EstateVariables};
use crate::views::office::shift::parse_id;

/// Where a trust's request to engage a worker stands (the API's `EngagementConsent`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "EngagementConsent")]
pub enum Consent {
    /// Asked; the worker has not answered.
    Proposed,
    /// The worker accepted.
    Accepted,
    /// The worker said no.
    Declined,
    /// The worker ended it.
    Ended,
}

/// How much of the worker this trust sees (the API's `WorkerAccess`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "WorkerAccess")]
pub enum Access {
    /// The worker themself.
    Own,
    /// Engaged here with their consent.
    Engaged,
    /// The bank-wide summary.
    Summary,
}

/// "Engaged here?" in words, for the search results and the worker's page.
#[must_use]
pub fn here_words(consent: Option<Consent>, trust: &str) -> &'static str {
    let _ = trust;
    match consent {
        Some(Consent::Accepted) => "Engaged",
        Some(Consent::Proposed) => "Asked, waiting for them",
        Some(Consent::Declined) => "Said no",
        Some(Consent::Ended) => "Ended by them",
        None => "Not engaged",
    }
}

#[derive(cynic::QueryVariables)]
struct WorkerVariables {
    id: Uuid,
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
struct WorkerQuery {
    #[arguments(id: $id)]
    worker: Summary,
    #[arguments(trustId: $trust_id)]
    worker_restrictions: Vec<Restriction>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker", variables = "WorkerVariables")]
struct Summary {
    id: Uuid,
    given_name: String,
    family_name: String,
    staff_group: Option<StaffGroup>,
    grade: String,
    skills: Vec<String>,
    access: Access,
    #[arguments(trustId: $trust_id)]
    engagement_here: Option<Engagement>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Membership")]
struct Engagement {
    consent: Consent,
    created_at: DateTime,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerRestriction")]
struct Restriction {
    id: Uuid,
    reason: String,
    created_at: DateTime,
    worker: Option<WorkerId>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct WorkerId {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
struct FullQuery {
    #[arguments(id: $id)]
    worker: Full,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker", variables = "WorkerVariables")]
struct Full {
    detail: Option<Detail>,
    credentials: Vec<Credential>,
    #[arguments(trustId: $trust_id)]
    compliance: Compliance,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerDetail")]
struct Detail {
    email: String,
    phone: Option<String>,
    registration_body: Option<String>,
    registration_number: Option<String>,
}

#[derive(cynic::QueryFragment)]
struct Credential {
    kind_name: String,
    status: CredentialStatus,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "ComplianceReport")]
struct Compliance {
    compliant: bool,
}

#[derive(cynic::QueryVariables)]
struct WardVariables {
    ward_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WardVariables")]
struct PreferredQuery {
    #[arguments(wardId: $ward_id)]
    preferred_workers: Vec<Preferred>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PreferredWorker")]
struct Preferred {
    worker: Option<WorkerId>,
}

#[derive(cynic::QueryVariables)]
struct EngageVariables {
    worker_id: Uuid,
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "EngageVariables")]
struct Engage {
    #[arguments(workerId: $worker_id, trustId: $trust_id)]
    engage_worker: Asked,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Membership")]
struct Asked {
    consent: Consent,
}

#[derive(cynic::QueryVariables)]
struct BlockVariables {
    worker_id: Uuid,
    trust_id: Uuid,
    reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "BlockVariables")]
struct Block {
    #[arguments(trustId: $trust_id, workerId: $worker_id, reason: $reason)]
    block_worker: RestrictionId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerRestriction")]
struct RestrictionId {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct LiftVariables {
    restriction_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "LiftVariables")]
struct Lift {
    #[arguments(restrictionId: $restriction_id)]
    lift_restriction: RestrictionId,
}

#[derive(cynic::QueryVariables)]
struct PreferVariables {
    ward_id: Uuid,
    worker_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PreferVariables")]
struct AddPreferred {
    #[arguments(wardId: $ward_id, workerId: $worker_id)]
    add_preferred_worker: PreferredWard,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PreferredWorker")]
struct PreferredWard {
    ward_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PreferVariables")]
struct RemovePreferred {
    #[arguments(wardId: $ward_id, workerId: $worker_id)]
    remove_preferred_worker: bool,
}

/// A ward, and whether the worker is on its preferred list.
struct WardRow {
    id: Uuid,
    name: String,
    preferred: bool,
}

#[derive(Template)]
#[template(path = "office/workers/show.html")]
struct ShowPage {
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

#[derive(Template)]
#[template(path = "office/workers/engage.html")]
struct EngagePage {
    layout: Layout,
    id: Uuid,
    name: String,
    trust_name: String,
}

struct Loaded {
    w: Summary,
    block: Option<Restriction>,
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
    id: Uuid,
) -> Result<Loaded, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        WorkerQuery::build(WorkerVariables {
            id,
            trust_id: office.trust.id,
        }),
    )
    .await?;
    let block = data
        .worker_restrictions
        .into_iter()
        .find(|r| r.worker.as_ref().is_some_and(|w| w.id == id));
    Ok(Loaded {
        w: data.worker,
        block,
    })
}

/// The `?done=` a redirect carries, as the success banner's words.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

async fn show(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
    id: Uuid,
    errors: Errors,
    reason: &str,
    done: &str,
) -> Result<ShowPage, PageError> {
    use cynic::QueryBuilder;
    let Loaded { w, block } = load(state, visitor, office, id).await?;
    if w.id != id {
        return Err(PageError::NotFound);
    }
    let engaged = w.access != Access::Summary;
    let (detail, credentials, compliant) = if engaged {
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
        (
            full.detail,
            full.credentials
                .into_iter()
                .map(|c| (c.kind_name, c.status.words()))
                .collect(),
            Some(full.compliance.compliant),
        )
    } else {
        (None, Vec::new(), None)
    };
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
    let consent = w.engagement_here.as_ref().map(|e| e.consent);
    let name = format!("{} {}", w.given_name, w.family_name);
    let mut options = vec![(String::new(), "Choose a ward".to_owned())];
    options.extend(wards.iter().map(|r| (r.id.to_string(), r.name.clone())));
    Ok(ShowPage {
        layout: office
            .layout(visitor, &name, "/office/workers")
            .with_errors(!errors.is_empty()),
        done: match done {
            "engage" => format!(
                "You asked {name} to work at {}. They have been emailed.",
                office.trust.name
            ),
            "block" => format!("{name} is blocked from {}'s shifts.", office.trust.name),
            "lift" => format!("The block on {name} is lifted."),
            "added" => "Added to the ward's preferred workers.".to_owned(),
            "removed" => "Removed from the ward's preferred workers.".to_owned(),
            _ => String::new(),
        },
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

/// `GET /office/workers/{id}/engage`: what asking means, before asking.
pub async fn engage_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let Loaded { w, .. } = load(&state, &visitor, &office, id).await?;
    let name = format!("{} {}", w.given_name, w.family_name);
    render(&EngagePage {
        layout: office.layout(
            &visitor,
            &format!("Ask {name} to work at {}", office.trust.name),
            "/office/workers",
        ),
        id,
        name,
        trust_name: office.trust.name.clone(),
    })
}

/// `POST /office/workers/{id}/engage`.
pub async fn engage_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        Engage::build(EngageVariables {
            worker_id: id,
            trust_id: office.trust.id,
        }),
    )
    .await
    {
        Ok(done) if done.engage_worker.consent == Consent::Proposed => {
            Ok(Redirect::to(&format!("/office/workers/{id}?done=engage")).into_response())
        }
        // Already asked or engaged meanwhile: the page says where it stands.
        Ok(_) => Ok(Redirect::to(&format!("/office/workers/{id}")).into_response()),
        Err(e) if e.code == Code::Conflict => {
            Ok(Redirect::to(&format!("/office/workers/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The block form.
#[derive(Debug, Deserialize)]
pub struct BlockForm {
    #[serde(default)]
    reason: String,
}

/// `POST /office/workers/{id}/block`.
pub async fn block(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<BlockForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let reason = form.reason.trim().to_owned();
    let mut errors = Errors::new();
    if reason.is_empty() {
        errors.add("reason", "Enter why you are blocking them");
    } else if reason.chars().count() > 500 {
        errors.add(
            "reason",
            "Why you are blocking them must be 500 characters or fewer",
        );
    } else {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            Block::build(BlockVariables {
                worker_id: id,
                trust_id: office.trust.id,
                reason: reason.clone(),
            }),
        )
        .await
        {
            Ok(done) => {
                tracing::debug!(restriction = %done.block_worker.id, "blocked");
                return Ok(
                    Redirect::to(&format!("/office/workers/{id}?done=block#block")).into_response(),
                );
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
                errors.add("reason", crate::format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&show(&state, &visitor, &office, id, errors, &reason, "").await?)
}

/// The lift form.
#[derive(Debug, Deserialize)]
pub struct LiftForm {
    #[serde(default)]
    restriction: String,
}

/// `POST /office/workers/{id}/lift`.
pub async fn lift(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<LiftForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let restriction_id = parse_id(form.restriction.trim())?;
    Office::of(&state, &visitor).await?;
    let lifted = api::run(
        state.api.as_ref(),
        &visitor.caller,
        Lift::build(LiftVariables { restriction_id }),
    )
    .await?;
    tracing::debug!(restriction = %lifted.lift_restriction.id, "lifted");
    Ok(Redirect::to(&format!("/office/workers/{id}?done=lift#block")).into_response())
}

/// The preferred-list form: a ward, and whether to add or remove.
#[derive(Debug, Deserialize)]
pub struct PreferredForm {
    #[serde(default)]
    ward: String,
    #[serde(default)]
    action: String,
}

/// `POST /office/workers/{id}/preferred`.
pub async fn preferred(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<PreferredForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let Ok(ward_id) = form.ward.trim().parse::<Uuid>() else {
        let mut errors = Errors::new();
        errors.add("ward", "Select a ward");
        return render_invalid(&show(&state, &visitor, &office, id, errors, "", "").await?);
    };
    let vars = PreferVariables {
        ward_id,
        worker_id: id,
    };
    let done = if form.action == "remove" {
        let removed = api::run(
            state.api.as_ref(),
            &visitor.caller,
            RemovePreferred::build(vars),
        )
        .await?;
        if removed.remove_preferred_worker {
            "removed"
        } else {
            ""
        }
    } else {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            AddPreferred::build(vars),
        )
        .await
        {
            Ok(added) if added.add_preferred_worker.ward_id == ward_id => "added",
            Ok(_) => "",
            Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
                let mut errors = Errors::new();
                errors.add("ward", crate::format::error_message(&e.message));
                return render_invalid(&show(&state, &visitor, &office, id, errors, "", "").await?);
            }
            Err(e) => return Err(e.into()),
        }
    };
    Ok(Redirect::to(&format!("/office/workers/{id}?done={done}#preferred")).into_response())
}
