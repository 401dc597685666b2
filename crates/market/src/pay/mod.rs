//! Pay: what a worker earns for a shift and how it reaches payroll. Rate cards per trust
//! (effective-dated: a change applies from a date and past shifts keep their rates), the pay
//! engine (local-time segments, unsocial-hours enhancements, public holidays, exact `Decimal`s
//! rounded to pence once per line), pay shown up front on every shift, timesheets and their
//! approval, pay periods with a cut-off, payroll export, recharges between trusts, and reports.
//!
//! Money is stored as integer pence (amounts) or decimal text (rates): sea-orm reads SQLite
//! decimals through `f64`, which is not exact.

pub mod deadlines;
pub mod engine;
pub mod export;
pub mod fees;
pub mod holidays;
pub mod lines;
pub mod periods;
pub mod quote;
pub mod rate_card_preview;
pub mod rate_cards;
pub mod recharge;
pub mod reminders;
pub mod report_breakdowns;
pub mod reports;
pub mod timesheets;

use rust_decimal::Decimal;

/// Whole pence of a pound amount already rounded to pence.
#[must_use]
pub fn pence(amount: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (engine::to_pence(amount) * Decimal::ONE_HUNDRED)
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// Pounds from pence.
#[must_use]
pub fn pounds(pence: i64) -> Decimal {
    Decimal::new(pence, 2)
}
