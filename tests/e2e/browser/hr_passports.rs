//! HR's passports, across two trusts: the demo worker (home at Northfield, compliant there, and
//! engaged at Riverside too) shares their Northfield passport with Riverside; Riverside's HR
//! receives it by pasting it, by uploading the file and by the QR code read back from the
//! worker's page, sees the verification and the evaluation item by item, and accepts it, then
//! checks the items left for Riverside to check itself from the accepted page; the worker is
//! then compliant at Riverside and books a Riverside shift on its page. Riverside's HR and bank
//! office are the demo's own logins there. Northfield's HR issues, suspends, reinstates and
//! revokes a passport, with and without a reason.

use serde_json::{Value, json};
use staffbank_core::Clock;

use super::{demo, run_journey_with_env};
use crate::harness::{Backend, TestApp};
use crate::market_fixtures::open_to_all;

const PASSWORD: &str = "staffbank-demo";
const WORKER: &str = "nurse@worker.staffbank.example";
const HR: &str = "hr@northfield.staffbank.example";
/// Riverside's HR: the demo's login at its second trust.
const RIVERSIDE_HR: &str = "hr@riverside.staffbank.example";
/// Riverside's bank office, the demo's other login there: posts the shift the worker books.
const RIVERSIDE_OFFICE: &str = "bank.office@riverside.staffbank.example";

fn text(v: &Value) -> String {
    let Some(s) = v.as_str() else {
        panic!("not a string: {v}");
    };
    s.to_owned()
}

/// Before the journey, through the API: Northfield's HR issues the worker a passport; the
/// worker accepts Riverside's request to engage them; Riverside's bank office (a demo login)
/// posts a shift the worker could work, open to the bank.
/// Returns the environment of the journey.
async fn two_trusts(app: &TestApp) -> Vec<(&'static str, String)> {
    let worker = app.login(WORKER, PASSWORD).await;
    let me = app
        .ok(
            Some(&worker),
            "{ myWorker { id grade staffGroup homeTrust { id collaborativeBank { trusts { id name } } } } }",
            json!({}),
        )
        .await;
    let me = &me["myWorker"];
    let Some(trusts) = me["homeTrust"]["collaborativeBank"]["trusts"].as_array() else {
        panic!("no trusts in {me}");
    };
    let Some(riverside) = trusts.iter().find(|t| {
        t["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("Riverside"))
    }) else {
        panic!("no Riverside in {trusts:?}");
    };
    let riverside_id = text(&riverside["id"]);

    let hr = app.login(HR, PASSWORD).await;
    app.ok(
        Some(&hr),
        "mutation($w:UUID!,$t:UUID!){ issuePassport(workerId:$w, trustId:$t){ id } }",
        json!({"w": me["id"], "t": me["homeTrust"]["id"]}),
    )
    .await;
    app.ok(
        Some(&worker),
        "mutation($t:UUID!){ acceptEngagement(trustId:$t){ consent } }",
        json!({"t": riverside_id}),
    )
    .await;

    // The demo's Riverside logins hold their roles at Riverside, nowhere else.
    for (email, role) in [(RIVERSIDE_HR, "HR"), (RIVERSIDE_OFFICE, "BANK_OFFICE")] {
        let token = app.login(email, PASSWORD).await;
        let roles = app
            .ok(
                Some(&token),
                "{ me { roles { role trust { id } } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            roles["me"]["roles"],
            json!([{ "role": role, "trust": { "id": riverside_id } }]),
            "{email}"
        );
    }
    let office = app.login(RIVERSIDE_OFFICE, PASSWORD).await;
    let estate = app
        .ok(
            Some(&office),
            "query($t:UUID!){ trust(id:$t){ wards { id requiredSkills site { id } } } }",
            json!({"t": riverside_id}),
        )
        .await;
    let Some(ward) = estate["trust"]["wards"].as_array().and_then(|ws| {
        ws.iter()
            .find(|w| w["requiredSkills"].as_array().is_some_and(Vec::is_empty))
    }) else {
        panic!("no ward without special skills at Riverside: {estate}");
    };
    // In three days' time, 8am to 4pm: the demo worker's own shifts are on days 1 to 4 at
    // Northfield and only day 2 is booked, so this clashes with nothing.
    let day = staffbank_core::time::london_date(app.clock.now()) + chrono::Duration::days(3);
    let posted = app
        .ok(
            Some(&office),
            "mutation($i: PostShiftInput!){ postShift(input:$i){ id } }",
            json!({ "i": {
                "trustId": riverside_id, "siteId": ward["site"]["id"], "wardId": ward["id"],
                "staffGroup": me["staffGroup"], "grade": me["grade"], "fallbackGrades": [],
                "startsLocal": format!("{day}T08:00:00"), "endsLocal": format!("{day}T16:00:00"),
                "breakMinutes": 30, "reason": "SICKNESS", "cascade": open_to_all() } }),
        )
        .await;
    vec![
        ("RIVERSIDE_HR", RIVERSIDE_HR.to_owned()),
        ("RIVERSIDE", text(&riverside["name"])),
        ("RIVERSIDE_ID", riverside_id),
        ("WORKER_ID", text(&me["id"])),
        ("SHIFT_ID", text(&posted["postShift"]["id"])),
    ]
}

async fn hr_passports(backend: Backend) {
    let app = demo(backend).await;
    let env = two_trusts(&app).await;
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_journey_with_env(&app, "hr_passports.test.mjs", backend, &env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_passports_sqlite() {
    hr_passports(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hr_passports_postgres() {
    hr_passports(Backend::Postgres).await;
}
