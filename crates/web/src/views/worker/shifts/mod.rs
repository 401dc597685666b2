//! Finding and booking shifts: the feed of open shifts across every trust of the bank (filters
//! and pages), one shift (when, where, pay line by line, the trust's cancellation terms), and
//! booking it (a check-your-answers page whose form carries an idempotency key, so a double
//! click books once; then a confirmation page).
//!
//! Whether a worker may book is the API's answer, never the page's: the feed lists what they may
//! book, a shift's `myEligibility` says before booking why they may not, and booking answers
//! `NOT_ELIGIBLE` with the same reasons; [`reason_sentence`] puts both in plain English.

pub mod book;
pub mod find;
pub mod shift;

use axum::Router;
use axum::routing::get;
use rust_decimal::Decimal;

use crate::WebState;
use crate::format;
use crate::schema::{DateTime, schema};

/// The routes of finding and booking shifts.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/worker/shifts", get(find::page))
        .route("/worker/shifts/{id}", get(shift::page))
        .route(
            "/worker/shifts/{id}/book",
            get(book::confirm).post(book::submit),
        )
        .route("/worker/bookings/{id}/booked", get(book::booked))
}

/// Where a shift stands (the API's `ShiftStatus`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "ShiftStatus")]
pub enum ShiftStatus {
    /// Posted; not offered to bank workers yet.
    Pending,
    /// Offered to bank workers.
    Open,
    /// Offered to agencies too: still needed.
    Escalated,
    /// Every place booked.
    Filled,
    /// Started with places unfilled.
    Unfilled,
    /// Withdrawn by the trust.
    Cancelled,
}

/// A grade code as people say it: `BAND_5` "Band 5", `SPECIALTY_DOCTOR` "Specialty doctor",
/// `ST3` "ST3".
#[must_use]
pub fn grade_name(code: &str) -> String {
    if !code.contains('_') && code.chars().any(|c| c.is_ascii_digit()) {
        return code.to_owned();
    }
    format::code_words(code)
}

/// A staff group (the API's enum name) in words.
#[must_use]
pub fn staff_group_words(code: &str) -> String {
    match code {
        "NURSING_MIDWIFERY_REGISTERED" => "registered nurses and midwives".to_owned(),
        "ADDITIONAL_CLINICAL_SERVICES" => "healthcare assistants and support workers".to_owned(),
        "MEDICAL_DENTAL" => "doctors and dentists".to_owned(),
        "ALLIED_HEALTH_PROFESSIONALS" => "allied health professionals".to_owned(),
        "ADDITIONAL_PROFESSIONAL_SCIENTIFIC_TECHNICAL" => {
            "scientific and technical staff".to_owned()
        }
        "ADMINISTRATIVE_CLERICAL" => "administrative and clerical staff".to_owned(),
        "ESTATES_ANCILLARY" => "estates and ancillary staff".to_owned(),
        "HEALTHCARE_SCIENTISTS" => "healthcare scientists".to_owned(),
        "STUDENTS" => "students".to_owned(),
        other => format::code_words(other).to_lowercase(),
    }
}

/// A pay line's code in plain words.
#[must_use]
pub fn pay_code_name(code: &str) -> String {
    match code {
        "PLAIN" => "Standard hours".to_owned(),
        "SATURDAY_OR_NIGHT" => "Nights and Saturdays".to_owned(),
        "SUNDAY_OR_PUBLIC_HOLIDAY" => "Sundays and bank holidays".to_owned(),
        "HOLIDAY_PAY" => "Holiday pay".to_owned(),
        "LATE_CANCELLATION_FEE" => "Late cancellation fee".to_owned(),
        other => format::code_words(other),
    }
}

/// Hours as "7.5", "0.33" (to two places, no trailing zeros).
#[must_use]
pub fn hours(h: Decimal) -> String {
    h.round_dp(2).normalize().to_string()
}

/// Why the API says a worker may not book (its `IneligibilityCode`, which is also the `code` of
/// each reason of a `NOT_ELIGIBLE` error).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "IneligibilityCode")]
pub enum ReasonCode {
    /// Another staff group's shift.
    StaffGroup,
    /// The worker's grade is not one the shift accepts.
    GradeOutsideRange,
    /// A skill the ward or shift needs.
    MissingSkill,
    /// A requirement of the trust is not met.
    NotCompliant,
    /// A requirement lapses before the shift ends.
    ExpiresBeforeShiftEnds,
    /// Booked at the same time.
    OverlappingBooking,
    /// Too little rest after the previous shift.
    InsufficientRestBefore,
    /// Too little rest before the next shift.
    InsufficientRestAfter,
    /// Over the 48-hour weekly average.
    WeeklyHoursAverage,
    /// Not offered to the worker yet.
    TierNotOpen,
    /// Blocked by the trust.
    BlockedByTrust,
    /// No shift for too long.
    Dormant,
    /// Suspended at the trust.
    Suspended,
    /// Self-booking suspended at the trust.
    SelfBookingSuspended,
    /// A code this page does not know yet: the API's own message is shown.
    #[cynic(fallback)]
    Other,
}

