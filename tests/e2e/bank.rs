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

on_both_databases!(
    credential_lifecycle,
    visibility_by_role_and_trust,
    evidence_upload_limits_and_access,
    a_page_of_workers_with_credentials_is_a_fixed_number_of_queries,
);

const RECORD: &str =
    "mutation($i: RecordCredentialInput!){ recordCredential(input:$i){ id status } }";
const CREDENTIALS: &str = "query($w:UUID!){ worker(id:$w){ credentials { id kind status statusReason verifiedByTrust { id } recognisedBy { id } history { event reason trustId } } } }";

async fn credential_lifecycle(backend: Backend) {
    // No expiry sweep: the status shown must follow from the dates alone.
    let app = TestApp::spawn_with(
        backend,
        crate::harness::TestOptions {
            now: "2026-06-01T09:00:00Z".parse().unwrap(),
            configure: |c| c.jobs.run = false,
        },
    )
    .await;
    let bank = fixtures::bank(&app, 2).await;
    let (a, b) = (bank.trusts[0], bank.trusts[1]);
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    let hr_a = fixtures::staff(&app, &bank, "hr@a.test", "HR", a).await;
    let hr_b = fixtures::staff(&app, &bank, "hr@b.test", "HR", b).await;
    let w = fixtures::worker(&app, &office, a, "Kim", "Patel", "CE123456B").await;
    let me = fixtures::worker_login(&app, w, "kim@worker.test").await;

    // The worker records a fire safety certificate: pending.
    let fire = app
        .ok(Some(&me), RECORD, json!({"i": {"workerId": w, "kind": "FIRE_SAFETY", "issuer": "Fire Training Ltd", "validFrom": "2026-05-20", "expiresOn": "2026-07-01"}}))
        .await;
    assert_eq!(fire["recordCredential"]["status"], "PENDING");
    let fire_id = fire["recordCredential"]["id"].clone();
    // Bad input: unknown kind, missing level, dates the wrong way round, future issue date.
    for bad in [
        json!({"workerId": w, "kind": "JUGGLING", "issuer": "x", "validFrom": "2026-05-20"}),
        json!({"workerId": w, "kind": "SAFEGUARDING_ADULTS", "issuer": "x", "validFrom": "2026-05-20"}),
        json!({"workerId": w, "kind": "FIRE_SAFETY", "issuer": "x", "validFrom": "2026-05-20", "expiresOn": "2026-05-01"}),
        json!({"workerId": w, "kind": "FIRE_SAFETY", "issuer": "x", "validFrom": "2026-12-20"}),
    ] {
        let v = app.gql(Some(&me), RECORD, json!({"i": bad})).await;
        assert_eq!(error_code(&v), "VALIDATION", "{v}");
    }
    // HR of trust B (not engaging the worker) may not verify; HR of A may.
    let verify =
        "mutation($c:UUID!,$t:UUID!){ verifyCredential(credentialId:$c, trustId:$t){ status } }";
    let v = app
        .gql(Some(&hr_b), verify, json!({"c": fire_id, "t": b}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = app
        .gql(Some(&hr_a), verify, json!({"c": fire_id, "t": b}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "HR of A acting for B: {v}");
    let v = app
        .ok(Some(&hr_a), verify, json!({"c": fire_id, "t": a}))
        .await;
    assert_eq!(v["verifyCredential"]["status"], "VERIFIED");

    // A second credential is rejected with a reason; a rejected one cannot then be verified.
    let dbs = app
        .ok(Some(&me), RECORD, json!({"i": {"workerId": w, "kind": "DBS", "level": 5, "issuer": "DBS", "reference": "001234567890", "validFrom": "2026-01-10"}}))
        .await;
    let dbs_id = dbs["recordCredential"]["id"].clone();
    let reject = "mutation($c:UUID!,$t:UUID!,$r:String!){ rejectCredential(credentialId:$c, trustId:$t, reason:$r){ status statusReason } }";
    let v = app
        .gql(Some(&hr_a), reject, json!({"c": dbs_id, "t": a, "r": "  "}))
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "a reason is required");
    let v = app.ok(Some(&hr_a), reject, json!({"c": dbs_id, "t": a, "r": "certificate number does not match the DBS update service"})).await;
    assert_eq!(v["rejectCredential"]["status"], "REJECTED");
    let v = app
        .gql(Some(&hr_a), verify, json!({"c": dbs_id, "t": a}))
        .await;
    assert_eq!(error_code(&v), "CONFLICT");

    // Status is computed from the date: after 1 July the fire safety certificate is expired.
    app.clock.set("2026-07-01T08:00:00Z".parse().unwrap());
    let me = app.login("kim@worker.test", fixtures::PASSWORD).await;
    let creds = app.ok(Some(&me), CREDENTIALS, json!({"w": w})).await;
    let list = creds["worker"]["credentials"].as_array().unwrap();
    let fire = list.iter().find(|c| c["id"] == fire_id).unwrap();
    assert_eq!(fire["status"], "EXPIRED");
    assert_eq!(fire["verifiedByTrust"]["id"], json!(a));
    assert_eq!(fire["recognisedBy"], json!([{"id": a}]));
    let events: Vec<&str> = fire["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, vec!["RECORDED", "VERIFIED", "RECOGNISED"]);

    // Revoking keeps the history and withdraws the recognition.
    app.clock.set("2026-06-10T08:00:00Z".parse().unwrap());
    let hr_a = app.login("hr@a.test", fixtures::PASSWORD).await;
    let revoke = "mutation($c:UUID!,$t:UUID!,$r:String!){ revokeCredential(credentialId:$c, trustId:$t, reason:$r){ status statusReason } }";
    let v = app
        .ok(
            Some(&hr_a),
            revoke,
            json!({"c": fire_id, "t": a, "r": "training provider withdrew the certificate"}),
        )
        .await;
    assert_eq!(v["revokeCredential"]["status"], "REVOKED");
    let creds = app.ok(Some(&hr_a), CREDENTIALS, json!({"w": w})).await;
    let fire = creds["worker"]["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == fire_id)
        .unwrap()
        .clone();
    assert_eq!(fire["recognisedBy"], json!([]));
    let last = fire["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "REVOKED");
    assert_eq!(last["reason"], "training provider withdrew the certificate");
}

const WORKER_VIEW: &str = "query($w:UUID!){ worker(id:$w){ givenName staffGroup grade skills access detail { niNumber dateOfBirth } } }";

async fn visibility_by_role_and_trust(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 3).await;
    let (a, b, c) = (bank.trusts[0], bank.trusts[1], bank.trusts[2]);
    let office_a = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    let office_b = fixtures::staff(&app, &bank, "office@b.test", "BANK_OFFICE", b).await;
    let hr_c = fixtures::staff(&app, &bank, "hr@c.test", "HR", c).await;
    let w = fixtures::worker(&app, &office_a, a, "Lee", "Morgan", "CE223344A").await;
    fixtures::make_compliant(&app, w, a, None).await;
    let me = fixtures::worker_login(&app, w, "lee@worker.test").await;

    // Own record and the registering trust: everything.
    for token in [&me, &office_a] {
        let v = app.ok(Some(token), WORKER_VIEW, json!({"w": w})).await;
        assert_eq!(v["worker"]["detail"]["niNumber"], "CE223344A");
    }
    assert_eq!(
        app.ok(Some(&me), WORKER_VIEW, json!({"w": w})).await["worker"]["access"],
        "OWN"
    );
    // Another trust of the bank: name, staff group, grade, skills only; no credentials.
    let v = app.ok(Some(&office_b), WORKER_VIEW, json!({"w": w})).await;
    assert_eq!(v["worker"]["access"], "SUMMARY");
    assert_eq!(v["worker"]["givenName"], "Lee");
    assert_eq!(v["worker"]["grade"], "BAND_3");
    assert!(v["worker"]["detail"].is_null());
    let v = app.gql(Some(&office_b), CREDENTIALS, json!({"w": w})).await;
    assert_eq!(error_code(&v), "FORBIDDEN");
    // A worker cannot see other workers at all.
    let other = fixtures::worker(&app, &office_a, a, "Ray", "Jones", "CE998877D").await;
    let v = app.gql(Some(&me), WORKER_VIEW, json!({"w": other})).await;
    assert_eq!(error_code(&v), "NOT_FOUND");
    // Nobody has looked from another trust yet.
    let log = "query($w:UUID!){ accessLog(workerId:$w){ what purpose viewerTrust { id } } }";
    assert_eq!(
        app.ok(Some(&me), log, json!({"w": w})).await["accessLog"],
        json!([])
    );

    // Once trust C engages the worker, its HR sees the credentials, and that look is logged where
    // the worker can see it.
    // (Engagement is now a request the worker accepts: issue 11.)
    fixtures::engage(&app, &hr_c, w, c).await;
    let v = app.ok(Some(&hr_c), CREDENTIALS, json!({"w": w})).await;
    assert!(!v["worker"]["credentials"].as_array().unwrap().is_empty());
    let entries = app.ok(Some(&me), log, json!({"w": w})).await;
    assert_eq!(
        entries["accessLog"],
        json!([{"what": "CREDENTIALS", "purpose": "ENGAGED_AT_TRUST", "viewerTrust": {"id": c}}])
    );
    // Looks by the home trust are not cross-organisation and are not logged.
    app.ok(Some(&office_a), CREDENTIALS, json!({"w": w})).await;
    assert_eq!(
        app.ok(Some(&me), log, json!({"w": w})).await["accessLog"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The system admin can audit it; other staff cannot read it.
    assert_eq!(
        app.ok(Some(&bank.admin_token), log, json!({"w": w})).await["accessLog"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        error_code(&app.gql(Some(&office_b), log, json!({"w": w})).await),
        "FORBIDDEN"
    );
}

async fn upload(
    app: &TestApp,
    token: &str,
    credential: &serde_json::Value,
    name: &str,
    bytes: Vec<u8>,
) -> serde_json::Value {
    fixtures::attach_evidence(
        app,
        token,
        credential,
        name,
        "application/octet-stream",
        bytes,
        "evidence { filename contentType size sha256 downloadPath }",
    )
    .await
}

async fn evidence_upload_limits_and_access(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        crate::harness::TestOptions {
            configure: |c| c.limits.max_upload_bytes = 64 * 1024,
            ..Default::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 2).await;
    let office_a =
        fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", bank.trusts[0]).await;
    let office_b =
        fixtures::staff(&app, &bank, "office@b.test", "BANK_OFFICE", bank.trusts[1]).await;
    let w = fixtures::worker(&app, &office_a, bank.trusts[0], "Jo", "Evans", "CE334455C").await;
    let me = fixtures::worker_login(&app, w, "jo@worker.test").await;
    let c = app
        .ok(Some(&me), RECORD, json!({"i": {"workerId": w, "kind": "IDENTITY", "issuer": "HM Passport Office", "validFrom": "2020-01-01"}}))
        .await["recordCredential"]["id"]
        .clone();

    // An executable renamed to .pdf is refused; so is a file over the limit; nothing is attached.
    let v = upload(
        &app,
        &me,
        &c,
        "passport.pdf",
        b"MZ\x90\x00\x03 not really a pdf".to_vec(),
    )
    .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(65 * 1024, b'x');
    let v = upload(&app, &me, &c, "big.pdf", big).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let creds = app
        .ok(
            Some(&me),
            "query($w:UUID!){ worker(id:$w){ credentials { evidence { sha256 } } } }",
            json!({"w": w}),
        )
        .await;
    assert!(creds["worker"]["credentials"][0]["evidence"].is_null());

    // A real PDF is stored, content-addressed.
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let v = upload(&app, &me, &c, "passport scan.pdf", pdf.clone()).await;
    let ev = &v["data"]["attachEvidence"]["evidence"];
    assert_eq!(ev["contentType"], "application/pdf", "{v}");
    assert_eq!(ev["size"], pdf.len());
    assert_eq!(ev["filename"], "passport scan.pdf");
    let path = ev["downloadPath"].as_str().unwrap().to_owned();

    // Readable by the worker and the engaging trust, byte for byte; not by another trust or anonymously.
    for token in [&me, &office_a] {
        let resp = app
            .client
            .get(format!("{}{path}", app.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        assert_eq!(resp.bytes().await.unwrap().to_vec(), pdf);
    }
    let resp = app
        .client
        .get(format!("{}{path}", app.url))
        .bearer_auth(&office_b)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let resp = app
        .client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}

async fn a_page_of_workers_with_credentials_is_a_fixed_number_of_queries(backend: Backend) {
    // No background email delivery, so every statement counted is the request's own; a batch
    // window long enough that a busy test machine does not split batches.
    let app = TestApp::spawn_with(
        backend,
        crate::harness::TestOptions {
            configure: |c| {
                c.mail.deliver = false;
                c.jobs.run = false;
                c.limits.batch_window_ms = 100;
            },
            ..Default::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 2).await;
    let a = bank.trusts[0];
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    let hr_b = fixtures::staff(&app, &bank, "hr@b.test", "HR", bank.trusts[1]).await;
    for i in 0..50 {
        let w = fixtures::worker(
            &app,
            &office,
            a,
            "Worker",
            &format!("Number{i}"),
            &format!("CE{:06}A", 100_000 + i),
        )
        .await;
        if i % 5 == 0 {
            fixtures::make_compliant(&app, w, a, None).await;
        }
        // Half are also engaged at trust B, so B's looks are logged too.
        if i % 2 == 0 {
            fixtures::engage(&app, &hr_b, w, bank.trusts[1]).await;
        }
    }
    let query = "query($t:UUID!,$n:Int!){ workers(trustId:$t, first:$n){ edges { node { id homeTrust { name } memberships { state trust { name } } credentials { kind status recognisedBy { name } history { event } } } } } }";
    for (token, trust) in [(&office, a), (&hr_b, bank.trusts[1])] {
        let mut counts = Vec::new();
        for page in [5, 50] {
            let before = app
                .state()
                .services
                .queries
                .load(std::sync::atomic::Ordering::SeqCst);
            let v = app
                .ok(Some(token), query, json!({"t": trust, "n": page}))
                .await;
            let after = app
                .state()
                .services
                .queries
                .load(std::sync::atomic::Ordering::SeqCst);
            let edges = v["workers"]["edges"].as_array().unwrap();
            assert_eq!(
                edges.len(),
                if page == 5 {
                    5
                } else if trust == a {
                    50
                } else {
                    25
                }
            );
            assert!(
                edges
                    .iter()
                    .any(|e| !e["node"]["credentials"].as_array().unwrap().is_empty())
            );
            counts.push(after - before);
        }
        // Nested lookups are batched per field, not made per worker: ten times the workers costs
        // no more queries (one query per worker per nested field would add hundreds). A query or
        // two either way is two batches of one key type meeting, or not, in one batch window.
        // The ceiling was 16 before issue 11; the per-batch checks it added (each nested trust
        // lookup scoped to the caller's bank, engagement consent read with the memberships) cost
        // a query or two per page, not per worker.
        assert!(
            counts[1] <= counts[0] + 2 && counts[1] <= 19,
            "queries for 5 and 50 workers: {counts:?}"
        );
    }
}

on_both_databases!(
    working_time_opt_out_is_the_workers_own_dated_choice,
    memberships_record_suspension_and_dormancy
);

async fn working_time_opt_out_is_the_workers_own_dated_choice(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        crate::harness::TestOptions {
            now: "2026-05-04T12:00:00Z".parse().unwrap(),
            ..Default::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 1).await;
    let office = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", bank.trusts[0]).await;
    let w = fixtures::worker(&app, &office, bank.trusts[0], "Abe", "Cole", "CE101010A").await;
    let me = fixtures::worker_login(&app, w, "abe@worker.test").await;
    let opt = "mutation($o:Boolean!){ setWorkingTimeOptOut(optedOut:$o){ detail { workingTimeOptOutAt } } }";
    // Only the worker can opt out: a bank office account is not a worker.
    assert_eq!(
        error_code(&app.gql(Some(&office), opt, json!({"o": true})).await),
        "FORBIDDEN"
    );
    let v = app.ok(Some(&me), opt, json!({"o": true})).await;
    assert_eq!(
        v["setWorkingTimeOptOut"]["detail"]["workingTimeOptOutAt"],
        "2026-05-04T12:00:00+00:00"
    );
    // The bank office sees the date it was recorded.
    let v = app
        .ok(
            Some(&office),
            "query($w:UUID!){ worker(id:$w){ detail { workingTimeOptOutAt } } }",
            json!({"w": w}),
        )
        .await;
    assert_eq!(
        v["worker"]["detail"]["workingTimeOptOutAt"],
        "2026-05-04T12:00:00+00:00"
    );
    let v = app.ok(Some(&me), opt, json!({"o": false})).await;
    assert!(v["setWorkingTimeOptOut"]["detail"]["workingTimeOptOutAt"].is_null());
}

async fn memberships_record_suspension_and_dormancy(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let (a, b) = (bank.trusts[0], bank.trusts[1]);
    let office_a = fixtures::staff(&app, &bank, "office@a.test", "BANK_OFFICE", a).await;
    let office_b = fixtures::staff(&app, &bank, "office@b.test", "BANK_OFFICE", b).await;
    let w = fixtures::worker(&app, &office_a, a, "Eve", "Hart", "CE202020B").await;
    let set = "mutation($w:UUID!,$t:UUID!,$s:MembershipState!,$r:String){ setMembershipState(workerId:$w, trustId:$t, state:$s, reason:$r){ state stateReason } }";
    assert_eq!(
        error_code(
            &app.gql(
                Some(&office_a),
                set,
                json!({"w": w, "t": a, "s": "SUSPENDED", "r": null})
            )
            .await
        ),
        "VALIDATION"
    );
    assert_eq!(
        error_code(
            &app.gql(
                Some(&office_b),
                set,
                json!({"w": w, "t": a, "s": "SUSPENDED", "r": "x"})
            )
            .await
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(
            &app.gql(
                Some(&office_b),
                set,
                json!({"w": w, "t": b, "s": "SUSPENDED", "r": "x"})
            )
            .await
        ),
        "NOT_FOUND"
    );
    let v = app
        .ok(
            Some(&office_a),
            set,
            json!({"w": w, "t": a, "s": "SUSPENDED", "r": "pending an investigation"}),
        )
        .await;
    assert_eq!(
        v["setMembershipState"],
        json!({"state": "SUSPENDED", "stateReason": "pending an investigation"})
    );
    fixtures::engage(&app, &office_b, w, b).await;
    let again = app
        .gql(
            Some(&office_b),
            "mutation($w:UUID!,$t:UUID!){ engageWorker(workerId:$w, trustId:$t){ state } }",
            json!({"w": w, "t": b}),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    let v = app
        .ok(
            Some(&office_a),
            "query($w:UUID!){ worker(id:$w){ memberships { state trust { id } } } }",
            json!({"w": w}),
        )
        .await;
    let mut states: Vec<(String, String)> = v["worker"]["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["trust"]["id"].as_str().unwrap().to_owned(),
                m["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    states.sort();
    let mut expected = vec![
        (a.to_string(), "SUSPENDED".to_owned()),
        (b.to_string(), "ACTIVE".to_owned()),
    ];
    expected.sort();
    assert_eq!(states, expected);
}
