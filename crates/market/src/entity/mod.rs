//! The marketplace's tables, one entity per file.

pub mod booking;
pub mod booking_event;
pub mod cancellation;
pub mod cascade_default;
pub mod market_policy;
pub mod preferred_worker;
pub mod shift;
pub mod shift_grade;
pub mod shift_tier;
pub mod worker_restriction;
