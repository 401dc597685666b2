//! Background work of a running server: the sweep that announces release-cascade tiers as they
//! open, and reminders to approvers of timesheets waiting more than 48 hours. It is safe to run on every replica (each tier is claimed once), stops when the server
//! stops, and logs rather than dies on failure.

use std::time::Duration;

use staffbank_market::tier_announcements;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::server::AppState;

/// Starts the sweeps the configuration asks for; `None` when all are off.
#[must_use]
pub fn spawn(state: &AppState, mut stopping: watch::Receiver<bool>) -> Option<JoinHandle<()>> {
    let every = state.services.config.market.announce_every_secs;
    if every == 0 {
        return None;
    }
    let services = state.services.clone();
    Some(tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(every));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopping.wait_for(|stop| *stop) => break,
            }
            match tier_announcements::announce_due(&services.db, services.clock.as_ref()).await {
                Ok(sweep) if sweep.tiers > 0 => tracing::info!(
                    tiers = sweep.tiers,
                    workers_told = sweep.workers_told,
                    "announced release-cascade tiers"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "announcing release-cascade tiers failed"),
            }
            if let Err(e) =
                staffbank_market::pay::reminders::run(&services.db, services.clock.as_ref()).await
            {
                tracing::warn!(error = %e, "reminding approvers of waiting timesheets failed");
            }
        }
    }))
}
