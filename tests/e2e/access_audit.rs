//! The system admin's access audit across organisations (issue 13, item 6): every look at the
//! bank's workers' details, narrowed by the trust that looked, the worker, the purpose and a range
//! of London days; each look names the worker. A filter that cannot be right (an unknown purpose,
//! a trust or worker of another bank, a last day before the first) is refused with `VALIDATION`,
//! and only the bank's system admins may read the audit at all.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use staffbank_bank::organisation::Nation;
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, error_code, error_message};
use crate::on_both_databases;

const AUDIT: &str = "query($s:UUID!,$t:UUID,$w:UUID,$p:String,$f:NaiveDate,$to:NaiveDate,$first:Int,$after:String){ accessAudit(systemId:$s, trustId:$t, workerId:$w, purpose:$p, from:$f, to:$to, first:$first, after:$after){ pageInfo { hasNextPage endCursor } nodes { at what purpose workerId viewerTrust { id } } } }";
const COMPLIANCE: &str =
    "query($w:UUID!,$t:UUID!){ compliance(workerId:$w, trustId:$t){ compliant } }";

fn nodes(v: &Value) -> Vec<Value> {
    let Some(n) = v["accessAudit"]["nodes"].as_array() else {
        panic!("no nodes in {v}");
    };
    n.clone()
}

async fn audit(app: &TestApp, token: &str, vars: Value) -> Value {
    app.ok(Some(token), AUDIT, vars).await
}

async fn filters_by_trust_worker_purpose_and_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let (t0, t1) = (bank.trusts[0], bank.trusts[1]);
    let office0 = fixtures::staff(&app, &bank, "office0@audit.test", "BANK_OFFICE", t0).await;
    let office1 = fixtures::staff(&app, &bank, "office1@audit.test", "BANK_OFFICE", t1).await;
    // Ada's home is trust 0, Bo's trust 1: each trust's office looks at the other's worker.
    let ada = fixtures::worker(&app, &office0, t0, "Ada", "Audit", "AB123456A").await;
    let bo = fixtures::worker(&app, &office1, t1, "Bo", "Audit", "AB123456B").await;
    app.ok(Some(&office1), COMPLIANCE, json!({"w": ada, "t": t1}))
        .await;
    app.ok(Some(&office0), COMPLIANCE, json!({"w": bo, "t": t0}))
        .await;
    // The system admin's own look names no trust.
    app.ok(
        Some(&bank.admin_token),
        COMPLIANCE,
        json!({"w": bo, "t": t1}),
    )
    .await;
    let s = bank.system_id;
    let all = nodes(&audit(&app, &bank.admin_token, json!({"s": s})).await);
    assert_eq!(all.len(), 3, "every look listed: {all:?}");
    let purposes: Vec<&str> = all.iter().filter_map(|n| n["purpose"].as_str()).collect();
    assert!(purposes.contains(&"COMPLIANCE_CHECK"));
    assert!(purposes.contains(&"BANK_ADMINISTRATION"));

    let by_trust = nodes(&audit(&app, &bank.admin_token, json!({"s": s, "t": t1})).await);
    assert_eq!(by_trust.len(), 1);
    assert_eq!(by_trust[0]["workerId"], json!(ada.to_string()));
    assert_eq!(by_trust[0]["viewerTrust"]["id"], json!(t1.to_string()));

    let by_worker = nodes(&audit(&app, &bank.admin_token, json!({"s": s, "w": bo})).await);
    assert_eq!(by_worker.len(), 2);
    assert!(
        by_worker
            .iter()
            .all(|n| n["workerId"] == json!(bo.to_string()))
    );

    let by_purpose = nodes(
        &audit(
            &app,
            &bank.admin_token,
            json!({"s": s, "p": "BANK_ADMINISTRATION"}),
        )
        .await,
    );
    assert_eq!(by_purpose.len(), 1);
    assert!(by_purpose[0]["viewerTrust"].is_null());

    let both = nodes(
        &audit(
            &app,
            &bank.admin_token,
            json!({"s": s, "w": bo, "p": "COMPLIANCE_CHECK"}),
        )
        .await,
    );
    assert_eq!(both.len(), 1, "filters combine");
    assert_eq!(both[0]["viewerTrust"]["id"], json!(t0.to_string()));

    // The day of the looks (London) includes them; the day after and the day before do not.
    let Some(at) = all[0]["at"].as_str() else {
        panic!("no time in {all:?}");
    };
    let Ok(at) = at.parse::<DateTime<Utc>>() else {
        panic!("not a time: {at}");
    };
    let day = staffbank_core::time::london_date(at);
    let (Some(next), Some(before)) = (day.succ_opt(), day.pred_opt()) else {
        panic!("no neighbouring days of {day}");
    };
    let on_day = nodes(
        &audit(
            &app,
            &bank.admin_token,
            json!({"s": s, "f": day, "to": day}),
        )
        .await,
    );
    assert_eq!(on_day.len(), 3);
    let after = nodes(&audit(&app, &bank.admin_token, json!({"s": s, "f": next})).await);
    assert!(after.is_empty(), "nothing on or after the next day");
    let until = nodes(&audit(&app, &bank.admin_token, json!({"s": s, "to": before})).await);
    assert!(until.is_empty(), "nothing up to the day before");

    // Pages keep the filter.
    let first = audit(
        &app,
        &bank.admin_token,
        json!({"s": s, "w": bo, "first": 1}),
    )
    .await;
    assert_eq!(nodes(&first).len(), 1);
    assert_eq!(first["accessAudit"]["pageInfo"]["hasNextPage"], json!(true));
    let cursor = first["accessAudit"]["pageInfo"]["endCursor"].clone();
    let second = audit(
        &app,
        &bank.admin_token,
        json!({"s": s, "w": bo, "first": 1, "after": cursor}),
    )
    .await;
    let second = nodes(&second);
    assert_eq!(second.len(), 1);
    assert_eq!(second[0]["workerId"], json!(bo.to_string()));
    assert_ne!(second[0]["at"], Value::Null);
}

