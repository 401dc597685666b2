//! Recording that a booked worker did not come, once the shift has started: a confirm page (who,
//! which shift, what it means for them, an optional note), then `recordNoShow`, and back to the
//! shift.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{WorkerName, parse_id};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Textarea};
use crate::fragments::{Site, Ward};
use crate::layout::Layout;
use crate::schema::{NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;
use crate::views::worker::bookings::BookingState;

#[derive(cynic::QueryVariables)]
struct IdVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "IdVariables")]
struct BookingQuery {
    #[arguments(id: $id)]
    booking: Booking,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    id: Uuid,
    state: BookingState,
    active: bool,
    worker: Option<WorkerName>,
    shift: Shift,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    id: Uuid,
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    ward: Ward,
    site: Site,
    market_policy: Policy,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "MarketPolicy")]
struct Policy {
    strike_limit: i32,
    strike_window_days: i32,
}

#[derive(cynic::QueryVariables)]
struct NoShowVariables {
    booking_id: Uuid,
    reason: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "NoShowVariables")]
struct RecordNoShow {
    #[arguments(bookingId: $booking_id, reason: $reason)]
    record_no_show: Recorded,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct Recorded {
    shift: ShiftId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct ShiftId {
    id: Uuid,
}

#[derive(Template)]
#[template(path = "office/shift/no_show.html")]
struct NoShowPage {
    layout: Layout,
    errors: Errors,
    id: Uuid,
    shift_id: Uuid,
    worker: String,
    when: String,
    place: String,
    meaning: String,
    reason: Textarea,
}

async fn load(state: &WebState, visitor: &Visitor, id: Uuid) -> Result<Booking, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookingQuery::build(IdVariables { id }),
    )
    .await?
    .booking)
}

fn page(
    visitor: &Visitor,
    office: &Office,
    b: &Booking,
    errors: Errors,
    reason: &str,
) -> NoShowPage {
    let worker = b
        .worker
        .as_ref()
        .map_or_else(|| "The worker".to_owned(), WorkerName::full);
    let p = &b.shift.market_policy;
    let meaning = if p.strike_limit > 0 {
        format!(
            "A no-show counts against {worker}'s reliability. {} of them, or of late \
             cancellations, within {} days stop them booking this trust's shifts themself. \
             They will be told by email.",
            p.strike_limit, p.strike_window_days
        )
    } else {
        format!("A no-show counts against {worker}'s reliability. They will be told by email.")
    };
    NoShowPage {
        layout: office
            .layout(
                visitor,
                &format!("Record that {worker} did not attend"),
                "/office",
            )
            .with_errors(!errors.is_empty()),
        reason: Textarea::new("reason", "Anything to add? (optional)")
            .hint("For example, whether they called the ward.")
            .value(reason)
            .error_from(&errors),
        errors,
        id: b.id,
        shift_id: b.shift.id,
        when: format::shift_time(b.shift.starts_local, b.shift.ends_local),
        place: format!("{}, {}", b.shift.ward.name, b.shift.site.name),
        meaning,
        worker,
    }
}

fn not_recordable(b: &Booking) -> Option<Response> {
    let started = b.shift.starts_local <= format::london(chrono::Utc::now());
    (!(b.active && b.state == BookingState::Booked && started))
        .then(|| Redirect::to(&format!("/office/shifts/{}", b.shift.id)).into_response())
}

/// `GET /office/bookings/{id}/no-show`.
pub async fn form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let b = load(&state, &visitor, id).await?;
    if let Some(r) = not_recordable(&b) {
        return Ok(r);
    }
    render(&page(&visitor, &office, &b, Errors::new(), ""))
}

/// The no-show form.
#[derive(Debug, Deserialize)]
pub struct NoShowForm {
    #[serde(default)]
    reason: String,
}

/// `POST /office/bookings/{id}/no-show`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<NoShowForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let office = Office::of(&state, &visitor).await?;
    let b = load(&state, &visitor, id).await?;
    if let Some(r) = not_recordable(&b) {
        return Ok(r);
    }
    let reason = form.reason.trim().to_owned();
    let mut errors = Errors::new();
    if reason.chars().count() > 500 {
        errors.add("reason", "What you add must be 500 characters or fewer");
        return render_invalid(&page(&visitor, &office, &b, errors, &reason));
    }
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        RecordNoShow::build(NoShowVariables {
            booking_id: id,
            reason: Some(reason.clone()).filter(|r| !r.is_empty()),
        }),
    )
    .await
    {
        Ok(done) => Ok(Redirect::to(&format!(
            "/office/shifts/{}?done=no-show#booked",
            done.record_no_show.shift.id
        ))
        .into_response()),
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            errors.add("reason", crate::format::error_message(&e.message));
            render_invalid(&page(&visitor, &office, &b, errors, &reason))
        }
        Err(e) => Err(e.into()),
    }
}
