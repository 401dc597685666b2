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

mod bank;
mod booking;
mod browser;
mod decisions;
mod foundation;
mod market;
mod my_eligibility;
mod notify;
mod onboarding;
mod outlook;
mod passport;
mod pay;
mod ranking;
mod sessions;
mod shift_terms;
mod worker_bookings;
