//! The marketplace's tables, one entity per file.

pub mod bank_holiday;
pub mod booking;
pub mod booking_event;
pub mod cancellation;
pub mod cascade_default;
pub mod market_policy;
pub mod pay_line;
pub mod pay_policy;
pub mod payroll_export;
pub mod preferred_worker;
pub mod rate_card;
pub mod rate_card_line;
pub mod roster_import;
pub mod shift;
pub mod shift_grade;
pub mod shift_tier;
pub mod timesheet;
pub mod timesheet_event;
pub mod timesheet_policy;
pub mod worker_restriction;
