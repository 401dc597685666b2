//! Scheduled jobs: work the service does on its own, on a timer — the credential expiry sweep,
//! announcing release-cascade tiers as they open to the workers they newly reach, escalating (or
//! approving automatically) timesheets past their deadline, reminding ward managers of timesheets
//! waiting more than 48 hours, posting large roster imports left waiting (queued with no replica
//! posting them, or left by one that crashed), and pruning old sign-in attempts and ended
//! sessions. Every job is safe to run on several replicas at once and idempotent across restarts
//! (the jobs themselves guarantee it), so each replica simply runs them on its own timer; a failing
//! job is logged, counted (`staffbank_job_failures_total{job}`) and runs again next time, and the
//! other jobs still run.

use std::future::Future;
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;
use staffbank_core::SharedClock;
use tokio::sync::watch;

/// Runs one job, counting its run, failure and duration by name.
async fn job<T, E: std::fmt::Display>(
    name: &'static str,
    work: impl Future<Output = Result<T, E>>,
) -> Option<T> {
    let started = Instant::now();
    // Shown at zero until the first failure, so an alert can watch a series that exists.
    metrics::counter!("staffbank_job_failures_total", "job" => name).increment(0);
    let result = work.await;
    metrics::counter!("staffbank_job_runs_total", "job" => name).increment(1);
    metrics::histogram!("staffbank_job_duration_seconds", "job" => name)
        .record(started.elapsed().as_secs_f64());
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            metrics::counter!("staffbank_job_failures_total", "job" => name).increment(1);
            tracing::error!(job = name, error = %e, "scheduled job failed; it will run again");
            None
        }
    }
}

/// Runs every job once.
pub async fn run_once(db: &DatabaseConnection, clock: &SharedClock) {
    job(
        "credential_expiry",
        staffbank_bank::expiry::sweep(db, clock.as_ref()),
    )
    .await;
    if let Some(sweep) = job(
        "tier_announcements",
        staffbank_market::tier_announcements::announce_due(db, clock.as_ref()),
    )
    .await
        && sweep.tiers > 0
    {
        tracing::info!(
            tiers = sweep.tiers,
            workers_told = sweep.workers_told,
            "announced release-cascade tiers"
        );
    }
    if let Some(sweep) = job(
        staffbank_market::pay::deadlines::JOB,
        staffbank_market::pay::deadlines::run(db, clock.as_ref()),
    )
    .await
        && sweep != staffbank_market::pay::deadlines::Sweep::default()
    {
        tracing::info!(
            escalated = sweep.escalated,
            approved_automatically = sweep.auto_approved,
            "timesheets past their deadline"
        );
    }
    if let Some(sweep) = job(
        staffbank_market::roster_posting::JOB,
        crate::roster_posting::run(db, clock),
    )
    .await
        && sweep != staffbank_market::roster_posting::Sweep::default()
    {
        tracing::info!(
            posted = sweep.posted,
            failed = sweep.failed,
            "posted roster imports left waiting"
        );
    }
    job(
        "timesheet_reminders",
        staffbank_market::pay::reminders::run(db, clock.as_ref()),
    )
    .await;
    if let Some(n) = job(
        "prune_sign_in_attempts",
        staffbank_core::throttle::prune(db, clock.as_ref()),
    )
    .await
        && n > 0
    {
        tracing::info!(rows = n, "pruned old sign-in attempts");
    }
    if let Some(n) = job(
        "prune_sessions",
        staffbank_core::sessions::prune(db, clock.as_ref()),
    )
    .await
        && n > 0
    {
        tracing::info!(rows = n, "pruned ended and expired sessions");
    }
}

/// Runs every job each `interval` until `shutdown` turns true; the first run is at once.
pub async fn run(
    db: DatabaseConnection,
    clock: SharedClock,
    interval: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if *shutdown.borrow() {
            return;
        }
        tokio::select! {
            _ = tick.tick() => run_once(&db, &clock).await,
            changed = shutdown.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}
