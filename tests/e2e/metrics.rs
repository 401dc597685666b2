//! Operations can see it (issue 11, item 15): `GET /metrics` in Prometheus text format, off by
//! default, behind a bearer token when one is configured, with the named series after some
//! requests.

use serde_json::json;
use staffbank_core::Secret;

use crate::fixtures;
use crate::harness::{Backend, TestApp, TestOptions};
use crate::on_both_databases;

on_both_databases!(
    metrics_are_off_by_default,
    metrics_need_their_token_and_show_the_series
);

const TOKEN: &str = "a-metrics-token-for-the-scraper";

async fn metrics_are_off_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let resp = app
        .client
        .get(format!("{}/metrics", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}

async fn metrics_need_their_token_and_show_the_series(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            configure: |c| {
                c.metrics.enabled = true;
                c.metrics.token = Some(Secret::new(TOKEN));
            },
            ..TestOptions::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 1).await;
    let url = format!("{}/metrics", app.url);

    for (what, auth) in [
        ("no token", None),
        ("a wrong token", Some("Bearer not-the-token")),
        ("the token, not as a bearer", Some(TOKEN)),
    ] {
        let mut req = app.client.get(&url);
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401, "{what}");
        assert!(!resp.text().await.unwrap().contains("staffbank_"), "{what}");
    }

    // Some requests: a named one that succeeds, one that fails.
    let body = json!({ "query": "query MetricsMe { me { email } }", "operationName": "MetricsMe" });
    for _ in 0..3 {
        let resp = app
            .client
            .post(format!("{}/graphql", app.url))
            .bearer_auth(&bank.admin_token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
    }
    let denied = json!({ "query": "query MetricsDenied { me { email } }", "operationName": "MetricsDenied" });
    app.client
        .post(format!("{}/graphql", app.url))
        .json(&denied)
        .send()
        .await
        .unwrap();
    // The job series are recorded by a run of the jobs: one here, rather than waiting for the
    // loop's. (The recorder is the process's, which the test's run and the server's share.)
    app.run_jobs_once().await;

    let resp = app
        .client
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
    );
    let text = resp.text().await.unwrap();
    for series in [
        r#"staffbank_graphql_requests_total{operation="MetricsMe",outcome="ok"}"#,
        r#"staffbank_graphql_requests_total{operation="MetricsDenied",outcome="unauthenticated"}"#,
        r#"staffbank_graphql_request_duration_seconds_bucket{operation="MetricsMe",outcome="ok",le="0.25"}"#,
        r#"staffbank_graphql_request_duration_seconds_count{operation="MetricsMe",outcome="ok"}"#,
        r#"staffbank_db_pool_connections{state="in_use"}"#,
        r#"staffbank_db_pool_connections{state="idle"}"#,
        "staffbank_db_pool_max_connections",
        "staffbank_db_statements_total",
        "staffbank_outbox_pending_messages",
        "staffbank_outbox_oldest_pending_age_seconds",
        r#"staffbank_job_runs_total{job="credential_expiry"}"#,
        r#"staffbank_job_runs_total{job="prune_sessions"}"#,
        r#"staffbank_job_failures_total{job="tier_announcements"}"#,
        r#"staffbank_job_duration_seconds_bucket{job="timesheet_reminders""#,
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    // At least the three requests above (the recorder is the process's: other tests add theirs).
    let line = text
        .lines()
        .find(|l| {
            l.starts_with(r#"staffbank_graphql_requests_total{operation="MetricsMe",outcome="ok"}"#)
        })
        .unwrap();
    let n: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(n >= 3.0, "{line}");
    // The token never shows in what is served.
    assert!(!text.contains(TOKEN));
}
