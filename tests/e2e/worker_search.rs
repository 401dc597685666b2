//! Searching the bank's workers (issue 12, item 4): by name, staff group, grade and skill, each
//! filter checked before any database work, and a trust's staff told where their own request to
//! engage a worker stands (`engagementHere`) without seeing more of the worker.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{self, Bank};
use crate::harness::{Backend, TestApp, error_code};
use crate::on_both_databases;

const SEARCH: &str = "query($g:StaffGroup,$n:String,$gr:String,$s:String){ workers(staffGroup:$g, name:$n, grade:$gr, skill:$s, first:50){ nodes { givenName } } }";
const HERE: &str = "query($w:UUID!,$t:UUID!){ worker(id:$w){ access engagementHere(trustId:$t){ consent createdAt } } }";

async fn create(
    app: &TestApp,
    office: &str,
    bank: &Bank,
    (given, ni, group, grade, skills): (&str, &str, &str, &str, &[&str]),
) -> Uuid {
    let v = app
        .ok(
            Some(office),
            "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id } }",
            json!({ "i": {
                "trustId": bank.trusts[0], "givenName": given, "familyName": "Search",
                "dateOfBirth": "1991-05-06", "niNumber": ni,
                "email": format!("{}@search.test", given.to_lowercase()),
                "staffGroup": group, "grade": grade, "skills": skills
            }}),
        )
        .await;
    v["createWorker"]["id"].as_str().unwrap().parse().unwrap()
}

fn names(v: &Value) -> Vec<String> {
    let mut n: Vec<String> = v["workers"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["givenName"].as_str().unwrap().to_owned())
        .collect();
    n.sort();
    n
}

async fn filters_by_name_group_grade_and_skill(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let office = fixtures::staff(
        &app,
        &bank,
        "office0@bank.test",
        "BANK_OFFICE",
        bank.trusts[0],
    )
    .await;
    let other = fixtures::staff(
        &app,
        &bank,
        "office1@bank.test",
        "BANK_OFFICE",
        bank.trusts[1],
    )
    .await;
    for w in [
        (
            "Asha",
            "AB112233A",
            "ADDITIONAL_CLINICAL_SERVICES",
            "BAND_3",
            &["ELDERLY_CARE", "CRITICAL_CARE"][..],
        ),
        (
            "Ben",
            "AB112233B",
            "ADDITIONAL_CLINICAL_SERVICES",
            "BAND_2",
            &["ELDERLY_CARE"][..],
        ),
        (
            "Cara",
            "AB112233C",
            "ADMINISTRATIVE_CLERICAL",
            "BAND_3",
            &[][..],
        ),
        (
            "Dev_50%",
            "AB112233D",
            "ESTATES_ANCILLARY",
            "BAND_2",
            &["CRITICAL_CARE"][..],
        ),
    ] {
        create(&app, &office, &bank, w).await;
    }
    let search = |vars: Value| {
        let app = &app;
        let other = other.clone();
        async move { app.gql(Some(&other), SEARCH, vars).await }
    };
    // Another trust of the bank searches the whole bank, in summary.
    let v = search(json!({})).await;
    assert_eq!(names(&v["data"]), ["Asha", "Ben", "Cara", "Dev_50%"], "{v}");
    let v = search(json!({"g": "ADDITIONAL_CLINICAL_SERVICES"})).await;
    assert_eq!(names(&v["data"]), ["Asha", "Ben"], "{v}");
    let v = search(json!({"gr": "band_3"})).await;
    assert_eq!(names(&v["data"]), ["Asha", "Cara"], "{v}");
    let v = search(json!({"g": "ADDITIONAL_CLINICAL_SERVICES", "gr": "BAND_2"})).await;
    assert_eq!(names(&v["data"]), ["Ben"], "{v}");
    // A skill is exact once normalised: "critical care" is CRITICAL_CARE, "CARE" is no skill held.
    let v = search(json!({"s": "critical care"})).await;
    assert_eq!(names(&v["data"]), ["Asha", "Dev_50%"], "{v}");
    let v = search(json!({"s": "CARE"})).await;
    assert_eq!(names(&v["data"]), Vec::<String>::new(), "{v}");
    let v = search(json!({"s": "CRITICAL_CARE", "gr": "BAND_2"})).await;
    assert_eq!(names(&v["data"]), ["Dev_50%"], "{v}");
    // LIKE wildcards typed are matched as themselves.
    let v = search(json!({"n": "_50%"})).await;
    assert_eq!(names(&v["data"]), ["Dev_50%"], "{v}");
    let v = search(json!({"n": "%"})).await;
    assert_eq!(names(&v["data"]), ["Dev_50%"], "{v}");
    // Bad input is said as such.
    let v = search(json!({"gr": "BAND_99"})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let v = search(json!({"g": "MEDICAL_DENTAL", "gr": "BAND_5"})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let v = search(json!({"s": "no such skill!"})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let v = search(json!({"s": "X".repeat(5000)})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let v = search(json!({"n": "n".repeat(101)})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
}

async fn engagement_here_tells_asked_from_not_asked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let office = fixtures::staff(
        &app,
        &bank,
        "office0@bank.test",
        "BANK_OFFICE",
        bank.trusts[0],
    )
    .await;
    let other = fixtures::staff(
        &app,
        &bank,
        "office1@bank.test",
        "BANK_OFFICE",
        bank.trusts[1],
    )
    .await;
    let w = create(
        &app,
        &office,
        &bank,
        (
            "Ezra",
            "AB112234A",
            "ADDITIONAL_CLINICAL_SERVICES",
            "BAND_3",
            &[][..],
        ),
    )
    .await;
    let me = fixtures::worker_login(&app, w, "ezra@worker.test").await;
    let here = json!({"w": w, "t": bank.trusts[1]});
    // Not asked.
    let v = app.ok(Some(&other), HERE, here.clone()).await;
    assert_eq!(v["worker"]["access"], "SUMMARY", "{v}");
    assert!(v["worker"]["engagementHere"].is_null(), "{v}");
    // Asked: waiting for the worker, still a summary.
    app.ok(
        Some(&other),
        "mutation($w:UUID!,$t:UUID!){ engageWorker(workerId:$w, trustId:$t){ consent } }",
        json!({"w": w, "t": bank.trusts[1]}),
    )
    .await;
    let v = app.ok(Some(&other), HERE, here.clone()).await;
    assert_eq!(v["worker"]["access"], "SUMMARY", "{v}");
    assert_eq!(v["worker"]["engagementHere"]["consent"], "PROPOSED", "{v}");
    // Only this trust's own request, and only to its staff.
    let v = app.gql(Some(&office), HERE, here.clone()).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    // Accepted: engaged.
    app.ok(
        Some(&me),
        "mutation($t:UUID!){ acceptEngagement(trustId:$t){ consent } }",
        json!({"t": bank.trusts[1]}),
    )
    .await;
    let v = app.ok(Some(&other), HERE, here).await;
    assert_eq!(v["worker"]["access"], "ENGAGED", "{v}");
    assert_eq!(v["worker"]["engagementHere"]["consent"], "ACCEPTED", "{v}");
}

on_both_databases!(
    filters_by_name_group_grade_and_skill,
    engagement_here_tells_asked_from_not_asked,
);
