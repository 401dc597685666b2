//! A shift, as the bank office runs it: its facts, release tiers and timeline, who is booked; the
//! bank's workers ranked for it with each score's parts (and, on a toggle, those who cannot work
//! it and why, in plain English); booking a named worker; cancelling the shift or one booking,
//! with the fee the trust would owe shown before confirming; recording a no-show.
//!
//! Everything the pages say about eligibility, scores, fees and strikes is the API's answer
//! (`eligibleWorkers`, `Booking.cancellationPreview`), put into words here, never worked out here.

pub mod book;
pub mod cancel;
pub mod no_show;
pub mod reasons;
pub mod show;

use axum::Router;
use axum::routing::get;

use crate::WebState;
use crate::errors::PageError;
use crate::format;
use crate::fragments::{Site, Trust, Ward};
use crate::schema::{DateTime, NaiveDateTime, Uuid, schema};
use crate::views::worker::bookings::BookingState;
use crate::views::worker::shifts::{ShiftStatus, grade_name};

/// The routes of a shift's pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/office/shifts/{id}", get(show::page))
        .route(
            "/office/shifts/{id}/book",
            get(book::confirm).post(book::submit),
        )
        .route(
            "/office/shifts/{id}/cancel",
            get(cancel::shift_form).post(cancel::shift_submit),
        )
        .route(
            "/office/bookings/{id}/cancel",
            get(cancel::booking_form).post(cancel::booking_submit),
        )
        .route(
            "/office/bookings/{id}/no-show",
            get(no_show::form).post(no_show::submit),
        )
}

/// Who a release tier reaches (the API's `CascadeAudience`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CascadeAudience")]
pub enum Audience {
    /// The ward's preferred workers.
    Preferred,
    /// Workers engaged at the trust.
    OwnTrust,
    /// Every worker of the collaborative bank.
    Collaborative,
    /// Agencies.
    Agency,
}

impl Audience {
    /// Who it reaches, in words.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Preferred => "the ward's preferred workers",
            Self::OwnTrust => "workers engaged at the trust",
            Self::Collaborative => "every worker in the collaborative bank",
            Self::Agency => "agencies",
        }
    }
}

/// A shift as the bank office's shift pages show it.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Shift")]
pub struct OfficeShift {
    /// Id.
    pub id: Uuid,
    /// Grade asked for.
    pub grade: String,
    /// Grades also accepted.
    pub fallback_grades: Vec<String>,
    /// Skills needed.
    pub skills: Vec<String>,
    /// Start (London).
    pub starts_local: NaiveDateTime,
    /// End (London).
    pub ends_local: NaiveDateTime,
    /// Length.
    pub length_minutes: i32,
    /// Unpaid break.
    pub break_minutes: i32,
    /// Places.
    pub positions: i32,
    /// Places booked.
    pub filled_positions: i32,
    /// Notes for workers.
    pub notes: Option<String>,
    /// Where it stands.
    pub status: ShiftStatus,
    /// When posted.
    pub posted_at: DateTime,
    /// When withdrawn.
    pub cancelled_at: Option<DateTime>,
    /// Why withdrawn.
    pub cancel_reason: Option<String>,
    /// The ward.
    pub ward: Ward,
    /// The hospital.
    pub site: Site,
    /// The trust.
    pub trust: Trust,
    /// Release tiers.
    pub cascade: Vec<Tier>,
    /// Every booking, cancelled ones too.
    pub bookings: Vec<OfficeBooking>,
}

/// A release tier.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "ShiftTier")]
pub struct Tier {
    /// Who it reaches.
    pub audience: Audience,
    /// When it opens.
    pub opens_at: DateTime,
    /// When the workers it reached were told.
    pub announced_at: Option<DateTime>,
    /// Open now.
    pub open: bool,
}

/// A booking of the shift.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Booking")]
pub struct OfficeBooking {
    /// Id.
    pub id: Uuid,
    /// Where it stands.
    pub state: BookingState,
    /// Holds its place.
    pub active: bool,
    /// The worker booked themself.
    pub self_booked: bool,
    /// When booked.
    pub created_at: DateTime,
    /// The worker.
    pub worker: Option<WorkerName>,
    /// The cancellation, when cancelled.
    pub cancellation: Option<Cancellation>,
    /// What cancelling it now would do (none when it cannot be cancelled).
    pub cancellation_preview: Option<Preview>,
    /// Every change.
    pub history: Vec<Event>,
}

/// A worker, by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "Worker")]
pub struct WorkerName {
    /// Id.
    pub id: Uuid,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
}

impl WorkerName {
    /// "Ben Jones".
    #[must_use]
    pub fn full(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// A cancellation record.
#[derive(cynic::QueryFragment, Debug)]
pub struct Cancellation {
    /// Why.
    pub reason: String,
    /// Inside the late or short-notice window.
    pub short_notice: bool,
    /// The fee the trust owes.
    pub fee: Option<Fee>,
}

/// A late cancellation's fee.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "CancellationFee")]
pub struct Fee {
    /// Minutes of pay.
    pub minutes: i32,
}

/// What cancelling a booking now would do, for the bank office.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "CancellationPreview")]
pub struct Preview {
    /// Inside the trust's late window.
    pub short_notice: bool,
    /// That window, in minutes.
    pub window_minutes: i32,
    /// Minutes to the start.
    pub minutes_before_start: i32,
    /// The fee's minutes of pay, if any.
    pub fee_minutes: Option<i32>,
}

/// A booking's history event.
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "BookingEvent")]
pub struct Event {
    /// What happened.
    pub event: String,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime,
}

