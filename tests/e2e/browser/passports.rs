//! Passports and privacy: the demo worker sees the passport their home trust issued, shares it
//! with another trust through the consent page, sees it shared, stops sharing, and sees who from
//! another organisation looked at their record.

use serde_json::json;

use super::{demo, run_journey_with_env};
use crate::harness::{Backend, TestApp};

const PASSWORD: &str = "staffbank-demo";
const WORKER: &str = "nurse@worker.staffbank.example";
const HR: &str = "hr@northfield.staffbank.example";
const ADMIN: &str = "admin@lakes-moors.staffbank.example";

/// The trust of the demo bank with this name.
fn trust_named<'a>(trusts: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    trusts
        .iter()
        .find(|t| t["name"].as_str().is_some_and(|n| n.starts_with(name)))
        .unwrap_or_else(|| panic!("no trust {name} in {trusts:?}"))
}

/// Before the journey, through the API: HR of the worker's home trust issues a passport; the
/// worker shares it with Eastmoor, whose HR reads it (a look the worker's access log shows).
/// Returns the names of the trust that looked and the trust the journey shares with.
async fn passport_and_a_look(app: &TestApp) -> (String, String) {
    let worker = app.login(WORKER, PASSWORD).await;
    let me = app
        .ok(
            Some(&worker),
            "{ myWorker { id homeTrust { id collaborativeBank { trusts { id name } } } } }",
            json!({}),
        )
        .await;
    let worker_id = me["myWorker"]["id"].as_str().unwrap().to_owned();
    let home = me["myWorker"]["homeTrust"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let trusts = me["myWorker"]["homeTrust"]["collaborativeBank"]["trusts"]
        .as_array()
        .unwrap()
        .clone();
    let eastmoor = trust_named(&trusts, "Eastmoor");
    let riverside = trust_named(&trusts, "Riverside");
    assert_ne!(eastmoor["id"].as_str().unwrap(), home);

    let hr = app.login(HR, PASSWORD).await;
    let issued = app
        .ok(
            Some(&hr),
            "mutation($w:UUID!,$t:UUID!){ issuePassport(workerId:$w, trustId:$t){ id } }",
            json!({"w": worker_id, "t": home}),
        )
        .await;
    let passport = issued["issuePassport"]["id"].as_str().unwrap().to_owned();

    app.ok(
        Some(&worker),
        "mutation($p:UUID!,$t:UUID!){ sharePassport(passportId:$p, trustId:$t){ id } }",
        json!({"p": passport, "t": eastmoor["id"]}),
    )
    .await;
    let admin = app.login(ADMIN, PASSWORD).await;
    app.ok(
        Some(&admin),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({ "i": { "email": "hr@eastmoor.staffbank.example", "displayName": "Eastmoor HR",
                       "password": PASSWORD, "scope": { "role": "HR", "trustId": eastmoor["id"] } } }),
    )
    .await;
    let eastmoor_hr = app.login("hr@eastmoor.staffbank.example", PASSWORD).await;
    app.ok(
        Some(&eastmoor_hr),
        "query($id:UUID!,$t:UUID){ passport(id:$id, trustId:$t){ id items { kind } } }",
        json!({"id": passport, "t": eastmoor["id"]}),
    )
    .await;
    (
        eastmoor["name"].as_str().unwrap().to_owned(),
        riverside["name"].as_str().unwrap().to_owned(),
    )
}

async fn passports_and_privacy(backend: Backend) {
    let app = demo(backend).await;
    let (looked, share_with) = passport_and_a_look(&app).await;
    run_journey_with_env(
        &app,
        "worker_passports.test.mjs",
        backend,
        &[("LOOKED_TRUST", &looked), ("SHARE_TRUST", &share_with)],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passports_and_privacy_sqlite() {
    passports_and_privacy(Backend::Sqlite).await;
}
