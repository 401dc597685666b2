//! The trust admin's pages: the overview, sites and wards, requirement profiles, rate cards with
//! the pay preview before saving, the market rules, and staff accounts and roles (a removed role
//! signing its holder out at once), as the demo trust admin.

use super::{demo, run_journey};
use crate::harness::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_sqlite() {
    run_journey(
        &demo(Backend::Sqlite).await,
        "admin.test.mjs",
        Backend::Sqlite,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_postgres() {
    run_journey(
        &demo(Backend::Postgres).await,
        "admin.test.mjs",
        Backend::Postgres,
    )
    .await;
}
