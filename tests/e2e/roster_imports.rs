//! Roster imports through the gateway: a good file is previewed (nothing posted) and then posted
//! all at once; a file with one bad row keeps every row's problem and posts nothing; the same file
//! uploaded again is the first import and posting it again posts nothing new; files that are not
//! roster files are refused whole; another trust's bank office cannot see or post an import. A
//! large import posts in the background, all at once and once, whatever its state says on the
//! way; one whose rows no longer post records why and posts nothing; one left half-posted by a
//! replica that died is posted by the next once that replica's claim runs out.

use std::time::Duration;

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use staffbank_core::Clock;
use staffbank_market::entity::{roster_import, shift};
use uuid::Uuid;

use crate::harness::{Backend, TestApp, error_code};
use crate::market_fixtures::{market, monday, start};
use crate::on_both_databases;

on_both_databases!(
    a_roster_previews_then_posts_all_or_nothing_once,
    bad_files_are_refused_whole,
    a_large_roster_posts_in_the_background_once,
    a_large_roster_that_no_longer_posts_fails_posting_nothing,
    a_post_left_by_a_crashed_replica_is_taken_up_again
);

const IMPORT: &str = "id state rowCount rowsPosted filename contentSha256 problems { row column message } rows(first: 2) { row cells }";

/// Uploads `csv` as `token` for `trust` (a GraphQL multipart upload); the whole answer.
pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    trust: Uuid,
    name: &str,
    bytes: Vec<u8>,
) -> Value {
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

/// More shifts than are posted in the request (200).
const LARGE: i64 = 210;

const STATE: &str = "query($id:UUID!){ rosterImport(id:$id){ state rowCount rowsDone rowsPosted postedAt queuedAt failure failedAt } }";

/// The trust's shifts, counted in the database (the API lists at most 100 at a time).
async fn shifts_in_db(app: &TestApp, trust: Uuid) -> u64 {
    let Ok(n) = shift::Entity::find()
        .filter(shift::Column::TrustId.eq(trust))
        .count(app.db())
        .await
    else {
        panic!("cannot count shifts");
    };
    n
}

/// Reads the import until its state is `want`, checking on the way that its shifts are all posted
/// or none, and all only once it says `POSTED` (never before the commit); fails after a minute.
async fn wait_for(app: &TestApp, token: &str, trust: Uuid, id: &Value, want: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    loop {
        let v = app.ok(Some(token), STATE, json!({"id": id})).await;
        let import = v["rosterImport"].clone();
        let state = import["state"].as_str().unwrap_or_default().to_owned();
        let shifts = shifts_in_db(app, trust).await;
        let done = import["rowsDone"].as_i64().unwrap_or(-1);
        assert!(
            (0..=LARGE).contains(&done),
            "rowsDone {done} out of range: {import}"
        );
        if state == "POSTED" {
            assert_eq!(import["rowsDone"], LARGE, "{import}");
        } else {
            assert_eq!(import["rowsPosted"], 0, "{import}");
            // Read after the state: posted shifts may show only once the state says so.
            let after = app.ok(Some(token), STATE, json!({"id": id})).await;
            if after["rosterImport"]["state"] != "POSTED" {
                assert_eq!(shifts, 0, "{state} with {shifts} shifts in the database");
            }
        }
        if seen.last() != Some(&state) {
            seen.push(state.clone());
        }
        if state == want {
            return import;
        }
        assert!(
            !matches!(state.as_str(), "POSTED" | "FAILED"),
            "ended {state}, not {want}: {import}"
        );
        assert!(
            tokio::time::Instant::now() < deadline,
            "still {seen:?} after a minute, waiting for {want}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn a_large_roster_posts_in_the_background_once(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let good = roster(LARGE, &[]);
    let v = upload(
        &app,
        &a.office,
        a.id,
        "half a year.csv",
        good.clone().into_bytes(),
    )
    .await;
    let id = v["data"]["uploadRoster"]["import"]["id"].clone();
    assert_eq!(v["data"]["uploadRoster"]["import"]["state"], "READY", "{v}");

    // Asked twice at once: both answers are the queued (or already posting) import, not an error.
    let (one, two) = tokio::join!(
        app.ok(Some(&a.office), POST, json!({"id": id})),
        app.ok(Some(&a.office), POST, json!({"id": id})),
    );
    for v in [&one, &two] {
        let state = v["postRosterImport"]["state"].as_str().unwrap_or_default();
        assert!(
            matches!(state, "QUEUED" | "POSTING" | "POSTED"),
            "a large import is queued, not posted in the request: {v}"
        );
    }
    assert!(
        one["postRosterImport"]["state"] == "QUEUED"
            || two["postRosterImport"]["state"] == "QUEUED",
        "one of the two queued it: {one} {two}"
    );
    let posted = wait_for(&app, &a.office, a.id, &id, "POSTED").await;
    assert_eq!(posted["rowsPosted"], LARGE, "{posted}");
    assert!(
        posted["queuedAt"].is_string() && posted["postedAt"].is_string(),
        "{posted}"
    );
    assert_eq!(posted["failure"], Value::Null);
    assert_eq!(shifts_in_db(&app, a.id).await, 210);

    // Posting it again, the job running again, and the same file again: nothing new.
    let v = app.ok(Some(&a.office), POST, json!({"id": id})).await;
    assert_eq!(v["postRosterImport"]["state"], "POSTED", "{v}");
    let Ok(sweep) =
        staffbank_gateway::roster_posting::run(app.db(), &app.state().services.clock).await
    else {
        panic!("the posting job failed");
    };
    assert_eq!(
        sweep,
        staffbank_market::roster_posting::Sweep::default(),
        "nothing left to post"
    );
    let v = upload(&app, &a.office, a.id, "again.csv", good.into_bytes()).await;
    assert_eq!(v["data"]["uploadRoster"]["alreadyUploaded"], true, "{v}");
    assert_eq!(v["data"]["uploadRoster"]["import"]["state"], "POSTED");
    assert_eq!(shifts_in_db(&app, a.id).await, 210, "posted once");
    let Ok(Some(row)) = roster_import::Entity::find_by_id(uuid_of(&id))
        .one(app.db())
        .await
    else {
        panic!("no import");
    };
    assert_eq!(row.attempts, 1, "claimed once");
    assert_eq!(row.claimed_by, None, "the claim is given up once posted");
}

fn uuid_of(v: &Value) -> Uuid {
    let Some(Ok(id)) = v.as_str().map(str::parse) else {
        panic!("not an id: {v}");
    };
    id
}

async fn a_large_roster_that_no_longer_posts_fails_posting_nothing(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let v = upload(
        &app,
        &a.office,
        a.id,
        "from tomorrow.csv",
        roster(LARGE, &[]).into_bytes(),
    )
    .await;
    let id = v["data"]["uploadRoster"]["import"]["id"].clone();
    assert_eq!(v["data"]["uploadRoster"]["import"]["state"], "READY", "{v}");
    // By the time it is posted, its first shift (Tuesday 7:30am) has started.
    app.clock.advance(chrono::Duration::hours(27));
    let v = app.ok(Some(&a.office), POST, json!({"id": id})).await;
    assert!(
        matches!(
            v["postRosterImport"]["state"].as_str(),
            Some("QUEUED" | "POSTING" | "FAILED")
        ),
        "{v}"
    );
    let failed = wait_for(&app, &a.office, a.id, &id, "FAILED").await;
    let failure = failed["failure"].as_str().unwrap_or_default();
    assert!(
        failure.contains("row 2") && failure.contains("nothing was posted"),
        "the failure says which row and that nothing was posted: {failure}"
    );
    assert!(failed["failedAt"].is_string(), "{failed}");
    assert_eq!(failed["rowsPosted"], 0);
    assert_eq!(
        shifts_in_db(&app, a.id).await,
        0,
        "a failed post posts nothing"
    );

    // Asked again, it is tried again, and fails again the same way: still nothing posted.
    let v = app.ok(Some(&a.office), POST, json!({"id": id})).await;
    assert!(
        matches!(
            v["postRosterImport"]["state"].as_str(),
            Some("QUEUED" | "POSTING" | "FAILED")
        ),
        "{v}"
    );
    let again = wait_for(&app, &a.office, a.id, &id, "FAILED").await;
    assert!(
        again["failure"]
            .as_str()
            .unwrap_or_default()
            .contains("row 2"),
        "{again}"
    );
    assert_eq!(shifts_in_db(&app, a.id).await, 0);
}

async fn a_post_left_by_a_crashed_replica_is_taken_up_again(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let v = upload(
        &app,
        &a.office,
        a.id,
        "crash.csv",
        roster(LARGE, &[]).into_bytes(),
    )
    .await;
    let id = uuid_of(&v["data"]["uploadRoster"]["import"]["id"]);
    // A replica claimed it and died mid-post (its transaction never committed): the import says
    // POSTING under that replica's claim, for another minute.
    let Ok(Some(row)) = roster_import::Entity::find_by_id(id).one(app.db()).await else {
        panic!("no import");
    };
    let now = app.clock.now();
    let mut row: roster_import::ActiveModel = row.into();
    row.state = Set(staffbank_market::roster_import::ImportState::Posting);
    row.queued_at = Set(Some(now));
    row.queued_by = Set(None);
    row.claimed_by = Set(Some("a replica that died".into()));
    row.claimed_until = Set(Some(now + chrono::Duration::minutes(1)));
    row.attempts = Set(1);
    let Ok(_) = row.update(app.db()).await else {
        panic!("cannot set the import up");
    };
    let clock = app.state().services.clock.clone();
    let job = || staffbank_gateway::roster_posting::run(app.db(), &clock);

    // While the claim lasts no other worker takes it, and asking again changes nothing.
    let Ok(sweep) = job().await else {
        panic!("the posting job failed")
    };
    assert_eq!(sweep, staffbank_market::roster_posting::Sweep::default());
    let v = app.ok(Some(&a.office), POST, json!({"id": id})).await;
    assert_eq!(v["postRosterImport"]["state"], "POSTING", "{v}");
    assert_eq!(shifts_in_db(&app, a.id).await, 0);

    // Once it has run out, the job posts it: every shift, once.
    app.clock.advance(chrono::Duration::minutes(2));
    let Ok(sweep) = job().await else {
        panic!("the posting job failed")
    };
    assert_eq!(sweep.posted, 1, "{sweep:?}");
    let v = app.ok(Some(&a.office), STATE, json!({"id": id})).await;
    assert_eq!(v["rosterImport"]["state"], "POSTED", "{v}");
    assert_eq!(v["rosterImport"]["rowsPosted"], LARGE);
    assert_eq!(shifts_in_db(&app, a.id).await, 210);
    let Ok(sweep) = job().await else {
        panic!("the posting job failed")
    };
    assert_eq!(
        sweep,
        staffbank_market::roster_posting::Sweep::default(),
        "posted once"
    );
    assert_eq!(shifts_in_db(&app, a.id).await, 210);
}
