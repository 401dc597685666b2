//! Invitations from the email to the worker's home: the demo bank office invites someone to
//! register themself and registers another worker (who gets an invitation to set a password);
//! the links in the two emails are opened in the browser.

use std::time::Duration;

use serde_json::json;

use super::{demo, run_journey_with_env};
use crate::harness::{Backend, TestApp};

const PASSWORD: &str = "staffbank-demo";
const OFFICE: &str = "bank.office@northfield.staffbank.example";
const TO_REGISTER: &str = "sam.taylor@example.test";
const TO_ACCEPT: &str = "lee.morgan@example.test";

/// The link to `/invitation/{page}` in the invitation email to `email`, as delivered to the SMTP
/// sink (behind the demo's own emails, so it may take a while).
async fn invitation_link(app: &TestApp, email: &str, page: &str) -> String {
    app.mail
        .wait_until("an invitation email", Duration::from_secs(180), |m| {
            m.messages().iter().any(|r| {
                r.rcpt_to.iter().any(|t| t.contains(email)) && r.data.contains("invitation code")
            })
        })
        .await;
    let msg = app
        .mail
        .messages()
        .into_iter()
        .rfind(|r| r.rcpt_to.iter().any(|t| t.contains(email)))
        .unwrap();
    let text = msg.part("text/plain");
    let prefix = format!("{}/invitation/{page}?code=", app.url);
    text.split_whitespace()
        .find(|w| w.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no link to {prefix}... in the invitation: {text}"))
        .to_owned()
}

async fn invitations(backend: Backend) {
    let app = demo(backend).await;
    let office = app.login(OFFICE, PASSWORD).await;
    let banks = app
        .ok(
            Some(&office),
            "{ collaborativeBanks { trusts { id name } } }",
            json!({}),
        )
        .await;
    let northfield = banks["collaborativeBanks"][0]["trusts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str().unwrap().starts_with("Northfield"))
        .unwrap()["id"]
        .clone();
    app.ok(
        Some(&office),
        "mutation($t:UUID!,$e:String!){ inviteWorker(trustId:$t, email:$e){ id } }",
        json!({"t": northfield, "e": TO_REGISTER}),
    )
    .await;
    app.ok(
        Some(&office),
        "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id } }",
        json!({ "i": {
            "trustId": northfield, "givenName": "Lee", "familyName": "Morgan",
            "dateOfBirth": "1988-06-02", "niNumber": "JK123456A", "email": TO_ACCEPT,
            "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "skills": []
        }}),
    )
    .await;
    let register = invitation_link(&app, TO_REGISTER, "register").await;
    let accept = invitation_link(&app, TO_ACCEPT, "accept").await;
    run_journey_with_env(
        &app,
        "invitation.test.mjs",
        backend,
        &[("REGISTER_URL", &register), ("ACCEPT_URL", &accept)],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_sqlite() {
    invitations(Backend::Sqlite).await;
}
