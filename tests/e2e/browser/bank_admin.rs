//! The system admin's pages (issue 13, item 6), as the demo's collaborative bank admin: admitting
//! a trust (a wrong ODS code refused the NHS way), changing the passporting agreement through its
//! check-answers page, rotating a trust's key and retiring the replaced one (each confirmed
//! first), filtering the access audit and downloading its CSV, reading the recharge statement,
//! and comparing the trusts (charts and their tables).

use serde_json::json;

use super::{demo, run_journey_with_env};
use crate::harness::Backend;

const OFFICE: &str = "bank.office@northfield.staffbank.example";

async fn bank_admin(backend: Backend) {
    let app = demo(backend).await;
    // A look for the audit to find: Northfield's bank office checks a worker of another trust.
    let office = app.login(OFFICE, "staffbank-demo").await;
    let me = app
        .ok(
            Some(&office),
            "{ me { roles { trust { id name } } } }",
            json!({}),
        )
        .await;
    let Some(trust) = me["me"]["roles"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["trust"]["id"].is_string()))
        .map(|r| r["trust"].clone())
    else {
        panic!("the office has no trust: {me}");
    };
    let trust_id = trust["id"].as_str().unwrap_or_default().to_owned();
    let trust_name = trust["name"].as_str().unwrap_or_default().to_owned();
    let found = app
        .ok(
            Some(&office),
            "{ workers(first:100){ nodes { id givenName familyName homeTrust { id } } } }",
            json!({}),
        )
        .await;
    let Some(worker) = found["workers"]["nodes"]
        .as_array()
        .and_then(|ws| ws.iter().find(|w| w["homeTrust"]["id"] != json!(trust_id)))
        .cloned()
    else {
        panic!("no demo worker of another trust: {found}");
    };
    let worker_id = worker["id"].as_str().unwrap_or_default().to_owned();
    app.ok(
        Some(&office),
        "query($w:UUID!,$t:UUID!){ compliance(workerId:$w, trustId:$t){ compliant } }",
        json!({"w": worker_id, "t": trust_id}),
    )
    .await;
    let name = format!(
        "{} {}",
        worker["givenName"].as_str().unwrap_or_default(),
        worker["familyName"].as_str().unwrap_or_default()
    );
    run_journey_with_env(
        &app,
        "bank_admin.test.mjs",
        backend,
        &[
            ("WORKER_ID", &worker_id),
            ("WORKER_NAME", &name),
            ("TRUST_ID", &trust_id),
            ("TRUST_NAME", &trust_name),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_admin_sqlite() {
    bank_admin(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_admin_postgres() {
    bank_admin(Backend::Postgres).await;
}
