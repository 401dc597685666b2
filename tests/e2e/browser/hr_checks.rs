//! HR's checks, compliance, expiring soon and access pages in the browser, on the demo bank: the
//! demo's check waiting at Northfield with its document, verified while looking at the document,
//! then revoked (an empty reason refused); another check rejected (an empty reason refused); a
//! worker's compliance at a chosen ward; what is expiring soon with the booked shift it would
//! hit; and who has looked at a worker's record. The Rust side engages a worker of another trust
//! at Northfield (through the domain, with their consent) so that Northfield's own looks at them
//! appear in their access log.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{demo, run_journey_with_env};
use crate::fixtures;
use crate::harness::Backend;

const HR: &str = "hr@northfield.staffbank.example";

fn text(v: &Value) -> String {
    let Some(s) = v.as_str() else {
        panic!("not text: {v}");
    };
    s.to_owned()
}

async fn hr_checks(backend: Backend) {
    let app = demo(backend).await;
    let hr = app.login(HR, "staffbank-demo").await;
    let me = app
        .ok(Some(&hr), "{ me { roles { trust { id } } } }", json!({}))
        .await;
    let Some(trust) = me["me"]["roles"]
        .as_array()
        .and_then(|r| r.iter().find_map(|r| r["trust"]["id"].as_str()))
        .map(str::to_owned)
    else {
        panic!("HR has no trust: {me}");
    };
    // The demo data the journey needs: a check waiting at Northfield with a document, and a
    // check expiring soon that would cost a booked shift.
    let queue = app
        .ok(
            Some(&hr),
            "query($t:UUID!){ credentialsAwaitingVerification(trustId:$t){ nodes { credential { id evidence { contentType } } } } }",
            json!({"t": trust}),
        )
        .await;
    let with_document = queue["credentialsAwaitingVerification"]["nodes"]
        .as_array()
        .is_some_and(|n| {
            n.iter()
                .any(|c| c["credential"]["evidence"]["contentType"] == "image/png")
        });
    assert!(
        with_document,
        "no demo check waiting with a document: {queue}"
    );
    let expiring = app
        .ok(
            Some(&hr),
            "query($t:UUID!){ expiringAtTrust(trustId:$t){ bookingsHit { id } } }",
            json!({"t": trust}),
        )
        .await;
    assert!(
        expiring["expiringAtTrust"].as_array().is_some_and(|e| e
            .iter()
            .any(|x| x["bookingsHit"].as_array().is_some_and(|b| !b.is_empty()))),
        "no demo check expiring on a booked worker: {expiring}"
    );
    // A worker of another trust, engaged at Northfield too.
    let found = app
        .ok(
            Some(&hr),
            "{ workers(first:100){ nodes { id givenName familyName homeTrust { id } } } }",
            json!({}),
        )
        .await;
    let Some(other) = found["workers"]["nodes"]
        .as_array()
        .and_then(|n| n.iter().find(|w| w["homeTrust"]["id"] != json!(trust)))
        .cloned()
    else {
        panic!("no demo worker of another trust: {found}");
    };
    let other_id = text(&other["id"]);
    let Ok(other_uuid) = other_id.parse::<Uuid>() else {
        panic!("bad id {other_id}");
    };
    let Ok(trust_uuid) = trust.parse::<Uuid>() else {
        panic!("bad id {trust}");
    };
    fixtures::engage_directly(&app, other_uuid, trust_uuid).await;
    let other_name = format!(
        "{} {}",
        text(&other["givenName"]),
        text(&other["familyName"])
    );
    run_journey_with_env(
        &app,
        "hr_checks.test.mjs",
        backend,
        &[
            ("TRUST_ID", &trust),
            ("OTHER_ID", &other_id),
            ("OTHER_NAME", &other_name),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_checks_sqlite() {
    hr_checks(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_checks_postgres() {
    hr_checks(Backend::Postgres).await;
}
