//! Cost limits that bound the work, not the text (issue 11, item 8), and quiet production defaults
//! (item 10): list sizes multiply cost, fragments count every time they are spread, a request
//! over its time budget is cancelled with a clear error, and a server not told otherwise answers
//! no introspection, suggests no field names, serves no GraphiQL and refuses unauthenticated
//! queries.

use serde_json::{Value, json};

use crate::fixtures;
use crate::harness::{Backend, TestApp, TestOptions, error_code, error_message};
use crate::on_both_databases;

on_both_databases!(
    page_sizes_and_nested_lists_count_towards_the_cost,
    fragments_count_every_time_they_are_spread,
    a_request_over_its_time_budget_is_cancelled,
    production_defaults_are_quiet,
);

fn refused_for_cost(v: &Value) {
    assert_eq!(error_code(v), "VALIDATION", "{v}");
    assert!(error_message(v).contains("costs more than"), "{v}");
    assert!(v["data"].is_null(), "{v}");
}

async fn page_sizes_and_nested_lists_count_towards_the_cost(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let token = Some(bank.admin_token.as_str());

    // Short to write, but 200 shifts each with 30 fields.
    let fields = "id grade startsAt endsAt lengthMinutes breakMinutes workedMinutes positions \
                  filledPositions notes postedAt cancelledAt cancelReason status skills \
                  fallbackGrades startsLocal endsLocal staffGroup reason payBasis";
    let big = format!(
        "query($n:Int){{ shifts(first:$n){{ edges {{ node {{ {fields} ward {{ id name }} site {{ id name }} trust {{ id name }} }} }} }} }}"
    );
    refused_for_cost(&app.gql(token, &big, json!({"n": 200})).await);
    // The same query for a small page answers.
    let v = app.gql(token, &big, json!({"n": 20})).await;
    assert!(v["errors"].is_null(), "{v}");
    // `first` written in the query counts as much as one in a variable.
    refused_for_cost(
        &app.gql(
            token,
            &big.replace("query($n:Int)", "query")
                .replace("first:$n", "first:200"),
            json!({}),
        )
        .await,
    );
    // Lists nested in lists multiply, even without `first`: four levels of ten.
    let nested = "{ collaborativeBanks { trusts { sites { wards { id name costCentre requiredSkills trust { id name } site { id name } } } } } }";
    refused_for_cost(&app.gql(token, nested, json!({})).await);
    // One level less answers.
    let v = app
        .gql(
            token,
            "{ collaborativeBanks { trusts { sites { id name } } } }",
            json!({}),
        )
        .await;
    assert!(v["errors"].is_null(), "{v}");
    // Still serving.
    assert!(app.gql(token, "{ me { email } }", json!({})).await["errors"].is_null());
}

async fn fragments_count_every_time_they_are_spread(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let token = Some(bank.admin_token.as_str());

    // One alias in a fragment, spread 50 times: 50 aliases, over the limit of 30.
    let spreads = "...F ".repeat(50);
    let q = format!("{{ me {{ {spreads} }} }} fragment F on Account {{ e: email }}");
    let v = app.gql(token, &q, json!({})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    assert!(error_message(&v).contains("aliases"), "{v}");
    // Spread once, it answers.
    let v = app
        .gql(
            token,
            "{ me { ...F } } fragment F on Account { e: email }",
            json!({}),
        )
        .await;
    assert!(v["errors"].is_null(), "{v}");

    // A fragment costing about a hundred, spread 50 times (through a second fragment).
    let inner = "fragment S on Query { shifts(first:50){ edges { node { id } } } }";
    let once = format!("{{ ...S }} {inner}");
    assert!(app.gql(token, &once, json!({})).await["errors"].is_null());
    let many = format!(
        "{{ ...T }} fragment T on Query {{ {} }} {inner}",
        "...S ".repeat(50)
    );
    refused_for_cost(&app.gql(token, &many, json!({})).await);
}

async fn a_request_over_its_time_budget_is_cancelled(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    // Restarted with a budget of 1 s, and nested lookups that wait 10 s for their siblings.
    app.config.limits.operation_budget_ms = 1000;
    app.config.limits.batch_window_ms = 10_000;
    app.restart().await;
    let token = Some(bank.admin_token.as_str());
    let started = std::time::Instant::now();
    let v = app
        .gql(
            token,
            "{ me { roles { collaborativeBank { name } } } }",
            json!({}),
        )
        .await;
    let took = started.elapsed();
    assert_eq!(error_code(&v), "TIMEOUT", "{v}");
    assert!(error_message(&v).contains("time budget of 1000 ms"), "{v}");
    assert!(v["data"].is_null(), "{v}");
    assert!(
        took < std::time::Duration::from_secs(5),
        "answered after {took:?}"
    );
    // What fits in the budget still answers, and the server is well.
    let v = app.gql(token, "{ me { email } }", json!({})).await;
    assert!(v["errors"].is_null(), "{v}");
}

async fn production_defaults_are_quiet(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            // As a server whose configuration says nothing of these.
            configure: |c| {
                c.graphiql = None;
                c.introspection = None;
                c.suggestions = None;
            },
            ..TestOptions::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 1).await;
    let token = Some(bank.admin_token.as_str());

    // No introspection, even for a signed-in caller.
    let v = app
        .gql(token, "{ __schema { queryType { name } } }", json!({}))
        .await;
    // (async-graphql answers null rather than an error: nothing of the schema either way.)
    assert!(
        v["data"].is_null() || v["data"]["__schema"].is_null(),
        "{v}"
    );
    let v = app
        .gql(
            token,
            "{ __type(name: \"Worker\") { fields { name } } }",
            json!({}),
        )
        .await;
    assert!(v["data"].is_null() || v["data"]["__type"].is_null(), "{v}");
    // No "did you mean" naming real fields.
    let v = app.gql(token, "{ me { emial } }", json!({})).await;
    assert_eq!(error_code(&v), "VALIDATION");
    assert!(
        !error_message(&v).to_lowercase().contains("did you mean"),
        "{v}"
    );
    // No GraphiQL.
    let resp = app
        .client
        .get(format!("{}/graphiql", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);

    // Without a token, only the ways in answer: every query is refused before it runs.
    for q in [
        "{ credentialKinds { code } }",
        "{ collaborativeBanks { id } }",
        "{ __typename credentialKinds { code } }",
        "query { ...Q } fragment Q on Query { credentialKinds { code } }",
        "{ __schema { queryType { name } } }",
        "mutation { logout }",
    ] {
        let v = app.gql(None, q, json!({})).await;
        assert_eq!(error_code(&v), "UNAUTHENTICATED", "{q}: {v}");
        assert!(v["data"].is_null(), "{q}: {v}");
    }
    // A bad token is no better than none, and says why.
    let v = app
        .gql(
            Some("not-a-token"),
            "{ credentialKinds { code } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
    assert!(error_message(&v).contains("not valid"), "{v}");
    // Signing in still works without a token, and so does a query with one.
    let v = app
        .gql(
            None,
            "mutation { login(email:\"admin@bank.test\", password:\"correct horse battery\") { token } }",
            json!({}),
        )
        .await;
    assert!(v["data"]["login"]["token"].is_string(), "{v}");
    let v = app
        .gql(token, "{ credentialKinds { code } }", json!({}))
        .await;
    assert!(v["errors"].is_null(), "{v}");
    // The public passport verification endpoints (the trust registry) answer without a token.
    let resp = app
        .client
        .get(format!(
            "{}/systems/{}/trust-registry.json",
            app.url, bank.system_id
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}
