//! The worker's core journey with JavaScript off: sign in, find, book, send a timesheet.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn journey(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "no_javascript.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_sqlite() {
    journey(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_postgres() {
    journey(Backend::Postgres).await;
}
