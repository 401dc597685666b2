//! What the bench needs of the server it measures: open its database, start it, and read its
//! statement count. The `staffbank` binary (in the gateway) hands the bench an implementation, so
//! this crate does not depend on the gateway, which depends on it (under its `bench` feature).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use sea_orm::DatabaseConnection;
use staffbank_core::ManualClock;

/// How the bench wants its server set up; what is not given is the server's default.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The database (`sqlite://…` or `postgres://…`).
    pub database_url: String,
    /// Where the server's keys (and the SQLite file) go.
    pub data_dir: PathBuf,
    /// Database connections of the server.
    pub connections: Option<u32>,
    /// How long a sign-in lasts, in minutes.
    pub token_ttl_minutes: Option<i64>,
    /// How many heavy operations run at once (`limits.heavy_concurrency`).
    pub heavy_concurrency: Option<usize>,
    /// How long the loader's batches wait (`limits.batch_window_ms`).
    pub batch_window_ms: Option<u64>,
}

impl Settings {
    /// The server's defaults on this database and data folder.
    #[must_use]
    pub fn new(database_url: String, data_dir: PathBuf) -> Self {
        Self {
            database_url,
            data_dir,
            connections: None,
            token_ttl_minutes: None,
            heavy_concurrency: None,
            batch_window_ms: None,
        }
    }
}

/// Opens and starts the real server for the bench.
pub trait Harness {
    /// A server started by [`Harness::start`].
    type Server: RunningServer;

    /// Opens the database of `settings` and applies the migrations.
    fn open(&self, settings: &Settings)
    -> impl Future<Output = anyhow::Result<DatabaseConnection>>;

    /// Starts the real server on `db` at a free loopback port, its time read from `clock`, with
    /// mail delivery and scheduled jobs off.
    fn start(
        &self,
        settings: &Settings,
        db: DatabaseConnection,
        clock: Arc<ManualClock>,
    ) -> impl Future<Output = anyhow::Result<Self::Server>>;
}

/// A server the bench started.
pub trait RunningServer {
    /// Where it listens.
    fn addr(&self) -> SocketAddr;

    /// Database statements it has run since it started.
    fn statements(&self) -> &AtomicU64;

    /// How many heavy operations it runs at once, and the cost from which an operation is heavy.
    fn heavy_gate(&self) -> (usize, usize);

    /// Stops it, letting requests in flight finish.
    fn stop(self) -> impl Future<Output = anyhow::Result<()>>;
}
