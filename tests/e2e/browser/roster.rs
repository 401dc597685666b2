//! The bank office posts many shifts from a roster file: the columns and template, bad files
//! refused with the reason, bad rows shown by row and column with nothing posted, a good file
//! previewed then posted all at once, the same file again posting nothing new, without
//! JavaScript too, and the progress bar of a large file.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn office_roster(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "office_roster.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_roster_sqlite() {
    office_roster(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_roster_postgres() {
    office_roster(Backend::Postgres).await;
}
