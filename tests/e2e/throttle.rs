//! Throttles that cannot be turned against users (issue 11, item 9): failed sign-ins slow an
//! account down with growing, capped delays; a stranger elsewhere cannot keep its owner out for
//! long; the client address is the socket's unless a trusted proxy says otherwise; invitation
//! codes cannot be guessed at speed; and changing a password, revoking a role or disabling an
//! account ends the existing tokens and web sessions at once.

use chrono::Duration;
use serde_json::{Value, json};

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, error_code, error_message};
use crate::on_both_databases;

on_both_databases!(
    failed_sign_ins_slow_an_account_down_with_growing_capped_delays,
    a_stranger_elsewhere_cannot_keep_the_owner_out_for_long,
    forwarded_for_is_ignored_unless_from_a_trusted_proxy,
    invitation_codes_cannot_be_guessed_at_speed,
    password_change_role_revoke_and_disable_end_tokens_and_web_sessions,
);

const LOGIN: &str = "mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }";
const ME: &str = "{ me { email } }";
const EMAIL: &str = "admin@bank.test";

/// A sign-in attempt, as if from `from` (an `X-Forwarded-For` header, when given).
async fn login_from(app: &TestApp, from: Option<&str>, email: &str, password: &str) -> Value {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.url))
        .json(&json!({ "query": LOGIN, "variables": { "e": email, "p": password } }));
    if let Some(ip) = from {
        req = req.header("x-forwarded-for", ip);
    }
    req.send().await.unwrap().json().await.unwrap()
}

fn retry_after(v: &Value) -> i64 {
    assert_eq!(error_code(v), "RATE_LIMITED", "{v}");
    v["errors"][0]["extensions"]["details"]["retryAfterSeconds"]
        .as_i64()
        .unwrap()
}

async fn failed_sign_ins_slow_an_account_down_with_growing_capped_delays(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fixtures::bank(&app, 1).await;
    // A few mistakes cost nothing.
    for _ in 0..5 {
        let v = login_from(&app, None, EMAIL, "wrong password!").await;
        assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
    }
    // Then each failure makes the next wait longer: 1 s, 2 s, 4 s, 8 s, ...
    let mut waits = Vec::new();
    for _ in 0..8 {
        let v = login_from(&app, None, EMAIL, "wrong password!").await;
        let wait = retry_after(&v);
        waits.push(wait);
        // Asking again while refused does not lengthen the wait.
        let again = login_from(&app, None, EMAIL, "wrong password!").await;
        assert_eq!(retry_after(&again), wait);
        app.clock.advance(Duration::seconds(wait));
        let v = login_from(&app, None, EMAIL, "wrong password!").await;
        assert_eq!(
            error_code(&v),
            "UNAUTHENTICATED",
            "after waiting {wait}s: {v}"
        );
    }
    assert_eq!(
        waits,
        [1, 2, 4, 8, 16, 32, 60, 60],
        "growing, and capped at a minute"
    );
    // The right password, once the (short) wait is over, signs in.
    let v = login_from(&app, None, EMAIL, PASSWORD).await;
    let wait = retry_after(&v);
    assert!(wait <= 60, "{wait}");
    app.clock.advance(Duration::seconds(wait));
    let v = login_from(&app, None, EMAIL, PASSWORD).await;
    assert!(v["data"]["login"]["token"].is_string(), "{v}");
    // And a success starts the count afresh.
    let v = login_from(&app, None, EMAIL, "wrong password!").await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
}

