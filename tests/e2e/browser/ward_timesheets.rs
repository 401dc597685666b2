//! The ward manager's home and the bank office's timesheets past their deadline, on the demo bank:
//! approve one, query with and without a reason, approve several; the worker seeing who has their
//! timesheet. The deadline job is run once before each journey, so the demo's timesheet waiting
//! for days has escalated whatever the timer did.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn journey(backend: Backend, script: &str) {
    let app = demo(backend).await;
    staffbank_market::pay::deadlines::run(app.db(), app.clock.as_ref())
        .await
        .expect("deadline job");
    run_journey(&app, script, backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ward_timesheets_sqlite() {
    journey(Backend::Sqlite, "ward_timesheets.test.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ward_timesheets_postgres() {
    journey(Backend::Postgres, "ward_timesheets.test.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_timesheets_sqlite() {
    journey(Backend::Sqlite, "office_timesheets.test.mjs").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_timesheets_postgres() {
    journey(Backend::Postgres, "office_timesheets.test.mjs").await;
}
