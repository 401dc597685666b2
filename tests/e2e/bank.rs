//! The shared bank: workers, duplicates, credentials, compliance, visibility.

use serde_json::json;

use crate::fixtures::{self};
use crate::harness::{Backend, TestApp, error_code};
use crate::on_both_databases;

on_both_databases!(
    duplicate_person_is_refused,
    compliance_for_a_ward_with_extra_requirements
);

const CREATE: &str =
    "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id detail { niNumber } } }";

fn nurse(ni: &str, family: &str, pin: &str) -> serde_json::Value {
    json!({
        "givenName": "Ada", "familyName": family, "dateOfBirth": "1988-02-29", "niNumber": ni,
        "email": "ada@worker.test", "staffGroup": "NURSING_MIDWIFERY_REGISTERED", "grade": "BAND_5",
        "registrationNumber": pin, "skills": ["critical care"]
    })
}

async fn duplicate_person_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let office_a =
        fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", bank.trusts[0]).await;
    let office_b =
        fixtures::staff(&app, &bank, "office@b.test", "BANK_OFFICE", bank.trusts[1]).await;

    let mut input = nurse("AB 12 34 56 C", "O'Neill", "12A3456E");
    input["trustId"] = json!(bank.trusts[0]);
    let v = app.ok(Some(&office_a), CREATE, json!({"i": input})).await;
    assert_eq!(v["createWorker"]["detail"]["niNumber"], "AB123456C");

    // Same NI number, date of birth and surname (different spelling of case and punctuation) at
    // another trust: refused, without the other record's details.
    let mut again = nurse("ab123456c", "ONEILL", "98B7654F");
    again["trustId"] = json!(bank.trusts[1]);
    let v = app.gql(Some(&office_b), CREATE, json!({"i": again})).await;
    assert_eq!(error_code(&v), "CONFLICT", "{v}");
    assert_eq!(
        v["errors"][0]["extensions"]["details"]["matchedOn"],
        "NI number, date of birth and surname"
    );
    assert!(
        !v.to_string().contains("Ada"),
        "must not disclose the other record: {v}"
    );

    // Same NMC PIN, different person details: refused too.
    let mut same_pin = nurse("CE 65 43 21 A", "Lovelace", "12a3456e");
    same_pin["trustId"] = json!(bank.trusts[1]);
    let v = app
        .gql(Some(&office_b), CREATE, json!({"i": same_pin}))
        .await;
    assert_eq!(error_code(&v), "CONFLICT");
    assert_eq!(
        v["errors"][0]["extensions"]["details"]["matchedOn"],
        "professional registration"
    );

    // Bad inputs are validation errors and create nothing.
    for (field, value) in [
        ("niNumber", "QQ123456C"),
        ("registrationNumber", "1234567"),
        ("dateOfBirth", "2024-01-01"),
        ("email", "ada"),
    ] {
        let mut bad = nurse("CE 65 43 21 A", "Lovelace", "22C3456E");
        bad["trustId"] = json!(bank.trusts[1]);
        bad[field] = json!(value);
        let v = app.gql(Some(&office_b), CREATE, json!({"i": bad})).await;
        assert_eq!(error_code(&v), "VALIDATION", "{field}: {v}");
    }
    // A bank office of trust A cannot register a worker at trust B.
    let mut elsewhere = nurse("CE 65 43 21 A", "Lovelace", "22C3456E");
    elsewhere["trustId"] = json!(bank.trusts[1]);
    let v = app
        .gql(Some(&office_a), CREATE, json!({"i": elsewhere}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN");

    let list = app
        .ok(
            Some(&bank.admin_token),
            "{ workers { edges { node { familyName } } } }",
            json!({}),
        )
        .await;
    assert_eq!(list["workers"]["edges"].as_array().unwrap().len(), 1);
}

async fn compliance_for_a_ward_with_extra_requirements(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let t = bank.trusts[0];
    let admin = fixtures::staff(&app, &bank, "admin@a.test", "TRUST_ADMIN", t).await;
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", t).await;
    let site = app
        .ok(
            Some(&admin),
            "mutation($t:UUID!){ createSite(trustId:$t, name:\"General\"){ id } }",
            json!({"t": t}),
        )
        .await;
    let ward = app
        .ok(
            Some(&admin),
            "mutation($s:UUID!){ createWard(input:{siteId:$s, name:\"Puffin (paediatrics)\", costCentre:\"CC123\", requiredSkills:[\"paediatrics\"]}){ id requiredSkills } }",
            json!({"s": site["createSite"]["id"]}),
        )
        .await;
    let ward_id: uuid::Uuid = ward["createWard"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(ward["createWard"]["requiredSkills"], json!(["PAEDIATRICS"]));
    app.ok(
        Some(&admin),
        "mutation($t:UUID!,$w:UUID!){ a: addRequirement(input:{trustId:$t, kind:\"PAEDIATRIC_LIFE_SUPPORT\", wardId:$w, maxAgeDays:365}){ id } b: addRequirement(input:{trustId:$t, kind:\"SAFEGUARDING_CHILDREN\", minLevel:3, wardId:$w}){ id } }",
        json!({"t": t, "w": ward_id}),
    )
    .await;
    let worker = fixtures::worker(&app, &office, t, "Sam", "Hughes", "CE654321A").await;
    // Compliant for the trust in general...
    fixtures::make_compliant(&app, worker, t, None).await;
    let q = "query($w:UUID!,$t:UUID!,$ward:UUID){ compliance(workerId:$w, trustId:$t, wardId:$ward){ compliant items { kind status wardSpecific } } }";
    let general = app
        .ok(Some(&office), q, json!({"w": worker, "t": t, "ward": null}))
        .await;
    assert_eq!(general["compliance"]["compliant"], true, "{general}");
    // ...but not for the paediatric ward: life support missing, children's safeguarding below level 3.
    let on_ward = app
        .ok(
            Some(&office),
            q,
            json!({"w": worker, "t": t, "ward": ward_id}),
        )
        .await;
    assert_eq!(on_ward["compliance"]["compliant"], false);
    let items = on_ward["compliance"]["items"].as_array().unwrap();
    let status = |kind: &str| {
        items
            .iter()
            .find(|i| i["kind"] == kind)
            .map(|i| i["status"].clone())
            .unwrap()
    };
    assert_eq!(status("PAEDIATRIC_LIFE_SUPPORT"), "MISSING");
    assert_eq!(status("FIRE_SAFETY"), "MET");
    let failing: Vec<&str> = items
        .iter()
        .filter(|i| i["status"] != "MET")
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        failing,
        vec!["PAEDIATRIC_LIFE_SUPPORT"],
        "fixture gives the top level of safeguarding: {on_ward}"
    );
}
