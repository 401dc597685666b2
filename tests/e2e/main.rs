//! End-to-end tests: each case starts the real server over HTTP with its own database, and runs on
//! SQLite and on PostgreSQL.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

mod fixtures;
mod harness;
mod market_fixtures;
mod python;
mod smtp_sink;
mod templates;

mod access_audit;
mod authz_matrix;
mod bank;
mod bank_scope;
mod board;
mod booking;
mod browser;
mod consent;
mod dates;
mod decisions;
mod exports;
mod foundation;
mod hr_checks;
mod inputs;
mod limits;
mod market;
mod metrics;
mod my_eligibility;
mod notify;
mod onboarding;
mod outlook;
mod passport;
mod pay;
mod pay_reports;
mod ranking;
mod replicas;
mod roster_imports;
mod sessions;
mod shift_terms;
mod throttle;
mod timesheet_deadlines;
mod trust_admin;
mod worker_bookings;
mod worker_search;
