//! This replica's part in posting large roster imports in the background
//! ([`staffbank_market::roster_posting`]): it starts posting an import as soon as it is queued
//! (rather than at the next run of the scheduled jobs), runs the job that takes up whatever is
//! left waiting (queued when no replica started it, or left by a replica that crashed), and keeps
//! how many shifts each import it is posting has done so far, for the API to show.
//!
//! That count lives in this process's memory, because the posting transaction's own writes cannot
//! be seen outside it (and on SQLite nothing else may write while it runs). It is approximate by
//! design: shifts made in a transaction that has not committed, none of them posted yet; on
//! another replica the API reports none done until the import is posted. Nothing depends on it.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use sea_orm::DatabaseConnection;
use staffbank_core::{SharedClock, new_id};
use staffbank_market::roster_posting::{self, Outcome, Sweep};
use uuid::Uuid;

/// This process's name on the imports it claims.
static WORKER: LazyLock<String> =
    LazyLock::new(|| format!("gateway-{}-{}", std::process::id(), new_id()));

/// Shifts done so far of each import this process is posting.
static PROGRESS: LazyLock<Mutex<HashMap<Uuid, usize>>> = LazyLock::new(Mutex::default);

fn report(id: Uuid, done: usize) {
    PROGRESS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, done);
}

fn forget(id: Uuid) {
    PROGRESS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id);
}

/// Shifts done so far of import `id`, when this process is posting it.
#[must_use]
pub fn rows_done(id: Uuid) -> Option<usize> {
    PROGRESS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&id)
        .copied()
}

/// Starts posting queued import `id` in the background on this replica (if no other worker has
/// taken it meanwhile).
pub fn start(db: DatabaseConnection, clock: SharedClock, id: Uuid) {
    tokio::spawn(async move {
        report(id, 0);
        let outcome =
            roster_posting::post_now(&db, clock.as_ref(), &WORKER, id, &|done| report(id, done))
                .await;
        forget(id);
        match outcome {
            Ok(Outcome::Posted(i)) => {
                tracing::info!(import = %id, shifts = i.rows_posted, "posted a roster import");
            }
            Ok(Outcome::Failed(_)) => {
                tracing::info!(import = %id, "posting a roster import failed")
            }
            Ok(Outcome::Retry | Outcome::NotTaken) => {}
            Err(e) => staffbank_core::jobs::row_failed(roster_posting::JOB, id, &e),
        }
    });
}

/// The scheduled job's run on this replica.
///
/// # Errors
/// Database errors finding the imports waiting.
pub async fn run(db: &DatabaseConnection, clock: &SharedClock) -> staffbank_market::Result<Sweep> {
    let touched = Mutex::new(Vec::new());
    let sweep = roster_posting::run(db, clock.as_ref(), &WORKER, &|id, done| {
        touched
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(id);
        report(id, done);
    })
    .await;
    for id in touched.into_inner().unwrap_or_else(PoisonError::into_inner) {
        forget(id);
    }
    sweep
}
