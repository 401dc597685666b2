//! The shift marketplace: trusts post shifts that cascade from their own staff to the whole
//! collaborative bank; workers are matched with reasons; bookings are taken in one transaction that
//! never double-books; cancellations follow each trust's policy.
//!
//! Domain functions take the caller ([`staffbank_core::Actor`]) and a connection or transaction,
//! and decide authorisation themselves. Nothing here knows HTTP or GraphQL.

pub mod board;
pub mod booking;
pub mod booking_history;
pub mod cancellation;
pub mod eligibility;
pub mod entity;
pub mod error;
pub mod expiring_at_trust;
pub mod feed;
pub mod market_mail;
pub mod matching;
pub mod outlook;
pub mod pay;
pub mod policy;
pub mod posting;
pub mod preferred_workers;
pub mod ranking;
pub mod release_cascade;
pub mod restrictions;
pub mod roster_file;
pub mod roster_import;
pub mod roster_posting;
pub mod shift_changes;
pub mod shifts;
pub mod tier_announcements;
pub mod timesheet_mail;
pub mod working_time;

pub use error::{Error, Result};

/// Entry points for the fuzz targets in `fuzz/` (not part of the API): parsers of client input that
/// are private to their modules. Each calls exactly the code the list functions run.
#[doc(hidden)]
pub mod fuzzing {
    use chrono::{DateTime, Utc};
    use staffbank_core::PageRequest;
    use uuid::Uuid;

    use crate::Result;

    /// The `after` cursor of the shift and booking lists.
    ///
    /// # Errors
    /// Validation error for a cursor this service did not issue.
    pub fn shift_cursor(page: &PageRequest) -> Result<Option<(DateTime<Utc>, Uuid)>> {
        crate::shifts::parse_cursor(page)
    }

    /// The `after` cursor of a shift's ranked candidates.
    ///
    /// # Errors
    /// Validation error for a cursor this service did not issue.
    pub fn matching_cursor(page: &PageRequest) -> Result<Option<(bool, i32, Uuid)>> {
        crate::matching::parse_cursor(page)
    }

    /// The `from`/`to` filter of the shift lists and of the booking lists, as database conditions.
    pub fn date_conditions(
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> [sea_orm::Condition; 2] {
        [
            crate::shifts::date_condition(from, to),
            crate::booking::date_condition(from, to),
        ]
    }
}
