//! The worker's booking journey: find shifts (filters, pages), a shift and its pay, booking it
//! once however often the form is sent, my bookings, cancelling with the short-notice wording,
//! and a shift the worker cannot book showing why; and the same journey by keyboard alone.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn worker_booking(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "worker_booking.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_booking_sqlite() {
    worker_booking(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_booking_postgres() {
    worker_booking(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn booking_by_keyboard_sqlite() {
    let app = demo(Backend::Sqlite).await;
    run_journey(&app, "keyboard.test.mjs", Backend::Sqlite).await;
}