/// The shift's facts as summary-list rows.
#[must_use]
pub fn facts(s: &OfficeShift) -> Vec<(&'static str, String)> {
    let mut grades = grade_name(&s.grade);
    if !s.fallback_grades.is_empty() {
        let also: Vec<String> = s.fallback_grades.iter().map(|g| grade_name(g)).collect();
        grades = format!("{grades} (also accepted: {})", also.join(", "));
    }
    let mut rows = vec![
        (
            "Date and time",
            format::shift_time(s.starts_local, s.ends_local),
        ),
        ("Ward", format!("{}, {}", s.ward.name, s.site.name)),
        ("Grade", grades),
        (
            "Length",
            format!(
                "{}, with an unpaid break of {}",
                format::duration_minutes(i64::from(s.length_minutes)),
                format::duration_minutes(i64::from(s.break_minutes))
            ),
        ),
        (
            "Places",
            format!("{} of {} booked", s.filled_positions, s.positions),
        ),
    ];
    if !s.skills.is_empty() {
        let skills: Vec<String> = s
            .skills
            .iter()
            .map(|k| crate::format::code_words(k))
            .collect();
        rows.push(("Skills needed", skills.join(", ")));
    }
    if let Some(n) = s.notes.as_ref().filter(|n| !n.trim().is_empty()) {
        rows.push(("Notes for workers", n.trim().to_owned()));
    }
    rows
}

/// The shift's status as a tag: its colour class and words.
#[must_use]
pub fn status_tag(status: ShiftStatus) -> (&'static str, &'static str) {
    match status {
        ShiftStatus::Pending => ("nhsuk-tag--grey", "Not offered yet"),
        ShiftStatus::Open => ("nhsuk-tag--blue", "Open"),
        ShiftStatus::Escalated => ("nhsuk-tag--orange", "Escalated to agency"),
        ShiftStatus::Filled => ("nhsuk-tag--green", "Filled"),
        ShiftStatus::Unfilled => ("nhsuk-tag--red", "Started unfilled"),
        ShiftStatus::Cancelled => ("nhsuk-tag--grey", "Cancelled"),
    }
}

/// What a booking's state says to the bank office.
#[must_use]
pub fn booking_tag(state: BookingState) -> (&'static str, &'static str) {
    match state {
        BookingState::Booked => ("nhsuk-tag--green", "Booked"),
        BookingState::CancelledByWorker => ("nhsuk-tag--grey", "Cancelled by the worker"),
        BookingState::CancelledByTrust => ("nhsuk-tag--orange", "Cancelled by the trust"),
        BookingState::NoShow => ("nhsuk-tag--red", "Did not attend"),
    }
}

/// "2 hours' pay", the fee of a late cancellation in words.
#[must_use]
pub fn fee_words(minutes: i32) -> String {
    format!(
        "{} of the worker's pay",
        format::duration_minutes(i64::from(minutes))
    )
}

/// What cancelling a booking now costs the trust, in one sentence, from the API's preview.
#[must_use]
pub fn consequence(p: &Preview, trust: &str) -> String {
    let window = format::duration_minutes(i64::from(p.window_minutes));
    let starts = ahead(p.minutes_before_start);
    match (p.short_notice, p.fee_minutes) {
        (true, Some(fee)) => format!(
            "The shift starts in {starts}, inside {trust}'s late cancellation window of {window}. \
             Cancelling now means the trust pays a late cancellation fee of {}.",
            fee_words(fee)
        ),
        (true, None) => format!(
            "The shift starts in {starts}, inside {trust}'s late cancellation window of {window}, \
             but the trust charges no fee. The worker will be told at once."
        ),
        (false, _) => format!(
            "No fee: the shift starts in {starts}, and {trust} only pays a fee for cancelling \
             less than {window} before the start."
        ),
    }
}

/// "3 hours 30 minutes", or whole days from two days on.
fn ahead(minutes: i32) -> String {
    let m = i64::from(minutes.max(0));
    if m >= 48 * 60 {
        format!("more than {}", format::count(m / (24 * 60), "day"))
    } else {
        format::duration_minutes(m)
    }
}

/// Parses an id from the address; anything else is a page that does not exist.
///
/// # Errors
/// Not found.
pub fn parse_id(id: &str) -> Result<Uuid, PageError> {
    id.parse().map_err(|_| PageError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_consequence_reads_plainly() {
        let late = Preview {
            short_notice: true,
            window_minutes: 240,
            minutes_before_start: 90,
            fee_minutes: Some(120),
        };
        assert_eq!(
            consequence(&late, "Northfield"),
            "The shift starts in 1 hour 30 minutes, inside Northfield's late cancellation window \
             of 4 hours. Cancelling now means the trust pays a late cancellation fee of 2 hours \
             of the worker's pay."
        );
        let early = Preview {
            short_notice: false,
            minutes_before_start: 3000,
            ..late
        };
        assert!(consequence(&early, "Northfield").starts_with("No fee"));
    }
}
