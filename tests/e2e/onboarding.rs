//! Worker onboarding and upkeep by email: invitations to set up a login or to register, and the
//! credential expiry reminders — each delivered over SMTP to the test's sink, exactly once.

use std::time::Duration;

use serde_json::json;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::on_both_databases;

on_both_databases!(
    a_registered_worker_accepts_their_invitation,
    an_invited_person_registers_themselves,
    expiry_reminders_are_sent_once_each_and_survive_restarts,
);

const WAIT: Duration = Duration::from_secs(20);

/// The invitation code in the latest invitation email to `email`, read from the link to the web
/// app's `page` (`accept` or `register`) that the email asks the person to open.
async fn invitation_code(app: &TestApp, email: &str, page: &str) -> String {
    app.mail
        .wait_until("an invitation email", WAIT, |m| {
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
    let link = text
        .lines()
        .find(|l| l.starts_with("Open this link to"))
        .unwrap_or_else(|| panic!("no link in the invitation: {text}"));
    let prefix = format!("{}/invitation/{page}?code=", app.url);
    let (_, code) = link
        .split_once(&prefix)
        .unwrap_or_else(|| panic!("the link is not to {prefix}...: {link}"));
    // The code is URL-safe already, so the encoded form is the code itself; the API route is
    // still given for API users.
    let line = text
        .lines()
        .find(|l| l.contains("invitation code is:"))
        .unwrap();
    assert_eq!(line.rsplit(':').next().unwrap().trim(), code);
    assert!(text.contains(&format!("{}/graphql", app.url)), "{text}");
    code.trim().to_owned()
}

async fn a_registered_worker_accepts_their_invitation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", bank.trusts[0]).await;
    let w = fixtures::worker(&app, &office, bank.trusts[0], "Nia", "Okafor", "CE445566A").await;
    let code = invitation_code(&app, "nia.okafor@worker.test", "accept").await;

    let accept = "mutation($c:String!,$p:String!){ acceptInvitation(code:$c, password:$p){ token account { email } } }";
    let v = app
        .gql(
            None,
            accept,
            json!({"c": "not-a-code", "p": "a good long password"}),
        )
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND");
    let v = app
        .gql(None, accept, json!({"c": code, "p": "short"}))
        .await;
    assert_eq!(error_code(&v), "VALIDATION");
    let v = app
        .ok(
            None,
            accept,
            json!({"c": code, "p": "a good long password"}),
        )
        .await;
    let token = v["acceptInvitation"]["token"].as_str().unwrap().to_owned();
    let me = app
        .ok(
            Some(&token),
            "{ myWorker { id access givenName } }",
            json!({}),
        )
        .await;
    assert_eq!(me["myWorker"]["id"], json!(w));
    assert_eq!(me["myWorker"]["access"], "OWN");
    // The code works once.
    let v = app
        .gql(
            None,
            accept,
            json!({"c": code, "p": "a good long password"}),
        )
        .await;
    assert_eq!(error_code(&v), "CONFLICT");
    app.login("nia.okafor@worker.test", "a good long password")
        .await;
}

async fn an_invited_person_registers_themselves(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let t = bank.trusts[0];
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", t).await;
    app.ok(
        Some(&office),
        "mutation($t:UUID!){ inviteWorker(trustId:$t, email:\"Pat.Doyle@Example.test\"){ email } }",
        json!({"t": t}),
    )
    .await;
    let code = invitation_code(&app, "pat.doyle@example.test", "register").await;
    let register = "mutation($c:String!,$d:RegisterWorkerInput!,$p:String!){ registerWithInvitation(code:$c, details:$d, password:$p){ token } }";
    let details = json!({"givenName": "Pat", "familyName": "Doyle", "dateOfBirth": "1979-11-02", "niNumber": "CE778899D",
        "staffGroup": "ALLIED_HEALTH_PROFESSIONALS", "grade": "BAND_6", "registrationNumber": "PH12345"});
    // Invalid details change nothing and leave the code usable.
    let mut bad = details.clone();
    bad["registrationNumber"] = json!("12345");
    let v = app
        .gql(
            None,
            register,
            json!({"c": code, "d": bad, "p": "my own password!"}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION");
    let v = app
        .ok(
            None,
            register,
            json!({"c": code, "d": details, "p": "my own password!"}),
        )
        .await;
    let token = v["registerWithInvitation"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app
        .ok(
            Some(&token),
            "{ myWorker { homeTrust { id } detail { email registrationBody } } }",
            json!({}),
        )
        .await;
    assert_eq!(me["myWorker"]["homeTrust"]["id"], json!(t));
    assert_eq!(
        me["myWorker"]["detail"],
        json!({"email": "pat.doyle@example.test", "registrationBody": "HCPC"})
    );
    // The bank office sees the new worker.
    let list = app
        .ok(
            Some(&office),
            "query($t:UUID!){ workers(trustId:$t){ edges { node { familyName } } } }",
            json!({"t": t}),
        )
        .await;
    assert_eq!(
        list["workers"]["edges"],
        json!([{"node": {"familyName": "Doyle"}}])
    );
}

fn reminders(app: &TestApp) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = app
        .mail
        .messages()
        .into_iter()
        .filter(|m| {
            m.header("subject")
                .is_some_and(|s| s.starts_with("Fire safety"))
        })
        .map(|m| (m.rcpt_to.join(","), m.header("subject").unwrap()))
        .collect();
    out.sort();
    out
}

/// Runs the expiry sweep (with the other jobs) at the clock's time and delivers what it enqueued,
/// so that a count taken next has seen a sweep at this time, and all its mail. The job loops stay
/// on: this test is about sweeps on two replicas and across restarts sending each reminder once,
/// which holds however many sweeps ran.
async fn sweep_and_deliver(app: &TestApp) {
    app.run_jobs_once().await;
    app.deliver_mail().await;
}

async fn wait_for_reminders(app: &TestApp, n: usize) -> Vec<(String, String)> {
    app.mail
        .wait_until(&format!("{n} reminders"), WAIT, |_| {
            reminders(app).len() >= n
        })
        .await;
    // One more sweep at this time and everything enqueued delivered: nothing more arrives.
    sweep_and_deliver(app).await;
    let got = reminders(app);
    assert_eq!(got.len(), n, "{got:#?}");
    got
}

async fn expiry_reminders_are_sent_once_each_and_survive_restarts(backend: Backend) {
    let mut app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: "2026-03-01T10:00:00Z".parse().unwrap(),
            ..Default::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 1).await;
    let t = bank.trusts[0];
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", t).await;
    let hr = fixtures::staff(&app, &bank, "hr@a.test", "HR", t).await;
    let w = fixtures::worker(&app, &office, t, "Ola", "Bankole", "CE556677B").await;
    let c = app
        .ok(Some(&hr), "mutation($i: RecordCredentialInput!){ recordCredential(input:$i){ id } }",
            json!({"i": {"workerId": w, "kind": "FIRE_SAFETY", "issuer": "Fire Training Ltd", "validFrom": "2026-02-01", "expiresOn": "2026-04-15"}}))
        .await["recordCredential"]["id"]
        .clone();
    app.ok(
        Some(&hr),
        "mutation($c:UUID!,$t:UUID!){ verifyCredential(credentialId:$c, trustId:$t){ status } }",
        json!({"c": c, "t": t}),
    )
    .await;
    // 45 days out: nothing yet.
    sweep_and_deliver(&app).await;
    assert!(reminders(&app).is_empty());

    // 30 days before: the worker and the trust's HR are reminded, once, even with a second replica
    // sweeping the same database.
    let replica = app.replica().await;
    app.clock.set("2026-03-16T07:00:00Z".parse().unwrap());
    let got = wait_for_reminders(&app, 2).await;
    assert!(
        got.iter()
            .any(|(to, s)| to.contains("ola.bankole@worker.test")
                && s == "Fire safety expires in 30 days"),
        "{got:#?}"
    );
    assert!(
        got.iter().any(|(to, s)| to.contains("hr@a.test")
            && s == "Fire safety expires in 30 days: Ola Bankole"),
        "{got:#?}"
    );
    replica.stop().await.unwrap();

    // A restart does not send them again.
    app.restart().await;
    sweep_and_deliver(&app).await;
    assert_eq!(reminders(&app).len(), 2);

    // 14 days before, swept while no server delivers mail; the reminders wait in the outbox
    // across a restart and are delivered once when delivery resumes.
    app.config.mail.deliver = false;
    app.restart().await;
    app.clock.set("2026-04-01T07:00:00Z".parse().unwrap());
    app.wait_for_outbox("the 14-day reminders", |rows| {
        rows.iter()
            .filter(|r| r.subject.contains("14 days"))
            .count()
            == 2
    })
    .await;
    assert_eq!(reminders(&app).len(), 2);
    app.config.mail.deliver = true;
    app.restart().await;
    wait_for_reminders(&app, 4).await;

    // The sweep did not run between 1 and 10 April: only the most urgent reminder (7 days) goes.
    app.clock.set("2026-04-10T07:00:00Z".parse().unwrap());
    let got = wait_for_reminders(&app, 6).await;
    assert_eq!(
        got.iter()
            .filter(|(_, s)| s.contains("expires in 5 days"))
            .count(),
        2,
        "{got:#?}"
    );

    // On the day: expired, stored as such with a history entry, and both told.
    app.clock.set("2026-04-15T07:00:00Z".parse().unwrap());
    let got = wait_for_reminders(&app, 8).await;
    assert_eq!(
        got.iter()
            .filter(|(_, s)| s.starts_with("Fire safety has expired"))
            .count(),
        2,
        "{got:#?}"
    );
    let hr = app.login("hr@a.test", PASSWORD).await;
    let v = app
        .ok(
            Some(&hr),
            "query($w:UUID!){ worker(id:$w){ credentials { status history { event } } } }",
            json!({"w": w}),
        )
        .await;
    let cred = &v["worker"]["credentials"][0];
    assert_eq!(cred["status"], "EXPIRED");
    assert_eq!(
        cred["history"].as_array().unwrap().last().unwrap()["event"],
        "EXPIRED"
    );
    // Every reminder is distinct: none was sent twice.
    let mut unique = got.clone();
    unique.dedup();
    assert_eq!(unique.len(), got.len(), "{got:#?}");
}
