//! Two real `staffbank serve` processes (the built binary, as an operator runs it, configured by
//! `STAFFBANK_*` variables) on one PostgreSQL database, as replicas behind a load balancer:
//!
//! - workers racing for the same shifts through both processes at once never double-book: no
//!   position taken twice, no worker in two overlapping shifts — checked in the database and
//!   through the API of each process;
//! - one process killed with SIGKILL while it is delivering email (the SMTP sink answers slowly,
//!   so the kill lands with messages claimed and one in hand): every committed message is still
//!   delivered, by the surviving process once the dead one's claim lease runs out. Delivery is
//!   at-least-once: the message in hand at the kill may arrive twice (same `Message-ID`, so the
//!   recipient's mail system can drop the copy); the test counts such duplicates and allows at
//!   most one per killed process.
//!
//! PostgreSQL only: replicas on one database are a PostgreSQL deployment (SQLite is one file on
//! one machine; its single-process delivery and booking races are covered in `notify` and
//! `booking`).
//!
//! The binary is found next to the test executable (`target/debug/staffbank`, built by
//! `cargo test --workspace`), or at `STAFFBANK_TEST_BINARY`.

use std::collections::{HashMap, HashSet};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures::future::join_all;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use staffbank_market::entity::booking;
use staffbank_notify::entity::outbox;
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::market_fixtures::{hca_shift, market, post, ready_worker};

/// The `staffbank` binary: `STAFFBANK_TEST_BINARY`, or beside the test executable's directory
/// (`target/debug/deps/e2e-…` → `target/debug/staffbank`). Fails loudly when it is missing.
fn binary() -> PathBuf {
    if let Ok(p) = std::env::var("STAFFBANK_TEST_BINARY") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "STAFFBANK_TEST_BINARY names {}, which is not a file",
            p.display()
        );
        return p;
    }
    let exe = std::env::current_exe().expect("the test executable's path");
    let dir = exe.parent().expect("the test executable's folder");
    let candidates: Vec<PathBuf> = [Some(dir), dir.parent()]
        .into_iter()
        .flatten()
        .map(|d| d.join(format!("staffbank{}", std::env::consts::EXE_SUFFIX)))
        .collect();
    if !candidates.iter().any(|p| p.is_file()) {
        // `cargo test` builds another package's binary only when asked: build it here.
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "build",
                "-p",
                "staffbank-gateway",
                "--bin",
                "staffbank",
                "--locked",
            ])
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the staffbank binary failed");
    }
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "the staffbank binary is not built: looked for {candidates:?}. Build it with \
                 `cargo build -p staffbank-gateway --bin staffbank` (`cargo test --workspace` \
                 builds it), or set STAFFBANK_TEST_BINARY to its path."
            )
        })
}

