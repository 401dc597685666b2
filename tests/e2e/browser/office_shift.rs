//! The bank office's shift page: workers ranked with each score's parts, the ineligible with
//! their reasons, booking a named worker, cancelling a booking (the fee shown first) or the
//! shift, and recording a no-show.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn office_shift(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "office_shift.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_shift_sqlite() {
    office_shift(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_shift_postgres() {
    office_shift(Backend::Postgres).await;
}
