//! Late-cancellation fees: when a trust cancels a booking inside its late window, the worker is
//! owed a fee — so many minutes of pay at the grade the shift pays (plain time, by the rate card in
//! force on the shift's date). It becomes a pay line at once, in the pay period the cut-off gives,
//! and its amount is recorded on the cancellation.

use chrono::Duration;
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use staffbank_bank::{estate, workers};
use staffbank_core::Clock;
use staffbank_core::time::london_date;

use crate::entity::{cancellation, shift};
use crate::error::Result;
use crate::pay::engine::{Line, to_pence};
use crate::pay::lines::{self, LineContext};
use crate::pay::{pence, periods, rate_cards};

/// The code of a fee line.
pub const LATE_CANCELLATION_FEE: &str = "LATE_CANCELLATION_FEE";

/// Prices a cancellation's fee, if it has one, and pays it as a pay line. A grade with no rate on
/// the card leaves the fee unpriced (logged) rather than failing the cancellation.
///
/// # Errors
/// Database errors.
pub async fn price(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    s: &shift::Model,
    c: cancellation::Model,
) -> Result<cancellation::Model> {
    let (Some(minutes), Some(grade)) = (c.fee_minutes, c.fee_grade.clone()) else {
        return Ok(c);
    };
    let work_date = london_date(s.starts_at);
    let card = rate_cards::in_force(conn, c.trust_id, work_date).await?;
    let Some(rate) = card.rate(&grade) else {
        tracing::warn!(cancellation = %c.id, %grade, "late-cancellation fee not priced: no rate for the grade");
        return Ok(c);
    };
    let amount = to_pence(rate * Decimal::from(minutes) / Decimal::from(60));
    let w = workers::get(conn, c.worker_id).await?;
    let ward = estate::ward(conn, s.ward_id).await?;
    let now = clock.now();
    let line = Line {
        code: LATE_CANCELLATION_FEE,
        seconds: Duration::minutes(i64::from(minutes)).num_seconds(),
        rate,
        enhancement: Decimal::ZERO,
        amount,
    };
    lines::insert(
        conn,
        now,
        &LineContext {
            trust_id: c.trust_id,
            payroll_trust_id: w.home_trust_id,
            worker_id: w.id,
            booking_id: c.booking_id,
            timesheet_id: None,
            cancellation_id: Some(c.id),
            ward_id: ward.id,
            cost_centre: ward.cost_centre.clone(),
            work_date,
            grade,
            pay_period: periods::period_for(now, periods::cutoff_day(conn, c.trust_id).await?),
        },
        &[line],
    )
    .await?;
    let mut a: cancellation::ActiveModel = c.into();
    a.fee_amount_pence = Set(Some(pence(amount)));
    Ok(a.update(conn).await?)
}