/// How a requirement stands (the API's `ComplianceStatus`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "ComplianceStatus")]
pub enum RequirementStatus {
    /// Not on the worker's record.
    Missing,
    /// Expired.
    Expired,
    /// The trust has declined it.
    NotAccepted,
    /// Not checked by the trust yet.
    PendingVerification,
    /// Met, expiring soon.
    Expiring,
    /// Met.
    Met,
    /// A status this page does not know yet.
    #[cynic(fallback)]
    Other,
}

/// One reason as `Shift.myEligibility` gives it.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "IneligibilityReason")]
pub struct EligibilityReason {
    /// What is wrong.
    pub code: ReasonCode,
    /// The API's sentence.
    pub message: String,
    /// The credential kind required.
    pub requirement: Option<String>,
    /// How it stands.
    pub compliance_status: Option<RequirementStatus>,
    /// The missing skill.
    pub skill: Option<String>,
    /// Minutes of rest, or of weekly average.
    pub minutes: Option<i32>,
    /// When the shift is offered to the worker.
    pub opens_at: Option<DateTime>,
}

/// One reason the worker may not book, from either answer the API gives: `Shift.myEligibility`
/// before booking, or a `NOT_ELIGIBLE` error from `bookShift`. Details a reason does not carry
/// are `None`.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// What is wrong.
    pub code: ReasonCode,
    /// The API's sentence (shown for codes this page does not know).
    pub message: String,
    /// The shift's staff group (API code).
    pub staff_group: Option<String>,
    /// The worker's grade.
    pub grade: Option<String>,
    /// The grades the shift accepts.
    pub accepted: Vec<String>,
    /// The missing skill.
    pub skill: Option<String>,
    /// The credential kind required.
    pub requirement: Option<String>,
    /// How it stands.
    pub status: Option<RequirementStatus>,
    /// Minutes of rest, or of weekly average.
    pub minutes: Option<i64>,
    /// When the shift is offered to the worker.
    pub opens_at: Option<DateTime>,
}

impl Refusal {
    /// A reason of a `NOT_ELIGIBLE` error (an item of its `extensions.details.reasons`).
    #[must_use]
    pub fn from_details(reason: &serde_json::Value) -> Self {
        let text = |k: &str| {
            reason
                .get(k)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        fn parsed<T: serde::de::DeserializeOwned>(r: &serde_json::Value, k: &str) -> Option<T> {
            r.get(k)
                .and_then(|v| serde_json::from_value(v.clone()).ok())
        }
        Self {
            code: parsed(reason, "code").unwrap_or(ReasonCode::Other),
            message: text("message").unwrap_or_default(),
            staff_group: text("staffGroup"),
            grade: text("grade"),
            accepted: reason
                .get("accepted")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(serde_json::Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            skill: text("skill"),
            requirement: text("requirement"),
            status: parsed(reason, "status"),
            minutes: reason.get("minutes").and_then(serde_json::Value::as_i64),
            opens_at: parsed(reason, "opensAt"),
        }
    }

    /// A reason of `Shift.myEligibility`, for a shift that accepts `accepted` grades (the reason
    /// itself names neither the grades nor the staff group).
    #[must_use]
    pub fn from_reason(r: &EligibilityReason, accepted: &[String]) -> Self {
        Self {
            code: r.code,
            message: r.message.clone(),
            staff_group: None,
            grade: None,
            accepted: accepted.to_vec(),
            skill: r.skill.clone(),
            requirement: r.requirement.clone(),
            status: r.compliance_status,
            minutes: r.minutes.map(i64::from),
            opens_at: r.opens_at,
        }
    }
}

/// What the page knows besides a reason itself, to word it.
pub struct ReasonContext<'a> {
    /// The shift's trust.
    pub trust: &'a str,
    /// Credential kind codes and their names (`credentialKinds`).
    pub kinds: &'a [(String, String)],
}

impl ReasonContext<'_> {
    fn kind_name(&self, code: &str) -> String {
        self.kinds
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| format::code_words(code), |(_, n)| n.clone())
    }
}

