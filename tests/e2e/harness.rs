//! The end-to-end harness: starts the real server on a free port with a fresh database (a new
//! SQLite file, or a new PostgreSQL database that is dropped afterwards), and talks GraphQL to it
//! over HTTP. Time is a [`ManualClock`] the test can move. Email goes over SMTP to a sink the test
//! owns ([`SmtpSink`], `app.mail`), delivered by a worker that polls every 100 ms; the scheduled
//! jobs run every 100 ms. A test that checks that something did *not* happen drives both itself
//! ([`TestApp::run_jobs_once`], [`TestApp::deliver_mail`]) before it looks, rather than sleeping.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::{Value, json};
use staffbank_core::{ManualClock, Secret};
use staffbank_gateway::config::MailTransport;
use staffbank_gateway::{Config, Server, StartOptions, server};
use staffbank_notify::TlsMode;
use staffbank_notify::entity::outbox;

use crate::smtp_sink::SmtpSink;
use crate::templates;

/// How often the test server's mail worker looks for messages.
pub const MAIL_POLL: Duration = Duration::from_millis(100);
/// Longest wait for something asynchronous (mail delivered) before a test fails; generous, since
/// it only matters when the test is failing anyway.
pub const WAIT: Duration = Duration::from_secs(30);

/// Where tests keep their files (SQLite databases, data directories, templates):
/// `STAFFBANK_TEST_SCRATCH`, else `/dev/shm` where the machine has that memory-backed folder,
/// else the system's temporary folder. SQLite writes its journal to disk at every commit; on this
/// project's 2-core machine that waiting doubled the time to load the demo bank (9.9 s against
/// 4.4 s). What the tests check survives a killed process either way; only a power cut is not
/// modelled, and no test models one.
pub fn scratch_dir() -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("STAFFBANK_TEST_SCRATCH") {
            return dir.into();
        }
        let shm = std::path::Path::new("/dev/shm");
        if shm.is_dir() && tempfile::tempdir_in(shm).is_ok() {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        }
    })
    .clone()
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `$test(backend)` once on each database, as two test cases `sqlite` and `postgres` in a
/// module named after the test.
#[macro_export]
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$test($crate::harness::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$test($crate::harness::Backend::Postgres).await;
            }
        }
    )*};
}

/// The PostgreSQL server the tests make their databases on, through its `postgres` database
/// (there on every cluster). Without TLS by default: the server is this machine's own, over
/// loopback, and sqlx would otherwise negotiate TLS with a local server that offers it (Debian's
/// does), encrypting every statement of every test for nothing.
fn postgres_admin_url() -> String {
    std::env::var("STAFFBANK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".into())
}

/// `url` with its database name replaced by `name`, its options (`?sslmode=...`) kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (path, query) = url
        .split_once('?')
        .map_or((url, None), |(p, q)| (p, Some(q)));
    let (base, _) = path.rsplit_once('/').expect("database URL has a path");
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A PostgreSQL database made for one test, dropped when the test ends (even when it fails).
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    async fn create() -> (Self, String) {
        use sea_orm::ConnectionTrait;
        let admin_url = postgres_admin_url();
        // One connection: the template's advisory lock belongs to a session.
        let mut options = sea_orm::ConnectOptions::new(admin_url.clone());
        options.max_connections(1).sqlx_logging(false);
        let admin = sea_orm::Database::connect(options).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is required for the test suite and is unreachable at {admin_url}: {e}. \
                 Start it (see README) or set STAFFBANK_TEST_POSTGRES_URL."
            )
        });
        let template = templates::postgres_template(&admin, &admin_url).await;
        let name = format!("staffbank_test_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .await
            .expect("create test database");
        // A test's database need not survive a crash of PostgreSQL itself: commits return
        // without waiting for the disk. Nothing the service does depends on it.
        admin
            .execute_unprepared(&format!(
                "ALTER DATABASE \"{name}\" SET synchronous_commit TO off"
            ))
            .await
            .expect("configure test database");
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        (Self { admin_url, name }, url)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside async; use a throwaway runtime on its own thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                use sea_orm::ConnectionTrait;
                if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    let _ = admin.close().await;
                }
            });
            Ok::<(), std::io::Error>(())
        })
        .join();
    }
}

