//! Decisions belong to the trust that made them, answers carry no more than the caller may see,
//! and decided records do not change (issue 11, items 2, 4 and 6): HR of another trust cannot
//! revoke, reject or replace a verification, and records its own decision instead, which moves only
//! its own compliance; compliance and ineligibility reasons withhold credential and booking details
//! from callers who may not see them; a verified or rejected credential keeps its document, and a
//! new document makes a new version awaiting verification.

use chrono::Duration;
use serde_json::{Value, json};
use staffbank_core::Clock;
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::market_fixtures::{book, hca_shift, market, monday, post, ready_worker, start};
use crate::on_both_databases;

on_both_databases!(
    only_the_verifier_undoes_a_verification,
    compliance_withholds_credentials_from_trusts_that_cannot_see_them,
    ineligibility_reasons_carry_no_other_trusts_bookings,
    a_decided_credential_keeps_its_document,
);

const RECORD: &str =
    "mutation($i: RecordCredentialInput!){ recordCredential(input:$i){ id status } }";
const CREDENTIAL: &str = "query($w:UUID!){ worker(id:$w){ credentials { id kind status statusReason previousVersionId verifiedByTrust { id } recognisedBy { id } evidence { sha256 filename } history { event trustId reason } } } }";
const COMPLIANCE: &str = "query($w:UUID!,$t:UUID!){ compliance(workerId:$w, trustId:$t){ compliant credentialsWithheld items { kind status credentialId validUntil } } }";
const VERIFY: &str =
    "mutation($c:UUID!,$t:UUID!){ verifyCredential(credentialId:$c, trustId:$t){ status } }";
const REJECT: &str = "mutation($c:UUID!,$t:UUID!,$r:String!){ rejectCredential(credentialId:$c, trustId:$t, reason:$r){ status } }";
const REVOKE: &str = "mutation($c:UUID!,$t:UUID!,$r:String!){ revokeCredential(credentialId:$c, trustId:$t, reason:$r){ status } }";
const DECLINE: &str = "mutation($c:UUID!,$t:UUID!,$r:String!){ declineCredential(credentialId:$c, trustId:$t, reason:$r){ status } }";
const NEW_VERSION: &str = "mutation($c:UUID!,$i:CredentialVersionInput!){ recordCredentialVersion(credentialId:$c, input:$i){ id status kind previousVersionId } }";

