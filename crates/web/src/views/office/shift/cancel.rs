//! Cancelling a shift, or one booking of it, as the bank office: why (required), then a confirm
//! step; both say first what it costs the trust — each booking's late-cancellation fee or none,
//! from the API's `cancellationPreview` (the rule `cancelShift` and `cancelBooking` charge by) —
//! then the mutation, and back to the shift.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{OfficeShift, WorkerName, consequence, facts, parse_id};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::{Errors, Textarea};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;

#[derive(cynic::QueryVariables)]
struct IdVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "IdVariables")]
struct ShiftQuery {
    #[arguments(id: $id)]
    shift: OfficeShift,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "IdVariables")]
struct BookingQuery {
    #[arguments(id: $id)]
    booking: BookingOfShift,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct BookingOfShift {
    shift: ShiftId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct ShiftId {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct CancelShiftVariables {
    shift_id: Uuid,
    reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "CancelShiftVariables")]
struct CancelShift {
    #[arguments(shiftId: $shift_id, reason: $reason)]
    cancel_shift: ShiftId,
}

#[derive(cynic::QueryVariables)]
struct CancelBookingVariables {
    booking_id: Uuid,
    reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "CancelBookingVariables")]
struct CancelBooking {
    #[arguments(bookingId: $booking_id, reason: $reason)]
    cancel_booking: BookingOfShift,
}

/// What is being cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Shift,
    Booking(Uuid),
}

#[derive(Template)]
#[template(path = "office/shift/cancel.html")]
struct CancelPage {
    layout: Layout,
    errors: Errors,
    shift_id: Uuid,
    action: String,
    heading: String,
    button: String,
    confirming: bool,
    facts: Vec<(&'static str, String)>,
    consequences: Vec<String>,
    reason: Textarea,
    reason_text: String,
}

/// Everything the pages need, read fresh each time.
struct Loaded {
    shift: OfficeShift,
    target: Target,
    /// The worker whose booking it is.
    worker: Option<WorkerName>,
    /// What it would cost, one sentence per booking affected.
    consequences: Vec<String>,
    /// Whether it can still be cancelled.
    cancellable: bool,
}

async fn load_shift(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<OfficeShift, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        ShiftQuery::build(IdVariables { id }),
    )
    .await?
    .shift)
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    target: Target,
    shift_id: Uuid,
) -> Result<Loaded, PageError> {
    let shift = load_shift(state, visitor, shift_id).await?;
    let trust = shift.trust.name.clone();
    let (worker, consequences, cancellable) = match target {
        Target::Shift => {
            let said: Vec<String> = shift
                .bookings
                .iter()
                .filter(|b| b.active)
                .filter_map(|b| {
                    let p = b.cancellation_preview.as_ref()?;
                    let who = b
                        .worker
                        .as_ref()
                        .map_or_else(|| "A worker".to_owned(), WorkerName::full);
                    Some(format!("{who}: {}", consequence(p, &trust)))
                })
                .collect();
            let said = if said.is_empty() {
                vec!["Nobody is booked on this shift, so there is no fee to pay.".to_owned()]
            } else {
                said
            };
            let open = shift.cancelled_at.is_none()
                && shift.starts_local > crate::format::london(chrono::Utc::now());
            (None, said, open)
        }
        Target::Booking(id) => {
            let b = shift
                .bookings
                .iter()
                .find(|b| b.id == id)
                .ok_or(PageError::NotFound)?;
            let said = b
                .cancellation_preview
                .as_ref()
                .map(|p| vec![consequence(p, &trust)])
                .unwrap_or_default();
            (b.worker.clone(), said, b.cancellation_preview.is_some())
        }
    };
    Ok(Loaded {
        shift,
        target,
        worker,
        consequences,
        cancellable,
    })
}

