//! The worker's timesheets: the list with each state, each timesheet's steps and pay, every kind
//! of mistake on the form with nothing sent, sending through check-your-answers, answering a query.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn worker_timesheets(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "worker_timesheets.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_timesheets_sqlite() {
    worker_timesheets(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_timesheets_postgres() {
    worker_timesheets(Backend::Postgres).await;
}
