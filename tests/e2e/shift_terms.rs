//! What a worker's shift pages read besides the shifts: each shift's terms (its trust's
//! marketplace policy), the grades of a staff group for a filter, and the bank's trusts and sites.

use chrono::Duration;
use serde_json::{Value, json};
use staffbank_bank::organisation::{self, SystemModel};
use staffbank_core::{Actor, Email, Grant, NewPassword, Role, accounts};

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, error_code};
use crate::market_fixtures::{self as mf, hca_shift, post};
use crate::on_both_databases;

on_both_databases!(
    a_worker_reads_the_terms_of_a_shift_and_of_each_trust_of_their_bank,
    grades_come_in_order_with_their_names,
    a_worker_reads_the_trusts_and_sites_of_their_bank,
);

const TERMS: &str = "workerShortNoticeMinutes trustLateCancellationMinutes lateCancellationFeeMinutes strikeLimit strikeWindowDays";

fn short_notice(policy: &Value) -> i64 {
    policy["workerShortNoticeMinutes"].as_i64().unwrap()
}

async fn a_worker_reads_the_terms_of_a_shift_and_of_each_trust_of_their_bank(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    // Trust A counts ten hours as short notice; trust B keeps the default eight.
    app.ok(
        Some(&a.admin),
        "mutation($t:UUID!){ setMarketPolicy(trustId:$t, input:{workerShortNoticeMinutes:600}){ workerShortNoticeMinutes } }",
        json!({"t": a.id}),
    )
    .await;
    let w = mf::ready_worker(&app, &m, 0, "Jo", 1).await;
    let me = fixtures::worker_login(&app, w, "jo@worker.test").await;
    let start = mf::monday() + Duration::days(2);
    let at_a = post(&app, &a.office, hca_shift(a, start, 8)).await;
    let at_b = post(&app, &b.office, hca_shift(b, start, 8)).await;

    // On the shift: its trust's terms, for the worker as for the bank office.
    let shift_terms = format!("query($s:UUID!){{ shift(id:$s){{ marketPolicy {{ {TERMS} }} }} }}");
    for (shift, minutes) in [(at_a, 600), (at_b, 480)] {
        let v = app.ok(Some(&me), &shift_terms, json!({"s": shift})).await;
        assert_eq!(short_notice(&v["shift"]["marketPolicy"]), minutes);
    }
    let v = app
        .ok(Some(&a.office), &shift_terms, json!({"s": at_a}))
        .await;
    assert_eq!(
        v["shift"]["marketPolicy"],
        json!({"workerShortNoticeMinutes": 600, "trustLateCancellationMinutes": 240,
            "lateCancellationFeeMinutes": 120, "strikeLimit": 3, "strikeWindowDays": 90})
    );
    // In the feed too (trust A's shift reaches the worker; they are not compliant at B).
    let v = app
        .ok(
            Some(&me),
            &format!("{{ myShiftFeed {{ edges {{ node {{ shift {{ id marketPolicy {{ {TERMS} }} }} }} }} }} }}"),
            json!({}),
        )
        .await;
    let edges = v["myShiftFeed"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["shift"]["id"], json!(at_a));
    assert_eq!(
        short_notice(&edges[0]["node"]["shift"]["marketPolicy"]),
        600
    );

    // Each trust's terms by trust, for the people of the bank: its workers, and staff of any of
    // its trusts.
    let by_trust = format!("query($t:UUID!){{ marketPolicy(trustId:$t){{ {TERMS} }} }}");
    for (token, trust, minutes) in [(&me, a.id, 600), (&me, b.id, 480), (&b.office, a.id, 600)] {
        let v = app.ok(Some(token), &by_trust, json!({"t": trust})).await;
        assert_eq!(short_notice(&v["marketPolicy"]), minutes);
    }
    // Not for someone of another collaborative bank, and an unknown trust is not found.
    let outsider = outsider(&app).await;
    let v = app
        .gql(Some(&outsider), &by_trust, json!({"t": a.id}))
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND");
    let v = app
        .gql(Some(&me), &by_trust, json!({"t": uuid::Uuid::now_v7()}))
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND");
    let v = app.gql(None, &by_trust, json!({"t": a.id})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
}

/// The bank office of a trust in another collaborative bank, signed in.
async fn outsider(app: &TestApp) -> String {
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let sys = organisation::create_system(
        db,
        clock,
        &Actor::Service,
        "Another Collaborative Bank",
        SystemModel::OwnPools,
    )
    .await
    .unwrap();
    let t = organisation::admit_trust(db, clock, &Actor::Service, sys.id, "Far Away", "FAR")
        .await
        .unwrap();
    let email = "office@far.test";
    let acc = accounts::create(
        db,
        clock,
        &Email::parse(email).unwrap(),
        "Far Office",
        &NewPassword::parse(PASSWORD).unwrap(),
    )
    .await
    .unwrap();
    let grant = Grant {
        role: Role::BankOffice,
        trust_id: Some(t.id),
        ward_id: None,
        system_id: None,
        worker_id: None,
    };
    accounts::insert_grant(db, clock, acc.id, &grant, None)
        .await
        .unwrap();
    app.login(email, PASSWORD).await
}

async fn grades_come_in_order_with_their_names(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 1).await;
    let w = mf::ready_worker(&app, &m, 0, "Ade", 1).await;
    let me = fixtures::worker_login(&app, w, "ade@worker.test").await;
    let q = "query($g:StaffGroup!){ grades(staffGroup:$g){ code name } }";
    let v = app
        .ok(Some(&me), q, json!({"g": "NURSING_MIDWIFERY_REGISTERED"}))
        .await;
    let codes: Vec<&str> = v["grades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "BAND_1", "BAND_2", "BAND_3", "BAND_4", "BAND_5", "BAND_6", "BAND_7", "BAND_8A",
            "BAND_8B", "BAND_8C", "BAND_8D", "BAND_9"
        ]
    );
    assert_eq!(v["grades"][4], json!({"code": "BAND_5", "name": "Band 5"}));
    assert_eq!(
        v["grades"][7],
        json!({"code": "BAND_8A", "name": "Band 8a"})
    );
    // Doctors have their own ladder; staff see the same lists.
    let v = app
        .ok(Some(&m.trusts[0].office), q, json!({"g": "MEDICAL_DENTAL"}))
        .await;
    let grades = v["grades"].as_array().unwrap();
    assert_eq!(grades.len(), 15);
    assert_eq!(grades[0], json!({"code": "FY1", "name": "FY1"}));
    assert_eq!(
        grades[13],
        json!({"code": "SPECIALTY_DOCTOR", "name": "Specialty doctor"})
    );
    assert_eq!(
        grades[14],
        json!({"code": "CONSULTANT", "name": "Consultant"})
    );
    let v = app.gql(None, q, json!({"g": "MEDICAL_DENTAL"})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED");
}

async fn a_worker_reads_the_trusts_and_sites_of_their_bank(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 2).await;
    // A second site at trust 1.
    let second = app
        .ok(
            Some(&m.trusts[1].admin),
            "mutation($t:UUID!){ createSite(trustId:$t, name:\"Community Hospital\"){ id } }",
            json!({"t": m.trusts[1].id}),
        )
        .await["createSite"]["id"]
        .clone();
    let w = mf::ready_worker(&app, &m, 0, "Bo", 1).await;
    let me = fixtures::worker_login(&app, w, "bo@worker.test").await;
    let v = app
        .ok(
            Some(&me),
            "{ myWorker { homeTrust { collaborativeBank { trusts { id name sites { id name } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        v["myWorker"]["homeTrust"]["collaborativeBank"]["trusts"],
        json!([
            {"id": m.trusts[0].id, "name": "Trust 0", "sites": [
                {"id": m.trusts[0].site, "name": "General Hospital"}]},
            {"id": m.trusts[1].id, "name": "Trust 1", "sites": [
                {"id": second, "name": "Community Hospital"},
                {"id": m.trusts[1].site, "name": "General Hospital"}]},
        ])
    );
}
