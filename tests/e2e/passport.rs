//! Passports end to end: issue at trust A, share with trust B, verify, accept under the
//! passporting agreement, and the worker is compliant at B (the marketplace, built in parallel,
//! asks the same compliance question before a booking); consent withdrawn; revocation; an
//! independent check in Python against the JWKS served over HTTP; the offline verifier; and
//! tampered tokens, each refused for its own reason.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use staffbank_core::Clock;
use uuid::Uuid;

use crate::fixtures::{self, Bank};
use crate::harness::{Backend, TestApp, error_code};
use crate::on_both_databases;

on_both_databases!(
    issue_share_verify_accept_then_compliant_at_b,
    independent_python_check_and_offline_verifier,
    tampered_passports_are_rejected_each_for_its_reason
);

const ISSUE: &str = "mutation($w:UUID!,$t:UUID!){ issuePassport(workerId:$w, trustId:$t){ id token kid validFrom validUntil status items { kind level credentialId } } }";
const VERIFY: &str = "query($tok:String!){ verifyPassport(token:$tok){ valid statusChecked statusNote kid issuer passportId failures { reason detail } items { kind } subject { givenName } issuerTrust { id } } }";
const COMPLIANCE: &str = "query($w:UUID!,$t:UUID!){ compliance(workerId:$w, trustId:$t){ compliant items { kind status } } }";

/// A bank of `n` trusts, HR at each, a worker registered and compliant at trust 0, and their login.
struct World {
    app: TestApp,
    bank: Bank,
    hr: Vec<String>,
    worker: Uuid,
    worker_token: String,
}

async fn world(backend: Backend, n: usize) -> World {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, n).await;
    let mut hr = Vec::new();
    for (i, t) in bank.trusts.iter().enumerate() {
        hr.push(fixtures::staff(&app, &bank, &format!("hr{i}@bank.test"), "HR", *t).await);
    }
    let worker =
        fixtures::worker(&app, &hr[0], bank.trusts[0], "Grace", "Okafor", "AB123456C").await;
    fixtures::make_compliant(&app, worker, bank.trusts[0], None).await;
    let worker_token = fixtures::worker_login(&app, worker, "grace@worker.test").await;
    World {
        app,
        bank,
        hr,
        worker,
        worker_token,
    }
}

async fn issue(w: &World, hr: &str, trust: Uuid) -> Value {
    w.app
        .ok(Some(hr), ISSUE, json!({"w": w.worker, "t": trust}))
        .await["issuePassport"]
        .clone()
}

async fn verify(app: &TestApp, auth: &str, token: &str) -> Value {
    app.ok(Some(auth), VERIFY, json!({"tok": token})).await["verifyPassport"].clone()
}

fn reasons(v: &Value) -> Vec<String> {
    v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reason"].as_str().unwrap().to_owned())
        .collect()
}

fn status_of<'a>(report: &'a Value, kind: &str) -> &'a str {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .and_then(|i| i["status"].as_str())
        .unwrap_or("<absent>")
}

