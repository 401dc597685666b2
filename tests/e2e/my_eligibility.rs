//! `Shift.myEligibility`: whether the signed-in worker may book a shift, and why not — always the
//! reasons `bookShift` itself would refuse them with.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, error_code};
use crate::market_fixtures::{self as mf, book, hca_shift, market, monday, post, start};
use crate::on_both_databases;

on_both_databases!(
    my_eligibility_gives_the_reasons_booking_would,
    my_eligibility_is_null_for_a_bank_office,
);

const ELIGIBILITY: &str = "query($id:UUID!){ shift(id:$id){ myEligibility { eligible reasons { code message requirement complianceStatus skill validUntil bookingId minutes opensAt since } } } }";

async fn eligibility(app: &TestApp, token: &str, shift: Uuid) -> Value {
    app.ok(Some(token), ELIGIBILITY, json!({"id": shift})).await["shift"]["myEligibility"].clone()
}

fn codes(reasons: &Value) -> Vec<String> {
    reasons
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Asks `myEligibility`, then books: the answer says not eligible, booking is refused with
/// `NOT_ELIGIBLE`, and both give the same reasons (codes, messages, minutes), in the same order.
async fn refused_alike(app: &TestApp, token: &str, shift: Uuid) -> Vec<String> {
    let asked = eligibility(app, token, shift).await;
    assert_eq!(asked["eligible"], false, "{asked}");
    let v = book(app, token, shift, None, None).await;
    assert_eq!(error_code(&v), "NOT_ELIGIBLE", "{v}");
    let refused = &v["errors"][0]["extensions"]["details"]["reasons"];
    assert_eq!(
        codes(&asked["reasons"]),
        codes(refused),
        "{asked} / {refused}"
    );
    for (a, r) in asked["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .zip(refused.as_array().unwrap())
    {
        assert_eq!(a["message"], r["message"]);
        assert_eq!(a["minutes"], r["minutes"]);
        assert_eq!(a["requirement"], r["requirement"]);
    }
    codes(&asked["reasons"])
}

async fn my_eligibility_gives_the_reasons_booking_would(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    let w = mf::ready_worker(&app, &m, 0, "Asks", 1).await;
    let me = fixtures::worker_login(&app, w, "asks@login.test").await;
    // Shift A: Tuesday 08:00 to 16:00 (UTC).
    let tuesday = monday() + Duration::days(1) - Duration::hours(1);
    let shift_a = post(&app, &a.office, hca_shift(a, tuesday, 8)).await;
    // Eligible: nothing stops them, and booking agrees.
    assert_eq!(
        eligibility(&app, &me, shift_a).await,
        json!({"eligible": true, "reasons": []})
    );
    // A shift in their feed says the same.
    let feed = app
        .ok(
            Some(&me),
            "{ myShiftFeed { nodes { shift { id myEligibility { eligible reasons { code } } } } } }",
            json!({}),
        )
        .await;
    let nodes = feed["myShiftFeed"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 1, "{feed}");
    assert_eq!(nodes[0]["shift"]["myEligibility"]["eligible"], true);
    let v = book(&app, &me, shift_a, None, None).await;
    assert!(v["errors"].is_null(), "{v}");
    let booking_a = v["data"]["bookShift"]["booking"]["id"].clone();

    // Overlapping: 12:00 to 20:00 the same day.
    let overlapping = post(
        &app,
        &a.office,
        hca_shift(a, tuesday + Duration::hours(4), 8),
    )
    .await;
    assert_eq!(
        refused_alike(&app, &me, overlapping).await,
        vec!["OVERLAPPING_BOOKING"]
    );
    let asked = eligibility(&app, &me, overlapping).await;
    assert_eq!(asked["reasons"][0]["bookingId"], booking_a);
    // Too little rest: 20:00 to 04:00, four hours after shift A ends.
    let tired = post(
        &app,
        &a.office,
        hca_shift(a, tuesday + Duration::hours(12), 8),
    )
    .await;
    assert_eq!(
        refused_alike(&app, &me, tired).await,
        vec!["INSUFFICIENT_REST_BEFORE"]
    );
    assert_eq!(
        eligibility(&app, &me, tired).await["reasons"][0]["minutes"],
        4 * 60
    );
    // At trust B, where nothing of theirs counts yet: what it needs, item by item.
    let at_b = post(
        &app,
        &b.office,
        hca_shift(b, monday() + Duration::days(5), 8),
    )
    .await;
    let reasons = refused_alike(&app, &me, at_b).await;
    assert!(!reasons.is_empty());
    assert!(reasons.iter().all(|c| c == "NOT_COMPLIANT"), "{reasons:?}");
    // Nothing was booked by asking.
    let mine = app
        .ok(
            Some(&me),
            "{ myBookings(activeOnly:true){ edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(mine["myBookings"]["edges"].as_array().unwrap().len(), 1);
}

async fn my_eligibility_is_null_for_a_bank_office(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let s = post(
        &app,
        &a.office,
        hca_shift(a, monday() + Duration::days(2), 8),
    )
    .await;
    let v = app.ok(Some(&a.office), ELIGIBILITY, json!({"id": s})).await;
    assert_eq!(v["shift"]["myEligibility"], Value::Null, "{v}");
    let v = app.gql(None, ELIGIBILITY, json!({"id": s})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
}
