//! Consent before a trust sees a worker's record (issue 11, item 1) and every look logged,
//! truthfully (item 5). A trust other than the worker's home trust only asks to engage them; until
//! the worker accepts, and once they end it, that trust sees the bank-wide summary. Each full look
//! from another organisation is in the worker's access log, naming only a trust at which the viewer
//! holds a role.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{self, Bank};
use crate::harness::{Backend, TestApp, error_code};
use crate::on_both_databases;

const VIEW: &str = "query($w:UUID!){ worker(id:$w){ access givenName grade skills detail { niNumber dateOfBirth phone } } }";
const CREDENTIALS: &str = "query($w:UUID!){ worker(id:$w){ credentials { id kind } } }";
const MEMBERSHIPS: &str =
    "query($w:UUID!){ worker(id:$w){ memberships { consent trust { id } } } }";
const MINE: &str = "{ myWorker { memberships { consent home decidedAt endedAt trust { id } history { event actorAccountId } } } }";
const LISTED: &str = "query($t:UUID!){ workers(trustId:$t, first:50){ nodes { id } } }";
const LOG: &str = "query($w:UUID!){ accessLog(workerId:$w){ what purpose viewerTrust { id } } }";
const ENGAGE: &str =
    "mutation($w:UUID!,$t:UUID!){ engageWorker(workerId:$w, trustId:$t){ consent } }";
const ACCEPT: &str = "mutation($t:UUID!){ acceptEngagement(trustId:$t){ consent decidedAt } }";
const DECLINE: &str = "mutation($t:UUID!){ declineEngagement(trustId:$t){ consent decidedAt } }";
const END: &str = "mutation($t:UUID!){ endEngagement(trustId:$t){ consent endedAt } }";

/// A bank of three trusts with a bank office and HR at each, and a worker registered (and
/// compliant) at trust 0 with their login.
struct World {
    app: TestApp,
    bank: Bank,
    office: Vec<String>,
    hr: Vec<String>,
    worker: Uuid,
    me: String,
}

async fn world(backend: Backend) -> World {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 3).await;
    let mut office = Vec::new();
    let mut hr = Vec::new();
    for (i, t) in bank.trusts.iter().enumerate() {
        office.push(
            fixtures::staff(
                &app,
                &bank,
                &format!("office{i}@bank.test"),
                "BANK_OFFICE",
                *t,
            )
            .await,
        );
        hr.push(fixtures::staff(&app, &bank, &format!("hr{i}@bank.test"), "HR", *t).await);
    }
    let worker = fixtures::worker(
        &app,
        &office[0],
        bank.trusts[0],
        "Lee",
        "Morgan",
        "CE223344A",
    )
    .await;
    fixtures::make_compliant(&app, worker, bank.trusts[0], None).await;
    let me = fixtures::worker_login(&app, worker, "lee@worker.test").await;
    World {
        app,
        bank,
        office,
        hr,
        worker,
        me,
    }
}

