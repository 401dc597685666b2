//! Delivery: a worker claims due messages, sends them, and records the outcome. Several gateway
//! replicas may run a worker each on one database:
//!
//! - **Claiming is exclusive.** On PostgreSQL one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
//!   LOCKED) RETURNING *` takes a batch no other worker can take at the same time; on SQLite the
//!   same select-then-update runs in one `BEGIN IMMEDIATE` transaction (SQLite has one writer).
//! - **A claim is a lease** (`claimed_until`). A worker that dies holding messages loses them to
//!   the next worker once the lease runs out, so a crash loses nothing. A live worker never
//!   outlives its lease: it sends a message only while more than the send timeout remains of it,
//!   and gives the rest of its batch back otherwise (and when asked to stop).
//! - **An outcome is recorded only by the claim holder** (`claimed_by` must still be this worker),
//!   so a message is marked sent once. A message is sent twice only if a worker dies (or its
//!   database write fails) after the transport accepted the message and before it was marked
//!   sent; the `Message-ID` (`<{id}@staffbank>`, the same every time) lets the recipient's mail
//!   system drop such a duplicate. The mailbox folder transport overwrites the same file.
//! - **Failures back off**: 30 s, 1 min, 2 min, … at most 1 h between attempts; after
//!   [`Policy::max_attempts`] the message is `FAILED` (at once when it cannot be made into an
//!   email at all), with `last_error` kept for operators.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Value,
};
use staffbank_core::{SharedClock, db, jobs};
use tokio::sync::watch;
use uuid::Uuid;

use crate::entity::outbox::{self, Column};
use crate::error::{Error, Result};
use crate::outbox::State;
use crate::transport::Transport;

/// The job's name in logs and metrics (`staffbank_job_row_failures_total{job="outbox_delivery"}`
/// counts failed attempts).
pub const JOB: &str = "outbox_delivery";

/// How delivery behaves; the defaults suit production.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Most messages claimed at once.
    pub batch_size: u64,
    /// How long a claim lasts.
    pub lease: chrono::Duration,
    /// Longest time one message may take to send; must be well under `lease`.
    pub send_timeout: Duration,
    /// Attempts before a message is given up as `FAILED`.
    pub max_attempts: i32,
    /// Wait after the first failure; doubled after each further failure.
    pub first_retry: chrono::Duration,
    /// Longest wait between attempts.
    pub max_retry: chrono::Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            batch_size: 10,
            lease: chrono::Duration::minutes(5),
            send_timeout: Duration::from_secs(60),
            // About 13 hours of trying: a relay down overnight does not lose the evening's mail.
            max_attempts: 20,
            first_retry: chrono::Duration::seconds(30),
            max_retry: chrono::Duration::hours(1),
        }
    }
}

impl Policy {
    /// The wait before the next attempt after `failures` failed attempts (1 or more):
    /// `first_retry × 2^(failures-1)`, at most `max_retry`.
    #[must_use]
    pub fn backoff(&self, failures: i32) -> chrono::Duration {
        let doublings = u32::try_from(failures.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.first_retry
            .checked_mul(1 << doublings)
            .map_or(self.max_retry, |d| d.min(self.max_retry))
    }
}

/// One delivery worker: claims messages under its own id.
#[derive(Debug, Clone)]
pub struct Worker {
    db: DatabaseConnection,
    clock: SharedClock,
    transport: Arc<Transport>,
    id: String,
    policy: Policy,
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Pass {
    /// Messages claimed.
    claimed: usize,
    /// Messages tried (sent, or failed and rescheduled); the rest were given back.
    tried: usize,
    /// Messages the transport accepted.
    sent: usize,
}

impl Worker {
    /// A worker with a fresh id (`pid{process}-{random}`), so that two workers never share one.
    #[must_use]
    pub fn new(db: DatabaseConnection, clock: SharedClock, transport: Arc<Transport>) -> Self {
        let random = Uuid::new_v4().simple().to_string();
        let id = format!(
            "pid{}-{}",
            std::process::id(),
            random.get(..8).unwrap_or(&random)
        );
        Self {
            db,
            clock,
            transport,
            id,
            policy: Policy::default(),
        }
    }

    /// Replaces the policy.
    #[must_use]
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The id written to `claimed_by`.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Delivers until `shutdown` turns true (or its sender is dropped), polling every
    /// `poll_interval` and at once again after a full batch. A message being sent when shutdown
    /// comes is finished and recorded; the rest of the batch is given back for the next worker.
    pub async fn run(self, poll_interval: Duration, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(worker = %self.id, transport = %self.transport.describe(), "mail delivery started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            match self.pass(&shutdown).await {
                // A full batch worked through: more may be waiting.
                Ok(pass) if pass.claimed as u64 >= self.policy.batch_size && pass.tried > 0 => {
                    continue;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "mail delivery pass failed; will try again"),
            }
            tokio::select! {
                _ = shutdown.wait_for(|stop| *stop) => break,
                () = tokio::time::sleep(poll_interval) => {}
            }
        }
        tracing::info!(worker = %self.id, "mail delivery stopped");
    }

