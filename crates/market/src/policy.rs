//! Each trust's marketplace policy: how close to the start a worker's cancellation counts as short
//! notice, how close a trust's cancellation owes a fee and how much, how many strikes (short-notice
//! cancellations and no-shows) cost a worker self-booking, and how long without a shift makes a
//! worker dormant. The defaults below are what a trust has until its admins change them.

use std::collections::HashMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Set,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::organisation;
use staffbank_core::{Actor, Clock, Role, db};
use uuid::Uuid;

use crate::entity::market_policy;
use crate::error::{Result, validation};

/// A trust's marketplace policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// A worker cancelling within this many minutes of the start is recorded as short notice.
    pub worker_short_notice_minutes: i32,
    /// The trust cancelling within this many minutes of the start owes a fee.
    pub trust_late_cancellation_minutes: i32,
    /// That fee, in minutes of the booked worker's pay.
    pub late_cancellation_fee_minutes: i32,
    /// This many strikes within the window suspend self-booking at the trust (0: never).
    pub strike_limit: i32,
    /// The window strikes are counted over, in days.
    pub strike_window_days: i32,
    /// No shift and no reconfirmation for this many days makes a worker dormant.
    pub dormancy_days: i32,
}

impl Default for Policy {
    /// NHS bank practice: short notice within 8 hours; a trust cancelling within 4 hours pays 2
    /// hours; 3 strikes in 90 days suspend self-booking; dormant after 3 months without a shift.
    fn default() -> Self {
        Self {
            worker_short_notice_minutes: 8 * 60,
            trust_late_cancellation_minutes: 4 * 60,
            late_cancellation_fee_minutes: 2 * 60,
            strike_limit: 3,
            strike_window_days: 90,
            dormancy_days: 90,
        }
    }
}

impl From<market_policy::Model> for Policy {
    fn from(m: market_policy::Model) -> Self {
        Self {
            worker_short_notice_minutes: m.worker_short_notice_minutes,
            trust_late_cancellation_minutes: m.trust_late_cancellation_minutes,
            late_cancellation_fee_minutes: m.late_cancellation_fee_minutes,
            strike_limit: m.strike_limit,
            strike_window_days: m.strike_window_days,
            dormancy_days: m.dormancy_days,
        }
    }
}

impl Policy {
    fn validate(&self) -> Result<()> {
        let week = 7 * 24 * 60;
        let checks = [
            (
                (0..=week).contains(&self.worker_short_notice_minutes),
                "the short-notice window must be 0 to 7 days",
            ),
            (
                (0..=week).contains(&self.trust_late_cancellation_minutes),
                "the late-cancellation window must be 0 to 7 days",
            ),
            (
                (0..=24 * 60).contains(&self.late_cancellation_fee_minutes),
                "the late-cancellation fee must be 0 to 24 hours of pay",
            ),
            (
                (0..=50).contains(&self.strike_limit),
                "the strike limit must be 0 (never) to 50",
            ),
            (
                (1..=730).contains(&self.strike_window_days),
                "the strike window must be 1 to 730 days",
            ),
            (
                (7..=1095).contains(&self.dormancy_days),
                "the dormancy period must be 7 to 1095 days",
            ),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, msg)) => Err(validation(*msg)),
            None => Ok(()),
        }
    }
}

/// The policy in force at a trust.
///
/// # Errors
/// Database errors.
pub async fn of_trust(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<Policy> {
    Ok(market_policy::Entity::find_by_id(trust_id)
        .one(conn)
        .await?
        .map(Policy::from)
        .unwrap_or_default())
}

/// A trust's policy, for the people of its collaborative bank: its workers (the terms they book
/// under), the staff of its trusts, and its admins.
///
/// # Errors
/// Not found (the trust; also when the caller is not of its bank).
pub async fn read(conn: &impl ConnectionTrait, actor: &Actor, trust_id: Uuid) -> Result<Policy> {
    let t = organisation::visible_trust(conn, actor, trust_id).await?;
    of_trust(conn, t.id).await
}

/// The policies in force at several trusts.
///
/// # Errors
/// Database errors.
pub async fn of_trusts(
    conn: &impl ConnectionTrait,
    trust_ids: &[Uuid],
) -> Result<HashMap<Uuid, Policy>> {
    let mut out: HashMap<Uuid, Policy> =
        trust_ids.iter().map(|t| (*t, Policy::default())).collect();
    for m in market_policy::Entity::find()
        .filter(market_policy::Column::TrustId.is_in(trust_ids.iter().copied()))
        .all(conn)
        .await?
    {
        out.insert(m.trust_id, m.into());
    }
    Ok(out)
}

/// Changes to a trust's policy; a field left `None` keeps its value.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyChange {
    /// See [`Policy::worker_short_notice_minutes`].
    pub worker_short_notice_minutes: Option<i32>,
    /// See [`Policy::trust_late_cancellation_minutes`].
    pub trust_late_cancellation_minutes: Option<i32>,
    /// See [`Policy::late_cancellation_fee_minutes`].
    pub late_cancellation_fee_minutes: Option<i32>,
    /// See [`Policy::strike_limit`].
    pub strike_limit: Option<i32>,
    /// See [`Policy::strike_window_days`].
    pub strike_window_days: Option<i32>,
    /// See [`Policy::dormancy_days`].
    pub dormancy_days: Option<i32>,
}

impl PolicyChange {
    /// The policy `p` with this change made.
    #[must_use]
    pub fn apply(self, p: Policy) -> Policy {
        Policy {
            worker_short_notice_minutes: self
                .worker_short_notice_minutes
                .unwrap_or(p.worker_short_notice_minutes),
            trust_late_cancellation_minutes: self
                .trust_late_cancellation_minutes
                .unwrap_or(p.trust_late_cancellation_minutes),
            late_cancellation_fee_minutes: self
                .late_cancellation_fee_minutes
                .unwrap_or(p.late_cancellation_fee_minutes),
            strike_limit: self.strike_limit.unwrap_or(p.strike_limit),
            strike_window_days: self.strike_window_days.unwrap_or(p.strike_window_days),
            dormancy_days: self.dormancy_days.unwrap_or(p.dormancy_days),
        }
    }
}

/// Changes a trust's policy (its trust admins): the fields `change` gives replace those of the
/// policy in force, read in the same transaction.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found (also for a caller of another bank); forbidden; validation.
pub async fn change(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    change: &PolicyChange,
) -> Result<Policy> {
    db::write(db, |tx| {
        Box::pin(async move { change_in(&tx, clock, actor, trust_id, change).await })
    })
    .await
}

/// The work of [`change`], in the caller's transaction.
async fn change_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    change: &PolicyChange,
) -> Result<Policy> {
    let policy = &change.apply(of_trust(tx, trust_id).await?);
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin]).await?;
    policy.validate()?;
    let row = market_policy::ActiveModel {
        trust_id: Set(trust_id),
        worker_short_notice_minutes: Set(policy.worker_short_notice_minutes),
        trust_late_cancellation_minutes: Set(policy.trust_late_cancellation_minutes),
        late_cancellation_fee_minutes: Set(policy.late_cancellation_fee_minutes),
        strike_limit: Set(policy.strike_limit),
        strike_window_days: Set(policy.strike_window_days),
        dormancy_days: Set(policy.dormancy_days),
        updated_by: Set(actor.account_id()),
        updated_at: Set(clock.now()),
    };
    let exists = market_policy::Entity::find_by_id(trust_id)
        .one(tx)
        .await?
        .is_some();
    let saved = if exists {
        row.update(tx).await?
    } else {
        row.insert(tx).await?
    };
    Ok(saved.into())
}
