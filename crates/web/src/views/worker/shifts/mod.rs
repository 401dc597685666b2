//! Finding and booking shifts: the feed of open shifts across every trust of the bank (filters
//! and pages), one shift (when, where, pay line by line, the trust's cancellation terms), and
//! booking it (a check-your-answers page whose form carries an idempotency key, so a double
//! click books once; then a confirmation page).
//!
//! Whether a worker may book is the API's answer, never the page's: the feed lists what they may
//! book, and booking answers `NOT_ELIGIBLE` with reasons, which [`reason_sentence`] puts in plain
//! English.

pub mod book;
pub mod find;
pub mod shift;

use axum::Router;
use axum::routing::get;
use rust_decimal::Decimal;

use crate::WebState;
use crate::format;
use crate::schema::schema;

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
    sentence_case(code)
}

/// `CRITICAL_CARE` as "Critical care".
#[must_use]
pub fn sentence_case(code: &str) -> String {
    let lower = code.replace('_', " ").to_lowercase();
    let mut c = lower.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
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
        other => sentence_case(other).to_lowercase(),
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
        other => sentence_case(other),
    }
}

/// Hours as "7.5", "0.33" (to two places, no trailing zeros).
#[must_use]
pub fn hours(h: Decimal) -> String {
    h.round_dp(2).normalize().to_string()
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
            .map_or_else(|| sentence_case(code), |(_, n)| n.clone())
    }
}

/// One reason of a `NOT_ELIGIBLE` answer (its `extensions.details.reasons` item) as a sentence a
/// nurse understands. Unknown codes fall back to the API's own message.
#[must_use]
pub fn reason_sentence(reason: &serde_json::Value, cx: &ReasonContext<'_>) -> String {
    let text = |k: &str| {
        reason
            .get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let minutes = || {
        reason
            .get("minutes")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_default()
    };
    let trust = cx.trust;
    match text("code").as_str() {
        "STAFF_GROUP" => format!(
            "This shift is for {}, and you are not in that staff group",
            staff_group_words(&text("staffGroup"))
        ),
        "GRADE_OUTSIDE_RANGE" => {
            let accepted: Vec<String> = reason
                .get("accepted")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(serde_json::Value::as_str)
                        .map(grade_name)
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "This shift is for {}, and your grade is {}",
                or_list(&accepted),
                grade_name(&text("grade"))
            )
        }
        "MISSING_SKILL" => format!(
            "This shift needs {} skills, and they are not on your record",
            sentence_case(&text("skill")).to_lowercase()
        ),
        "NOT_COMPLIANT" => {
            let name = cx.kind_name(&text("requirement"));
            match text("status").as_str() {
                "EXPIRED" => format!("Your {name} has expired"),
                "PENDING_VERIFICATION" => {
                    format!("{trust} has not checked your {name} yet")
                }
                _ => format!("{trust} needs your {name}, and it is not on your record"),
            }
        }
        "EXPIRES_BEFORE_SHIFT_ENDS" => format!(
            "Your {} runs out before this shift ends",
            cx.kind_name(&text("requirement"))
        ),
        "OVERLAPPING_BOOKING" => "You are already booked on a shift at the same time".to_owned(),
        "INSUFFICIENT_REST_BEFORE" => format!(
            "You would have less than 11 hours' rest after your previous shift (only {})",
            format::duration_minutes(minutes())
        ),
        "INSUFFICIENT_REST_AFTER" => format!(
            "You would have less than 11 hours' rest before your next shift (only {})",
            format::duration_minutes(minutes())
        ),
        "WEEKLY_HOURS_AVERAGE" => format!(
            "You would work an average of {} a week over 17 weeks, and the limit is 48 hours \
             unless you have opted out",
            format::duration_minutes(minutes())
        ),
        "TIER_NOT_OPEN" => match reason
            .get("opensAt")
            .and_then(serde_json::Value::as_str)
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        {
            Some(at) => format!(
                "This shift is not offered to you yet: you can book it from {}",
                format::when(at.with_timezone(&chrono::Utc))
            ),
            None => "This shift is only offered to other workers, such as the trust's own staff"
                .to_owned(),
        },
        "BLOCKED_BY_TRUST" => format!(
            "{trust} has stopped you working shifts there. Contact its bank office to find out why"
        ),
        "DORMANT" => "You have not worked a shift for a while. Confirm you are still available \
                      before you book"
            .to_owned(),
        "SUSPENDED" => format!("{trust} has suspended you from working shifts there"),
        "SELF_BOOKING_SUSPENDED" => format!(
            "You cannot book shifts at {trust} yourself at the moment, because of short-notice \
             cancellations or shifts you did not attend. Its bank office can still book you"
        ),
        _ => {
            let m = text("message");
            if m.is_empty() {
                "Something stops you booking this shift".to_owned()
            } else {
                sentence_case_keep(&m)
            }
        }
    }
}

/// Capitalises the first letter only.
fn sentence_case_keep(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
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

    #[test]
    fn reasons_read_as_plain_english() {
        assert_eq!(
            reason_sentence(
                &json!({"code": "INSUFFICIENT_REST_BEFORE", "minutes": 240, "message": "x"}),
                &cx()
            ),
            "You would have less than 11 hours' rest after your previous shift (only 4 hours)"
        );
        assert_eq!(
            reason_sentence(
                &json!({"code": "GRADE_OUTSIDE_RANGE", "grade": "BAND_3",
                        "accepted": ["BAND_5", "BAND_6"]}),
                &cx()
            ),
            "This shift is for Band 5 or Band 6, and your grade is Band 3"
        );
        assert_eq!(
            reason_sentence(&json!({"code": "NEW_RULE", "message": "a new rule"}), &cx()),
            "A new rule"
        );
    }
}