/// A free port on 127.0.0.1 (bound and let go; the child binds it straight after).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A `staffbank serve` child process; killed when dropped.
pub(crate) struct Replica {
    name: &'static str,
    child: Child,
    pub(crate) url: String,
    log: PathBuf,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Replica {
    /// Starts `staffbank serve` on the test app's database and data folder, sending mail to its
    /// sink, with a short claim lease so that a dead process's messages pass on within seconds.
    pub(crate) async fn start(name: &'static str, app: &TestApp, logs: &Path) -> Self {
        let port = free_port();
        let log = logs.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let database_url = app
            .config
            .database_url
            .as_ref()
            .expect("a database URL")
            .expose()
            .to_owned();
        let child = Command::new(binary())
            .arg("serve")
            .env("STAFFBANK_LISTEN", format!("127.0.0.1:{port}"))
            .env("STAFFBANK_DATA_DIR", &app.config.data_dir)
            .env("STAFFBANK_DATABASE_URL", database_url)
            .env("STAFFBANK_MAX_DB_CONNECTIONS", "10")
            .env("STAFFBANK_TOKEN_TTL_MINUTES", "600")
            .env("STAFFBANK_JOBS__RUN", "false")
            .env("STAFFBANK_MAIL__TRANSPORT", "smtp")
            .env("STAFFBANK_MAIL__SMTP__HOST", "127.0.0.1")
            .env("STAFFBANK_MAIL__SMTP__PORT", app.mail.port().to_string())
            .env("STAFFBANK_MAIL__SMTP__TLS", "none")
            .env("STAFFBANK_MAIL__POLL_INTERVAL_MS", "100")
            .env("STAFFBANK_MAIL__CLAIM_LEASE_SECS", LEASE_SECS.to_string())
            // Half the lease. At 1 s, a busy machine (the sink's 150 ms answers, four tests at
            // once) let a send time out, and its retry comes 30 s later, past this test's wait.
            .env("STAFFBANK_MAIL__SEND_TIMEOUT_SECS", "2")
            .env("STAFFBANK_LOG_FILTER", "warn,staffbank_notify=info")
            .env_remove("STAFFBANK_CONFIG")
            .current_dir(logs)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", binary().display()));
        let mut r = Self {
            name,
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        r.wait_ready(&app.client).await;
        r
    }

    async fn wait_ready(&mut self, client: &reqwest::Client) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "replica {} exited at start ({status}):\n{}",
                    self.name,
                    self.log_text()
                );
            }
            if let Ok(r) = client.get(format!("{}/healthz", self.url)).send().await
                && r.status().is_success()
            {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "replica {} did not answer /healthz within 30 s:\n{}",
                self.name,
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `claimed_by` of this process's delivery worker begins with this.
    fn worker_prefix(&self) -> String {
        format!("pid{}-", self.child.id())
    }

    /// SIGKILL: no graceful shutdown, no claims given back.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the replica");
        self.child.wait().expect("reap the replica");
    }

    pub(crate) async fn gql(
        &self,
        client: &reqwest::Client,
        token: &str,
        query: &str,
        vars: Value,
    ) -> Value {
        client
            .post(format!("{}/graphql", self.url))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": vars }))
            .send()
            .await
            .expect("request sent")
            .json()
            .await
            .expect("JSON response")
    }
}

/// The replicas' claim lease, seconds.
const LEASE_SECS: u64 = 4;

const BOOK: &str =
    "mutation($s:UUID!){ bookShift(shiftId:$s){ booking { id position worker { id } } } }";