async fn refuses_filters_that_cannot_be_right(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let other = fixtures::bank_in(&app, "Other Bank", "OB", Nation::EnglandAndWales, 1).await;
    let office = fixtures::staff(
        &app,
        &bank,
        "office@audit.test",
        "BANK_OFFICE",
        bank.trusts[0],
    )
    .await;
    let other_office = fixtures::staff(
        &app,
        &other,
        "office@other.test",
        "BANK_OFFICE",
        other.trusts[0],
    )
    .await;
    let stranger = fixtures::worker(
        &app,
        &other_office,
        other.trusts[0],
        "Cy",
        "Elsewhere",
        "AB123456C",
    )
    .await;
    let s = bank.system_id;
    for (vars, words) in [
        (json!({"s": s, "p": "CURIOSITY"}), "purpose"),
        (json!({"s": s, "t": other.trusts[0]}), "trust"),
        (json!({"s": s, "w": stranger}), "worker"),
        (json!({"s": s, "w": Uuid::new_v4()}), "worker"),
        (
            json!({"s": s, "f": "2026-12-02", "to": "2026-12-01"}),
            "last day",
        ),
    ] {
        let v = app.gql(Some(&bank.admin_token), AUDIT, vars.clone()).await;
        assert_eq!(error_code(&v), "VALIDATION", "{vars}: {v}");
        assert!(
            error_message(&v).contains(words),
            "{vars}: the message names the {words}: {v}"
        );
    }
    // Only the bank's system admins: a bank office of the bank, and another bank's admin, are
    // refused.
    let v = app.gql(Some(&office), AUDIT, json!({"s": s})).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = app
        .gql(Some(&other.admin_token), AUDIT, json!({"s": s}))
        .await;
    assert!(
        matches!(error_code(&v), "FORBIDDEN" | "NOT_FOUND"),
        "another bank's admin: {v}"
    );
}

on_both_databases!(
    filters_by_trust_worker_purpose_and_days,
    refuses_filters_that_cannot_be_right
);
