//! Why a worker may not work a shift: the reason codes clients match on, the sentences shown to
//! people, and the JSON of a `NOT_ELIGIBLE` error's details.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use staffbank_bank::compliance::ItemStatus;
use staffbank_core::time::london_date;
use uuid::Uuid;

/// Why a worker may not work a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The shift is for another staff group.
    StaffGroup {
        /// The shift's staff group.
        required: String,
    },
    /// The worker's grade is neither the grade asked for nor an allowed fallback.
    GradeOutsideRange {
        /// The worker's grade.
        grade: String,
        /// The grades the shift accepts.
        accepted: Vec<String>,
    },
    /// The worker lacks a skill the ward or shift needs.
    MissingSkill {
        /// The skill.
        skill: String,
    },
    /// A requirement of the trust (or ward) is not met now.
    NotCompliant {
        /// The credential kind required.
        requirement: String,
        /// MISSING, EXPIRED or PENDING_VERIFICATION.
        status: ItemStatus,
    },
    /// A requirement is met now but lapses before the shift ends.
    ExpiresBeforeShiftEnds {
        /// The credential kind required.
        requirement: String,
        /// The last day it counts is the day before this (withheld from callers who may not see
        /// the worker's credentials).
        valid_until: Option<NaiveDate>,
    },
    /// The worker is booked on a shift at the same time (at any trust).
    OverlappingBooking {
        /// That booking, when known and the caller may see it.
        booking_id: Option<Uuid>,
    },
    /// Less than 11 hours' rest after the worker's previous shift.
    RestBefore {
        /// The rest there would be (withheld when it comes from a booking the caller may not see).
        rest_minutes: Option<i64>,
    },
    /// Less than 11 hours' rest before the worker's next shift.
    RestAfter {
        /// The rest there would be (withheld when it comes from a booking the caller may not see).
        rest_minutes: Option<i64>,
    },
    /// Over 48 hours a week averaged over 17 weeks, across all bookings, without an opt-out.
    WeeklyHoursAverage {
        /// The weekly average there would be (withheld when it counts bookings the caller may not
        /// see).
        average_minutes: Option<i64>,
    },
    /// No tier that reaches the worker is open yet.
    TierNotOpen {
        /// When the first tier reaching them opens (none: no tier of this shift reaches them).
        opens_at: Option<DateTime<Utc>>,
    },
    /// The trust has blocked the worker.
    BlockedByTrust,
    /// No shift and no reconfirmation for too long: the worker must reconfirm first.
    Dormant {
        /// Their last activity (withheld from callers who may not see the worker's record, or when
        /// it was a booking the caller may not see).
        since: Option<DateTime<Utc>>,
    },
    /// The trust has suspended the worker.
    Suspended,
    /// The trust has suspended the worker's self-booking (a bank office may still book them).
    SelfBookingSuspended,
}

