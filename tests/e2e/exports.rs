//! Exports and files: a payroll CSV never holds a cell a spreadsheet would run as a formula
//! (OWASP "CSV injection": a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`), and an
//! evidence file keeps a name without folders, control or direction characters, at most 120
//! characters long.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp};
use crate::market_fixtures as mf;
use crate::on_both_databases;

on_both_databases!(
    payroll_csv_cells_cannot_start_a_formula,
    evidence_file_names_lose_folders_control_and_direction_characters,
);

async fn payroll_csv_cells_cannot_start_a_formula(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    // A ward whose cost centre, and a worker whose names, start like formulae.
    let ward: Uuid = app
        .ok(
            Some(&t.admin),
            "mutation($s:UUID!){ createWard(input:{siteId:$s, name:\"Formula Ward\", costCentre:\"-2+3\", requiredSkills:[\"ELDERLY_CARE\"]}){ id } }",
            json!({"s": t.site}),
        )
        .await["createWard"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let worker: Uuid = app
        .ok(
            Some(&t.office),
            "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id } }",
            json!({"i": {
                "trustId": t.id, "givenName": "=HYPERLINK(\"http://x.test\",\"pay\")", "familyName": "@SUM(A1)",
                "dateOfBirth": "1990-04-12", "niNumber": mf::ni(9), "email": "formula@worker.test",
                "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "skills": ["ELDERLY_CARE"]
            }}),
        )
        .await["createWorker"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    fixtures::make_compliant(&app, worker, t.id, Some(ward)).await;
    app.ok(
        Some(&t.admin),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({"i": {"email": "manager@trust.test", "displayName": "Manager", "password": PASSWORD, "scope": {"role": "WARD_MANAGER", "trustId": t.id, "wardId": ward}}}),
    )
    .await;
    let start = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
    let mut input = mf::hca_shift(t, start, 8);
    input["wardId"] = json!(ward);
    let shift = mf::post(&app, &t.office, input).await;
    let v = mf::book(&app, &t.office, shift, Some(worker), None).await;
    let booking = v["data"]["bookShift"]["booking"]["id"].clone();
    assert!(booking.is_string(), "{v:#}");
    app.clock.set(start + Duration::hours(10));
    let me = fixtures::worker_login(&app, worker, "formula@worker.test").await;
    let timesheet = app
        .ok(
            Some(&me),
            "mutation($b:UUID!,$s:DateTime!,$e:DateTime!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:30){ id } }",
            json!({"b": booking, "s": start, "e": start + Duration::hours(8)}),
        )
        .await["submitTimesheet"]["id"]
        .clone();
    let manager = app.login("manager@trust.test", PASSWORD).await;
    app.ok(
        Some(&manager),
        "mutation($t:UUID!){ approveTimesheet(id:$t){ state } }",
        json!({"t": timesheet}),
    )
    .await;
    let period = app
        .ok(
            Some(&t.office),
            "mutation($t:UUID!){ approveTimesheetPayment(id:$t){ payPeriod } }",
            json!({"t": timesheet}),
        )
        .await["approveTimesheetPayment"]["payPeriod"]
        .clone();
    let export = app
        .ok(
            Some(&t.office),
            "mutation($t:UUID!,$p:String!){ exportPayroll(trustId:$t, payPeriod:$p){ id csv } }",
            json!({"t": t.id, "p": period}),
        )
        .await["exportPayroll"]
        .clone();
    let csv = export["csv"].as_str().unwrap().to_owned();
    let rows: Vec<Vec<String>> = parse_csv(&csv);
    assert!(rows.len() >= 2, "{csv}");
    for row in &rows[1..] {
        assert_eq!(row.len(), rows[0].len(), "{csv}");
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell a spreadsheet would run: {cell:?} in\n{csv}"
            );
        }
        // The values themselves are kept, behind the quote.
        assert_eq!(row[1], "'=HYPERLINK(\"http://x.test\",\"pay\") @SUM(A1)");
        assert_eq!(row[3], "'-2+3");
    }
    // The stored export, fetched again, is the same file.
    let again = app
        .ok(
            Some(&t.office),
            "query($t:UUID!,$p:String!){ payrollExports(trustId:$t, payPeriod:$p){ csv } }",
            json!({"t": t.id, "p": period}),
        )
        .await;
    assert_eq!(again["payrollExports"][0]["csv"], json!(csv));
}

/// A small CSV reader (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

async fn upload(app: &TestApp, token: &str, credential: &Value, name: &str) -> Value {
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    fixtures::attach_evidence(
        app,
        token,
        credential,
        name,
        "application/pdf",
        pdf,
        "evidence { filename downloadPath }",
    )
    .await
}

async fn evidence_file_names_lose_folders_control_and_direction_characters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let office = fixtures::staff(
        &app,
        &bank,
        "office@trust.test",
        "BANK_OFFICE",
        bank.trusts[0],
    )
    .await;
    let w = fixtures::worker(&app, &office, bank.trusts[0], "Jo", "Evans", "CE334455C").await;
    let me = fixtures::worker_login(&app, w, "jo@worker.test").await;
    let long = format!("{}.pdf", "n".repeat(300));
    let cases: [(&str, String); 5] = [
        // A right-to-left override makes "scan\u{202E}fdp.exe" read as "scanexe.pdf".
        ("scan\u{202E}fdp.exe", "scanfdp.exe".to_owned()),
        ("../../etc/passwd.pdf", "passwd.pdf".to_owned()),
        ("C:\\Users\\jo\\dbs.pdf", "dbs.pdf".to_owned()),
        ("zero\u{200B}width\u{2066}.pdf", "zerowidth.pdf".to_owned()),
        (long.as_str(), format!("{}.pdf", "n".repeat(116))),
    ];
    for (i, (sent, kept)) in cases.iter().enumerate() {
        let c = app
            .ok(
                Some(&me),
                "mutation($i: RecordCredentialInput!){ recordCredential(input:$i){ id } }",
                json!({"i": {"workerId": w, "kind": "IDENTITY", "issuer": format!("Issuer {i}"), "validFrom": "2020-01-01"}}),
            )
            .await["recordCredential"]["id"]
            .clone();
        let v = upload(&app, &me, &c, sent).await;
        let ev = &v["data"]["attachEvidence"]["evidence"];
        assert_eq!(ev["filename"], json!(kept), "{sent:?}: {v:#}");
        // Downloaded, the name is an ASCII header with the exact name encoded beside it.
        let resp = app
            .client
            .get(format!(
                "{}{}",
                app.url,
                ev["downloadPath"].as_str().unwrap()
            ))
            .bearer_auth(&me)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let disposition = resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
        assert!(
            !disposition.contains(['/', '\\']) || disposition.contains("%2F"),
            "{disposition}"
        );
    }
}
