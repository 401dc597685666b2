//! The bank office's Workers pages: searching the bank by each filter (and a wrong one
//! explained), a worker not engaged here seen in summary, asking to engage them, the worker
//! accepting (through the API) and the page then showing their full record, blocking with a
//! reason (an empty one refused) and lifting it, and a ward's preferred list.

use serde_json::json;

use super::{demo, run_journey_with_env};
use crate::fixtures;
use crate::harness::Backend;

const OFFICE: &str = "bank.office@northfield.staffbank.example";

async fn office_workers(backend: Backend) {
    let app = demo(backend).await;
    // A demo worker registered at another trust and not engaged at the office's, given a login
    // so the journey can accept the request as them.
    let office = app.login(OFFICE, "staffbank-demo").await;
    let me = app
        .ok(
            Some(&office),
            "{ me { roles { trust { id } } } }",
            json!({}),
        )
        .await;
    let trust = me["me"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["trust"]["id"].as_str())
        .unwrap()
        .to_owned();
    let found = app
        .ok(
            Some(&office),
            "query($t:UUID!){ workers(first:100){ nodes { id givenName familyName homeTrust { id } engagementHere(trustId:$t){ consent } } } }",
            json!({"t": trust}),
        )
        .await;
    let worker = found["workers"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["homeTrust"]["id"] != json!(trust) && w["engagementHere"].is_null())
        .expect("a demo worker of another trust")
        .clone();
    let id = worker["id"].as_str().unwrap();
    let token = fixtures::worker_login(&app, id.parse().unwrap(), "other.trust@worker.test").await;
    let name = format!(
        "{} {}",
        worker["givenName"].as_str().unwrap(),
        worker["familyName"].as_str().unwrap()
    );
    run_journey_with_env(
        &app,
        "office_workers.test.mjs",
        backend,
        &[
            ("WORKER_ID", id),
            ("WORKER_NAME", &name),
            ("WORKER_TOKEN", &token),
            ("TRUST_ID", &trust),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_workers_sqlite() {
    office_workers(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_workers_postgres() {
    office_workers(Backend::Postgres).await;
}
