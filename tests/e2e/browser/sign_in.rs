//! Sign-in, sign-out, the session and CSRF protections, GraphiQL offline, where each role lands.

use super::{demo, run_journey};
use crate::harness::Backend;

async fn sign_in_and_security(backend: Backend) {
    let app = demo(backend).await;
    run_journey(&app, "sign_in.test.mjs", backend).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_security_sqlite() {
    sign_in_and_security(Backend::Sqlite).await;
}