/// One reason the worker may not book, as a sentence a nurse understands: the one wording of the
/// shift page (before booking) and the booking page (when booking is refused). Unknown codes fall
/// back to the API's own message.
#[must_use]
pub fn reason_sentence(r: &Refusal, cx: &ReasonContext<'_>) -> String {
    let minutes = || format::duration_minutes(r.minutes.unwrap_or_default());
    let trust = cx.trust;
    let requirement = || cx.kind_name(r.requirement.as_deref().unwrap_or_default());
    match r.code {
        ReasonCode::StaffGroup => match &r.staff_group {
            Some(g) => format!(
                "This shift is for {}, and you are not in that staff group",
                staff_group_words(g)
            ),
            None => "This shift is for a different staff group from yours".to_owned(),
        },
        ReasonCode::GradeOutsideRange => {
            let accepted: Vec<String> = r.accepted.iter().map(|g| grade_name(g)).collect();
            match &r.grade {
                Some(g) => format!(
                    "This shift is for {}, and your grade is {}",
                    or_list(&accepted),
                    grade_name(g)
                ),
                None => format!(
                    "This shift is for {}, and your grade is not one of them",
                    or_list(&accepted)
                ),
            }
        }
        ReasonCode::MissingSkill => format!(
            "This shift needs {} skills, and they are not on your record",
            format::code_words(r.skill.as_deref().unwrap_or_default()).to_lowercase()
        ),
        ReasonCode::NotCompliant => {
            let name = requirement();
            match r.status {
                Some(RequirementStatus::Expired) => format!("Your {name} has expired"),
                Some(RequirementStatus::NotAccepted) => {
                    format!("{trust} does not accept your {name}")
                }
                Some(RequirementStatus::PendingVerification) => {
                    format!("{trust} has not checked your {name} yet")
                }
                _ => format!("{trust} needs your {name}, and it is not on your record"),
            }
        }
        ReasonCode::ExpiresBeforeShiftEnds => {
            format!("Your {} runs out before this shift ends", requirement())
        }
        ReasonCode::OverlappingBooking => {
            "You are already booked on a shift at the same time".to_owned()
        }
        ReasonCode::InsufficientRestBefore => format!(
            "You would have less than 11 hours' rest after your previous shift (only {})",
            minutes()
        ),
        ReasonCode::InsufficientRestAfter => format!(
            "You would have less than 11 hours' rest before your next shift (only {})",
            minutes()
        ),
        ReasonCode::WeeklyHoursAverage => format!(
            "You would work an average of {} a week over 17 weeks, and the limit is 48 hours \
             unless you have opted out",
            minutes()
        ),
        ReasonCode::TierNotOpen => match r.opens_at {
            Some(at) => format!(
                "This shift is not offered to you yet: you can book it from {}",
                format::when(at)
            ),
            None => "This shift is only offered to other workers, such as the trust's own staff"
                .to_owned(),
        },
        ReasonCode::BlockedByTrust => format!(
            "{trust} has stopped you working shifts there. Contact its bank office to find out why"
        ),
        ReasonCode::Dormant => "You have not worked a shift for a while. Confirm you are still \
                                available before you book"
            .to_owned(),
        ReasonCode::Suspended => format!("{trust} has suspended you from working shifts there"),
        ReasonCode::SelfBookingSuspended => format!(
            "You cannot book shifts at {trust} yourself at the moment, because of short-notice \
             cancellations or shifts you did not attend. Its bank office can still book you"
        ),
        ReasonCode::Other => {
            if r.message.trim().is_empty() {
                "Something stops you booking this shift".to_owned()
            } else {
                format::capitalised(&r.message)
            }
        }
    }
}

/// "Band 5", "Band 5 or Band 6", "Band 5, Band 6 or Band 7".
fn or_list(items: &[String]) -> String {
    match items {
        [] => "other grades".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cx() -> ReasonContext<'static> {
        ReasonContext {
            trust: "Northfield NHS Trust",
            kinds: &[],
        }
    }

    #[test]
    fn grades_and_pay_codes_in_words() {
        assert_eq!(grade_name("BAND_5"), "Band 5");
        assert_eq!(grade_name("ST3"), "ST3");
        assert_eq!(grade_name("SPECIALTY_DOCTOR"), "Specialty doctor");
        assert_eq!(pay_code_name("SATURDAY_OR_NIGHT"), "Nights and Saturdays");
        assert_eq!(hours(Decimal::new(33333, 5)), "0.33");
        assert_eq!(hours(Decimal::new(750, 2)), "7.5");
    }

    fn said(v: serde_json::Value) -> String {
        reason_sentence(&Refusal::from_details(&v), &cx())
    }

    #[test]
    fn reasons_read_as_plain_english() {
        assert_eq!(
            said(json!({"code": "INSUFFICIENT_REST_BEFORE", "minutes": 240, "message": "x"})),
            "You would have less than 11 hours' rest after your previous shift (only 4 hours)"
        );
        assert_eq!(
            said(json!({"code": "GRADE_OUTSIDE_RANGE", "grade": "BAND_3",
                        "accepted": ["BAND_5", "BAND_6"]})),
            "This shift is for Band 5 or Band 6, and your grade is Band 3"
        );
        assert_eq!(
            said(
                json!({"code": "NOT_COMPLIANT", "requirement": "BASIC_LIFE_SUPPORT",
                        "status": "PENDING_VERIFICATION"})
            ),
            "Northfield NHS Trust has not checked your Basic life support yet"
        );
        assert_eq!(
            said(json!({"code": "NEW_RULE", "message": "a new rule"})),
            "A new rule"
        );
    }

    #[test]
    fn both_answers_read_the_same() {
        let asked = EligibilityReason {
            code: ReasonCode::InsufficientRestBefore,
            message: "x".to_owned(),
            requirement: None,
            compliance_status: None,
            skill: None,
            minutes: Some(240),
            opens_at: None,
        };
        assert_eq!(
            reason_sentence(&Refusal::from_reason(&asked, &[]), &cx()),
            said(json!({"code": "INSUFFICIENT_REST_BEFORE", "minutes": 240, "message": "x"}))
        );
    }
}
