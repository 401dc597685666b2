//! Sign-in sessions: every token names a session, signing out ends it at once, and changing the
//! password ends the account's other sessions.

use serde_json::json;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, error_code, error_message};
use crate::on_both_databases;

on_both_databases!(
    signing_out_ends_one_session_and_a_new_password_ends_the_others,
    a_second_server_refuses_a_signed_out_token_at_once,
);

const ME: &str = "{ me { email } }";
const LOGOUT: &str = "mutation { logout }";
const CHANGE: &str =
    "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }";

async fn signing_out_ends_one_session_and_a_new_password_ends_the_others(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fixtures::bank(&app, 1).await;
    let email = "admin@bank.test";
    // Two sign-ins, say a phone and a laptop: two sessions, both working.
    let phone = app.login(email, PASSWORD).await;
    let laptop = app.login(email, PASSWORD).await;
    assert_ne!(phone, laptop);
    for t in [&phone, &laptop] {
        assert_eq!(app.ok(Some(t), ME, json!({})).await["me"]["email"], email);
    }

    // Signing out on the phone ends the phone's session only.
    assert_eq!(
        app.ok(Some(&phone), LOGOUT, json!({})).await["logout"],
        true
    );
    let v = app.gql(Some(&phone), ME, json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    assert_eq!(error_message(&v), "you have signed out; sign in again");
    let v = app.gql(Some(&phone), LOGOUT, json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    assert_eq!(
        app.ok(Some(&laptop), ME, json!({})).await["me"]["email"],
        email
    );
    // The evidence download checks the session too.
    let resp = app
        .client
        .get(format!("{}/evidence/{}", app.url, uuid::Uuid::now_v7()))
        .bearer_auth(&phone)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);

    // A new password, set from the laptop, signs out every other session (a tablet here) and
    // keeps the laptop's.
    let tablet = app.login(email, PASSWORD).await;
    app.ok(
        Some(&laptop),
        CHANGE,
        json!({"c": PASSWORD, "n": "a brand new secret"}),
    )
    .await;
    let v = app.gql(Some(&tablet), ME, json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    assert_eq!(
        error_message(&v),
        "your password was changed, which signed this session out; sign in again"
    );
    assert_eq!(
        app.ok(Some(&laptop), ME, json!({})).await["me"]["email"],
        email
    );
    let again = app.login(email, "a brand new secret").await;
    assert_eq!(
        app.ok(Some(&again), ME, json!({})).await["me"]["email"],
        email
    );

    // A token that is not one of ours is refused as before.
    let v = app.gql(Some("not.a.token"), ME, json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
}

async fn a_second_server_refuses_a_signed_out_token_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    fixtures::bank(&app, 1).await;
    let token = app.login("admin@bank.test", PASSWORD).await;
    let replica = app.replica().await;
    let on_replica = |token: String| {
        let client = app.client.clone();
        let url = format!("http://{}/graphql", replica.addr);
        async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({ "query": ME }))
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let v = on_replica(token.clone()).await;
    assert_eq!(v["data"]["me"]["email"], "admin@bank.test", "{v:#}");
    // Signed out on the first server; the replica refuses the token on its very next request.
    app.ok(Some(&token), LOGOUT, json!({})).await;
    let v = on_replica(token.clone()).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
    replica.stop().await.unwrap();
}
