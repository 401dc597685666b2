//! Cancelling a booking: why (required), then a confirm step, then `cancelBooking` and a
//! confirmation page. Before the worker confirms, both steps say whether cancelling now counts as
//! short notice and what follows — from the API's `cancellationPreview`, never worked out here.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::BookingState;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Textarea};
use crate::fragments::{Site, Trust, Ward};
use crate::layout::Layout;
use crate::schema::{NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
struct BookingVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "BookingVariables")]
struct CancelQuery {
    me: Viewer,
    #[arguments(id: $id)]
    booking: Booking,
}

#[derive(cynic::QueryFragment)]
struct Booking {
    id: Uuid,
    state: BookingState,
    shift: Shift,
    cancellation: Option<Cancellation>,
    cancellation_preview: Option<Preview>,
}

/// What cancelling now would do (the API's answer).
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CancellationPreview")]
struct Preview {
    short_notice: bool,
    window_minutes: i32,
    minutes_before_start: i32,
    strikes_in_window: i32,
    strike_limit: i32,
    suspends_self_booking: bool,
}

#[derive(cynic::QueryFragment)]
struct Shift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    ward: Ward,
    site: Site,
    trust: Trust,
}

#[derive(cynic::QueryFragment)]
struct Cancellation {
    short_notice: bool,
}

#[derive(cynic::QueryVariables)]
struct CancelVariables {
    booking_id: Uuid,
    reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "CancelVariables")]
struct CancelBooking {
    #[arguments(bookingId: $booking_id, reason: $reason)]
    cancel_booking: Cancelled,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct Cancelled {
    id: Uuid,
}

/// What the pages show of the booking.
struct Summary {
    id: Uuid,
    when: String,
    place: String,
    trust: String,
    /// What cancelling now means, in sentences (the first says whether it is short notice).
    notice: Vec<String>,
    short_notice: bool,
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<(Viewer, Booking), PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        CancelQuery::build(BookingVariables { id }),
    )
    .await?;
    Ok((data.me, data.booking))
}

fn summary(b: &Booking) -> Summary {
    let s = &b.shift;
    Summary {
        id: b.id,
        when: format::shift_time(s.starts_local, s.ends_local),
        place: format!("{}, {}", s.ward.name, s.site.name),
        trust: s.trust.name.clone(),
        notice: b
            .cancellation_preview
            .as_ref()
            .map(|p| notice(p, &s.trust.name))
            .unwrap_or_default(),
        short_notice: b
            .cancellation_preview
            .as_ref()
            .is_some_and(|p| p.short_notice),
    }
}

/// "3 hours 30 minutes", or whole days from two days on.
fn ahead(minutes: i32) -> String {
    let m = i64::from(minutes.max(0));
    if m >= 48 * 60 {
        format::count(m / (24 * 60), "day")
    } else {
        format::duration_minutes(m)
    }
}

/// What cancelling now means, in sentences, from the API's preview.
fn notice(p: &Preview, trust: &str) -> Vec<String> {
    let window = format::duration_minutes(i64::from(p.window_minutes));
    let starts = ahead(p.minutes_before_start);
    if !p.short_notice {
        return vec![format!(
            "This is not short notice. The shift starts in {starts}, and {trust} only counts \
             cancelling less than {window} before the start as short notice."
        )];
    }
    let mut out = vec![format!(
        "The shift starts in {starts}. {trust} counts cancelling less than {window} before the \
         start as short notice."
    )];
    if p.suspends_self_booking {
        out.push(format!(
            "If you cancel, you will not be able to book shifts at {trust} yourself. Its bank \
             office can still book you."
        ));
    } else if p.strike_limit > 0 {
        let have = match p.strikes_in_window {
            0 => "no short-notice cancellations or missed shifts".to_owned(),
            1 => "1 short-notice cancellation or missed shift".to_owned(),
            n => format!("{n} short-notice cancellations or missed shifts"),
        };
        out.push(format!(
            "You have {have} counted at {trust} now. At {}, you can no longer book its shifts \
             yourself.",
            p.strike_limit
        ));
    }
    out
}