impl Reason {
    /// The stable code clients match on.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::StaffGroup { .. } => "STAFF_GROUP",
            Self::GradeOutsideRange { .. } => "GRADE_OUTSIDE_RANGE",
            Self::MissingSkill { .. } => "MISSING_SKILL",
            Self::NotCompliant { .. } => "NOT_COMPLIANT",
            Self::ExpiresBeforeShiftEnds { .. } => "EXPIRES_BEFORE_SHIFT_ENDS",
            Self::OverlappingBooking { .. } => "OVERLAPPING_BOOKING",
            Self::RestBefore { .. } => "INSUFFICIENT_REST_BEFORE",
            Self::RestAfter { .. } => "INSUFFICIENT_REST_AFTER",
            Self::WeeklyHoursAverage { .. } => "WEEKLY_HOURS_AVERAGE",
            Self::TierNotOpen { .. } => "TIER_NOT_OPEN",
            Self::BlockedByTrust => "BLOCKED_BY_TRUST",
            Self::Dormant { .. } => "DORMANT",
            Self::Suspended => "SUSPENDED",
            Self::SelfBookingSuspended => "SELF_BOOKING_SUSPENDED",
        }
    }

    /// A sentence for people.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::StaffGroup { required } => format!("the shift is for staff group {required}"),
            Self::GradeOutsideRange { grade, accepted } => format!(
                "grade {grade} is not one the shift accepts ({})",
                accepted.join(", ")
            ),
            Self::MissingSkill { skill } => format!("the shift needs the skill {skill}"),
            Self::NotCompliant {
                requirement,
                status,
            } => format!(
                "not compliant at this trust: {requirement} is {}",
                status.as_str().to_lowercase().replace('_', " ")
            ),
            Self::ExpiresBeforeShiftEnds {
                requirement,
                valid_until: Some(valid_until),
            } => format!("{requirement} expires on {valid_until}, before the shift ends"),
            Self::ExpiresBeforeShiftEnds {
                requirement,
                valid_until: None,
            } => format!("{requirement} expires before the shift ends"),
            Self::OverlappingBooking { .. } => {
                "already booked on a shift at the same time".to_owned()
            }
            Self::RestBefore {
                rest_minutes: Some(m),
            } => format!(
                "only {} of rest after the previous shift (11 hours needed)",
                hours_minutes(*m)
            ),
            Self::RestBefore { rest_minutes: None } => {
                "less than 11 hours of rest after the previous shift".to_owned()
            }
            Self::RestAfter {
                rest_minutes: Some(m),
            } => format!(
                "only {} of rest before the next shift (11 hours needed)",
                hours_minutes(*m)
            ),
            Self::RestAfter { rest_minutes: None } => {
                "less than 11 hours of rest before the next shift".to_owned()
            }
            Self::WeeklyHoursAverage {
                average_minutes: Some(m),
            } => format!(
                "would average {} a week over 17 weeks (48 hours allowed without an opt-out)",
                hours_minutes(*m)
            ),
            Self::WeeklyHoursAverage {
                average_minutes: None,
            } => "would average over 48 hours a week over 17 weeks, without an opt-out".to_owned(),
            Self::TierNotOpen { opens_at: Some(at) } => {
                format!("the shift is not yet offered to this worker (from {at})")
            }
            Self::TierNotOpen { opens_at: None } => {
                "the shift's release cascade does not reach this worker".to_owned()
            }
            Self::BlockedByTrust => "blocked by the trust".to_owned(),
            Self::Dormant { since: Some(since) } => format!(
                "dormant: no shift or reconfirmation since {}; the worker must reconfirm",
                london_date(*since)
            ),
            Self::Dormant { since: None } => {
                "dormant: no shift or reconfirmation for too long; the worker must reconfirm"
                    .to_owned()
            }
            Self::Suspended => "suspended at this trust".to_owned(),
            Self::SelfBookingSuspended => {
                "self-booking is suspended at this trust after short-notice cancellations or \
                 no-shows; the bank office can still book"
                    .to_owned()
            }
        }
    }

    /// As shown in `extensions.details.reasons` of a `NOT_ELIGIBLE` error.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = json!({ "code": self.code(), "message": self.message() });
        let extra = match self {
            Self::StaffGroup { required } => json!({ "staffGroup": required }),
            Self::GradeOutsideRange { grade, accepted } => {
                json!({ "grade": grade, "accepted": accepted })
            }
            Self::MissingSkill { skill } => json!({ "skill": skill }),
            Self::NotCompliant {
                requirement,
                status,
            } => json!({ "requirement": requirement, "status": status.as_str() }),
            Self::ExpiresBeforeShiftEnds {
                requirement,
                valid_until,
            } => json!({ "requirement": requirement, "validUntil": valid_until }),
            Self::OverlappingBooking { booking_id } => json!({ "bookingId": booking_id }),
            Self::RestBefore { rest_minutes } | Self::RestAfter { rest_minutes } => {
                json!({ "minutes": rest_minutes })
            }
            Self::WeeklyHoursAverage { average_minutes } => json!({ "minutes": average_minutes }),
            Self::TierNotOpen { opens_at } => json!({ "opensAt": opens_at }),
            Self::Dormant { since } => json!({ "since": since }),
            Self::BlockedByTrust | Self::Suspended | Self::SelfBookingSuspended => json!({}),
        };
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    }
}

fn hours_minutes(minutes: i64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}
