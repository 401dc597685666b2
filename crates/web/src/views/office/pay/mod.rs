//! The bank office's pay: timesheets the ward managers approved, to approve for payment one or
//! many at a time (`approve`); payroll exports for a pay period, downloaded as CSV, and the past
//! exports (`export`); and what this trust owes other trusts and is owed for a pay period
//! (`recharges`). Timesheets escalated past their deadline have a page of their own
//! (`/office/timesheets`), linked from here.

mod approve;
mod export;
mod recharges;

pub use export::csv_file;

use axum::Router;
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};

use crate::WebState;

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/office/pay", get(approve::page))
        .route("/office/pay/approve", post(approve::submit))
        .route("/office/pay/export", get(export::form).post(export::submit))
        .route("/office/pay/exports", get(export::list))
        .route("/office/pay/exports/{id}", get(export::show))
        .route("/office/pay/exports/{id}/csv", get(export::download))
        .route("/office/pay/recharges", get(recharges::page))
}

/// "December 2026" for a pay period "2026-12" (the period itself when it is not one).
#[must_use]
pub fn period_words(period: &str) -> String {
    period_start(period).map_or_else(|| period.to_owned(), |d| d.format("%B %Y").to_string())
}

/// The first day of a pay period `YYYY-MM`.
fn period_start(period: &str) -> Option<NaiveDate> {
    if period.len() != 7 {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").ok()
}

/// The pay period of a date.
#[must_use]
pub fn period_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Pay periods to choose from, newest first: next month, this month and the eleven before, as
/// (value, words).
#[must_use]
pub fn recent_periods(today: NaiveDate) -> Vec<(String, String)> {
    let mut first = today.with_day(1).unwrap_or(today);
    first = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (0..13)
        .filter_map(|i| first.checked_sub_months(chrono::Months::new(i)))
        .map(|d| {
            let p = period_of(d);
            let words = period_words(&p);
            (p, words)
        })
        .collect()
}

/// Whether `p` is a pay period (`YYYY-MM`).
#[must_use]
pub fn is_period(p: &str) -> bool {
    period_start(p).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_in_words() {
        assert_eq!(period_words("2026-12"), "December 2026");
        assert_eq!(period_words("nonsense"), "nonsense");
        assert!(is_period("2027-01"));
        assert!(!is_period("2027-13"));
        assert!(!is_period("2027-1"));
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let p = recent_periods(d);
        assert_eq!(p.len(), 13);
        assert_eq!(p[0].0, "2027-01");
        assert_eq!(p[1].0, "2026-12");
        assert_eq!(p[12].0, "2026-01");
    }
}
