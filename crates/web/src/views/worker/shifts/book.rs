//! Booking a shift: a check-your-answers page (the shift, its pay, the trust's cancellation
//! terms, "Confirm booking"), whose form carries a fresh idempotency key so a double click or a
//! resent form books once; the post runs `bookShift` and goes on to the confirmation page. A
//! place taken meanwhile (`CONFLICT`) or a rule that stops the worker (`NOT_ELIGIBLE`, with its
//! reasons) is shown on the confirm page the NHS way.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::shift::{self, Loaded, PayRow, Standing};
use super::{ReasonContext, Refusal, reason_sentence};
use crate::WebState;
use crate::api::{self, ApiError, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::Errors;
use crate::layout::Layout;
use crate::schema::{NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
struct BookVariables {
    shift_id: Uuid,
    idempotency_key: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "BookVariables")]
struct BookShift {
    #[arguments(shiftId: $shift_id, idempotencyKey: $idempotency_key)]
    book_shift: BookShiftPayload,
}

#[derive(cynic::QueryFragment)]
struct BookShiftPayload {
    booking: BookingId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct BookingId {
    id: Uuid,
}

#[derive(Template)]
#[template(path = "worker/shifts/book.html")]
struct ConfirmPage {
    layout: Layout,
    errors: Errors,
    id: Uuid,
    facts: Vec<(&'static str, String)>,
    pay: Option<(Vec<PayRow>, String, String)>,
    terms: Vec<String>,
    idempotency_key: String,
    can_confirm: bool,
}

impl ConfirmPage {
    fn new(visitor: &Visitor, l: &Loaded, errors: Errors) -> Self {
        let s = &l.shift;
        Self {
            layout: super::super::layout(
                visitor,
                &l.me,
                if errors.is_empty() {
                    "Check the shift before you book"
                } else {
                    "You cannot book this shift"
                },
                "/worker/shifts",
            )
            .with_errors(!errors.is_empty()),
            can_confirm: errors.is_empty(),
            errors,
            id: s.id,
            facts: shift::facts(s),
            pay: shift::pay(s),
            terms: shift::terms_sentences(&s.market_policy, &s.trust.name),
            idempotency_key: uuid::Uuid::new_v4().to_string(),
        }
    }
}

fn parse_id(id: &str) -> Result<Uuid, PageError> {
    id.parse().map_err(|_| PageError::NotFound)
}

/// `GET /worker/shifts/{id}/book`: check the shift, then confirm.
pub async fn confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let l = shift::load(&state, &visitor, parse_id(&id)?).await?;
    if let Standing::Booked(href) = &l.standing {
        return Ok(Redirect::to(href).into_response());
    }
    let mut errors = Errors::new();
    match &l.standing {
        Standing::Closed(why) => errors.add("booking", why.trim_end_matches('.')),
        Standing::NotEligible(reasons) => {
            for r in reasons {
                errors.add("booking", r.as_str());
            }
        }
        Standing::Bookable | Standing::Booked(_) => {}
    }
    render(&ConfirmPage::new(&visitor, &l, errors))
}

/// The confirm form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    idempotency_key: String,
}

/// `POST /worker/shifts/{id}/book`: books it (once per idempotency key).
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let shift_id = parse_id(&id)?;
    let key = Some(form.idempotency_key.trim().to_owned()).filter(|k| !k.is_empty());
    let booked = api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookShift::build(BookVariables {
            shift_id,
            idempotency_key: key,
        }),
    )
    .await;
    let e = match booked {
        Ok(done) => {
            return Ok(Redirect::to(&format!(
                "/worker/bookings/{}/booked",
                done.book_shift.booking.id
            ))
            .into_response());
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
    let l = shift::load(&state, &visitor, shift_id).await?;
    let errors = booking_errors(&e, &l);
    render_invalid(&ConfirmPage::new(&visitor, &l, errors))
}

/// What to say when booking was refused, one error per reason.
fn booking_errors(e: &ApiError, l: &Loaded) -> Errors {
    let mut errors = Errors::new();
    match e.code {
        Code::NotEligible => {
            let reasons: Vec<serde_json::Value> = e
                .details
                .as_ref()
                .and_then(|d| d.get("reasons"))
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default();
            let cx = ReasonContext {
                trust: &l.shift.trust.name,
                kinds: &l.kinds,
            };
            for r in &reasons {
                errors.add("booking", reason_sentence(&Refusal::from_details(r), &cx));
            }
            if errors.is_empty() {
                errors.add("booking", "Something stops you booking this shift");
            }
        }
        Code::Conflict => errors.add(
            "booking",
            "Someone else booked the last place on this shift while you were deciding",
        ),
        _ => errors.add("booking", format::error_message(&e.message)),
    }
    errors
}

#[derive(cynic::QueryVariables)]
struct BookedVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "BookedVariables")]
struct BookedQuery {
    me: Viewer,
    #[arguments(id: $id)]
    booking: Booked,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Booking")]
struct Booked {
    id: Uuid,
    shift: BookedShift,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct BookedShift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    ward: shift::WardRef,
    site: shift::SiteRef,
    trust: shift::TrustRef,
}

#[derive(Template)]
#[template(path = "worker/shifts/booked.html")]
struct BookedPage {
    layout: Layout,
    href: String,
    when: String,
    start: String,
    place: String,
    trust: String,
}

/// `GET /worker/bookings/{id}/booked`: the confirmation page.
pub async fn booked(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        BookedQuery::build(BookedVariables { id: parse_id(&id)? }),
    )
    .await?;
    let s = &data.booking.shift;
    render(&BookedPage {
        layout: super::super::layout(&visitor, &data.me, "Shift booked", "/worker/bookings"),
        href: format!("/worker/bookings/{}", data.booking.id),
        when: format::shift_time(s.starts_local, s.ends_local),
        start: format::time(s.starts_local),
        place: format!("{}, {}", s.ward.name, s.site.name),
        trust: s.trust.name.clone(),
    })
}
