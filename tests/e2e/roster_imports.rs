//! Roster imports through the gateway: a good file is previewed (nothing posted) and then posted
//! all at once; a file with one bad row keeps every row's problem and posts nothing; the same file
//! uploaded again is the first import and posting it again posts nothing new; files that are not
//! roster files are refused whole; another trust's bank office cannot see or post an import.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::harness::{Backend, TestApp, error_code};
use crate::market_fixtures::{market, monday, start};
use crate::on_both_databases;

on_both_databases!(
    a_roster_previews_then_posts_all_or_nothing_once,
    bad_files_are_refused_whole
);

const IMPORT: &str = "id state rowCount rowsPosted filename contentSha256 problems { row column message } rows(first: 2) { row cells }";

/// Uploads `csv` as `token` for `trust` (a GraphQL multipart upload); the whole answer.
async fn upload(app: &TestApp, token: &str, trust: Uuid, name: &str, bytes: Vec<u8>) -> Value {
    let operations = json!({
        "query": format!("mutation($t:UUID!,$f:Upload!){{ uploadRoster(trustId:$t, file:$f){{ alreadyUploaded import {{ {IMPORT} }} }} }}"),
        "variables": {"t": trust, "f": null}
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", r#"{"0":["variables.f"]}"#)
        .part(
            "0",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str("text/csv")
                .unwrap(),
        );
    app.client
        .post(format!("{}/graphql", app.url))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A roster of `days` day shifts on Ash Ward from the Tuesday after [`monday`], with `extra` rows.
fn roster(days: i64, extra: &[&str]) -> String {
    let mut csv = String::from(
        "Ward,Date,Start,End,Break,Staff group,Grade,Fallback grades,Skills,Reason,Pay basis,Workers,Notes\r\n",
    );
    for d in 1..=days {
        let date = (monday() + chrono::Duration::days(d)).format("%d/%m/%Y");
        csv.push_str(&format!(
            "Ash Ward,{date},07:30,20:00,60,ADDITIONAL_CLINICAL_SERVICES,Band 3,Band 4,,Sickness,,2,\"Ask for Sam, the nurse in charge\"\r\n"
        ));
    }
    for row in extra {
        csv.push_str(row);
        csv.push_str("\r\n");
    }
    csv
}

async fn shift_count(app: &TestApp, token: &str, trust: Uuid) -> usize {
    let v = app
        .ok(
            Some(token),
            "query($t:UUID!){ shifts(trustId:$t, first:100){ edges { node { id } } } }",
            json!({"t": trust}),
        )
        .await;
    v["shifts"]["edges"].as_array().unwrap().len()
}

const POST: &str =
    "mutation($id:UUID!){ postRosterImport(id:$id){ id state rowsPosted postedAt } }";

async fn a_roster_previews_then_posts_all_or_nothing_once(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);

    // One bad row among good ones: every problem listed, by row and column; nothing posted.
    let bad = roster(
        3,
        &[
            "Ash Ward,31/02/2026,07:30,20:00,60,ADDITIONAL_CLINICAL_SERVICES,Band 3,,,Sickness,,1,",
            "Oak Ward,10/03/2026,07:30,20:00,0,ADDITIONAL_CLINICAL_SERVICES,ST3,,,Sickness,,1,",
        ],
    );
    let v = upload(
        &app,
        &a.office,
        a.id,
        "week 11.csv",
        bad.clone().into_bytes(),
    )
    .await;
    let import = &v["data"]["uploadRoster"]["import"];
    assert_eq!(import["state"], "INVALID", "{v}");
    assert_eq!(import["rowCount"], 5);
    assert_eq!(v["data"]["uploadRoster"]["alreadyUploaded"], false);
    let problems: Vec<(i64, String)> = import["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            (5, "Date".to_owned()),
            (6, "Ward".to_owned()),
            (6, "Grade".to_owned())
        ],
        "{v}"
    );
    assert!(
        import["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("'31/02/2026' is not a real date")
    );
    assert_eq!(import["rows"][0]["row"], 2);
    assert_eq!(
        import["rows"][0]["cells"][12],
        "Ask for Sam, the nurse in charge"
    );
    let bad_id = import["id"].clone();
    let v = app.gql(Some(&a.office), POST, json!({"id": bad_id})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    assert_eq!(
        shift_count(&app, &a.office, a.id).await,
        0,
        "a file with bad rows posts nothing"
    );

    // A row valid on its own but refused by the rules (a 12-hour shift with no break) is found
    // before anything is posted, against its column.
    let no_break = roster(2, &[]).replacen(",60,", ",0,", 1);
    let v = upload(&app, &a.office, a.id, "no break.csv", no_break.into_bytes()).await;
    let import = &v["data"]["uploadRoster"]["import"];
    assert_eq!(import["state"], "INVALID", "{v}");
    assert_eq!(import["problems"][0]["row"], 2);
    assert_eq!(import["problems"][0]["column"], "Break");
    assert_eq!(shift_count(&app, &a.office, a.id).await, 0);

    // A good file: previewed, nothing posted until asked.
    let good = roster(4, &[]);
    let v = upload(
        &app,
        &a.office,
        a.id,
        "week 10.csv",
        good.clone().into_bytes(),
    )
    .await;
    let import = v["data"]["uploadRoster"]["import"].clone();
    assert_eq!(import["state"], "READY", "{v}");
    assert_eq!(import["problems"], json!([]));
    assert_eq!(import["rowsPosted"], 0);
    assert_eq!(import["filename"], "week 10.csv");
    assert_eq!(
        shift_count(&app, &a.office, a.id).await,
        0,
        "uploading posts nothing"
    );
    let id = import["id"].clone();

    // Another trust's bank office can neither see nor post it.
    let v = app
        .gql(
            Some(&b.office),
            "query($id:UUID!){ rosterImport(id:$id){ id } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND", "{v}");
    let v = app.gql(Some(&b.office), POST, json!({"id": id})).await;
    assert_eq!(error_code(&v), "NOT_FOUND", "{v}");

    // Posted: every row, in one go.
    let v = app.ok(Some(&a.office), POST, json!({"id": id})).await;
    assert_eq!(v["postRosterImport"]["state"], "POSTED", "{v}");
    assert_eq!(v["postRosterImport"]["rowsPosted"], 4);
    assert_eq!(shift_count(&app, &a.office, a.id).await, 4);
    let shifts = app
        .ok(
            Some(&a.office),
            "query($t:UUID!){ shifts(trustId:$t, first:100){ edges { node { positions breakMinutes startsLocal endsLocal fallbackGrades notes } } } }",
            json!({"t": a.id}),
        )
        .await;
    let first = &shifts["shifts"]["edges"][0]["node"];
    assert_eq!(first["positions"], 2);
    assert_eq!(first["breakMinutes"], 60);
    assert_eq!(first["startsLocal"], "2026-03-03T07:30:00");
    assert_eq!(first["endsLocal"], "2026-03-03T20:00:00");
    assert_eq!(first["fallbackGrades"], json!(["BAND_4"]));
    assert_eq!(first["notes"], "Ask for Sam, the nurse in charge");

    // The same file again: the first import, nothing new; posting it again posts nothing.
    let v = upload(
        &app,
        &a.office,
        a.id,
        "copy of week 10.csv",
        good.into_bytes(),
    )
    .await;
    assert_eq!(v["data"]["uploadRoster"]["alreadyUploaded"], true, "{v}");
    assert_eq!(v["data"]["uploadRoster"]["import"]["id"], id);
    assert_eq!(v["data"]["uploadRoster"]["import"]["state"], "POSTED");
    let v = app.ok(Some(&a.office), POST, json!({"id": id})).await;
    assert_eq!(v["postRosterImport"]["rowsPosted"], 4);
    assert_eq!(
        shift_count(&app, &a.office, a.id).await,
        4,
        "a duplicate posts nothing new"
    );

    // The same file is a new import for another trust (keyed per trust), where its ward is not.
    let v = upload(
        &app,
        &b.office,
        b.id,
        "week 10.csv",
        roster(1, &[]).into_bytes(),
    )
    .await;
    assert_eq!(v["data"]["uploadRoster"]["alreadyUploaded"], false, "{v}");
    let listed = app
        .ok(
            Some(&a.office),
            "query($t:UUID!){ rosterImports(trustId:$t){ id state } }",
            json!({"t": a.id}),
        )
        .await;
    assert_eq!(listed["rosterImports"].as_array().unwrap().len(), 3);
    assert_eq!(listed["rosterImports"][0]["id"], id, "newest first");
}

async fn bad_files_are_refused_whole(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "the file is empty"),
        (
            "a picture",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
            "not a CSV file",
        ),
        (
            "wrong columns",
            b"Name,Shift,Hours\r\nSam,Early,7.5\r\n".to_vec(),
            "it has no column 'Ward'",
        ),
        (
            "only the header",
            roster(0, &[]).into_bytes(),
            "no shifts in it",
        ),
        (
            "too large",
            {
                let mut big = roster(1, &[]).into_bytes();
                big.extend(std::iter::repeat_n(b' ', 2 * 1024 * 1024));
                big
            },
            "larger than 2 MB",
        ),
        (
            "a quote never closed",
            roster(1, &["Ash Ward,\"10/03/2026,07:30"]).into_bytes(),
            "never closed",
        ),
    ];
    for (what, bytes, says) in cases {
        let v = upload(&app, &a.office, a.id, "roster.csv", bytes).await;
        assert_eq!(error_code(&v), "VALIDATION", "{what}: {v}");
        let message = v["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{what}: {message}");
    }
    let listed = app
        .ok(
            Some(&a.office),
            "query($t:UUID!){ rosterImports(trustId:$t){ id } }",
            json!({"t": a.id}),
        )
        .await;
    assert_eq!(
        listed["rosterImports"],
        json!([]),
        "a refused file leaves nothing behind"
    );
    let template = app
        .ok(
            Some(&a.office),
            "{ rosterTemplate rosterColumns { header required } }",
            json!({}),
        )
        .await;
    assert!(
        template["rosterTemplate"]
            .as_str()
            .unwrap()
            .starts_with("Ward,Date,Start,End,Break,Staff group,Grade")
    );
    assert_eq!(template["rosterColumns"].as_array().unwrap().len(), 13);
}