    /// Claims one batch of due messages and sends them; returns how many were sent.
    ///
    /// # Errors
    /// Database errors while claiming.
    pub async fn deliver_due(&self) -> Result<usize> {
        let (_tx, never) = watch::channel(false);
        Ok(self.pass(&never).await?.sent)
    }

    /// One pass: claim, then send one by one while not stopping.
    async fn pass(&self, stop: &watch::Receiver<bool>) -> Result<Pass> {
        let claimed = self.claim().await?;
        let mut pass = Pass {
            claimed: claimed.len(),
            ..Pass::default()
        };
        let mut rows = claimed.into_iter();
        for row in rows.by_ref() {
            let lease_left = row
                .claimed_until
                .map_or(chrono::Duration::zero(), |until| until - self.clock.now());
            let needed =
                chrono::Duration::from_std(self.policy.send_timeout).unwrap_or(self.policy.lease);
            if *stop.borrow() || lease_left <= needed {
                self.release(std::iter::once(row.id)).await;
                break;
            }
            pass.tried += 1;
            if self.deliver(&row).await {
                pass.sent += 1;
            }
        }
        // Given back so that another worker (or this one, next time) need not wait for the lease.
        self.release(rows.map(|r| r.id)).await;
        Ok(pass)
    }

    /// Takes up to a batch of due messages for this worker.
    ///
    /// # Errors
    /// Database errors.
    pub async fn claim(&self) -> Result<Vec<outbox::Model>> {
        let now = self.clock.now();
        // A cheap read first, so that an idle worker does not take SQLite's write lock every poll.
        let any_due = outbox::Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(due(now))
            .limit(1)
            .into_tuple::<Uuid>()
            .one(&self.db)
            .await?;
        if any_due.is_none() {
            return Ok(Vec::new());
        }
        let worker = self.id.clone();
        let until = now + self.policy.lease;
        let limit = self.policy.batch_size;
        let mut rows = db::write(&self.db, move |tx| {
            let worker = worker.clone();
            Box::pin(async move { claim_in(&tx, &worker, now, until, limit).await })
        })
        .await?;
        rows.sort_by_key(|r| (r.next_attempt_at, r.id));
        Ok(rows)
    }

    /// Sends one claimed message and records the outcome; true when sent.
    async fn deliver(&self, row: &outbox::Model) -> bool {
        let sent = tokio::time::timeout(self.policy.send_timeout, self.transport.send(row)).await;
        let outcome = match sent {
            Ok(result) => result,
            Err(_) => Err(Error::Send(format!(
                "no answer within {} s",
                self.policy.send_timeout.as_secs()
            ))),
        };
        let recorded = match &outcome {
            Ok(()) => self.mark_sent(row).await,
            Err(e) => {
                // Counted like any scheduled job's failed row; the batch goes on.
                jobs::row_failed(JOB, row.id, e);
                self.mark_failed(row, e).await
            }
        };
        match recorded {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                outbox_id = %row.id,
                worker = %self.id,
                "the claim on this message ran out before its outcome was recorded"
            ),
            Err(e) => tracing::error!(
                outbox_id = %row.id,
                error = %e,
                "could not record the outcome of sending; it may be sent again after the lease"
            ),
        }
        outcome.is_ok()
    }

    async fn mark_sent(&self, row: &outbox::Model) -> Result<bool> {
        let now = self.clock.now();
        let attempts = row.attempts.saturating_add(1);
        let changed = self
            .update_held(
                row.id,
                vec![
                    (Column::State, State::Sent.into()),
                    (Column::SentAt, Value::from(now)),
                    (Column::Attempts, attempts.into()),
                    (Column::ClaimedUntil, Value::from(None::<DateTime<Utc>>)),
                ],
            )
            .await?;
        if changed {
            tracing::info!(outbox_id = %row.id, kind = %row.kind, attempts, "email sent");
        }
        Ok(changed)
    }

    async fn mark_failed(&self, row: &outbox::Model, error: &Error) -> Result<bool> {
        let now = self.clock.now();
        let attempts = row.attempts.saturating_add(1);
        // A message that cannot be made into an email will not improve with waiting.
        let permanent = matches!(error, Error::InvalidMessage(_));
        let give_up = permanent || attempts >= self.policy.max_attempts;
        let mut changes = vec![
            (Column::Attempts, attempts.into()),
            (
                Column::LastError,
                Some(truncate(&error.to_string(), 2000)).into(),
            ),
            (Column::ClaimedUntil, Value::from(None::<DateTime<Utc>>)),
        ];
        let next = now + self.policy.backoff(attempts);
        if give_up {
            changes.push((Column::State, State::Failed.into()));
        } else {
            changes.push((Column::NextAttemptAt, Value::from(next)));
        }
        let changed = self.update_held(row.id, changes).await?;
        if changed && give_up {
            tracing::error!(outbox_id = %row.id, kind = %row.kind, attempts, error = %error, "email given up");
        } else if changed {
            tracing::warn!(outbox_id = %row.id, kind = %row.kind, attempts, next_attempt_at = %next, error = %error, "email not sent; will try again");
        }
        Ok(changed)
    }