/// The signed-in worker's membership at `trust`.
async fn mine(w: &World, trust: Uuid) -> Value {
    let v = w.app.ok(Some(&w.me), MINE, json!({})).await;
    v["myWorker"]["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["trust"]["id"] == json!(trust))
        .cloned()
        .unwrap_or(Value::Null)
}

fn events(m: &Value) -> Vec<String> {
    m["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect()
}

/// What trust staff (`token`) see of the worker is the summary only, on the server at `url`.
async fn sees_summary_only(app: &TestApp, url: &str, token: &str, worker: Uuid) {
    let v = post(app, url, token, VIEW, json!({"w": worker})).await;
    assert_eq!(v["data"]["worker"]["access"], "SUMMARY", "{v}");
    assert_eq!(v["data"]["worker"]["givenName"], "Lee");
    assert_eq!(v["data"]["worker"]["grade"], "BAND_3");
    assert_eq!(v["data"]["worker"]["skills"], json!(["ELDERLY_CARE"]));
    assert!(v["data"]["worker"]["detail"].is_null(), "{v}");
    let v = post(app, url, token, CREDENTIALS, json!({"w": worker})).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = post(app, url, token, MEMBERSHIPS, json!({"w": worker})).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
}

/// A GraphQL request to the server at `url` (the app's, or a replica's).
async fn post(app: &TestApp, url: &str, token: &str, query: &str, variables: Value) -> Value {
    app.client
        .post(format!("{url}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn log_of(w: &World) -> Vec<Value> {
    w.app.ok(Some(&w.me), LOG, json!({"w": w.worker})).await["accessLog"]
        .as_array()
        .unwrap()
        .clone()
}

fn listed(v: &Value, worker: Uuid) -> bool {
    v["workers"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == json!(worker))
}

async fn proposal_accept_and_end(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let (a, b) = (w.bank.trusts[0], w.bank.trusts[1]);

    // Trust B asks: a proposal, and an email to the worker naming the trust.
    let v = app
        .ok(Some(&w.office[1]), ENGAGE, json!({"w": w.worker, "t": b}))
        .await;
    assert_eq!(v["engageWorker"]["consent"], "PROPOSED");
    let rows = app
        .wait_for_outbox("the proposal email", |rows| {
            rows.iter().any(|r| r.kind == "engagement.proposed")
        })
        .await;
    let mail = rows
        .iter()
        .find(|r| r.kind == "engagement.proposed")
        .unwrap();
    assert_eq!(mail.recipient, "lee.morgan@worker.test");
    assert!(
        mail.body_text.contains("Trust 1 would like to engage you"),
        "{}",
        mail.body_text
    );
    // Asking twice is refused while the first request waits.
    let again = app
        .gql(Some(&w.hr[1]), ENGAGE, json!({"w": w.worker, "t": b}))
        .await;
    assert_eq!(error_code(&again), "CONFLICT");

    // Until the worker accepts, B's staff see the bank-wide summary only, and B does not list them.
    for token in [&w.office[1], &w.hr[1]] {
        sees_summary_only(app, &app.url, token, w.worker).await;
    }
    assert!(!listed(
        &app.ok(Some(&w.office[1]), LISTED, json!({"t": b})).await,
        w.worker
    ));
    // Nor can B's staff answer for the worker.
    let v = app.gql(Some(&w.office[1]), ACCEPT, json!({"t": b})).await;
    assert_eq!(error_code(&v), "FORBIDDEN");
    // The worker sees the request waiting, and their home trust engaged from the start.
    let m = mine(&w, b).await;
    assert_eq!(m["consent"], "PROPOSED");
    assert_eq!(m["home"], false);
    assert_eq!(events(&m), ["PROPOSED"]);
    assert!(
        m["history"][0]["actorAccountId"].is_string(),
        "who asked is kept: {m}"
    );
    assert_eq!(mine(&w, a).await["home"], true);
    // Nothing but summaries so far: no record or credentials in the access log.
    assert!(
        log_of(&w)
            .await
            .iter()
            .all(|e| e["what"] != "RECORD" && e["what"] != "CREDENTIALS"),
        "{:?}",
        log_of(&w).await
    );

    // The worker accepts: B sees the full record and credentials, and each look is logged.
    let v = app.ok(Some(&w.me), ACCEPT, json!({"t": b})).await;
    assert_eq!(v["acceptEngagement"]["consent"], "ACCEPTED");
    assert!(v["acceptEngagement"]["decidedAt"].is_string());
    let v = app
        .ok(Some(&w.office[1]), VIEW, json!({"w": w.worker}))
        .await;
    assert_eq!(v["worker"]["access"], "ENGAGED");
    assert_eq!(v["worker"]["detail"]["niNumber"], "CE223344A");
    let v = app
        .ok(Some(&w.hr[1]), CREDENTIALS, json!({"w": w.worker}))
        .await;
    assert!(!v["worker"]["credentials"].as_array().unwrap().is_empty());
    assert!(listed(
        &app.ok(Some(&w.office[1]), LISTED, json!({"t": b})).await,
        w.worker
    ));
    let log = log_of(&w).await;
    for what in ["RECORD", "CREDENTIALS"] {
        assert!(
            log.contains(
                &json!({"what": what, "purpose": "ENGAGED_AT_TRUST", "viewerTrust": {"id": b}})
            ),
            "{what} look by B logged: {log:?}"
        );
    }
    // The home trust's looks are not cross-organisation and are not logged.
    let before = log_of(&w).await.len();
    app.ok(Some(&w.office[0]), VIEW, json!({"w": w.worker}))
        .await;
    app.ok(Some(&w.hr[0]), CREDENTIALS, json!({"w": w.worker}))
        .await;
    assert_eq!(log_of(&w).await.len(), before);

    // The worker ends it: at once B sees the summary again, on this server and on a replica that
    // had served B a moment before.
    let replica = app.replica().await;
    let replica_url = format!("http://{}", replica.addr);
    let v = post(
        app,
        &replica_url,
        &w.office[1],
        VIEW,
        json!({"w": w.worker}),
    )
    .await;
    assert_eq!(v["data"]["worker"]["access"], "ENGAGED", "{v}");
    let v = app.ok(Some(&w.me), END, json!({"t": b})).await;
    assert_eq!(v["endEngagement"]["consent"], "ENDED");
    assert!(v["endEngagement"]["endedAt"].is_string());
    for url in [&app.url, &replica_url] {
        for token in [&w.office[1], &w.hr[1]] {
            sees_summary_only(app, url, token, w.worker).await;
        }
    }
    replica.stop().await.unwrap();
    assert!(!listed(
        &app.ok(Some(&w.office[1]), LISTED, json!({"t": b})).await,
        w.worker
    ));

    // History is kept; an ended engagement cannot be accepted again without a new request, and
    // the home trust cannot be ended.
    let m = mine(&w, b).await;
    assert_eq!(m["consent"], "ENDED");
    assert_eq!(events(&m), ["PROPOSED", "ACCEPTED", "ENDED"]);
    assert_eq!(
        error_code(&app.gql(Some(&w.me), ACCEPT, json!({"t": b})).await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&app.gql(Some(&w.me), END, json!({"t": b})).await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&app.gql(Some(&w.me), END, json!({"t": a})).await),
        "VALIDATION"
    );
    assert_eq!(mine(&w, a).await["consent"], "ACCEPTED");
    // B may ask again: a new request, the earlier steps still there.
    app.ok(Some(&w.office[1]), ENGAGE, json!({"w": w.worker, "t": b}))
        .await;
    let m = mine(&w, b).await;
    assert_eq!(m["consent"], "PROPOSED");
    assert_eq!(events(&m), ["PROPOSED", "ACCEPTED", "ENDED", "PROPOSED"]);
    sees_summary_only(app, &app.url, &w.office[1], w.worker).await;
}

async fn declined_proposal(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let c = w.bank.trusts[2];
    app.ok(Some(&w.hr[2]), ENGAGE, json!({"w": w.worker, "t": c}))
        .await;
    let v = app.ok(Some(&w.me), DECLINE, json!({"t": c})).await;
    assert_eq!(v["declineEngagement"]["consent"], "DECLINED");
    assert!(v["declineEngagement"]["decidedAt"].is_string());
    sees_summary_only(app, &app.url, &w.hr[2], w.worker).await;
    // HR of C cannot record or verify the worker's credentials there either.
    let v = app
        .gql(
            Some(&w.hr[2]),
            "mutation($w:UUID!){ recordCredential(input:{workerId:$w, kind:\"FIRE_SAFETY\", issuer:\"X\", validFrom:\"2026-01-05\"}){ id } }",
            json!({"w": w.worker}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    // A declined request cannot be accepted afterwards, nor answered twice.
    assert_eq!(
        error_code(&app.gql(Some(&w.me), ACCEPT, json!({"t": c})).await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&app.gql(Some(&w.me), DECLINE, json!({"t": c})).await),
        "CONFLICT"
    );
    let m = mine(&w, c).await;
    assert_eq!(m["consent"], "DECLINED");
    assert_eq!(events(&m), ["PROPOSED", "DECLINED"]);
    // A trust that never asked has nothing to answer.
    let other = fixtures::worker(
        app,
        &w.office[1],
        w.bank.trusts[1],
        "Ray",
        "Jones",
        "CE998877D",
    )
    .await;
    let ray = fixtures::worker_login(app, other, "ray@worker.test").await;
    assert_eq!(
        error_code(&app.gql(Some(&ray), ACCEPT, json!({"t": c})).await),
        "NOT_FOUND"
    );
    // Nothing of the worker was logged for C.
    assert!(
        log_of(&w)
            .await
            .iter()
            .all(|e| e["what"] != "RECORD" && e["what"] != "CREDENTIALS"),
        "{:?}",
        log_of(&w).await
    );
}

async fn home_trust_engaged_from_the_start(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let a = w.bank.trusts[0];
    // Registered at A: engaged there at once, with no request to answer and no email about one.
    let m = mine(&w, a).await;
    assert_eq!(m["consent"], "ACCEPTED");
    assert_eq!(m["home"], true);
    assert!(m["decidedAt"].is_string());
    assert_eq!(events(&m), ["HOME"]);
    let all = app.ok(Some(&w.me), MINE, json!({})).await;
    assert_eq!(all["myWorker"]["memberships"].as_array().unwrap().len(), 1);
    assert!(
        app.outbox()
            .await
            .iter()
            .all(|r| r.kind != "engagement.proposed")
    );
    let v = app
        .ok(Some(&w.office[0]), VIEW, json!({"w": w.worker}))
        .await;
    assert_eq!(v["worker"]["access"], "ENGAGED");
    assert_eq!(v["worker"]["detail"]["niNumber"], "CE223344A");
    assert!(listed(
        &app.ok(Some(&w.office[0]), LISTED, json!({"t": a})).await,
        w.worker
    ));
    // Asking to engage at the home trust is a conflict: it is engaged already.
    let v = app
        .gql(Some(&w.office[0]), ENGAGE, json!({"w": w.worker, "t": a}))
        .await;
    assert_eq!(error_code(&v), "CONFLICT");
    // Another bank's trust cannot even ask.
    let v = app
        .gql(Some(&w.bank.admin_token), ACCEPT, json!({"t": a}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN");
}

async fn log_never_names_a_trust_without_a_role(backend: Backend) {
    let w = world(backend).await;
    let app = &w.app;
    let (a, b, c) = (w.bank.trusts[0], w.bank.trusts[1], w.bank.trusts[2]);
    let token = app
        .ok(
            Some(&w.hr[0]),
            "mutation($w:UUID!,$t:UUID!){ issuePassport(workerId:$w, trustId:$t){ token } }",
            json!({"w": w.worker, "t": a}),
        )
        .await["issuePassport"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let verify = "query($tok:String!,$t:UUID){ verifyPassport(token:$tok, trustId:$t){ valid } }";
    // HR of B names trust C, where they hold no role: refused, and nothing logged.
    let v = app
        .gql(Some(&w.hr[1]), verify, json!({"tok": token, "t": c}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    assert!(
        log_of(&w)
            .await
            .iter()
            .all(|e| e["viewerTrust"] != json!({"id": c})),
        "{:?}",
        log_of(&w).await
    );
    // Naming their own trust, or none, logs their own trust.
    let v = app
        .ok(Some(&w.hr[1]), verify, json!({"tok": token, "t": b}))
        .await;
    assert_eq!(v["verifyPassport"]["valid"], true);
    app.ok(Some(&w.office[2]), verify, json!({"tok": token}))
        .await;
    let log = log_of(&w).await;
    assert!(
        log.contains(
            &json!({"what": "PASSPORT", "purpose": "PASSPORT_PRESENTED", "viewerTrust": {"id": b}})
        ),
        "{log:?}"
    );
    assert!(
        log.contains(
            &json!({"what": "PASSPORT", "purpose": "PASSPORT_PRESENTED", "viewerTrust": {"id": c}})
        ),
        "{log:?}"
    );
    // A passport looked up for a trust where the caller is not HR is refused, not logged for it.
    let id = app.ok(Some(&w.me), "{ myWorker { id } }", json!({})).await;
    assert!(id["myWorker"]["id"].is_string());
    let passports = app
        .ok(
            Some(&w.me),
            "query($w:UUID!){ passportsOfWorker(workerId:$w){ id } }",
            json!({"w": w.worker}),
        )
        .await;
    let pid = passports["passportsOfWorker"][0]["id"].clone();
    let v = app
        .gql(
            Some(&w.hr[1]),
            "query($p:UUID!,$t:UUID){ passport(id:$p, trustId:$t){ id } }",
            json!({"p": pid, "t": c}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    // Compliance asked by another trust's staff is a look at credentials, logged for that trust;
    // asking at a trust where the caller holds no role is refused.
    let compliance = "query($w:UUID!,$t:UUID!){ compliance(workerId:$w, trustId:$t){ compliant } }";
    app.ok(
        Some(&w.office[1]),
        compliance,
        json!({"w": w.worker, "t": b}),
    )
    .await;
    let v = app
        .gql(
            Some(&w.office[1]),
            compliance,
            json!({"w": w.worker, "t": c}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN");
    let log = log_of(&w).await;
    assert!(
        log.contains(
            &json!({"what": "COMPLIANCE", "purpose": "COMPLIANCE_CHECK", "viewerTrust": {"id": b}})
        ),
        "{log:?}"
    );
    // The home trust's compliance look is not logged; every entry names a trust where its viewer
    // holds a role (B's and C's staff only looked for their own trusts).
    let before = log.len();
    app.ok(
        Some(&w.office[0]),
        compliance,
        json!({"w": w.worker, "t": a}),
    )
    .await;
    assert_eq!(log_of(&w).await.len(), before);
    let db = app.db();
    use sea_orm::EntityTrait;
    let rows = staffbank_bank::entity::access_log_entry::Entity::find()
        .all(db)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        let grants = staffbank_core::accounts::grants_of(db, r.viewer_account_id)
            .await
            .unwrap();
        if let Some(t) = r.viewer_trust_id {
            assert!(
                grants.iter().any(|g| g.trust_id == Some(t)),
                "an entry names trust {t} where its viewer holds no role: {r:?}"
            );
        }
    }
}

on_both_databases!(
    proposal_accept_and_end,
    declined_proposal,
    home_trust_engaged_from_the_start,
    log_never_names_a_trust_without_a_role,
);
