//! Booking a named worker on a shift: a check page (the shift, the worker, "Confirm booking")
//! whose form carries a fresh idempotency key, so a double click books once; the post runs
//! `bookShift` with the worker and goes back to the shift. A rule that stops the worker
//! (`NOT_ELIGIBLE`, every reason) or a place taken meanwhile (`CONFLICT`) is shown on the check
//! page the NHS way, and nothing is booked.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::reasons::{self, Context};
use super::{OfficeShift, facts, parse_id};
use crate::WebState;
use crate::api::{self, ApiError, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::Errors;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;
use crate::views::worker::shifts::{EligibilityReason, Refusal, grade_name};

#[derive(cynic::QueryVariables)]
struct CheckVariables {
    id: Uuid,
    worker: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "CheckVariables")]
struct CheckQuery {
    #[arguments(id: $id)]
    shift: OfficeShift,
    #[arguments(id: $worker)]
    worker: BookedWorker,
    credential_kinds: Vec<Kind>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialKind")]
struct Kind {
    code: String,
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct BookedWorker {
    id: Uuid,
    given_name: String,
    family_name: String,
    grade: String,
    home_trust: HomeTrust,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct HomeTrust {
    name: String,
}

#[derive(cynic::QueryVariables)]
struct BookVariables {
    shift_id: Uuid,
    worker_id: Option<Uuid>,
    idempotency_key: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "BookVariables")]
struct BookShift {
    #[arguments(shiftId: $shift_id, workerId: $worker_id, idempotencyKey: $idempotency_key)]
    book_shift: BookShiftPayload,
}

#[derive(cynic::QueryFragment)]
struct BookShiftPayload {
    booking: BookingId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct BookingId {
    shift: ShiftId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct ShiftId {
    id: Uuid,
}

#[derive(Template)]
#[template(path = "office/shift/book.html")]
struct CheckPage {
    layout: Layout,
    errors: Errors,
    id: Uuid,
    worker_id: Uuid,
    worker: String,
    worker_about: String,
    facts: Vec<(&'static str, String)>,
    idempotency_key: String,
}

/// Which worker to book.
#[derive(Debug, Deserialize)]
pub struct WorkerParam {
    #[serde(default)]
    worker: String,
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    worker: Uuid,
) -> Result<CheckQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        CheckQuery::build(CheckVariables { id, worker }),
    )
    .await?)
}

fn check_page(visitor: &Visitor, office: &Office, data: &CheckQuery, errors: Errors) -> CheckPage {
    let w = &data.worker;
    let name = format!("{} {}", w.given_name, w.family_name);
    let title = if errors.is_empty() {
        format!("Book {name} on this shift?")
    } else {
        format!("{name} cannot be booked on this shift")
    };
    CheckPage {
        layout: office
            .layout(visitor, &title, "/office")
            .with_errors(!errors.is_empty()),
        errors,
        id: data.shift.id,
        worker_id: w.id,
        worker: name,
        worker_about: format!("{}, {}", grade_name(&w.grade), w.home_trust.name),
        facts: facts(&data.shift),
        idempotency_key: uuid::Uuid::new_v4().to_string(),
    }
}

/// `GET /office/shifts/{id}/book?worker={worker}`: check, then confirm.
pub async fn confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(p): Query<WorkerParam>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let worker = parse_id(&p.worker)?;
    let office = Office::of(&state, &visitor).await?;
    let data = load(&state, &visitor, id, worker).await?;
    render(&check_page(&visitor, &office, &data, Errors::new()))
}

/// The confirm form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    worker: String,
    #[serde(default)]
    idempotency_key: String,
}

/// `POST /office/shifts/{id}/book`: books the worker (once per idempotency key).
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let shift_id = parse_id(&id)?;
    let worker_id = parse_id(&form.worker)?;
    let office = Office::of(&state, &visitor).await?;
    let key = Some(form.idempotency_key.trim().to_owned()).filter(|k| !k.is_empty());
    let booked = api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookShift::build(BookVariables {
            shift_id,
            worker_id: Some(worker_id),
            idempotency_key: key,
        }),
    )
    .await;
    let e = match booked {
        Ok(done) => {
            let shift = done.book_shift.booking.shift.id;
            return Ok(
                Redirect::to(&format!("/office/shifts/{shift}?done=booked#booked")).into_response(),
            );
        }
        Err(e)
            if matches!(
                e.code,
                Code::NotEligible | Code::Conflict | Code::Validation
            ) =>
        {
            e
        }
        Err(e) => return Err(e.into()),
    };
    let data = load(&state, &visitor, shift_id, worker_id).await?;
    let errors = refusal(&e, &data);
    render_invalid(&check_page(&visitor, &office, &data, errors))
}

/// What to say when booking was refused, one error per reason.
fn refusal(e: &ApiError, data: &CheckQuery) -> Errors {
    let mut errors = Errors::new();
    match e.code {
        Code::NotEligible => {
            let kinds: Vec<(String, String)> = data
                .credential_kinds
                .iter()
                .map(|k| (k.code.clone(), k.name.clone()))
                .collect();
            let mut accepted = vec![data.shift.grade.clone()];
            accepted.extend(data.shift.fallback_grades.iter().cloned());
            let cx = Context {
                trust: &data.shift.trust.name,
                accepted: &accepted,
                kinds: &kinds,
            };
            let details: Vec<serde_json::Value> = e
                .details
                .as_ref()
                .and_then(|d| d.get("reasons"))
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default();
            for d in &details {
                let r = Refusal::from_details(d);
                let reason = EligibilityReason {
                    code: r.code,
                    message: r.message,
                    requirement: r.requirement,
                    compliance_status: r.status,
                    skill: r.skill,
                    minutes: r.minutes.and_then(|m| i32::try_from(m).ok()),
                    opens_at: r.opens_at,
                };
                errors.add("booking", reasons::sentence(&reason, &cx));
            }
            if errors.is_empty() {
                errors.add("booking", "Something stops this worker working this shift");
            }
        }
        Code::Conflict => errors.add(
            "booking",
            "The last place on this shift was booked while you were deciding",
        ),
        _ => {
            errors.add("booking", crate::format::error_message(&e.message));
        }
    }
    errors
}