fn page(
    visitor: &Visitor,
    office: &Office,
    l: &Loaded,
    errors: Errors,
    reason: &str,
    confirming: bool,
) -> CancelPage {
    let who = l
        .worker
        .as_ref()
        .map_or_else(|| "this worker".to_owned(), WorkerName::full);
    let (heading, button, action) = match (l.target, confirming) {
        (Target::Shift, false) => (
            "Cancel this shift".to_owned(),
            "Continue".to_owned(),
            format!("/office/shifts/{}/cancel", l.shift.id),
        ),
        (Target::Shift, true) => (
            "Are you sure you want to cancel this shift?".to_owned(),
            "Yes, cancel this shift".to_owned(),
            format!("/office/shifts/{}/cancel", l.shift.id),
        ),
        (Target::Booking(id), false) => (
            format!("Cancel {who}'s booking"),
            "Continue".to_owned(),
            format!("/office/bookings/{id}/cancel"),
        ),
        (Target::Booking(id), true) => (
            format!("Are you sure you want to cancel {who}'s booking?"),
            "Yes, cancel this booking".to_owned(),
            format!("/office/bookings/{id}/cancel"),
        ),
    };
    let hint = match l.target {
        Target::Shift => "Anyone booked will be told by email, with this reason.",
        Target::Booking(_) => "The worker will be told by email, with this reason.",
    };
    CancelPage {
        layout: office
            .layout(visitor, &heading, "/office")
            .with_errors(!errors.is_empty()),
        reason: Textarea::new("reason", "Why are you cancelling?")
            .hint(hint)
            .value(reason)
            .error_from(&errors),
        errors,
        shift_id: l.shift.id,
        action,
        heading,
        button,
        confirming,
        facts: facts(&l.shift),
        consequences: l.consequences.clone(),
        reason_text: reason.to_owned(),
    }
}

/// The cancel forms: `step` is `check` (the reason, to confirm next) or `confirm`.
#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    reason: String,
}

async fn form_for(
    state: &WebState,
    visitor: &Visitor,
    target: Target,
    shift_id: Uuid,
) -> Result<Response, PageError> {
    let office = Office::of(state, visitor).await?;
    let l = load(state, visitor, target, shift_id).await?;
    if !l.cancellable {
        return Ok(Redirect::to(&format!("/office/shifts/{shift_id}")).into_response());
    }
    render(&page(visitor, &office, &l, Errors::new(), "", false))
}

async fn submit_for(
    state: &WebState,
    visitor: &Visitor,
    target: Target,
    shift_id: Uuid,
    form: CancelForm,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let office = Office::of(state, visitor).await?;
    let l = load(state, visitor, target, shift_id).await?;
    if !l.cancellable {
        return Ok(Redirect::to(&format!("/office/shifts/{shift_id}")).into_response());
    }
    let reason = form.reason.trim().to_owned();
    let mut errors = Errors::new();
    if reason.is_empty() {
        errors.add("reason", "Enter why you are cancelling");
    } else if reason.chars().count() > 500 {
        errors.add(
            "reason",
            "Why you are cancelling must be 500 characters or fewer",
        );
    }
    if !errors.is_empty() {
        return render_invalid(&page(visitor, &office, &l, errors, &reason, false));
    }
    if form.step != "confirm" {
        return render(&page(visitor, &office, &l, errors, &reason, true));
    }
    let done = match target {
        Target::Shift => api::run(
            state.api.as_ref(),
            &visitor.caller,
            CancelShift::build(CancelShiftVariables {
                shift_id,
                reason: reason.clone(),
            }),
        )
        .await
        .map(|d| (d.cancel_shift.id, "cancelled")),
        Target::Booking(booking_id) => api::run(
            state.api.as_ref(),
            &visitor.caller,
            CancelBooking::build(CancelBookingVariables {
                booking_id,
                reason: reason.clone(),
            }),
        )
        .await
        .map(|d| (d.cancel_booking.shift.id, "booking-cancelled")),
    };
    match done {
        Ok((shift, done)) => {
            Ok(Redirect::to(&format!("/office/shifts/{shift}?done={done}#booked")).into_response())
        }
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            errors.add("reason", crate::format::error_message(&e.message));
            render_invalid(&page(visitor, &office, &l, errors, &reason, false))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /office/shifts/{id}/cancel`.
pub async fn shift_form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    form_for(&state, &visitor, Target::Shift, id).await
}

/// `POST /office/shifts/{id}/cancel`.
pub async fn shift_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    submit_for(&state, &visitor, Target::Shift, id, form).await
}

/// The shift a booking is of.
async fn shift_of(state: &WebState, visitor: &Visitor, id: Uuid) -> Result<Uuid, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookingQuery::build(IdVariables { id }),
    )
    .await?
    .booking
    .shift
    .id)
}

/// `GET /office/bookings/{id}/cancel`.
pub async fn booking_form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let shift_id = shift_of(&state, &visitor, id).await?;
    form_for(&state, &visitor, Target::Booking(id), shift_id).await
}

/// `POST /office/bookings/{id}/cancel`.
pub async fn booking_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let shift_id = shift_of(&state, &visitor, id).await?;
    submit_for(&state, &visitor, Target::Booking(id), shift_id, form).await
}
