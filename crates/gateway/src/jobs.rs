//! Scheduled jobs: work the service does on its own, on a timer — the credential expiry sweep,
//! announcing release-cascade tiers as they open to the workers they newly reach, and reminding
//! ward managers of timesheets waiting more than 48 hours. Every job is safe to run on several
//! replicas at once and idempotent across restarts (the jobs themselves guarantee it), so each
//! replica simply runs them on its own timer; a failing job is logged and runs again next time.

use std::time::Duration;

use sea_orm::DatabaseConnection;
use staffbank_core::SharedClock;
use tokio::sync::watch;

/// Runs every job once.
pub async fn run_once(db: &DatabaseConnection, clock: &SharedClock) {
    if let Err(e) = staffbank_bank::expiry::sweep(db, clock.as_ref()).await {
        tracing::error!(error = %e, "credential expiry sweep failed; it will run again");
    }
    match staffbank_market::tier_announcements::announce_due(db, clock.as_ref()).await {
        Ok(sweep) if sweep.tiers > 0 => tracing::info!(
            tiers = sweep.tiers,
            workers_told = sweep.workers_told,
            "announced release-cascade tiers"
        ),
        Ok(_) => {}
        Err(e) => {
            tracing::error!(error = %e, "announcing release-cascade tiers failed; it will run again")
        }
    }
    if let Err(e) = staffbank_market::pay::reminders::run(db, clock.as_ref()).await {
        tracing::error!(error = %e, "reminding approvers of waiting timesheets failed; it will run again");
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