/// A running service with its own database.
pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub config: Config,
    /// The SMTP sink the service sends to.
    pub mail: SmtpSink,
    server: Option<Server>,
    // Dropped after the server: the database goes last.
    _pg: Option<PgDatabase>,
    _data_dir: tempfile::TempDir,
}

/// How to start a test app.
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// What the clock shows at start.
    pub now: DateTime<Utc>,
    /// Adjust the configuration before start.
    pub configure: fn(&mut Config),
}

impl Default for TestOptions {
    fn default() -> Self {
        Self {
            now: Utc::now(),
            configure: |_| {},
        }
    }
}

impl TestApp {
    /// A fresh service on `backend`, clock at the real time.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, TestOptions::default()).await
    }

    /// A fresh service on `backend`, as `options` say.
    pub async fn spawn_with(backend: Backend, options: TestOptions) -> Self {
        let data_dir = tempfile::tempdir_in(scratch_dir()).expect("temp dir");
        let (pg, database_url) = match backend {
            Backend::Sqlite => (
                None,
                templates::sqlite_database(&data_dir.path().join("test.db")).await,
            ),
            Backend::Postgres => {
                let (db, url) = PgDatabase::create().await;
                (Some(db), url)
            }
        };
        let mail = SmtpSink::start().await;
        let mut config = Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.path().to_path_buf(),
            database_url: Some(Secret::new(database_url)),
            max_db_connections: 10,
            // The suite's browser tests open GraphiQL and its limits test sends GraphiQL's
            // introspection query: both off by default in production, so said here.
            graphiql: Some(true),
            introspection: Some(true),
            ..Config::default()
        };
        config.mail.transport = MailTransport::Smtp;
        config.mail.smtp.host = Some("127.0.0.1".into());
        config.mail.smtp.port = mail.port();
        config.mail.smtp.tls = TlsMode::None;
        config.mail.poll_interval_ms = u64::try_from(MAIL_POLL.as_millis()).unwrap();
        config.jobs.interval_ms = 100;
        (options.configure)(&mut config);
        let clock = Arc::new(ManualClock::new(options.now));
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("http client");
        let mut app = Self {
            url: String::new(),
            client,
            clock,
            config,
            mail,
            server: None,
            _pg: pg,
            _data_dir: data_dir,
        };
        app.start().await;
        app
    }

    /// Starts the server (again), with `self.config` as it is now.
    pub async fn start(&mut self) {
        let s = self.start_server().await;
        self.url = format!("http://{}", s.addr);
        self.server = Some(s);
    }

    async fn start_server(&self) -> Server {
        let db = server::connect(&self.config).await.expect("connect");
        server::migrate(&db).await.expect("migrate");
        let state = server::state(
            self.config.clone(),
            db,
            self.clock.clone(),
            &StartOptions::default(),
        )
        .expect("state");
        Server::start(state, self.config.listen)
            .await
            .expect("start server")
    }

    /// Another server on the same database, data directory, clock and mail sink, with its own
    /// connection pool and delivery worker: a second replica. Stop it with `Server::stop`.
    pub async fn replica(&self) -> Server {
        self.start_server().await
    }

    /// The running server's state (database pool, clock).
    pub fn state(&self) -> &staffbank_gateway::AppState {
        &self.server.as_ref().expect("server running").state
    }

    /// The running server's database pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.state().services.db
    }

    /// Every outbox row, oldest first.
    pub async fn outbox(&self) -> Vec<outbox::Model> {
        outbox::Entity::find()
            .order_by_asc(outbox::Column::Id)
            .all(self.db())
            .await
            .expect("read outbox")
    }

    /// Waits until the outbox rows satisfy `cond`; fails the test after [`WAIT`].
    pub async fn wait_for_outbox(
        &self,
        what: &str,
        cond: impl Fn(&[outbox::Model]) -> bool,
    ) -> Vec<outbox::Model> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let rows = self.outbox().await;
            if cond(&rows) {
                return rows;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited {WAIT:?} for the outbox: {what}; it has {rows:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Runs every scheduled job once, now, on the test clock: what the server's job loop does at
    /// each tick. A test that checks what a job does (or does not do) at some time calls this
    /// after setting the clock, so that its check follows a run at that time rather than hoping
    /// the loop ran in the meantime.
    pub async fn run_jobs_once(&self) {
        staffbank_gateway::jobs::run_once(self.db(), &self.state().services.clock).await;
    }

    /// Sends every message due now, with the service's own delivery code (a worker of its own
    /// beside the server's, with the server's transport and policy), and waits until no message
    /// is due or held by any worker. The test clock stands still, so afterwards the sink (or
    /// mailbox) has every message the outbox sends at this time and no send is in progress: a
    /// count taken now cannot grow by waiting. A message waiting out a retry's backoff stays
    /// waiting. Fails the test after [`WAIT`], and at once on a server that is not to deliver.
    pub async fn deliver_mail(&self) {
        use sea_orm::{ColumnTrait, Condition, PaginatorTrait, QueryFilter};
        assert!(
            self.config.mail.deliver,
            "deliver_mail on a server configured not to deliver mail"
        );
        let clock = self.state().services.clock.clone();
        let worker = staffbank_notify::Worker::new(
            self.db().clone(),
            clock.clone(),
            Arc::new(self.config.mail_transport().expect("mail transport")),
        )
        .with_policy(self.config.delivery_policy().expect("delivery policy"));
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            worker.deliver_due().await.expect("a delivery pass");
            let now = clock.now();
            // Due, or held by a worker (this one or the server's) that is sending it.
            let waiting = outbox::Entity::find()
                .filter(outbox::Column::State.eq("PENDING"))
                .filter(
                    Condition::any()
                        .add(outbox::Column::NextAttemptAt.lte(now))
                        .add(outbox::Column::ClaimedUntil.gt(now)),
                )
                .count(self.db())
                .await
                .expect("read outbox");
            if waiting == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "waited {WAIT:?} for the outbox to be delivered; it has {:#?}",
                self.outbox().await
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Whether the running server has a mail delivery worker (`mail.deliver`).
    pub fn delivers_mail(&self) -> bool {
        self.server
            .as_ref()
            .expect("server running")
            .delivers_mail()
    }

    /// Stops the server gracefully and starts a new one on the same database and data directory.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    /// Stops the server and closes its database pool.
    pub async fn stop(&mut self) {
        if let Some(s) = self.server.take() {
            let db = s.state.services.db.clone();
            s.stop().await.expect("stop server");
            let _ = db.close().await;
        }
    }

    /// Posts a GraphQL request and returns the whole JSON response (`data` and `errors`).
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request sent");
        resp.json().await.expect("JSON response")
    }

    /// Posts a GraphQL request that must succeed; returns `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let v = self.gql(token, query, variables).await;
        assert!(v.get("errors").is_none(), "unexpected errors: {v:#}");
        v["data"].clone()
    }

    /// Signs in and returns the bearer token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let data = self
            .ok(
                None,
                "mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }",
                json!({ "e": email, "p": password }),
            )
            .await;
        data["login"]["token"].as_str().expect("token").to_owned()
    }
}

/// The `extensions.code` of the first error.
pub fn error_code(v: &Value) -> &str {
    v["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<no error>")
}

/// The message of the first error.
pub fn error_message(v: &Value) -> &str {
    v["errors"][0]["message"].as_str().unwrap_or("<no error>")
}