async fn issue_share_verify_accept_then_compliant_at_b(backend: Backend) {
    let w = world(backend, 3).await;
    let app = &w.app;
    let (a, b, c) = (w.bank.trusts[0], w.bank.trusts[1], w.bank.trusts[2]);

    // Before: the worker's checks are verified at A only; B does not recognise them.
    let before = app
        .ok(Some(&w.hr[1]), COMPLIANCE, json!({"w": w.worker, "t": b}))
        .await;
    assert_eq!(before["compliance"]["compliant"], false);
    assert_eq!(
        status_of(&before["compliance"], "DBS"),
        "PENDING_VERIFICATION"
    );

    // Only HR of a trust engaging the worker may issue.
    let v = app
        .gql(Some(&w.hr[1]), ISSUE, json!({"w": w.worker, "t": b}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let p = issue(&w, &w.hr[0], a).await;
    let passport_id = p["id"].as_str().unwrap().to_owned();
    let token = p["token"].as_str().unwrap().to_owned();
    assert_eq!(p["status"], "ACTIVE");
    let valid_from: DateTime<Utc> = p["validFrom"].as_str().unwrap().parse().unwrap();
    let valid_until: DateTime<Utc> = p["validUntil"].as_str().unwrap().parse().unwrap();
    // Items expire in ~700 days; the default agreement caps passports at 180 days.
    assert_eq!(valid_until - valid_from, Duration::days(180));
    let n_items = p["items"].as_array().unwrap().len();
    assert!(n_items >= 15, "every verified ECS and CSTF item: {p}");

    // Without consent, B sees neither the passport nor the credential detail.
    let fetch = "query($id:UUID!,$t:UUID){ passport(id:$id, trustId:$t){ id token } }";
    let v = app
        .gql(Some(&w.hr[1]), fetch, json!({"id": passport_id, "t": b}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let creds = app
        .gql(
            Some(&w.hr[1]),
            "query($w:UUID!){ worker(id:$w){ credentials { id } } }",
            json!({"w": w.worker}),
        )
        .await;
    assert!(creds["errors"].is_array(), "{creds}");
    let v = app
        .gql(
            Some(&w.hr[1]),
            "query($tok:String!,$t:UUID!){ evaluatePassport(token:$tok, trustId:$t){ acceptedCount } }",
            json!({"tok": token, "t": b}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");

    // Only the worker can share; they share with B and with C.
    let share = "mutation($p:UUID!,$t:UUID!){ sharePassport(passportId:$p, trustId:$t){ id active trust { id } } }";
    let v = app
        .gql(Some(&w.hr[0]), share, json!({"p": passport_id, "t": b}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN");
    let to_b = app
        .ok(
            Some(&w.worker_token),
            share,
            json!({"p": passport_id, "t": b}),
        )
        .await;
    assert_eq!(to_b["sharePassport"]["active"], true);
    let to_c = app
        .ok(
            Some(&w.worker_token),
            share,
            json!({"p": passport_id, "t": c}),
        )
        .await;
    let share_c = to_c["sharePassport"]["id"].as_str().unwrap().to_owned();

    // Now HR of B fetches it, verifies it and weighs it.
    let fetched = app
        .ok(Some(&w.hr[1]), fetch, json!({"id": passport_id, "t": b}))
        .await;
    assert_eq!(fetched["passport"]["token"], token.as_str());
    let v = verify(app, &w.hr[1], &token).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["statusChecked"], true);
    assert_eq!(v["issuerTrust"]["id"], a.to_string());
    assert_eq!(v["subject"]["givenName"], "Grace");
    assert_eq!(v["passportId"], passport_id.as_str());

    let accept = "mutation($tok:String!,$t:UUID!){ acceptPassport(token:$tok, trustId:$t){ acceptanceId acceptedCount localCheckCount rejectedCount stillRequired items { kind decision reason credentialId } } }";
    let accepted = app
        .ok(Some(&w.hr[1]), accept, json!({"tok": token, "t": b}))
        .await["acceptPassport"]
        .clone();
    let items = accepted["items"].as_array().unwrap();
    let decision = |kind: &str| {
        items
            .iter()
            .find(|i| i["kind"] == kind)
            .map(|i| i["decision"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(decision("DBS"), "ACCEPTED");
    assert_eq!(decision("FIRE_SAFETY"), "ACCEPTED");
    assert_eq!(decision("RIGHT_TO_WORK"), "NEEDS_LOCAL_CHECK", "{accepted}");
    assert_eq!(accepted["localCheckCount"], 1);
    assert_eq!(accepted["rejectedCount"], 0);
    assert_eq!(accepted["acceptedCount"], n_items - 1);
    assert_eq!(accepted["stillRequired"], json!(["RIGHT_TO_WORK"]));

    // B does its one local check (right to work) and the worker is compliant at B: every other
    // item came through the passport, with provenance.
    let rtw = items.iter().find(|i| i["kind"] == "RIGHT_TO_WORK").unwrap()["credentialId"].clone();
    // (Engagement is now a request the worker accepts: issue 11.)
    fixtures::engage(app, &w.hr[1], w.worker, b).await;
    app.ok(
        Some(&w.hr[1]),
        "mutation($c:UUID!,$t:UUID!){ verifyCredential(credentialId:$c, trustId:$t){ id } }",
        json!({"c": rtw, "t": b}),
    )
    .await;
    let after = app
        .ok(Some(&w.hr[1]), COMPLIANCE, json!({"w": w.worker, "t": b}))
        .await;
    assert_eq!(after["compliance"]["compliant"], true, "{after}");
    let db = &app.state().services.db;
    let provenance = staffbank_bank::credentials::recognitions_of(
        db,
        &[
            items.iter().find(|i| i["kind"] == "DBS").unwrap()["credentialId"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
        ],
    )
    .await
    .unwrap();
    let at_b = provenance.iter().find(|r| r.trust_id == b).unwrap();
    assert_eq!(at_b.source, "PASSPORT");
    assert_eq!(
        at_b.passport_id.map(|p| p.to_string()),
        Some(passport_id.clone())
    );
    assert_eq!(at_b.issuer_trust_id, Some(a));

    // Time saved is visible.
    let savings = app
        .ok(
            Some(&w.bank.admin_token),
            "query($s:UUID!){ passportSavings(systemId:$s){ passportsIssued acceptances checksAccepted checksNeedingLocalCheck } }",
            json!({"s": w.bank.system_id}),
        )
        .await;
    assert_eq!(savings["passportSavings"]["checksAccepted"], n_items - 1);
    assert_eq!(savings["passportSavings"]["checksNeedingLocalCheck"], 1);

    // C can see it while shared; after the worker withdraws consent, C is refused.
    app.ok(Some(&w.hr[2]), fetch, json!({"id": passport_id, "t": c}))
        .await;
    let withdrawn = app
        .ok(
            Some(&w.worker_token),
            "mutation($s:UUID!){ withdrawPassportShare(shareId:$s){ active withdrawnAt } }",
            json!({"s": share_c}),
        )
        .await;
    assert_eq!(withdrawn["withdrawPassportShare"]["active"], false);
    let v = app
        .gql(Some(&w.hr[2]), fetch, json!({"id": passport_id, "t": c}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = app
        .gql(Some(&w.hr[2]), accept, json!({"tok": token, "t": c}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");

    // The worker sees who looked, from which trust and why; the system admin audits it all.
    let log = app
        .ok(
            Some(&w.worker_token),
            "query($w:UUID!){ accessLog(workerId:$w){ what purpose viewerTrust { id } } }",
            json!({"w": w.worker}),
        )
        .await;
    let entries = log["accessLog"].as_array().unwrap();
    let seen = |trust: Uuid, purpose: &str| {
        entries.iter().any(|e| {
            e["what"] == "PASSPORT"
                && e["purpose"] == purpose
                && e["viewerTrust"]["id"] == trust.to_string()
        })
    };
    assert!(seen(b, "PASSPORT_SHARED"), "{log}");
    assert!(seen(c, "PASSPORT_SHARED"), "{log}");
    assert!(seen(b, "PASSPORT_PRESENTED"), "{log}");
    let audit = app
        .ok(
            Some(&w.bank.admin_token),
            "query($s:UUID!){ accessAudit(systemId:$s, first:100){ edges { node { what purpose } } } }",
            json!({"s": w.bank.system_id}),
        )
        .await;
    assert!(audit["accessAudit"]["edges"].as_array().unwrap().len() >= entries.len());
    let v = app
        .gql(
            Some(&w.hr[1]),
            "query($s:UUID!){ accessAudit(systemId:$s){ edges { node { what } } } }",
            json!({"s": w.bank.system_id}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN");

    // Bad input changes nothing.
    let revoke = "mutation($p:UUID!,$r:String!){ revokePassport(passportId:$p, reason:$r){ status statusReason } }";
    let v = app
        .gql(Some(&w.hr[0]), revoke, json!({"p": passport_id, "r": "  "}))
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let v = app
        .gql(
            Some(&w.bank.admin_token),
            "mutation($s:UUID!){ setPassportingAgreement(systemId:$s, input:{maxPassportDays:90, rules:[{kind:\"NOT_A_KIND\", recognised:true}]}){ maxPassportDays } }",
            json!({"s": w.bank.system_id}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let v = app
        .gql(
            Some(&w.hr[1]),
            revoke,
            json!({"p": passport_id, "r": "not ours"}),
        )
        .await;
    assert_eq!(
        error_code(&v),
        "FORBIDDEN",
        "only the issuing trust revokes: {v}"
    );

    // The issuer revokes: verifiers see it, B's recognitions through it are withdrawn (only the
    // local right to work check stays), and B's list of accepted passports shows it.
    let revoked = app
        .ok(
            Some(&w.hr[0]),
            revoke,
            json!({"p": passport_id, "r": "DBS disclosure withdrawn"}),
        )
        .await;
    assert_eq!(revoked["revokePassport"]["status"], "REVOKED");
    let v = verify(app, &w.hr[1], &token).await;
    assert_eq!(v["valid"], false);
    assert_eq!(reasons(&v), vec!["REVOKED"]);
    // The worker is emailed, and so is HR of the trust that accepted it (in the same transaction).
    let mail: Vec<(String, String)> = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind.starts_with("passport.status"))
        .map(|m| (m.kind, m.recipient))
        .collect();
    assert!(
        mail.contains(&(
            "passport.status.worker".into(),
            "grace.okafor@worker.test".into()
        )),
        "{mail:?}"
    );
    assert!(
        mail.contains(&("passport.status.trust".into(), "hr1@bank.test".into())),
        "{mail:?}"
    );
    assert_eq!(mail.len(), 2, "C never accepted it: {mail:?}");
    let after = app
        .ok(Some(&w.hr[1]), COMPLIANCE, json!({"w": w.worker, "t": b}))
        .await;
    assert_eq!(after["compliance"]["compliant"], false);
    assert_eq!(
        status_of(&after["compliance"], "DBS"),
        "PENDING_VERIFICATION"
    );
    assert_eq!(status_of(&after["compliance"], "RIGHT_TO_WORK"), "MET");
    let acceptances = app
        .ok(
            Some(&w.hr[1]),
            "query($t:UUID!){ passportAcceptances(trustId:$t){ passportStatus passportStatusReason acceptedCount } }",
            json!({"t": b}),
        )
        .await;
    assert_eq!(
        acceptances["passportAcceptances"][0]["passportStatus"],
        "REVOKED"
    );
    let v = app
        .gql(Some(&w.hr[1]), accept, json!({"tok": token, "t": b}))
        .await;
    assert_eq!(error_code(&v), "VALIDATION");
    assert_eq!(
        v["errors"][0]["extensions"]["details"]["reasons"],
        json!(["REVOKED"])
    );
    let history = app
        .ok(
            Some(&w.worker_token),
            "query($id:UUID!){ passport(id:$id){ history { event } } }",
            json!({"id": passport_id}),
        )
        .await;
    let events: Vec<&str> = history["passport"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        vec![
            "ISSUED",
            "SHARED",
            "SHARED",
            "ACCEPTED",
            "SHARE_WITHDRAWN",
            "REVOKED"
        ]
    );
}

async fn get_text(app: &TestApp, url: &str) -> String {
    let r = app.client.get(url).send().await.unwrap();
    assert!(r.status().is_success(), "GET {url}: {}", r.status());
    r.text().await.unwrap()
}

fn payload(token: &str) -> Value {
    let p = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
}

fn python_check(token: &str) -> (bool, String) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/verify_passport.py");
    let out = std::process::Command::new(crate::python::with_cryptography())
        .arg(script)
        .arg(token)
        .output()
        .expect("python3 runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

async fn independent_python_check_and_offline_verifier(backend: Backend) {
    let w = world(backend, 2).await;
    let app = &w.app;
    let p = issue(&w, &w.hr[0], w.bank.trusts[0]).await;
    let token = p["token"].as_str().unwrap().to_owned();

    // Python's `cryptography`, with only the JWKS fetched from the running server, agrees.
    let claims = payload(&token);
    assert!(
        claims["issuer"]["id"]
            .as_str()
            .unwrap()
            .starts_with(&app.url)
    );
    let token_py = token.clone();
    let (ok, out) = tokio::task::spawn_blocking(move || python_check(&token_py))
        .await
        .unwrap();
    assert!(ok, "python: {out}");
    assert!(out.starts_with("OK urn:uuid:"), "{out}");
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut forged = claims.clone();
    forged["credentialSubject"]["givenName"] = json!("Mallory");
    parts[1] = URL_SAFE_NO_PAD.encode(forged.to_string());
    let tampered = parts.join(".");
    let (ok, out) = tokio::task::spawn_blocking(move || python_check(&tampered))
        .await
        .unwrap();
    assert!(!ok && out.contains("BAD SIGNATURE"), "python: {out}");

    // Offline: the registry file from its public URL, the passport from a file.
    let registry_url = app
        .ok(
            Some(&w.hr[1]),
            "query($s:UUID!){ trustRegistry(systemId:$s){ url } }",
            json!({"s": w.bank.system_id}),
        )
        .await["trustRegistry"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("registry.json");
    std::fs::write(&registry, get_text(app, &registry_url).await).unwrap();
    let passport = dir.path().join("passport.jwt");
    std::fs::write(&passport, &token).unwrap();
    let mut args = staffbank_gateway::cli::VerifyArgs {
        registry: registry.clone(),
        status_lists: Vec::new(),
        at: Some(app.clock.now()),
        json: false,
        passport: passport.clone(),
    };
    let (report, valid) = staffbank_gateway::cli::verify_passport(&args).unwrap();
    assert!(valid, "{report}");
    assert!(
        report.contains("NOT CHECKED"),
        "says revocation was not checked: {report}"
    );

    // With the status list files as published, revocation is checked; after revocation (and
    // fetching the lists again) the offline verifier refuses it.
    args.status_lists = fetch_lists(app, dir.path(), &claims).await;
    let (report, valid) = staffbank_gateway::cli::verify_passport(&args).unwrap();
    assert!(valid && report.contains("lists checked"), "{report}");
    app.ok(
        Some(&w.hr[0]),
        "mutation($p:UUID!){ revokePassport(passportId:$p, reason:\"issued in error\"){ status } }",
        json!({"p": p["id"]}),
    )
    .await;
    let (report, valid) = staffbank_gateway::cli::verify_passport(&args).unwrap();
    assert!(valid, "old lists still say not revoked: {report}");
    args.status_lists = fetch_lists(app, dir.path(), &claims).await;
    args.json = true;
    let (report, valid) = staffbank_gateway::cli::verify_passport(&args).unwrap();
    assert!(!valid);
    let json: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(json["failures"][0]["reason"], "REVOKED", "{json}");
    // An unreadable registry is a usage error, not a verdict.
    args.registry = passport.clone();
    assert!(staffbank_gateway::cli::verify_passport(&args).is_err());
}

async fn fetch_lists(
    app: &TestApp,
    dir: &std::path::Path,
    claims: &Value,
) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for (i, entry) in claims["credentialStatus"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let url = entry["statusListCredential"].as_str().unwrap();
        let path = dir.join(format!("status-{i}.jwt"));
        std::fs::write(&path, get_text(app, url).await).unwrap();
        files.push(path);
    }
    files
}

fn b64json(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

fn sign(key: &ed25519_dalek::SigningKey, header: &Value, payload: &Value) -> String {
    use ed25519_dalek::Signer;
    let input = format!("{}.{}", b64json(header), b64json(payload));
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
}

async fn tampered_passports_are_rejected_each_for_its_reason(backend: Backend) {
    let w = world(backend, 2).await;
    let app = &w.app;
    let a = w.bank.trusts[0];
    let hr = &w.hr[1];
    let p1 = issue(&w, &w.hr[0], a).await;
    let p2 = issue(&w, &w.hr[0], a).await;
    let p3 = issue(&w, &w.hr[0], a).await;
    let t1 = p1["token"].as_str().unwrap().to_owned();
    let t2 = p2["token"].as_str().unwrap().to_owned();
    let t3 = p3["token"].as_str().unwrap().to_owned();
    let parts: Vec<&str> = t1.split('.').collect();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let claims = payload(&t1);
    let kid = header["kid"].as_str().unwrap().to_owned();
    assert_eq!(verify(app, hr, &t1).await["valid"], true);

    let with_header = |h: Value| format!("{}.{}.{}", b64json(&h), parts[1], parts[2]);
    let mut cases: Vec<(&str, String, &str)> = Vec::new();
    let mut changed = claims.clone();
    changed["credentialSubject"]["checks"][0]["expiresOn"] = json!("2099-01-01");
    cases.push((
        "changed payload",
        format!("{}.{}.{}", parts[0], b64json(&changed), parts[2]),
        "BAD_SIGNATURE",
    ));
    let sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    cases.push((
        "truncated signature",
        format!(
            "{}.{}.{}",
            parts[0],
            parts[1],
            URL_SAFE_NO_PAD.encode(&sig[..32])
        ),
        "BAD_SIGNATURE",
    ));
    cases.push((
        "signature of another passport",
        format!(
            "{}.{}.{}",
            parts[0],
            parts[1],
            t2.split('.').nth(2).unwrap()
        ),
        "BAD_SIGNATURE",
    ));
    cases.push((
        "alg none",
        format!(
            "{}.{}.",
            b64json(&json!({"alg":"none","typ":"vc+jwt","kid":kid})),
            parts[1]
        ),
        "UNSUPPORTED_ALGORITHM",
    ));
    cases.push((
        "alg HS256 (public key as an HMAC secret)",
        with_header(json!({"alg":"HS256","typ":"vc+jwt","kid":kid})),
        "UNSUPPORTED_ALGORITHM",
    ));
    cases.push((
        "unknown kid",
        with_header(json!({"alg":"EdDSA","typ":"vc+jwt","kid":"no-such-key"})),
        "UNKNOWN_KEY",
    ));
    cases.push((
        "key embedded in the header",
        with_header(json!({"alg":"EdDSA","typ":"vc+jwt","kid":kid,"jwk":{"kty":"OKP","crv":"Ed25519","x":"AAAA"}})),
        "FORBIDDEN_HEADER",
    ));
    cases.push((
        "typ not vc+jwt",
        with_header(json!({"alg":"EdDSA","typ":"JWT","kid":kid})),
        "WRONG_TYPE",
    ));
    cases.push((
        "malformed base64",
        format!("{}.{}*.{}", parts[0], parts[1], parts[2]),
        "INVALID_BASE64",
    ));
    cases.push((
        "malformed JSON",
        format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode("{\"not\": json"),
            parts[2]
        ),
        "INVALID_JSON",
    ));
    cases.push((
        "oversize token",
        format!("{}.{}.{}", parts[0], "A".repeat(70_000), parts[2]),
        "TOO_LARGE",
    ));
    cases.push((
        "two parts",
        format!("{}.{}", parts[0], parts[1]),
        "MALFORMED",
    ));

    // Signed well, but by a key outside the registry, for an issuer outside it.
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let mut outsider = claims.clone();
    outsider["issuer"]["id"] = json!("https://evil.example/trusts/x");
    outsider["iss"] = json!("https://evil.example/trusts/x");
    cases.push((
        "issuer outside the registry",
        sign(&stranger, &header, &outsider),
        "UNKNOWN_ISSUER",
    ));
    // Signed by the trust's own key, but not a passport.
    let db = &app.state().services.db;
    let kek = &app.state().services.kek;
    let (_, trust_key) = staffbank_passport::keys::current_signing_key(db, kek, a)
        .await
        .unwrap();
    let mut not_vc = claims.clone();
    not_vc["type"] = json!(["StaffPassportCredential"]);
    cases.push((
        "not a VerifiableCredential",
        sign(&trust_key, &header, &not_vc),
        "INVALID_CREDENTIAL",
    ));
    for (name, token, reason) in &cases {
        let v = verify(app, hr, token).await;
        assert_eq!(v["valid"], false, "{name}: {v}");
        assert!(
            reasons(&v).iter().any(|r| r == reason),
            "{name}: expected {reason}, got {v}"
        );
    }

    // The validity window (60 s of clock skew allowed).
    let valid_from: DateTime<Utc> = p1["validFrom"].as_str().unwrap().parse().unwrap();
    let valid_until: DateTime<Utc> = p1["validUntil"].as_str().unwrap().parse().unwrap();
    let now = app.clock.now();
    app.clock.set(valid_from - Duration::minutes(5));
    assert_eq!(
        reasons(&verify(app, hr, &t1).await),
        vec!["NOT_YET_VALID"; 2]
    );
    app.clock.set(valid_until + Duration::seconds(61));
    // Half a year on, the bearer token has expired too: sign in again.
    let hr_later = app.login("hr1@bank.test", fixtures::PASSWORD).await;
    assert_eq!(reasons(&verify(app, &hr_later, &t1).await), vec!["EXPIRED"]);
    app.clock.set(now);
    // Months ahead, the scheduled clean-up rightly deleted the sessions that had long expired by
    // then; back at `now`, HR signs in again.
    let hr0 = app.login("hr0@bank.test", fixtures::PASSWORD).await;
    let hr = &app.login("hr1@bank.test", fixtures::PASSWORD).await;
    let bank = fixtures::Bank {
        system_id: w.bank.system_id,
        trusts: w.bank.trusts.clone(),
        admin_token: app.login("admin@bank.test", fixtures::PASSWORD).await,
    };

    // Suspended, then reinstated; revoked.
    app.ok(
        Some(&hr0),
        "mutation($p:UUID!){ suspendPassport(passportId:$p, reason:\"under investigation\"){ status } }",
        json!({"p": p2["id"]}),
    )
    .await;
    assert_eq!(reasons(&verify(app, hr, &t2).await), vec!["SUSPENDED"]);
    app.ok(
        Some(&hr0),
        "mutation($p:UUID!){ reinstatePassport(passportId:$p){ status } }",
        json!({"p": p2["id"]}),
    )
    .await;
    assert_eq!(verify(app, hr, &t2).await["valid"], true);
    app.ok(
        Some(&hr0),
        "mutation($p:UUID!){ revokePassport(passportId:$p, reason:\"issued in error\"){ status } }",
        json!({"p": p3["id"]}),
    )
    .await;
    assert_eq!(reasons(&verify(app, hr, &t3).await), vec!["REVOKED"]);

    // Rotation: the old key still verifies what it signed before, but not what it signs after;
    // retiring it ends everything it signed.
    let admin = fixtures::staff(app, &bank, "admin@a.test", "TRUST_ADMIN", a).await;
    let rotated = app
        .ok(
            Some(&admin),
            "mutation($t:UUID!){ rotateTrustKey(trustId:$t){ kid state } }",
            json!({"t": a}),
        )
        .await;
    assert_eq!(rotated["rotateTrustKey"]["state"], "ACTIVE");
    assert_ne!(rotated["rotateTrustKey"]["kid"], kid.as_str());
    let jwks: Value =
        serde_json::from_str(&get_text(app, &format!("{}/trusts/{a}/jwks.json", app.url)).await)
            .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    assert_eq!(verify(app, hr, &t1).await["valid"], true);
    app.clock.advance(Duration::minutes(10));
    let mut late = claims.clone();
    let now = app.clock.now().timestamp();
    late["iat"] = json!(now);
    late["validFrom"] = json!(
        app.clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let v = verify(app, hr, &sign(&trust_key, &header, &late)).await;
    assert_eq!(reasons(&v), vec!["KEY_NOT_VALID_AT_ISSUE"], "{v}");
    let v = app
        .gql(
            Some(&admin),
            "mutation($t:UUID!,$k:String!){ retireTrustKey(trustId:$t, kid:$k){ state } }",
            json!({"t": a, "k": rotated["rotateTrustKey"]["kid"]}),
        )
        .await;
    assert_eq!(
        error_code(&v),
        "CONFLICT",
        "the active key cannot be retired"
    );
    let retired = app
        .ok(
            Some(&admin),
            "mutation($t:UUID!,$k:String!){ retireTrustKey(trustId:$t, kid:$k){ state retiredAt } }",
            json!({"t": a, "k": kid}),
        )
        .await;
    assert_eq!(reasons(&verify(app, hr, &t1).await), vec!["KEY_RETIRED"]);
    // Retiring it again (a second tab) changes nothing: the same key, retired when it first was.
    app.clock.advance(chrono::Duration::minutes(5));
    let again = app
        .ok(
            Some(&admin),
            "mutation($t:UUID!,$k:String!){ retireTrustKey(trustId:$t, kid:$k){ state retiredAt } }",
            json!({"t": a, "k": kid}),
        )
        .await;
    assert_eq!(again, retired);
    let jwks: Value =
        serde_json::from_str(&get_text(app, &format!("{}/trusts/{a}/jwks.json", app.url)).await)
            .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    // A new passport, signed with the new key, verifies.
    let fresh = issue(&w, &hr0, a).await;
    assert_eq!(
        verify(app, hr, fresh["token"].as_str().unwrap()).await["valid"],
        true
    );
    assert!(cases.len() + 6 >= 15);
}
