//! The foundation: sign-in, tokens, roles and their scopes, limits, health, the demo, the schema.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use serde_json::{Value, json};
use staffbank_core::Role;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, error_code, error_message};
use crate::on_both_databases;

on_both_databases!(
    login_right_and_wrong,
    repeated_failures_are_refused_for_a_while,
    expired_and_tampered_tokens_are_refused,
    roles_are_scoped_to_their_trust,
    removing_a_role_takes_effect_at_once,
    limits_answer_with_errors_and_the_server_stays_up,
    health_endpoints,
    demo_logins_work,
);

const ME: &str =
    "{ me { email displayName roles { role trust { name } collaborativeBank { name } } } }";

async fn login_right_and_wrong(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;

    let me = app.ok(Some(&bank.admin_token), ME, json!({})).await;
    assert_eq!(me["me"]["email"], "admin@bank.test");
    assert_eq!(me["me"]["roles"][0]["role"], "SYSTEM_ADMIN");
    assert_eq!(
        me["me"]["roles"][0]["collaborativeBank"]["name"],
        "Test Collaborative Bank"
    );

    let login = "mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }";
    let wrong_password = app
        .gql(
            None,
            login,
            json!({"e": "admin@bank.test", "p": "not the password"}),
        )
        .await;
    let wrong_email = app
        .gql(None, login, json!({"e": "nobody@bank.test", "p": PASSWORD}))
        .await;
    assert_eq!(error_code(&wrong_password), "UNAUTHENTICATED");
    assert_eq!(error_code(&wrong_email), "UNAUTHENTICATED");
    // One generic message: it does not tell which part was wrong.
    assert_eq!(error_message(&wrong_password), error_message(&wrong_email));
    assert!(wrong_password["data"].is_null());

    // Email is matched case-insensitively.
    let token = app.login("  Admin@Bank.TEST ", PASSWORD).await;
    assert!(!token.is_empty());

    let anonymous = app.gql(None, ME, json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

async fn repeated_failures_are_refused_for_a_while(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fixtures::bank(&app, 1).await;
    let login = "mutation($p:String!){ login(email:\"admin@bank.test\", password:$p){ token } }";
    for _ in 0..5 {
        let v = app.gql(None, login, json!({"p": "wrong password!"})).await;
        assert_eq!(error_code(&v), "UNAUTHENTICATED");
    }
    // Even the right password is refused now, with a time to wait.
    let v = app.gql(None, login, json!({"p": PASSWORD})).await;
    assert_eq!(error_code(&v), "RATE_LIMITED", "{v}");
    let wait = v["errors"][0]["extensions"]["details"]["retryAfterSeconds"]
        .as_i64()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60, "retry after {wait}s");
    // Other accounts are not locked by it.
    let other = app
        .gql(
            None,
            "mutation{ login(email:\"someone@bank.test\", password:\"whatever it is\"){ token } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&other), "UNAUTHENTICATED");

    app.clock.advance(Duration::minutes(16));
    let v = app.gql(None, login, json!({"p": PASSWORD})).await;
    assert!(v["data"]["login"]["token"].is_string(), "{v}");
}

fn tamper(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = json!(uuid::Uuid::nil());
    let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    format!("{}.{}.{}", parts[0], forged, parts[2])
}

async fn expired_and_tampered_tokens_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let token = bank.admin_token.clone();
    assert!(app.gql(Some(&token), ME, json!({})).await["errors"].is_null());

    let parts: Vec<&str> = token.split('.').collect();
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let cases = [
        ("changed claims", tamper(&token)),
        ("truncated signature", token[..token.len() - 4].to_owned()),
        ("alg none", format!("{none_header}.{}.", parts[1])),
        ("garbage", "not-a-token".to_owned()),
    ];
    for (what, bad) in cases {
        let v = app.gql(Some(&bad), ME, json!({})).await;
        assert_eq!(error_code(&v), "UNAUTHENTICATED", "{what}: {v}");
        assert!(error_message(&v).contains("not valid"), "{what}: {v}");
    }
    // Login still works with a bad token attached.
    let v = app
        .gql(Some("not-a-token"), "mutation{ login(email:\"admin@bank.test\", password:\"correct horse battery\"){ token } }", json!({}))
        .await;
    assert!(v["data"]["login"]["token"].is_string());

    app.clock
        .advance(Duration::minutes(app.config.token_ttl_minutes + 1));
    let v = app.gql(Some(&token), ME, json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    assert!(error_message(&v).contains("expired"), "{v}");
}

const GRANT: &str = "mutation($e:String!,$s:RoleScopeInput!){ grantRole(email:$e, scope:$s){ id role trust { id } } }";

async fn roles_are_scoped_to_their_trust(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let (a, b) = (bank.trusts[0], bank.trusts[1]);
    let admin_a = fixtures::staff(&app, &bank, "admin@a.test", "TRUST_ADMIN", a).await;
    let office_a = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    fixtures::staff(&app, &bank, "hr@b.test", "HR", b).await;

    // A trust admin grants roles at their own trust...
    let v = app
        .ok(
            Some(&admin_a),
            GRANT,
            json!({"e": "office@a.test", "s": {"role": "HR", "trustId": a}}),
        )
        .await;
    assert_eq!(v["grantRole"]["role"], "HR");
    assert_eq!(v["grantRole"]["trust"]["id"], json!(a));
    // ...but not at another trust, and cannot make system admins.
    let v = app
        .gql(
            Some(&admin_a),
            GRANT,
            json!({"e": "hr@b.test", "s": {"role": "BANK_OFFICE", "trustId": b}}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = app.gql(Some(&admin_a), GRANT, json!({"e": "office@a.test", "s": {"role": "SYSTEM_ADMIN", "collaborativeBankId": bank.system_id}})).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    // A bank office of trust A cannot act as an admin of A, nor for trust B.
    for trust in [a, b] {
        let v = app
            .gql(
                Some(&office_a),
                GRANT,
                json!({"e": "office@a.test", "s": {"role": "TRUST_ADMIN", "trustId": trust}}),
            )
            .await;
        assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
        let v = app
            .gql(
                Some(&office_a),
                "query($t:UUID!){ trustRoleGrants(trustId:$t){ id } }",
                json!({"t": trust}),
            )
            .await;
        assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    }
    // Nothing changed for trust B.
    let grants = app
        .ok(
            Some(&bank.admin_token),
            "query($t:UUID!){ trustRoleGrants(trustId:$t){ role } }",
            json!({"t": b}),
        )
        .await;
    assert_eq!(grants["trustRoleGrants"], json!([{"role": "HR"}]));

    // Bad input is a validation error, and grants nothing.
    let v = app
        .gql(
            Some(&admin_a),
            GRANT,
            json!({"e": "not-an-email", "s": {"role": "HR", "trustId": a}}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION");
    let v = app
        .gql(
            Some(&admin_a),
            GRANT,
            json!({"e": "office@a.test", "s": {"role": "HR"}}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION");
    let v = app
        .gql(
            Some(&admin_a),
            GRANT,
            json!({"e": "office@a.test", "s": {"role": "HR", "trustId": a}}),
        )
        .await;
    assert_eq!(error_code(&v), "CONFLICT", "granting a role twice: {v}");
    let v = app
        .gql(
            Some(&admin_a),
            GRANT,
            json!({"e": "nobody@a.test", "s": {"role": "HR", "trustId": a}}),
        )
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND");
}

async fn removing_a_role_takes_effect_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let a = bank.trusts[0];
    let admin_a = fixtures::staff(&app, &bank, "admin@a.test", "TRUST_ADMIN", a).await;
    let grants = app
        .ok(
            Some(&bank.admin_token),
            "query($t:UUID!){ trustRoleGrants(trustId:$t){ id role } }",
            json!({"t": a}),
        )
        .await;
    let grant_id = grants["trustRoleGrants"][0]["id"].clone();

    assert!(
        app.gql(
            Some(&admin_a),
            "query($t:UUID!){ trustRoleGrants(trustId:$t){ id } }",
            json!({"t": a})
        )
        .await["errors"]
            .is_null()
    );
    app.ok(
        Some(&bank.admin_token),
        "mutation($g:UUID!){ revokeRole(grantId:$g) }",
        json!({"g": grant_id}),
    )
    .await;
    // The same token, still unexpired, is refused outright: revoking a role ends the holder's
    // sessions (issue 11, item 9).
    let v = app
        .gql(
            Some(&admin_a),
            "query($t:UUID!){ trustRoleGrants(trustId:$t){ id } }",
            json!({"t": a}),
        )
        .await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
    // Signed in again, the account no longer carries the role.
    let again = app.login("admin@a.test", PASSWORD).await;
    let v = app
        .gql(
            Some(&again),
            "query($t:UUID!){ trustRoleGrants(trustId:$t){ id } }",
            json!({"t": a}),
        )
        .await;
    // With no role left the account belongs to no collaborative bank, so the trust is not shown
    // to exist (issue 11, item 3).
    assert_eq!(error_code(&v), "NOT_FOUND");
    let me = app.ok(Some(&again), ME, json!({})).await;
    assert_eq!(me["me"]["roles"], json!([]));
}

/// The query GraphiQL sends to learn the schema (graphql-js `getIntrospectionQuery`).
const INTROSPECTION: &str = r"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}";

async fn limits_answer_with_errors_and_the_server_stays_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let token = Some(bank.admin_token.as_str());

    // Too deep.
    let mut deep = String::from("trusts { id }");
    for _ in 0..10 {
        deep = format!("trusts {{ collaborativeBank {{ {deep} }} }}");
    }
    let v = app
        .gql(
            token,
            &format!("{{ collaborativeBanks {{ {deep} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    assert!(error_message(&v).contains("nested too deep"), "{v}");

    // Too many aliases.
    let aliases: Vec<String> = (0..31).map(|i| format!("a{i}: me {{ email }}")).collect();
    let v = app
        .gql(token, &format!("{{ {} }}", aliases.join(" ")), json!({}))
        .await;
    assert_eq!(error_code(&v), "VALIDATION");
    assert!(error_message(&v).contains("31 aliases"), "{v}");

    // A huge body.
    let huge = json!({ "query": format!("{{ me {{ email }} }} #{}", "x".repeat(2 * 1024 * 1024)) });
    let resp = app
        .client
        .post(format!("{}/graphql", app.url))
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);
    assert_eq!(
        resp.headers()
            .get("connection")
            .and_then(|c| c.to_str().ok()),
        Some("close"),
        "the unread body ends the connection, and the answer says so"
    );
    let v: Value = resp.json().await.unwrap();
    assert!(error_message(&v).contains("larger than"), "{v}");

    // Not JSON, and not valid GraphQL.
    let resp = app
        .client
        .post(format!("{}/graphql", app.url))
        .body("{nope")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let v = app.gql(token, "{ me { noSuchField } }", json!({})).await;
    assert_eq!(error_code(&v), "VALIDATION");
    let v = app
        .gql(
            token,
            "query($t:UUID!){ trust(id:$t){ id } }",
            json!({"t": "not-a-uuid"}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION");

    // GraphiQL's own introspection query fits within the limits.
    let v = app.gql(None, INTROSPECTION, json!({})).await;
    assert!(v["errors"].is_null(), "introspection refused: {v}");
    assert_eq!(v["data"]["__schema"]["queryType"]["name"], "Query");

    // Still serving.
    let v = app.ok(token, ME, json!({})).await;
    assert_eq!(v["me"]["email"], "admin@bank.test");
}

async fn health_endpoints(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    // A restart keeps the data and the token signing key (kept in the data directory).
    app.restart().await;
    let me = app.ok(Some(&bank.admin_token), ME, json!({})).await;
    assert_eq!(me["me"]["email"], "admin@bank.test");
    for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let resp = app
            .client
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert!(resp.headers().contains_key("x-request-id"));
        assert_eq!(resp.text().await.unwrap(), body);
    }
    let resp = app
        .client
        .get(format!("{}/graphiql", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("graphiql"));
}

async fn demo_logins_work(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let db = &app.state().services.db;
    let summary = staffbank_gateway::demo::load(db, app.clock.as_ref())
        .await
        .unwrap();
    assert!(summary.loaded);
    assert!(summary.logins.len() >= 6, "one login per role");
    for (role, email) in &summary.logins {
        let token = app
            .login(email, staffbank_gateway::demo::DEMO_PASSWORD)
            .await;
        let me = app.ok(Some(&token), ME, json!({})).await;
        assert_eq!(
            me["me"]["roles"][0]["role"],
            staffbank_core::code::of(role),
            "{email}"
        );
        // A trust's login holds its role at the trust its address names (Northfield's at
        // Northfield, Riverside's at Riverside).
        let trust = me["me"]["roles"][0]["trust"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        for place in ["northfield", "riverside"] {
            if email.ends_with(&format!("@{place}.staffbank.example")) {
                assert!(trust.starts_with(place), "{email} is at {trust}");
            }
        }
    }
    assert!(
        summary
            .logins
            .iter()
            .any(|(r, e)| *r == Role::Hr && e.ends_with("@riverside.staffbank.example")),
        "an HR login at a second trust, to receive a passport from Northfield"
    );
    let banks = app
        .ok(
            Some(
                &app.login(&summary.logins[0].1, staffbank_gateway::demo::DEMO_PASSWORD)
                    .await,
            ),
            "{ collaborativeBanks { trusts { name } } }",
            json!({}),
        )
        .await;
    assert!(
        banks["collaborativeBanks"][0]["trusts"]
            .as_array()
            .unwrap()
            .len()
            >= 4
    );
    // Workers with credentials in every state, and a worker login with something expiring soon.
    let hr = app
        .login(
            "hr@northfield.staffbank.example",
            staffbank_gateway::demo::DEMO_PASSWORD,
        )
        .await;
    let trust_id = app
        .ok(Some(&hr), "{ me { roles { trust { id } } } }", json!({}))
        .await["me"]["roles"][0]["trust"]["id"]
        .clone();
    let v = app.ok(Some(&hr), "query($t:UUID!){ workers(trustId:$t, first:100){ edges { node { credentials { status } } } } }", json!({"t": trust_id})).await;
    let mut statuses: Vec<String> = v["workers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["node"]["credentials"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["status"].as_str().unwrap().to_owned())
        })
        .collect();
    statuses.sort();
    statuses.dedup();
    assert_eq!(
        statuses,
        ["EXPIRED", "PENDING", "REJECTED", "REVOKED", "VERIFIED"]
    );
    let worker = app
        .login(
            staffbank_gateway::demo::bank::WORKER_EMAIL,
            staffbank_gateway::demo::DEMO_PASSWORD,
        )
        .await;
    let v = app
        .ok(
            Some(&worker),
            "query($t:UUID!){ myWorker { compliance(trustId:$t){ compliant items { status } } } }",
            json!({"t": trust_id}),
        )
        .await;
    assert_eq!(v["myWorker"]["compliance"]["compliant"], true);
    assert!(
        v["myWorker"]["compliance"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["status"] == "EXPIRING"),
        "{v}"
    );
    // Loading again changes nothing.
    let again = staffbank_gateway::demo::load(db, app.clock.as_ref())
        .await
        .unwrap();
    assert!(!again.loaded);
}

on_both_databases!(an_operator_creates_a_bank_and_its_admin_changes_the_password);

async fn an_operator_creates_a_bank_and_its_admin_changes_the_password(backend: Backend) {
    use staffbank_bank::organisation::SystemModel;
    let app = TestApp::spawn(backend).await;
    let db = &app.state().services.db;
    let bank = staffbank_gateway::bootstrap::create_bank(
        db,
        app.clock.as_ref(),
        "North Collaborative Bank",
        SystemModel::LeadEmployer,
        "Chief@North.test",
        "Chris Admin",
    )
    .await
    .unwrap();
    assert_eq!(bank.password.len(), 20);
    // The same name again is refused and creates nothing.
    assert!(
        staffbank_gateway::bootstrap::create_bank(
            db,
            app.clock.as_ref(),
            "North Collaborative Bank",
            SystemModel::OwnPools,
            "other@north.test",
            "Other"
        )
        .await
        .is_err()
    );
    assert!(
        app.gql(
            None,
            "mutation{ login(email:\"other@north.test\", password:\"whatever it is\"){ token } }",
            json!({})
        )
        .await["errors"]
            .is_array()
    );

    let token = app.login("chief@north.test", &bank.password).await;
    let me = app
        .ok(
            Some(&token),
            "{ me { roles { role collaborativeBank { name model } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["me"]["roles"][0]["collaborativeBank"],
        json!({"name": "North Collaborative Bank", "model": "LEAD_EMPLOYER"})
    );
    // The admin admits a trust, with the default requirement profile.
    let t = app
        .ok(Some(&token), "mutation($b:UUID!){ admitTrust(collaborativeBankId:$b, name:\"North General\", odsCode:\"rxn\"){ odsCode requirements { kind } } }", json!({"b": bank.system.id}))
        .await;
    assert_eq!(t["admitTrust"]["odsCode"], "RXN");
    assert!(t["admitTrust"]["requirements"].as_array().unwrap().len() >= 17);

    let change =
        "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }";
    let v = app
        .gql(
            Some(&token),
            change,
            json!({"c": "wrong password", "n": "a brand new secret"}),
        )
        .await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    let v = app
        .gql(
            Some(&token),
            change,
            json!({"c": bank.password, "n": "short"}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION");
    app.ok(
        Some(&token),
        change,
        json!({"c": bank.password, "n": "a brand new secret"}),
    )
    .await;
    app.login("chief@north.test", "a brand new secret").await;
    let v = app
        .gql(
            None,
            "mutation($p:String!){ login(email:\"chief@north.test\", password:$p){ token } }",
            json!({"p": bank.password}),
        )
        .await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
}
