//! Dates and times at the ends of what the API's scalars accept (chrono's first and last days and
//! instants, years far from today) in every argument and input that takes one: each request is
//! answered, or refused with a client error naming what was wrong, never an internal error or a
//! dropped connection — and a refused write changes nothing.

use serde_json::{Value, json};
use staffbank_gateway::demo::DEMO_PASSWORD;
use uuid::Uuid;

use crate::harness::{Backend, TestApp, error_code, error_message};
use crate::{fixtures, on_both_databases};

on_both_databases!(dates_at_the_ends_of_time_are_answered_or_refused_plainly);

/// Days at and near the ends of chrono's range, and ordinary but far-off years.
const DAYS: &[&str] = &[
    "-262143-01-01",
    "+262142-12-31",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "1900-02-28",
];
const INSTANTS: &[&str] = &[
    "-262143-01-01T00:00:00Z",
    "+262142-12-31T23:59:59Z",
    "+262142-12-31T23:59:59.999999999Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
];
const LOCAL_TIMES: &[&str] = &[
    "-262143-01-01T00:00:00",
    "+262142-12-31T23:59:59",
    "9999-12-31T20:00:00",
];

/// Answered (no errors), or refused with a client error code and a message; never INTERNAL.
/// What is wrong is noted in `problems`, so one run lists every request that fails the rule.
fn answered_or_refused(problems: &mut Vec<String>, what: &str, v: &Value) {
    if v.get("errors").is_none() {
        return;
    }
    let code = error_code(v);
    if !matches!(code, "VALIDATION" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN") {
        problems.push(format!("{what}: answered {code}: {}", error_message(v)));
    } else if error_message(v).is_empty() {
        problems.push(format!("{what}: {code} with no message"));
    }
}

async fn login(app: &TestApp, who: &str) -> String {
    app.login(who, DEMO_PASSWORD).await
}