    /// Applies `changes` to a message this worker still holds; false when it no longer does.
    async fn update_held(&self, id: Uuid, changes: Vec<(Column, Value)>) -> Result<bool> {
        let worker = self.id.clone();
        db::write(&self.db, move |tx| {
            let (worker, changes) = (worker.clone(), changes.clone());
            Box::pin(async move {
                let mut update = outbox::Entity::update_many();
                for (column, value) in changes {
                    update = update.col_expr(column, Expr::val(value));
                }
                let result = update
                    .filter(Column::Id.eq(id))
                    .filter(Column::ClaimedBy.eq(worker))
                    .filter(Column::State.eq(State::Pending))
                    .exec(&*tx)
                    .await?;
                Ok::<_, Error>(result.rows_affected == 1)
            })
        })
        .await
    }

    /// Gives claimed, unsent messages back (best effort: otherwise their lease runs out).
    async fn release(&self, ids: impl Iterator<Item = Uuid>) {
        let ids: Vec<Uuid> = ids.collect();
        if ids.is_empty() {
            return;
        }
        let worker = self.id.clone();
        let released = db::write(&self.db, move |tx| {
            let (worker, ids) = (worker.clone(), ids.clone());
            Box::pin(async move {
                outbox::Entity::update_many()
                    .col_expr(
                        Column::ClaimedUntil,
                        Expr::val(Value::from(None::<DateTime<Utc>>)),
                    )
                    .filter(Column::Id.is_in(ids))
                    .filter(Column::ClaimedBy.eq(worker))
                    .filter(Column::State.eq(State::Pending))
                    .exec(&*tx)
                    .await
            })
        })
        .await;
        if let Err(e) = released {
            tracing::warn!(error = %e, "could not give back claimed messages; their lease will run out");
        }
    }
}

/// Messages that may be claimed at `now`: pending, due, and not held under a live lease.
fn due(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(Column::State.eq(State::Pending))
        .add(Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(Column::ClaimedUntil.is_null())
                .add(Column::ClaimedUntil.lte(now)),
        )
}

async fn claim_in(
    tx: &DatabaseTransaction,
    worker: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox::Model>> {
    let candidates = outbox::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(due(now))
        .order_by_asc(Column::NextAttemptAt)
        .order_by_asc(Column::Id)
        .limit(limit);
    // `due` again on the update itself: a row is claimed only if it is still claimable.
    let claim = outbox::Entity::update_many()
        .col_expr(Column::ClaimedBy, Expr::val(worker))
        .col_expr(Column::ClaimedUntil, Expr::val(Value::from(until)))
        .filter(due(now));
    if tx.get_database_backend() == DatabaseBackend::Postgres {
        // Rows another worker is claiming right now are skipped, not waited for; a row claimed
        // and committed meanwhile is re-checked against `due` and left out.
        let subquery = candidates
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .into_query();
        return Ok(claim
            .filter(Column::Id.in_subquery(subquery))
            .exec_with_returning(tx)
            .await?);
    }
    // SQLite: this transaction holds the only write lock, so select-then-update is exclusive.
    let ids: Vec<Uuid> = candidates.into_tuple().all(tx).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    claim.filter(Column::Id.is_in(ids.clone())).exec(tx).await?;
    Ok(outbox::Entity::find()
        .filter(Column::Id.is_in(ids))
        .all(tx)
        .await?)
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// Runs a delivery worker until `shutdown` turns true; see [`Worker::run`].
pub async fn run(
    db: DatabaseConnection,
    clock: SharedClock,
    transport: Arc<Transport>,
    poll_interval: Duration,
    shutdown: watch::Receiver<bool>,
) {
    Worker::new(db, clock, transport)
        .run(poll_interval, shutdown)
        .await;
}

/// One delivery pass with a fresh worker; returns how many messages were sent.
///
/// # Errors
/// Database errors while claiming.
pub async fn deliver_due(
    db: &DatabaseConnection,
    clock: SharedClock,
    transport: Arc<Transport>,
) -> Result<usize> {
    Worker::new(db.clone(), clock, transport)
        .deliver_due()
        .await
}

#[cfg(test)]
mod tests {
    use super::Policy;
    use chrono::Duration;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = Policy::default();
        let waits: Vec<i64> = (1..=10).map(|n| p.backoff(n).num_seconds()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        assert_eq!(p.backoff(i32::MAX), Duration::hours(1));
        assert_eq!(p.backoff(0), Duration::seconds(30));
    }
}