const SHIFT: &str = "query($id:UUID!){ shift(id:$id){ positions filledPositions bookings { active position worker { id } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_serve_processes_never_double_book_and_lose_no_mail_when_one_is_killed() {
    let bin = binary();
    eprintln!("replicas: running {}", bin.display());
    // The in-process server only builds the fixture; it neither delivers mail nor runs jobs.
    let app = TestApp::spawn_with(
        Backend::Postgres,
        TestOptions {
            now: Utc::now(),
            configure: |c| {
                c.mail.deliver = false;
                c.jobs.run = false;
                c.token_ttl_minutes = 600;
            },
        },
    )
    .await;
    let m = market(&app, 1).await;
    let t = &m.trusts[0];
    let mut workers = Vec::new();
    for i in 0..12 {
        let w = ready_worker(&app, &m, 0, &format!("Racer{i}"), 500 + i).await;
        let token = fixtures::worker_login(&app, w, &format!("racer{i}@replica.test")).await;
        workers.push((w, token));
    }
    // Three shifts at the same time, two positions each: at most six bookings, at most one per
    // worker (the shifts overlap).
    let start = Utc::now() + chrono::Duration::days(3);
    let mut shifts = Vec::new();
    for _ in 0..3 {
        let mut s = hca_shift(t, start, 8);
        s["positions"] = json!(2);
        shifts.push(post(&app, &t.office, s).await);
    }
    let logs = tempfile::tempdir().expect("log folder");
    // Slow delivery from the start: every message takes 150 ms at the sink.
    app.mail.set_delay(Duration::from_millis(150));
    let mut a = Replica::start("a", &app, logs.path()).await;
    let mut b = Replica::start("b", &app, logs.path()).await;

    // --- The race: every worker books every shift through both processes at once.
    let client = &app.client;
    let (ra, rb) = (&a, &b);
    let mut attempts = Vec::new();
    for (w, token) in &workers {
        for s in &shifts {
            for r in [ra, rb] {
                attempts
                    .push(async move { (*w, r.gql(client, token, BOOK, json!({ "s": s })).await) });
            }
        }
    }
    let results = join_all(attempts).await;
    let mut won: Vec<(Uuid, Value)> = Vec::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    for (w, v) in &results {
        if v["errors"].is_null() {
            won.push((*w, v["data"]["bookShift"]["booking"].clone()));
        } else {
            *codes.entry(error_code(v).to_owned()).or_default() += 1;
        }
    }
    eprintln!(
        "replicas: {} booking attempts, {} won, refusals by code {codes:?}",
        results.len(),
        won.len()
    );
    for code in codes.keys() {
        assert!(
            ["CONFLICT", "NOT_ELIGIBLE"].contains(&code.as_str()),
            "a racing booking failed with {code}: {results:#?}"
        );
    }
    assert_eq!(won.len(), 6, "every position is taken once: {won:#?}");
    let winners: HashSet<Uuid> = won.iter().map(|(w, _)| *w).collect();
    assert_eq!(winners.len(), 6, "no worker won twice: {won:#?}");

    // In the database: no position held twice, no worker in two overlapping active bookings.
    let active = booking::Entity::find()
        .filter(booking::Column::Active.eq(true))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(active.len(), 6, "{active:#?}");
    let positions: HashSet<(Uuid, i32)> = active.iter().map(|b| (b.shift_id, b.position)).collect();
    assert_eq!(positions.len(), 6, "a position booked twice: {active:#?}");
    for s in &shifts {
        assert_eq!(active.iter().filter(|b| b.shift_id == *s).count(), 2);
    }
    let overlapping = app
        .db()
        .query_one_raw(Statement::from_string(
            app.db().get_database_backend(),
            "SELECT count(*) AS n FROM bookings x JOIN bookings y ON x.worker_id = y.worker_id \
             AND x.id < y.id AND x.active AND y.active \
             AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(overlapping, 0, "a worker double-booked");
    // Through the API of each process: the same six bookings.
    for r in [&a, &b] {
        for s in &shifts {
            let v = r.gql(client, &t.office, SHIFT, json!({ "id": s })).await;
            let shift = &v["data"]["shift"];
            assert_eq!(shift["filledPositions"], 2, "{} {v}", r.name);
            let live: Vec<&Value> = shift["bookings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|b| b["active"] == true)
                .collect();
            let pos: HashSet<i64> = live
                .iter()
                .map(|b| b["position"].as_i64().unwrap())
                .collect();
            assert_eq!(pos, HashSet::from([1, 2]), "{} {v}", r.name);
        }
    }

    // --- Mail: thirty invitations committed through both processes at once (with the booking
    // confirmations already waiting), delivered slowly by both.
    let invites = (0..30).map(|i| {
        let r = if i % 2 == 0 { &a } else { &b };
        let office = &t.office;
        async move {
            r.gql(
                client,
                office,
                "mutation($t:UUID!,$e:String!){ inviteWorker(trustId:$t, email:$e){ id } }",
                json!({ "t": t.id, "e": format!("invitee{i}@replica.test") }),
            )
            .await
        }
    });
    for v in join_all(invites).await {
        assert!(v["errors"].is_null(), "invitation refused: {v}");
    }
    let committed: Vec<outbox::Model> = app.outbox().await;
    assert!(committed.len() >= 36, "{} messages", committed.len());

    // Kill A while it holds claimed messages and the sink is taking one of them.
    let a_prefix = a.worker_prefix();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let held = outbox::Entity::find()
            .filter(outbox::Column::ClaimedBy.starts_with(&a_prefix))
            .filter(outbox::Column::State.eq("PENDING"))
            .filter(outbox::Column::ClaimedUntil.gt(Utc::now()))
            .all(app.db())
            .await
            .unwrap();
        let sent_by_a = outbox::Entity::find()
            .filter(outbox::Column::ClaimedBy.starts_with(&a_prefix))
            .filter(outbox::Column::State.eq("SENT"))
            .all(app.db())
            .await
            .unwrap();
        if held.len() >= 2 && !sent_by_a.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "replica a never held a batch mid-delivery:\n{}",
            a.log_text()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    a.kill();
    let killed_at = tokio::time::Instant::now();
    let stranded = outbox::Entity::find()
        .filter(outbox::Column::ClaimedBy.starts_with(&a_prefix))
        .filter(outbox::Column::State.eq("PENDING"))
        .filter(outbox::Column::ClaimedUntil.gt(Utc::now()))
        .all(app.db())
        .await
        .unwrap();
    assert!(
        !stranded.is_empty(),
        "the kill landed with no message claimed by the dead process"
    );
    eprintln!(
        "replicas: killed a holding {} claimed messages; {} messages committed",
        stranded.len(),
        committed.len()
    );

    // Every committed message is delivered: the survivor takes the dead one's once its lease
    // runs out.
    let ids: HashSet<Uuid> = committed.iter().map(|r| r.id).collect();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let rows = app.outbox().await;
        let unsent: Vec<&outbox::Model> = rows
            .iter()
            .filter(|r| ids.contains(&r.id) && r.state != staffbank_notify::State::Sent)
            .collect();
        if unsent.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} messages never sent after the kill: {unsent:#?}\nreplica b:\n{}",
            unsent.len(),
            b.log_text()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "replicas: all sent {:?} after the kill",
        killed_at.elapsed()
    );
    for r in &stranded {
        let row = outbox::Entity::find_by_id(r.id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap();
        assert!(
            row.claimed_by
                .as_deref()
                .is_some_and(|w| !w.starts_with(&a_prefix)),
            "a stranded message was sent by another worker: {row:?}"
        );
    }
    // Nothing more may arrive. The survivor is stopped, so that the count below is final; then
    // one more delivery pass, the service's own, on the database at the real time the replicas
    // go by, finds nothing to send: what the survivor would have found polling again. (The dead
    // process's message in hand, if it reached the sink at all, did so within the sink's 150 ms
    // answer, long before the survivor could take up the stranded messages after their 4 s
    // lease, which the loop above waited for.)
    b.kill();
    let resent = staffbank_notify::delivery::deliver_due(
        app.db(),
        Arc::new(staffbank_core::SystemClock),
        Arc::new(app.config.mail_transport().expect("mail transport")),
    )
    .await
    .unwrap();
    assert_eq!(resent, 0, "a message was still due once all were sent");
    let received = app.mail.messages();
    let mut copies: HashMap<String, usize> = HashMap::new();
    for m in &received {
        *copies
            .entry(m.header("Message-ID").expect("a Message-ID"))
            .or_default() += 1;
    }
    for id in &ids {
        assert!(
            copies.contains_key(&format!("<{id}@staffbank>")),
            "message {id} marked sent but never received"
        );
    }
    let duplicates: usize = copies.values().map(|n| n - 1).sum();
    eprintln!(
        "replicas: {} messages committed, {} received, {duplicates} duplicate(s) (at-least-once: \
         the message in hand when the process was killed)",
        ids.len(),
        received.len()
    );
    assert_eq!(copies.len(), ids.len(), "a message nobody committed");
    assert!(
        duplicates <= 1,
        "more duplicates than the one message the killed process could have had in hand: {copies:#?}"
    );
    drop(b);
}
