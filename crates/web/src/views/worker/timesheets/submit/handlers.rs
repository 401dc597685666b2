//! The handlers: the form, checking the times, sending them, and the confirmation.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::operations::{
    BookingQuery, BookingVariables, SentQuery, SentVariables, Submit, SubmitVariables,
};
use super::pages::{CheckPage, FormPage, SentPage};
use super::times::{TimesForm, read};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::Errors;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::worker::layout;

fn booking_id(raw: &str) -> Result<Uuid, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

async fn booking(state: &WebState, visitor: &Visitor, id: Uuid) -> Result<BookingQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookingQuery::build(BookingVariables { id }),
    )
    .await?)
}

/// `GET /worker/bookings/{booking_id}/timesheet`: the form, prefilled from the booked shift (or
/// with the answers to change, from the check page's links).
pub async fn form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    Query(typed): Query<TimesForm>,
) -> Result<Response, PageError> {
    let id = booking_id(&raw)?;
    let data = booking(&state, &visitor, id).await?;
    if let (false, Some(t)) = (data.booking.timesheet_due, &data.booking.timesheet) {
        // Sent and not queried: nothing to do here; show where it is.
        return Ok(Redirect::to(&format!("/worker/timesheets/{}", t.id)).into_response());
    }
    let form = if typed.is_blank() {
        TimesForm::prefilled(&data.booking)
    } else {
        typed
    };
    render(&FormPage::new(
        &visitor,
        &data.me,
        id,
        &data.booking,
        &form,
        Errors::new(),
    ))
}

/// `POST /worker/bookings/{booking_id}/timesheet`: checks the times and shows them back to
/// confirm (nothing is sent yet), or the form again with what is wrong.
pub async fn check(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    Form(typed): Form<TimesForm>,
) -> Result<Response, PageError> {
    let id = booking_id(&raw)?;
    let data = booking(&state, &visitor, id).await?;
    let shift = &data.booking.shift;
    let worked = match read(&typed) {
        Ok(w) => w,
        Err(errors) => {
            return form_again(&visitor, &data, id, &typed, errors);
        }
    };
    let length = (worked.ended_at - worked.started_at).num_minutes();
    render(&CheckPage {
        layout: layout(
            &visitor,
            &data.me,
            "Check your timesheet before sending it",
            "/worker/timesheets",
        ),
        action: format!("/worker/bookings/{id}/timesheet/send"),
        change: format!("/worker/bookings/{id}/timesheet?{}", typed.query_string()),
        ward: format!("{}, {}", shift.ward.name, shift.trust.name),
        booked: format::shift_time(shift.starts_local, shift.ends_local),
        started: format!(
            "{} at {}",
            format::date(worked.start.date()),
            format::time(worked.start)
        ),
        finished: format!(
            "{} at {}",
            format::date(worked.end.date()),
            format::time(worked.end)
        ),
        break_words: format::duration_minutes(i64::from(worked.break_minutes)),
        worked: format::duration_minutes(length - i64::from(worked.break_minutes)),
        form: typed,
    })
}

/// The form again, as typed, with what is wrong.
fn form_again(
    visitor: &Visitor,
    data: &BookingQuery,
    id: Uuid,
    typed: &TimesForm,
    errors: Errors,
) -> Result<Response, PageError> {
    render_invalid(&FormPage::new(
        visitor,
        &data.me,
        id,
        &data.booking,
        typed,
        errors,
    ))
}

/// Which field an API refusal of the times belongs to.
fn field_of(message: &str) -> &'static str {
    if message.contains("break") {
        "break"
    } else if message.contains("end must be") || message.contains("after the shift has ended") {
        "end-time"
    } else {
        "start-day"
    }
}

/// `POST /worker/bookings/{booking_id}/timesheet/send`: sends it, then the confirmation.
pub async fn send(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    Form(typed): Form<TimesForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = booking_id(&raw)?;
    let data = booking(&state, &visitor, id).await?;
    let shift = &data.booking.shift;
    let worked = match read(&typed) {
        Ok(w) => w,
        Err(errors) => {
            return form_again(&visitor, &data, id, &typed, errors);
        }
    };
    let op = Submit::build(SubmitVariables {
        booking_id: id,
        started_at: worked.started_at,
        ended_at: worked.ended_at,
        break_minutes: worked.break_minutes,
    });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => Ok(Redirect::to(&format!(
            "/worker/timesheets/{}/sent",
            done.submit_timesheet.id
        ))
        .into_response()),
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            let message = match e.message.split_once(" (") {
                Some((head, _)) if head.starts_with("the times must be within") => format!(
                    "{}: {}",
                    format::error_message(head),
                    format::shift_time(shift.starts_local, shift.ends_local)
                ),
                _ => format::error_message(&e.message),
            };
            errors.add(field_of(&e.message), message);
            form_again(&visitor, &data, id, &typed, errors)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /worker/timesheets/{id}/sent`: the confirmation.
pub async fn confirmation(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        SentQuery::build(SentVariables { id }),
    )
    .await?;
    let t = data.timesheet;
    render(&SentPage {
        layout: layout(&visitor, &data.me, "Timesheet sent", "/worker/timesheets"),
        worked: format::shift_time(format::london(t.started_at), format::london(t.ended_at)),
        break_words: format::duration_minutes(i64::from(t.break_minutes)),
        trust: t.trust.name,
        href: format!("/worker/timesheets/{id}"),
    })
}