async fn dates_at_the_ends_of_time_are_answered_or_refused_plainly(backend: Backend) {
    let app = fixtures::demo_app(backend).await;
    let worker = login(&app, "nurse@worker.staffbank.example").await;
    let office = login(&app, "bank.office@northfield.staffbank.example").await;
    let hr = login(&app, "hr@northfield.staffbank.example").await;
    let trust_admin = login(&app, "trust.admin@northfield.staffbank.example").await;
    let bank_admin = login(&app, "admin@lakes-moors.staffbank.example").await;

    let ids = app
        .ok(
            Some(&office),
            "{ me { roles { trust { id wards { id site { id } } } } } }",
            json!({}),
        )
        .await;
    let trust: Uuid = serde_json::from_value(ids["me"]["roles"][0]["trust"]["id"].clone()).unwrap();
    let first_ward = &ids["me"]["roles"][0]["trust"]["wards"][0];
    let ward: Uuid = serde_json::from_value(first_ward["id"].clone()).unwrap();
    let site: Uuid = serde_json::from_value(first_ward["site"]["id"].clone()).unwrap();
    let mine = app
        .ok(Some(&worker), "{ myWorker { id } }", json!({}))
        .await;
    let worker_id: Uuid = serde_json::from_value(mine["myWorker"]["id"].clone()).unwrap();
    let banks = app
        .ok(
            Some(&bank_admin),
            "{ collaborativeBanks { id } }",
            json!({}),
        )
        .await;
    let bank: Uuid = serde_json::from_value(banks["collaborativeBanks"][0]["id"].clone()).unwrap();
    let mut problems = Vec::new();

    for day in DAYS {
        for (from, to) in [(Some(day), None), (None, Some(day)), (Some(day), Some(day))] {
            let v = app
                .gql(
                    Some(&worker),
                    "query($f: NaiveDate, $t: NaiveDate){ myShiftFeed(from: $f, to: $t, first: 5) { edges { node { shift { id } } } } myBookings(from: $f, to: $t, first: 5) { edges { node { id } } } }",
                    json!({ "f": from, "t": to }),
                )
                .await;
            answered_or_refused(
                &mut problems,
                &format!("worker's lists from {from:?} to {to:?}"),
                &v,
            );
            let v = app
                .gql(
                    Some(&office),
                    "query($tr: UUID!, $f: NaiveDate, $t: NaiveDate){ shifts(trustId: $tr, from: $f, to: $t, first: 5) { edges { node { id } } } bookings(trustId: $tr, from: $f, to: $t, first: 5) { edges { node { id } } } }",
                    json!({ "tr": trust, "f": from, "t": to }),
                )
                .await;
            answered_or_refused(
                &mut problems,
                &format!("office's lists from {from:?} to {to:?}"),
                &v,
            );
        }
        let v = app
            .gql(
                Some(&office),
                "query($tr: UUID!, $d: NaiveDate!){ rateCardInForce(trustId: $tr, date: $d) { __typename } trustReport(trustId: $tr, from: $d, to: $d) { __typename } }",
                json!({ "tr": trust, "d": day }),
            )
            .await;
        answered_or_refused(&mut problems, &format!("rate card and report on {day}"), &v);
        let v = app
            .gql(
                Some(&hr),
                "mutation($w: UUID!, $d: NaiveDate!){ recordCredential(input: { workerId: $w, kind: \"FIRE_SAFETY\", issuer: \"Far off\", validFrom: $d, expiresOn: $d }) { id } }",
                json!({ "w": worker_id, "d": day }),
            )
            .await;
        answered_or_refused(&mut problems, &format!("a credential valid on {day}"), &v);
        let v = app
            .gql(
                Some(&bank_admin),
                "mutation($b: UUID!, $d: NaiveDate!){ addPublicHoliday(collaborativeBankId: $b, date: $d, name: \"Far off\") { date } }",
                json!({ "b": bank, "d": day }),
            )
            .await;
        answered_or_refused(&mut problems, &format!("a public holiday on {day}"), &v);
        let v = app
            .gql(
                Some(&trust_admin),
                "mutation($tr: UUID!, $d: NaiveDate!){ setRateCard(input: { trustId: $tr, effectiveFrom: $d, rates: [{ grade: \"BAND_3\", hourlyRate: \"14.25\" }] }) { __typename } }",
                json!({ "tr": trust, "d": day }),
            )
            .await;
        answered_or_refused(&mut problems, &format!("a rate card from {day}"), &v);
    }
    for year in [i32::MIN, -262_144, -1, 0, 1, 9999, 262_143, i32::MAX] {
        let v = app
            .gql(
                Some(&bank_admin),
                "query($b: UUID!, $y: Int!){ publicHolidays(collaborativeBankId: $b, year: $y) { date } }",
                json!({ "b": bank, "y": year }),
            )
            .await;
        answered_or_refused(&mut problems, &format!("public holidays of {year}"), &v);
    }
    for at in INSTANTS {
        let v = app
            .gql(
                Some(&hr),
                "query($w: UUID!, $tr: UUID!, $at: DateTime){ compliance(workerId: $w, trustId: $tr, at: $at) { compliant } }",
                json!({ "w": worker_id, "tr": trust, "at": at }),
            )
            .await;
        answered_or_refused(&mut problems, &format!("compliance at {at}"), &v);
    }
    for starts in LOCAL_TIMES {
        for ends in LOCAL_TIMES {
            let v = app
                .gql(
                    Some(&office),
                    "mutation($i: PostShiftInput!){ postShift(input: $i) { id } }",
                    json!({ "i": {
                        "trustId": trust, "siteId": site, "wardId": ward,
                        "staffGroup": "NURSING_MIDWIFERY_REGISTERED", "grade": "BAND_5",
                        "startsLocal": starts, "endsLocal": ends, "breakMinutes": 30,
                        "reason": "VACANCY"
                    }}),
                )
                .await;
            answered_or_refused(
                &mut problems,
                &format!("a shift from {starts} to {ends}"),
                &v,
            );
            assert!(
                v.get("errors").is_some(),
                "a shift from {starts} to {ends} was posted: {v:#}"
            );
        }
    }
    // Nothing was posted in those far-off years.
    let far = app
        .ok(
            Some(&office),
            "query($t: UUID!){ shifts(trustId: $t, from: \"2100-01-01\", first: 5) { nodes { id } } }",
            json!({ "t": trust }),
        )
        .await;
    assert_eq!(
        far["shifts"]["nodes"],
        json!([]),
        "a refused shift was posted"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The server is still serving everyone.
    app.ok(Some(&worker), "{ me { email } }", json!({})).await;
}
