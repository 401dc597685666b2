//! Pay up front: what a worker would earn for a shift, at the grade its pay basis names (the
//! shift's, or the worker's own) under the shift's trust's rate card, so two trusts' offers
//! compare side by side, on the public holidays of the trust's own collaborative bank. A batch of
//! quotes costs five queries (cards, their lines; the trusts, their banks, the banks' holidays).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;
use staffbank_core::time::london_date;
use uuid::Uuid;

use crate::entity::shift;
use crate::error::Result;
use crate::pay::engine::{self, Line, Shift};
use crate::pay::holidays;
use crate::pay::rate_cards::{self, RateCard};
use crate::posting::PayBasis;

/// What to price.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuoteRequest {
    /// The trust whose card applies.
    pub trust_id: Uuid,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Unpaid break.
    pub break_minutes: i32,
    /// The grade paid.
    pub grade: String,
}

impl QuoteRequest {
    /// The request for a shift worked by someone of `worker_grade`.
    #[must_use]
    pub fn for_shift(s: &shift::Model, worker_grade: &str) -> Self {
        Self {
            trust_id: s.trust_id,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            break_minutes: s.break_minutes,
            grade: grade_paid(s, worker_grade),
        }
    }
}

/// The grade a shift pays at for a worker: the shift's own, or the worker's, by its pay basis.
#[must_use]
pub fn grade_paid(s: &shift::Model, worker_grade: &str) -> String {
    match s.pay_basis {
        PayBasis::WorkerGrade => worker_grade.to_owned(),
        PayBasis::ShiftGrade => s.grade.clone(),
    }
}

/// The price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The grade paid.
    pub grade: String,
    /// Hourly rate before enhancements.
    pub hourly_rate: Decimal,
    /// The card's first day.
    pub card_effective_from: NaiveDate,
    /// Payslip lines.
    pub lines: Vec<Line>,
    /// Sum of the lines.
    pub total: Decimal,
}

/// Prices one shift with a card and the holidays around it; none when the card has no rate for
/// the grade (or the shift's times are impossible).
#[must_use]
pub fn price(card: &RateCard, holidays: &BTreeSet<NaiveDate>, req: &QuoteRequest) -> Option<Quote> {
    let hourly_rate = card.rate(&req.grade)?;
    let lines = engine::calculate(&Shift {
        start: req.starts_at,
        end: req.ends_at,
        unpaid_break_minutes: i64::from(req.break_minutes),
        hourly_rate,
        enhancements: card.enhancements_for(&req.grade),
        public_holidays: holidays,
        holiday_uplift: card.holiday_uplift,
    })
    .ok()?;
    let total = lines.iter().map(|l| l.amount).sum();
    Some(Quote {
        grade: req.grade.clone(),
        hourly_rate,
        card_effective_from: card.effective_from,
        lines,
        total,
    })
}

/// Prices many shifts.
///
/// # Errors
/// Database errors.
pub async fn quote_many(
    conn: &impl ConnectionTrait,
    requests: &[QuoteRequest],
) -> Result<HashMap<QuoteRequest, Option<Quote>>> {
    if requests.is_empty() {
        return Ok(HashMap::new());
    }
    let mut trusts: Vec<Uuid> = requests.iter().map(|r| r.trust_id).collect();
    trusts.sort_unstable();
    trusts.dedup();
    let cards = rate_cards::cards_of(conn, &trusts).await?;
    let from = requests
        .iter()
        .map(|r| london_date(r.starts_at))
        .min()
        .unwrap_or_default();
    let to = requests
        .iter()
        .map(|r| london_date(r.ends_at))
        .max()
        .unwrap_or_default()
        + Duration::days(1);
    let holidays = holidays::of_trusts_between(conn, &trusts, from, to).await?;
    let none = BTreeSet::new();
    Ok(requests
        .iter()
        .map(|r| {
            let card = cards.in_force(r.trust_id, london_date(r.starts_at));
            let days = holidays.get(&r.trust_id).unwrap_or(&none);
            (r.clone(), price(&card, days, r))
        })
        .collect())
}
