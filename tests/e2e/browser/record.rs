//! The worker's record: details, trusts, credentials with their status and expiry; adding a
//! credential with its document (and the document refused for its size or type); the 48-hour
//! week opt-out.

use super::{demo, run_journey};
use crate::harness::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_record_sqlite() {
    let app = demo(Backend::Sqlite).await;
    run_journey(&app, "worker_record.test.mjs", Backend::Sqlite).await;
}