async fn a_stranger_elsewhere_cannot_keep_the_owner_out_for_long(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            configure: |c| c.trusted_proxies = vec!["127.0.0.1".into()],
            ..TestOptions::default()
        },
    )
    .await;
    fixtures::bank(&app, 1).await;
    // A stranger guesses from many addresses, as fast as the throttle lets them, for a while.
    let mut refused = 0;
    for i in 0..60 {
        let v = login_from(&app, Some(&format!("203.0.113.{i}")), EMAIL, "a guess!!!!").await;
        if error_code(&v) == "RATE_LIMITED" {
            refused += 1;
            app.clock.advance(Duration::seconds(retry_after(&v)));
        } else {
            assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
        }
    }
    assert!(
        refused > 10,
        "the account was slowed down: {refused} refusals"
    );
    // The owner, from their own address, waits at most half a minute, then signs in.
    let v = login_from(&app, Some("198.51.100.7"), EMAIL, PASSWORD).await;
    if error_code(&v) == "RATE_LIMITED" {
        let wait = retry_after(&v);
        assert!(wait <= 30, "the owner waits {wait}s");
        app.clock.advance(Duration::seconds(wait));
        let v = login_from(&app, Some("198.51.100.7"), EMAIL, PASSWORD).await;
        assert!(v["data"]["login"]["token"].is_string(), "{v}");
    } else {
        assert!(v["data"]["login"]["token"].is_string(), "{v}");
    }
}

async fn forwarded_for_is_ignored_unless_from_a_trusted_proxy(backend: Backend) {
    // No trusted proxies: a header naming a new address each time changes nothing.
    let app = TestApp::spawn(backend).await;
    fixtures::bank(&app, 1).await;
    for i in 0..5 {
        let v = login_from(
            &app,
            Some(&format!("192.0.2.{i}")),
            EMAIL,
            "wrong password!",
        )
        .await;
        assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
    }
    let v = login_from(&app, Some("192.0.2.99"), EMAIL, "wrong password!").await;
    retry_after(&v);
    drop(app);

    // Behind a trusted proxy (the test client's address): the rightmost untrusted hop is the
    // client, so different clients are told apart ...
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            configure: |c| c.trusted_proxies = vec!["127.0.0.0/8".into()],
            ..TestOptions::default()
        },
    )
    .await;
    fixtures::bank(&app, 1).await;
    for i in 0..8 {
        let v = login_from(
            &app,
            Some(&format!("192.0.2.{i}")),
            EMAIL,
            "wrong password!",
        )
        .await;
        assert_eq!(error_code(&v), "UNAUTHENTICATED", "client {i}: {v}");
    }
    // ... while what a client writes to the left of the proxy's own entry proves nothing.
    let email = "someone@bank.test";
    for i in 0..5 {
        let v = login_from(
            &app,
            Some(&format!("10.9.9.{i}, 198.51.100.20")),
            email,
            "wrong password!",
        )
        .await;
        assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
    }
    let v = login_from(
        &app,
        Some("10.9.9.99, 198.51.100.20"),
        email,
        "wrong password!",
    )
    .await;
    retry_after(&v);
}

const ACCEPT: &str =
    "mutation($c:String!,$p:String!){ acceptInvitation(code:$c, password:$p){ token } }";

async fn invitation_codes_cannot_be_guessed_at_speed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fixtures::bank(&app, 1).await;
    let mut limited = None;
    for i in 0..40 {
        let v = app
            .gql(
                None,
                ACCEPT,
                json!({"c": format!("guessed-code-{i}"), "p": "a long enough password"}),
            )
            .await;
        if error_code(&v) == "RATE_LIMITED" {
            limited = Some(i);
            break;
        }
        assert_eq!(error_code(&v), "NOT_FOUND", "{v}");
    }
    assert_eq!(
        limited,
        Some(30),
        "thirty free guesses from one address, then a wait"
    );
    let v = app
        .gql(
            None,
            "mutation($c:String!,$p:String!,$d:RegisterWorkerInput!){ registerWithInvitation(code:$c, password:$p, details:$d){ token } }",
            json!({"c": "another-guess", "p": "a long enough password", "d": {
                "givenName": "A", "familyName": "B", "dateOfBirth": "1990-01-01", "niNumber": "QQ123456C",
                "phone": null, "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "skills": []
            }}),
        )
        .await;
    assert_eq!(error_code(&v), "RATE_LIMITED", "{v}");
    // A password that breaks the policy is refused before any work (and is not a guess).
    app.clock.advance(Duration::minutes(16));
    let v = app.gql(None, ACCEPT, json!({"c": "x", "p": "short"})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
}

