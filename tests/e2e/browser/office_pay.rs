//! The bank office's pay and reports in the browser: approving timesheets for payment (none
//! chosen, one, several), exporting a pay period and downloading its CSV, past exports,
//! recharges; the reports' charts, tables and CSVs against the API's figures, wrong ranges, and
//! the charts without JavaScript.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn office_pay(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "office_pay.test.mjs", backend).await;
}

async fn office_reports(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "office_reports.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_pay_sqlite() {
    office_pay(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_pay_postgres() {
    office_pay(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_reports_sqlite() {
    office_reports(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_reports_postgres() {
    office_reports(Backend::Postgres).await;
}
