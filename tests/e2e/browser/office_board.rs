//! The bank office's board in the browser: its home, the grid and the list, the filters, a
//! cell's shifts, and the board changing live while a worker books in another window.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn office_board(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "office_board.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_board_sqlite() {
    office_board(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_board_postgres() {
    office_board(Backend::Postgres).await;
}