/// One credential of a worker, as the worker sees it.
async fn credential(app: &TestApp, token: &str, worker: Uuid, id: &Value) -> Value {
    let v = app.ok(Some(token), CREDENTIAL, json!({"w": worker})).await;
    v["worker"]["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| &c["id"] == id)
        .unwrap_or_else(|| panic!("credential {id} not listed: {v}"))
        .clone()
}

/// How one kind stands in a worker's compliance at a trust, as `token` is told.
async fn item(app: &TestApp, token: &str, worker: Uuid, trust: Uuid, kind: &str) -> Value {
    let v = app
        .ok(Some(token), COMPLIANCE, json!({"w": worker, "t": trust}))
        .await;
    v["compliance"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .unwrap_or_else(|| panic!("{kind} not required at {trust}: {v}"))
        .clone()
}

/// Engages a worker at a trust with their consent, directly (engagement and consent are tested on
/// their own, in `consent.rs`).
async fn engage(app: &TestApp, worker: Uuid, trust: Uuid) {
    fixtures::engage_directly(app, worker, trust).await;
}

async fn only_the_verifier_undoes_a_verification(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let (a, b) = (bank.trusts[0], bank.trusts[1]);
    let office_a = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    let hr_a = fixtures::staff(&app, &bank, "hr@a.test", "HR", a).await;
    let hr_b = fixtures::staff(&app, &bank, "hr@b.test", "HR", b).await;
    let w = fixtures::worker(&app, &office_a, a, "Ada", "Okafor", "CE445566D").await;
    engage(&app, w, b).await;
    let me = fixtures::worker_login(&app, w, "ada@worker.test").await;
    let today = staffbank_core::time::london_date(app.clock.now());
    let dbs = app
        .ok(Some(&me), RECORD, json!({"i": {"workerId": w, "kind": "DBS", "level": 5, "issuer": "DBS", "reference": "001234567890", "validFrom": today - Duration::days(20)}}))
        .await["recordCredential"]["id"]
        .clone();
    app.ok(Some(&hr_a), VERIFY, json!({"c": dbs, "t": a})).await;
    let as_verified = credential(&app, &me, w, &dbs).await;
    assert_eq!(as_verified["status"], "VERIFIED");
    assert_eq!(as_verified["verifiedByTrust"]["id"], json!(a));
    assert_eq!(item(&app, &hr_a, w, a, "DBS").await["status"], "MET");
    assert_eq!(
        item(&app, &hr_b, w, b, "DBS").await["status"],
        "PENDING_VERIFICATION"
    );

    // HR of B cannot revoke or reject what A verified, for either trust; nothing changes.
    for (query, trust) in [(REVOKE, b), (REVOKE, a), (REJECT, b), (REJECT, a)] {
        let v = app
            .gql(
                Some(&hr_b),
                query,
                json!({"c": dbs, "t": trust, "r": "we do not trust this check"}),
            )
            .await;
        assert_eq!(error_code(&v), "FORBIDDEN", "{query} for {trust}: {v}");
    }
    // Nor can it replace the document A verified.
    let v = upload(&app, &hr_b, &dbs, "other.pdf", pdf("other")).await;
    assert_eq!(error_code(&v), "CONFLICT", "{v}");
    assert_eq!(credential(&app, &me, w, &dbs).await, as_verified);
    assert_eq!(item(&app, &hr_a, w, a, "DBS").await["status"], "MET");

    // B records its own decision: it does not accept the check. Only B's compliance moves.
    let v = app
        .ok(
            Some(&hr_b),
            DECLINE,
            json!({"c": dbs, "t": b, "r": "we need a DBS check made for us"}),
        )
        .await;
    assert_eq!(v["declineCredential"]["status"], "VERIFIED");
    assert_eq!(
        item(&app, &hr_b, w, b, "DBS").await["status"],
        "NOT_ACCEPTED"
    );
    assert_eq!(item(&app, &hr_a, w, a, "DBS").await["status"], "MET");
    let after = credential(&app, &me, w, &dbs).await;
    assert_eq!(after["status"], "VERIFIED");
    assert_eq!(after["verifiedByTrust"]["id"], json!(a));
    assert_eq!(after["recognisedBy"], json!([{"id": a}]));
    let last = after["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "DECLINED");
    assert_eq!(last["trustId"], json!(b));
    // Declining again changes nothing; A cannot decline its own verification (it revokes).
    app.ok(
        Some(&hr_b),
        DECLINE,
        json!({"c": dbs, "t": b, "r": "again"}),
    )
    .await;
    assert_eq!(
        credential(&app, &me, w, &dbs).await["history"]
            .as_array()
            .unwrap()
            .len(),
        after["history"].as_array().unwrap().len()
    );
    let v = app
        .gql(Some(&hr_a), DECLINE, json!({"c": dbs, "t": a, "r": "mine"}))
        .await;
    assert_eq!(error_code(&v), "CONFLICT", "{v}");
    // A cannot reverse B's decision for B.
    let v = app
        .gql(Some(&hr_a), VERIFY, json!({"c": dbs, "t": b}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    assert_eq!(
        item(&app, &hr_b, w, b, "DBS").await["status"],
        "NOT_ACCEPTED"
    );

    // B reverses its own decision by accepting the check: met at B, A's verification untouched.
    app.ok(Some(&hr_b), VERIFY, json!({"c": dbs, "t": b})).await;
    assert_eq!(item(&app, &hr_b, w, b, "DBS").await["status"], "MET");
    let accepted = credential(&app, &me, w, &dbs).await;
    assert_eq!(accepted["verifiedByTrust"]["id"], json!(a));
    let events: Vec<&str> = accepted["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        vec![
            "RECORDED",
            "VERIFIED",
            "RECOGNISED",
            "DECLINED",
            "DECLINE_WITHDRAWN",
            "RECOGNISED"
        ]
    );

    // The verifier may undo its verification.
    let v = app
        .ok(
            Some(&hr_a),
            REVOKE,
            json!({"c": dbs, "t": a, "r": "the DBS update service shows a change"}),
        )
        .await;
    assert_eq!(v["revokeCredential"]["status"], "REVOKED");
    assert_eq!(item(&app, &hr_a, w, a, "DBS").await["status"], "MISSING");
}

async fn compliance_withholds_credentials_from_trusts_that_cannot_see_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let (a, b) = (bank.trusts[0], bank.trusts[1]);
    let office_a = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    let office_b = fixtures::staff(&app, &bank, "office@b.test", "BANK_OFFICE", b).await;
    let w = fixtures::worker(&app, &office_a, a, "Sam", "Reid", "CE556677D").await;
    fixtures::make_compliant(&app, w, a, None).await;
    let me = fixtures::worker_login(&app, w, "sam@worker.test").await;

    // The worker and their home trust see which credential meets each item, and until when.
    for token in [&me, &office_a] {
        let v = app
            .ok(Some(token), COMPLIANCE, json!({"w": w, "t": a}))
            .await;
        assert_eq!(v["compliance"]["credentialsWithheld"], false);
        assert_eq!(v["compliance"]["compliant"], true);
        for i in v["compliance"]["items"].as_array().unwrap() {
            assert!(i["credentialId"].is_string(), "{i}");
            assert!(i["validUntil"].is_string(), "{i}");
        }
    }
    // The same worker is pending verification at B, where the credentials are not visible: B is
    // told how each item stands, never which credential or its dates.
    let v = app.ok(Some(&me), COMPLIANCE, json!({"w": w, "t": b})).await;
    assert!(
        v["compliance"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["credentialId"].is_string()),
        "the worker sees their own credentials at B: {v}"
    );
    let v = app
        .ok(Some(&office_b), COMPLIANCE, json!({"w": w, "t": b}))
        .await;
    assert_eq!(v["compliance"]["credentialsWithheld"], true, "{v}");
    let items = v["compliance"]["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["status"] == "PENDING_VERIFICATION"));
    for i in items {
        assert!(i["credentialId"].is_null(), "{i}");
        assert!(i["validUntil"].is_null(), "{i}");
    }
    // Nor anything else in the answer: no credential id appears anywhere in it.
    let ids: Vec<String> =
        app.ok(Some(&me), CREDENTIAL, json!({"w": w})).await["worker"]["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect();
    let text = v.to_string();
    assert!(ids.iter().all(|id| !text.contains(id.as_str())), "{text}");
    // The bank's system admin sees the summary of the worker only: withheld too.
    let v = app
        .ok(Some(&bank.admin_token), COMPLIANCE, json!({"w": w, "t": a}))
        .await;
    assert_eq!(v["compliance"]["credentialsWithheld"], true, "{v}");
    assert!(
        v["compliance"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["credentialId"].is_null() && i["validUntil"].is_null())
    );
}

const REASONS: &str = "query($s:UUID!){ eligibleWorkers(shiftId:$s, includeIneligible:true, first:50){ edges { node { worker { id } reasons { code message bookingId minutes since validUntil } } } } }";
const MY_ELIGIBILITY: &str =
    "query($id:UUID!){ shift(id:$id){ myEligibility { reasons { code bookingId minutes } } } }";

async fn reasons_for(app: &TestApp, token: &str, shift: Uuid, worker: Uuid) -> Vec<Value> {
    let v = app.ok(Some(token), REASONS, json!({"s": shift})).await;
    v["eligibleWorkers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["worker"]["id"] == json!(worker))
        .unwrap_or_else(|| panic!("worker not listed: {v}"))["node"]["reasons"]
        .as_array()
        .unwrap()
        .clone()
}

fn with_code<'a>(reasons: &'a [Value], code: &str) -> &'a Value {
    reasons
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {reasons:?}"))
}

async fn ineligibility_reasons_carry_no_other_trusts_bookings(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    let w = ready_worker(&app, &m, 0, "Noor", 1).await;
    fixtures::make_compliant(&app, w, b.id, Some(b.ward)).await;
    let me = fixtures::worker_login(&app, w, "noor@login.test").await;
    // The worker books a day shift at A.
    let morning = monday() + Duration::days(2);
    let at_a = post(&app, &a.office, hca_shift(a, morning, 8)).await;
    let booked = book(&app, &me, at_a, None, None).await;
    let booking_id = booked["data"]["bookShift"]["booking"]["id"].clone();
    assert!(booking_id.is_string(), "{booked}");

    // B posts a shift at the same time, and one starting four hours after A's ends.
    let same_time = post(
        &app,
        &b.office,
        hca_shift(b, morning + Duration::hours(1), 8),
    )
    .await;
    let too_soon = post(
        &app,
        &b.office,
        hca_shift(b, morning + Duration::hours(12), 6),
    )
    .await;

    // The worker is told everything about their own booking.
    let mine = app
        .ok(Some(&me), MY_ELIGIBILITY, json!({"id": same_time}))
        .await;
    let reasons = mine["shift"]["myEligibility"]["reasons"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        with_code(&reasons, "OVERLAPPING_BOOKING")["bookingId"],
        booking_id
    );
    let mine = app
        .ok(Some(&me), MY_ELIGIBILITY, json!({"id": too_soon}))
        .await;
    let reasons = mine["shift"]["myEligibility"]["reasons"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        with_code(&reasons, "INSUFFICIENT_REST_BEFORE")["minutes"],
        240
    );

    // B's bank office learns why not, but not A's booking, nor when it ends.
    let reasons = reasons_for(&app, &b.office, same_time, w).await;
    let overlap = with_code(&reasons, "OVERLAPPING_BOOKING");
    assert!(overlap["bookingId"].is_null(), "{overlap}");
    let reasons = reasons_for(&app, &b.office, too_soon, w).await;
    let rest = with_code(&reasons, "INSUFFICIENT_REST_BEFORE");
    assert!(rest["minutes"].is_null(), "{rest}");
    assert!(
        !rest["message"].as_str().unwrap().contains("4h00"),
        "{rest}"
    );
    let all = app
        .ok(Some(&b.office), REASONS, json!({"s": same_time}))
        .await
        .to_string();
    assert!(!all.contains(booking_id.as_str().unwrap()), "{all}");

    // Booking the worker from B is refused with the same reasons, no more.
    let v = book(&app, &b.office, same_time, Some(w), None).await;
    assert_eq!(error_code(&v), "NOT_ELIGIBLE", "{v}");
    let details = v["errors"][0]["extensions"]["details"]["reasons"]
        .as_array()
        .unwrap()
        .clone();
    assert!(with_code(&details, "OVERLAPPING_BOOKING")["bookingId"].is_null());
    assert!(!v.to_string().contains(booking_id.as_str().unwrap()), "{v}");
    let v = book(&app, &b.office, too_soon, Some(w), None).await;
    let details = v["errors"][0]["extensions"]["details"]["reasons"]
        .as_array()
        .unwrap()
        .clone();
    assert!(with_code(&details, "INSUFFICIENT_REST_BEFORE")["minutes"].is_null());

    // A's bank office may see A's booking, so it is named to them.
    let again_at_a = post(
        &app,
        &a.office,
        hca_shift(a, morning + Duration::hours(2), 4),
    )
    .await;
    let reasons = reasons_for(&app, &a.office, again_at_a, w).await;
    assert_eq!(
        with_code(&reasons, "OVERLAPPING_BOOKING")["bookingId"],
        booking_id
    );
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n").into_bytes()
}

async fn upload(
    app: &TestApp,
    token: &str,
    credential: &Value,
    name: &str,
    bytes: Vec<u8>,
) -> Value {
    fixtures::attach_evidence(
        app,
        token,
        credential,
        name,
        "application/pdf",
        bytes,
        "id status evidence { sha256 filename }",
    )
    .await
}

async fn a_decided_credential_keeps_its_document(backend: Backend) {
    let app = TestApp::spawn_with(backend, TestOptions::default()).await;
    let bank = fixtures::bank(&app, 1).await;
    let a = bank.trusts[0];
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    let hr = fixtures::staff(&app, &bank, "hr@a.test", "HR", a).await;
    let w = fixtures::worker(&app, &office, a, "Ira", "Bell", "CE667788C").await;
    let me = fixtures::worker_login(&app, w, "ira@worker.test").await;
    let today = staffbank_core::time::london_date(app.clock.now());
    let record = |kind: &'static str| json!({"i": {"workerId": w, "kind": kind, "issuer": "Training Ltd", "validFrom": today - Duration::days(10), "expiresOn": today + Duration::days(300)}});
    let fire =
        app.ok(Some(&me), RECORD, record("FIRE_SAFETY")).await["recordCredential"]["id"].clone();

    // While pending, a document can be added and swapped.
    let v = upload(&app, &me, &fire, "first.pdf", pdf("first")).await;
    assert!(v["errors"].is_null(), "{v}");
    let v = upload(&app, &me, &fire, "second.pdf", pdf("second")).await;
    assert_eq!(
        v["data"]["attachEvidence"]["evidence"]["filename"],
        "second.pdf"
    );

    // Once verified, it keeps the document it was verified with: refused, nothing changed.
    app.ok(Some(&hr), VERIFY, json!({"c": fire, "t": a})).await;
    let verified = credential(&app, &me, w, &fire).await;
    for token in [&me, &hr] {
        let v = upload(&app, token, &fire, "swap.pdf", pdf("swap")).await;
        assert_eq!(error_code(&v), "CONFLICT", "{v}");
    }
    assert_eq!(credential(&app, &me, w, &fire).await, verified);
    assert_eq!(verified["evidence"]["filename"], "second.pdf");

    // A new document makes a new version, awaiting verification; the old one stays as it was.
    let v = app
        .ok(
            Some(&me),
            NEW_VERSION,
            json!({"c": fire, "i": {"validFrom": today - Duration::days(1), "expiresOn": today + Duration::days(700)}}),
        )
        .await;
    let next = v["recordCredentialVersion"].clone();
    assert_eq!(next["status"], "PENDING");
    assert_eq!(next["kind"], "FIRE_SAFETY");
    assert_eq!(next["previousVersionId"], fire);
    let v = upload(&app, &me, &next["id"], "renewed.pdf", pdf("renewed")).await;
    assert_eq!(
        v["data"]["attachEvidence"]["evidence"]["filename"], "renewed.pdf",
        "{v}"
    );
    let old = credential(&app, &me, w, &fire).await;
    assert_eq!(old["status"], "VERIFIED");
    assert_eq!(old["evidence"], verified["evidence"]);
    assert_eq!(
        old["history"].as_array().unwrap().last().unwrap()["event"],
        "NEW_VERSION"
    );
    // One newer version per credential; a pending one takes its document itself; bad dates are
    // refused.
    let again = json!({"c": fire, "i": {"validFrom": today}});
    assert_eq!(
        error_code(&app.gql(Some(&me), NEW_VERSION, again).await),
        "CONFLICT"
    );
    let pending = json!({"c": next["id"], "i": {"validFrom": today}});
    assert_eq!(
        error_code(&app.gql(Some(&me), NEW_VERSION, pending).await),
        "CONFLICT"
    );
    // Verifying the new version leaves the old one as it was decided.
    app.ok(Some(&hr), VERIFY, json!({"c": next["id"], "t": a}))
        .await;
    assert_eq!(credential(&app, &me, w, &fire).await["status"], "VERIFIED");

    // A rejected credential keeps its document too.
    let bls = app.ok(Some(&me), RECORD, json!({"i": {"workerId": w, "kind": "INFECTION_PREVENTION_CONTROL", "level": 1, "issuer": "Training Ltd", "validFrom": today - Duration::days(10)}})).await;
    let bls = bls["recordCredential"]["id"].clone();
    upload(&app, &me, &bls, "ipc.pdf", pdf("ipc")).await;
    app.ok(
        Some(&hr),
        REJECT,
        json!({"c": bls, "t": a, "r": "the certificate is for someone else"}),
    )
    .await;
    let rejected = credential(&app, &me, w, &bls).await;
    let v = upload(&app, &me, &bls, "ipc2.pdf", pdf("ipc2")).await;
    assert_eq!(error_code(&v), "CONFLICT", "{v}");
    assert_eq!(credential(&app, &me, w, &bls).await, rejected);
    let bad = json!({"c": bls, "i": {"validFrom": today, "expiresOn": today - Duration::days(1)}});
    assert_eq!(
        error_code(&app.gql(Some(&me), NEW_VERSION, bad).await),
        "VALIDATION"
    );
    let v = app
        .ok(
            Some(&me),
            NEW_VERSION,
            json!({"c": bls, "i": {"validFrom": today}}),
        )
        .await;
    assert_eq!(v["recordCredentialVersion"]["status"], "PENDING");
}
