//! `staffbank bench-roster`: how long a bank office waits for a roster file of many shifts to be
//! checked and then posted. Loads the demo bank into a fresh database, starts the real server,
//! and as the demo bank office uploads a CSV of `--rows` shifts (GraphQL multipart, over HTTP)
//! and posts the import, timing each step. Run it from a release build (see `BENCHMARKS.md`); it
//! asserts nothing about time.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, DurationRound, Utc};
use serde_json::{Value, json};
use staffbank_core::ManualClock;

use crate::harness::{Harness, RunningServer, Settings};

/// What to measure.
#[derive(Debug, Clone, clap::Args)]
pub struct RosterBenchArgs {
    /// `sqlite` (a fresh file in --data-dir) or the URL of an empty PostgreSQL database.
    #[arg(long, default_value = "sqlite")]
    pub database: String,
    /// Where the SQLite file and the server's keys go.
    #[arg(long, default_value = "bench-data")]
    pub data_dir: PathBuf,
    /// Shift rows in the file.
    #[arg(long, default_value_t = 2000)]
    pub rows: usize,
}

const OFFICE: &str = "bank.office@northfield.staffbank.example";
const PASSWORD: &str = "staffbank-demo";

/// The shifts of a day on a ward: (start, end, break).
const PATTERN: [(&str, &str, u32); 3] = [
    ("07:30", "20:00", 60),
    ("20:00", "08:00", 60),
    ("08:00", "16:00", 30),
];

/// A roster file of `rows` shifts over the wards, from tomorrow on.
fn roster(rows: usize, wards: &[String]) -> String {
    let mut csv = String::from(
        "Ward,Date,Start,End,Break,Staff group,Grade,Fallback grades,Skills,Reason,Pay basis,Workers,Notes\r\n",
    );
    let today = staffbank_core::time::london_local(Utc::now()).date();
    let per_day = (wards.len() * PATTERN.len()).max(1);
    for i in 0..rows {
        let ward = &wards[i % wards.len().max(1)];
        let (start, end, brk) = PATTERN[(i / wards.len().max(1)) % PATTERN.len()];
        let day = today + Duration::days(1 + i64::try_from(i / per_day).unwrap_or(0));
        csv.push_str(&format!(
            "\"{ward}\",{},{start},{end},{brk},NURSING_MIDWIFERY_REGISTERED,Band 5,Band 4,,Sickness,,1,Row {}\r\n",
            day.format("%d/%m/%Y"),
            i + 2
        ));
    }
    csv
}

async fn gql(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    vars: Value,
) -> anyhow::Result<Value> {
    let v: Value = http
        .post(url)
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": vars}))
        .send()
        .await?
        .json()
        .await?;
    if v.get("errors").is_some_and(|e| !e.is_null()) {
        anyhow::bail!("request failed: {v}");
    }
    Ok(v["data"].clone())
}

/// Runs the benchmark and prints the results.
///
/// # Errors
/// Any failure to load the demo, start the server or make a request.
pub async fn run(harness: &impl Harness, args: RosterBenchArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data_dir)?;
    let (url, engine) = if args.database == "sqlite" {
        let file = args.data_dir.join("bench-roster.sqlite");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        (format!("sqlite://{}?mode=rwc", file.display()), "SQLite")
    } else {
        (args.database.clone(), "PostgreSQL")
    };
    let settings = Settings::new(url, args.data_dir.clone());
    let db = harness.open(&settings).await?;
    let now = Utc::now()
        .duration_trunc(Duration::minutes(1))
        .unwrap_or_else(|_| Utc::now());
    let clock = Arc::new(ManualClock::new(now));
    staffbank_demo::load(&db, clock.as_ref()).await?;
    let server = harness.start(&settings, db, clock.clone()).await?;
    let url = format!("http://{}/graphql", server.addr());
    let http = reqwest::Client::builder().no_proxy().build()?;
    let token = super::load::Client::new(&format!("http://{}", server.addr()))?
        .login(OFFICE, PASSWORD)
        .await?;
    let me = gql(
        &http,
        &url,
        &token,
        "{ me { roles { role trust { id wards { name } } } } }",
        json!({}),
    )
    .await?;
    let trust = me["me"]["roles"]
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["role"] == "BANK_OFFICE"))
        .map(|r| r["trust"].clone())
        .ok_or_else(|| anyhow::anyhow!("the demo bank office has no trust: {me}"))?;
    let wards: Vec<String> = trust["wards"]
        .as_array()
        .map(|ws| {
            ws.iter()
                .filter_map(|w| w["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let csv = roster(args.rows, &wards);
    println!(
        "# staffbank bench-roster on {engine}: {} rows over {} wards, {:.0} KB",
        args.rows,
        wards.len(),
        csv.len() as f64 / 1024.0
    );

    let operations = json!({
        "query": "mutation($t:UUID!,$f:Upload!){ uploadRoster(trustId:$t, file:$f){ import { id state rowCount problems { row column message } } } }",
        "variables": {"t": trust["id"], "f": null}
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", r#"{"0":["variables.f"]}"#)
        .part(
            "0",
            reqwest::multipart::Part::bytes(csv.into_bytes())
                .file_name("roster.csv")
                .mime_str("text/csv")?,
        );
    let started = Instant::now();
    let v: Value = http
        .post(&url)
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await?
        .json()
        .await?;
    let checked = started.elapsed();
    let import = &v["data"]["uploadRoster"]["import"];
    if import["state"] != "READY" {
        anyhow::bail!("the roster did not check out: {v}");
    }
    let started = Instant::now();
    let posted = gql(
        &http,
        &url,
        &token,
        "mutation($id:UUID!){ postRosterImport(id:$id){ state rowsPosted } }",
        json!({"id": import["id"]}),
    )
    .await?;
    // Over INLINE_ROWS shifts the import is queued and posted in the background: the bank
    // office's wait lasts until the import says POSTED (its progress page polls the same way).
    let mut posted = posted["postRosterImport"].clone();
    while posted["state"] != "POSTED" {
        if posted["state"] == "FAILED" {
            anyhow::bail!("posting the roster failed: {posted}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        posted = gql(
            &http,
            &url,
            &token,
            "query($id:UUID!){ rosterImport(id:$id){ state rowsPosted failure } }",
            json!({"id": import["id"]}),
        )
        .await?["rosterImport"]
            .clone();
    }
    let post = started.elapsed();
    println!(
        "upload and check (nothing posted): {:.2} s; post all {} shifts (one transaction, in the background): {:.2} s; total {:.2} s",
        checked.as_secs_f64(),
        posted["rowsPosted"],
        post.as_secs_f64(),
        (checked + post).as_secs_f64()
    );
    server.stop().await?;
    Ok(())
}