#[derive(Template)]
#[template(path = "worker/bookings/cancel.html")]
struct ReasonPage {
    layout: Layout,
    errors: Errors,
    booking: Summary,
    reason: Textarea,
}

#[derive(Template)]
#[template(path = "worker/bookings/cancel_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    booking: Summary,
    reason: String,
}

fn reason_page(
    visitor: &Visitor,
    me: &Viewer,
    b: &Booking,
    errors: Errors,
    reason: &str,
) -> ReasonPage {
    ReasonPage {
        layout: super::super::layout(visitor, me, "Cancel your booking", "/worker/bookings")
            .with_errors(!errors.is_empty()),
        reason: Textarea::new("reason", "Why are you cancelling?")
            .hint("For example, you are unwell. The ward and bank office will see this.")
            .value(reason)
            .error_from(&errors),
        errors,
        booking: summary(b),
    }
}

fn parse_id(id: &str) -> Result<Uuid, PageError> {
    id.parse().map_err(|_| PageError::NotFound)
}

/// A booking the API says cannot be cancelled (no preview): show the booking instead.
fn not_cancellable(b: &Booking) -> Option<Response> {
    b.cancellation_preview
        .is_none()
        .then(|| Redirect::to(&format!("/worker/bookings/{}", b.id)).into_response())
}

/// `GET /worker/bookings/{id}/cancel`: why?
pub async fn form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (me, b) = load(&state, &visitor, parse_id(&id)?).await?;
    if let Some(r) = not_cancellable(&b) {
        return Ok(r);
    }
    render(&reason_page(&visitor, &me, &b, Errors::new(), ""))
}

/// The cancel forms: `step` is `check` (the reason, to confirm next) or `confirm`.
#[derive(Debug, Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    reason: String,
}

/// `POST /worker/bookings/{id}/cancel`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<CancelForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let reason = form.reason.trim().to_owned();
    let (me, b) = load(&state, &visitor, id).await?;
    if let Some(r) = not_cancellable(&b) {
        return Ok(r);
    }
    let mut errors = Errors::new();
    if reason.is_empty() {
        errors.add("reason", "Enter why you are cancelling");
    }
    if !errors.is_empty() {
        return render_invalid(&reason_page(&visitor, &me, &b, errors, &reason));
    }
    if form.step != "confirm" {
        return render(&ConfirmPage {
            layout: super::super::layout(
                &visitor,
                &me,
                "Are you sure you want to cancel this booking?",
                "/worker/bookings",
            ),
            booking: summary(&b),
            reason,
        });
    }
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        CancelBooking::build(CancelVariables {
            booking_id: id,
            reason: reason.clone(),
        }),
    )
    .await
    {
        Ok(done) => Ok(Redirect::to(&format!(
            "/worker/bookings/{}/cancelled",
            done.cancel_booking.id
        ))
        .into_response()),
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            errors.add("reason", crate::format::error_message(&e.message));
            render_invalid(&reason_page(&visitor, &me, &b, errors, &reason))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "worker/bookings/cancelled.html")]
struct CancelledPage {
    layout: Layout,
    booking: Summary,
    short_notice: bool,
}

/// `GET /worker/bookings/{id}/cancelled`: the confirmation page.
pub async fn cancelled(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (me, b) = load(&state, &visitor, parse_id(&id)?).await?;
    if b.state != BookingState::CancelledByWorker {
        return Ok(Redirect::to(&format!("/worker/bookings/{}", b.id)).into_response());
    }
    render(&CancelledPage {
        layout: super::super::layout(&visitor, &me, "Booking cancelled", "/worker/bookings"),
        short_notice: b.cancellation.as_ref().is_some_and(|c| c.short_notice),
        booking: summary(&b),
    })
}