/// What the web app does with a session cookie holding `token`: where `GET /` sends it.
async fn web_home(app: &TestApp, token: &str) -> String {
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = client
        .get(format!("{}/", app.url))
        .header("cookie", format!("staffbank_session={token}"))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    resp.headers()["location"].to_str().unwrap().to_owned()
}

async fn password_change_role_revoke_and_disable_end_tokens_and_web_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let (a, b) = (bank.trusts[0], bank.trusts[1]);

    // A password change ends the account's other sessions: API and web alike.
    let hr = fixtures::staff(&app, &bank, "hr@a.test", "HR", a).await;
    let laptop = app.login("hr@a.test", PASSWORD).await;
    assert_ne!(web_home(&app, &hr).await, "/sign-in");
    app.ok(
        Some(&laptop),
        "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }",
        json!({"c": PASSWORD, "n": "a brand new secret"}),
    )
    .await;
    assert_eq!(
        error_code(&app.gql(Some(&hr), ME, json!({})).await),
        "UNAUTHENTICATED"
    );
    assert_eq!(web_home(&app, &hr).await, "/sign-in");
    assert!(app.gql(Some(&laptop), ME, json!({})).await["errors"].is_null());
    // A wrong current password changes nothing.
    let v = app
        .gql(
            Some(&laptop),
            "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }",
            json!({"c": "not the password", "n": "another new secret"}),
        )
        .await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
    app.login("hr@a.test", "a brand new secret").await;

    // Revoking a role ends every session of its holder at once.
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    assert_ne!(web_home(&app, &office).await, "/sign-in");
    let grants = app
        .ok(
            Some(&bank.admin_token),
            "query($t:UUID!){ trustRoleGrants(trustId:$t){ id role accountId } }",
            json!({"t": a}),
        )
        .await;
    let grant = grants["trustRoleGrants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["role"] == "BANK_OFFICE")
        .unwrap()["id"]
        .clone();
    app.ok(
        Some(&bank.admin_token),
        "mutation($g:UUID!){ revokeRole(grantId:$g) }",
        json!({"g": grant}),
    )
    .await;
    let v = app.gql(Some(&office), ME, json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    assert!(error_message(&v).contains("changed your roles"), "{v}");
    assert_eq!(web_home(&app, &office).await, "/sign-in");

    // Disabling an account: only an admin over all its roles; then its sessions end and it cannot
    // sign in.
    let manager = fixtures::staff(&app, &bank, "manager@a.test", "WARD_MANAGER", a).await;
    let admin_b = fixtures::staff(&app, &bank, "admin@b.test", "TRUST_ADMIN", b).await;
    let me = app.ok(Some(&manager), "{ me { id } }", json!({})).await;
    let manager_id = me["me"]["id"].clone();
    const DISABLE: &str = "mutation($a:UUID!){ disableAccount(accountId:$a) }";
    let v = app
        .gql(Some(&admin_b), DISABLE, json!({"a": manager_id}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "another trust's admin: {v}");
    let v = app
        .gql(Some(&manager), DISABLE, json!({"a": manager_id}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "a ward manager: {v}");
    assert!(app.gql(Some(&manager), ME, json!({})).await["errors"].is_null());
    app.ok(Some(&bank.admin_token), DISABLE, json!({"a": manager_id}))
        .await;
    let v = app.gql(Some(&manager), ME, json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    assert!(error_message(&v).contains("disabled"), "{v}");
    assert_eq!(web_home(&app, &manager).await, "/sign-in");
    let v = login_from(&app, None, "manager@a.test", PASSWORD).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
}
