//! The worker's home page.

use super::{demo, run_journey};
use crate::harness::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_home_sqlite() {
    let app = demo(Backend::Sqlite).await;
    run_journey(&app, "worker_home.test.mjs", Backend::Sqlite).await;
}
