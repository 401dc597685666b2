//! The bank office posts shifts: one through the form, check your answers and the confirmation
//! (every kind of mistake explained, a refusal by the API against its field, a change from the
//! check page keeping the rest).

use super::{demo, run_journey};
use crate::harness::Backend;

async fn office_posting(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "office_posting.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_posting_sqlite() {
    office_posting(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_posting_postgres() {
    office_posting(Backend::Postgres).await;
}
