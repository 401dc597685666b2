//! The worker's timesheets: the shifts waiting for one and the timesheets sent (`list`), one
//! timesheet's steps and pay (`show`), and submitting or resubmitting the times worked, with a
//! check-your-answers step and a confirmation (`submit`).

mod list;
mod show;
mod submit;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;
use crate::schema::schema;

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/worker/timesheets", get(list::page))
        .route("/worker/timesheets/{id}", get(show::page))
        .route("/worker/timesheets/{id}/sent", get(submit::confirmation))
        .route(
            "/worker/bookings/{booking_id}/timesheet",
            get(submit::form).post(submit::check),
        )
        .route(
            "/worker/bookings/{booking_id}/timesheet/send",
            post(submit::send),
        )
}

/// Where a timesheet stands (the API's `TimesheetState`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimesheetState {
    /// Waiting for the ward manager.
    Submitted,
    /// Sent back with a reason.
    Queried,
    /// Approved by the ward manager.
    Approved,
    /// Approved for payment.
    PaymentApproved,
    /// Sent to payroll.
    Exported,
}

/// Who holds a timesheet now (the API's `TimesheetHolder`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimesheetHolder {
    /// A ward manager of its ward.
    WardManager,
    /// The trust's bank office.
    BankOffice,
    /// The worker.
    Worker,
}

/// A status tag: its words and its colour class.
#[derive(Debug, Clone)]
pub struct Tag {
    /// What it says.
    pub text: &'static str,
    /// `nhsuk-tag--…`.
    pub class: &'static str,
}

impl TimesheetState {
    /// The tag the worker sees.
    #[must_use]
    pub fn tag(self) -> Tag {
        let (text, class) = match self {
            Self::Submitted => ("Waiting for approval", "nhsuk-tag--blue"),
            Self::Queried => ("Queried: needs your answer", "nhsuk-tag--red"),
            Self::Approved => ("Approved", "nhsuk-tag--aqua-green"),
            Self::PaymentApproved => ("Approved for payment", "nhsuk-tag--green"),
            Self::Exported => ("Sent to payroll", "nhsuk-tag--purple"),
        };
        Tag { text, class }
    }
}

/// The tag of a timesheet whose state the API did not give (none when it has none).
#[must_use]
pub fn tag_of(state: Option<TimesheetState>) -> Tag {
    state.map_or(
        Tag {
            text: "Not known",
            class: "nhsuk-tag--grey",
        },
        TimesheetState::tag,
    )
}

/// A pay line's code in plain words.
#[must_use]
pub fn pay_line_name(code: &str) -> String {
    match code {
        "PLAIN" => "Standard hours".to_owned(),
        "SATURDAY_OR_NIGHT" => "Nights and Saturdays".to_owned(),
        "SUNDAY_OR_PUBLIC_HOLIDAY" => "Sundays and bank holidays".to_owned(),
        "HOLIDAY_PAY" => "Holiday pay".to_owned(),
        "LATE_CANCELLATION_FEE" => "Late cancellation fee".to_owned(),
        other => other.replace('_', " ").to_lowercase(),
    }
}

/// Hours as the API gives them (exact decimals) in words: "12 hours 15 minutes".
#[must_use]
pub fn hours_words(hours: crate::schema::Decimal) -> String {
    use rust_decimal::prelude::ToPrimitive;
    let minutes = (hours * rust_decimal::Decimal::from(60))
        .round()
        .to_i64()
        .unwrap_or_default();
    crate::format::duration_minutes(minutes)
}
