//! Sending a timesheet (or, after a query, sending it again): the times worked, as the clock on
//! the ward showed them (London time) — start and end each a date and a time, so a shift past
//! midnight is never ambiguous — and the unpaid break, prefilled from the booked shift; then a
//! check-your-answers page; then `submitTimesheet`, and a confirmation.
//!
//! Nothing is sent until the worker confirms on the check page. London times become UTC
//! instants here with chrono-tz: a time the clocks skipped, or one they passed twice, is refused
//! with a message saying so rather than guessed.

mod handlers;
mod operations;
mod pages;
mod times;

pub use handlers::{check, confirmation, form, send};
