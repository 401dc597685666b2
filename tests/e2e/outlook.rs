//! The worker's home outlook: how many open shifts they may book now, and which credentials expire
//! soon with how many of those shifts each would cost them.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use staffbank_core::{Actor, Clock};
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, error_code};
use crate::market_fixtures::{self as mf, hca_shift, post};
use crate::on_both_databases;

on_both_databases!(the_outlook_counts_open_shifts_and_what_expiring_credentials_would_cost);

const OUTLOOK: &str = "query($d:Int!){ myShiftOutlook(withinDays:$d){ openShifts expiringCredentials { expiresOn requirementName shiftsAtRisk credential { id kind status } } } }";
const FEED: &str =
    "{ myShiftFeed(first: 50) { pageInfo { hasNextPage } edges { node { shift { id } } } } }";

async fn outlook(app: &TestApp, token: &str, days: i32) -> Value {
    app.ok(Some(token), OUTLOOK, json!({"d": days})).await["myShiftOutlook"].clone()
}

/// `(expiresOn, requirementName, shiftsAtRisk)` of each expiring credential, in order.
fn expiring(o: &Value) -> Vec<(String, String, i64)> {
    o["expiringCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["expiresOn"].as_str().unwrap().to_owned(),
                e["requirementName"].as_str().unwrap().to_owned(),
                e["shiftsAtRisk"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn feed_len(app: &TestApp, token: &str) -> usize {
    let v = app.ok(Some(token), FEED, json!({})).await;
    assert_eq!(v["myShiftFeed"]["pageInfo"]["hasNextPage"], false);
    v["myShiftFeed"]["edges"].as_array().unwrap().len()
}

async fn the_outlook_counts_open_shifts_and_what_expiring_credentials_would_cost(backend: Backend) {
    // Monday 2 March 2026; London is on GMT all month until the 29th.
    let app = mf::start(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let fire_safety_until = NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
    let conflict_until = NaiveDate::from_ymd_opt(2026, 3, 22).unwrap();
    let w = fixtures::worker(&app, &t.office, t.id, "Ruth", "Ahmed", &mf::ni(1)).await;
    fixtures::make_compliant_expiring(
        &app,
        w,
        t.id,
        Some(t.ward),
        &[
            ("FIRE_SAFETY", fire_safety_until),
            ("CONFLICT_RESOLUTION", conflict_until),
        ],
    )
    .await;
    let token = fixtures::worker_login(&app, w, "ruth@worker.test").await;

    // Twelve-hour day shifts from 8am on these days of March.
    let day = |d: u32| Utc.with_ymd_and_hms(2026, 3, d, 8, 0, 0).unwrap();
    for d in [3, 5] {
        // Open: every credential lasts past the shift.
        post(&app, &t.office, hca_shift(t, day(d), 12)).await;
    }
    for d in [14, 20] {
        // At risk from fire safety alone (it counts until 11 March).
        post(&app, &t.office, hca_shift(t, day(d), 12)).await;
    }
    for d in [25, 27] {
        // Fire safety and conflict resolution (until 21 March) both lapse first: renewing one
        // alone would not open them, so they are at risk from neither.
        post(&app, &t.office, hca_shift(t, day(d), 12)).await;
    }
    // Not offered to the bank until a week before it starts: reaches nobody yet.
    let mut later = hca_shift(t, day(10), 12);
    later["cascade"] =
        json!([{ "audience": "COLLABORATIVE", "anchor": "START", "offsetMinutes": 7 * 24 * 60 }]);
    post(&app, &t.office, later).await;

    let o = outlook(&app, &token, 30).await;
    assert_eq!(o["openShifts"], 2);
    assert_eq!(feed_len(&app, &token).await, 2);
    assert_eq!(
        expiring(&o),
        vec![
            ("2026-03-12".to_owned(), "Fire safety".to_owned(), 2),
            ("2026-03-22".to_owned(), "Conflict resolution".to_owned(), 0),
        ]
    );
    assert_eq!(
        o["expiringCredentials"][0]["credential"]["kind"],
        "FIRE_SAFETY"
    );
    assert_eq!(
        o["expiringCredentials"][0]["credential"]["status"],
        "VERIFIED"
    );
    // The default looks 30 days ahead; 15 days reach fire safety (10 days away) only.
    let v = app
        .ok(
            Some(&token),
            "{ myShiftOutlook { expiringCredentials { requirementName } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        v["myShiftOutlook"]["expiringCredentials"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        expiring(&outlook(&app, &token, 15).await),
        vec![("2026-03-12".to_owned(), "Fire safety".to_owned(), 2)]
    );

    // Renewed fire safety: the old certificate is no longer listed, the 14th and 20th open up, and
    // the 25th and 27th now wait on conflict resolution alone.
    renew(&app, w, t.id, "FIRE_SAFETY").await;
    let o = outlook(&app, &token, 30).await;
    assert_eq!(o["openShifts"], 4);
    assert_eq!(feed_len(&app, &token).await, 4);
    assert_eq!(
        expiring(&o),
        vec![("2026-03-22".to_owned(), "Conflict resolution".to_owned(), 2)]
    );

    // Days out of range, and callers who are not workers.
    for d in [0, 366] {
        let v = app.gql(Some(&token), OUTLOOK, json!({"d": d})).await;
        assert_eq!(error_code(&v), "VALIDATION", "{d}: {v:#}");
    }
    let v = app.gql(Some(&t.office), OUTLOOK, json!({"d": 30})).await;
    assert_eq!(error_code(&v), "FORBIDDEN");
}

/// Records and verifies a new credential of `kind` for the worker, valid for two years.
async fn renew(app: &TestApp, worker: Uuid, trust: Uuid, kind: &str) {
    use staffbank_bank::credentials;
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let today = staffbank_core::time::london_date(app.clock.now());
    let c = credentials::record(
        db,
        clock,
        &Actor::Service,
        worker,
        &credentials::NewCredential {
            kind: kind.to_owned(),
            level: None,
            issuer: "Renewal Training Ltd".into(),
            reference: None,
            valid_from: today,
            expires_on: Some(today + Duration::days(730)),
        },
    )
    .await
    .unwrap();
    credentials::verify(db, clock, &Actor::Service, c.id, trust)
        .await
        .unwrap();
}
