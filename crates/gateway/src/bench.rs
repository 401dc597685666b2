//! The server the benchmarks (`staffbank bench`, `bench-roster`; the `staffbank-bench` crate)
//! measure: this gateway, set up as the bench asks, on a free loopback port.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use sea_orm::DatabaseConnection;
use staffbank_bench::harness::{Harness, RunningServer, Settings};
use staffbank_core::{ManualClock, Secret};

use crate::config::Config;
use crate::server::{self, Server, StartOptions};

/// Starts this gateway for the bench.
#[derive(Debug, Clone, Copy)]
pub struct Gateway;

/// The configuration the bench's settings make: the defaults, on a free loopback port, with mail
/// delivery and scheduled jobs off.
fn config(settings: &Settings) -> Config {
    let mut config = Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: settings.data_dir.clone(),
        database_url: Some(Secret::new(settings.database_url.clone())),
        ..Config::default()
    };
    if let Some(n) = settings.connections {
        config.max_db_connections = n;
    }
    if let Some(minutes) = settings.token_ttl_minutes {
        config.token_ttl_minutes = minutes;
    }
    config.mail.deliver = false;
    config.jobs.run = false;
    if let Some(n) = settings.heavy_concurrency {
        config.limits.heavy_concurrency = n;
    }
    if let Some(ms) = settings.batch_window_ms {
        config.limits.batch_window_ms = ms;
    }
    config
}

impl Harness for Gateway {
    type Server = Server;

    async fn open(&self, settings: &Settings) -> anyhow::Result<DatabaseConnection> {
        let db = server::connect(&config(settings)).await?;
        server::migrate(&db).await?;
        Ok(db)
    }

    async fn start(
        &self,
        settings: &Settings,
        db: DatabaseConnection,
        clock: Arc<ManualClock>,
    ) -> anyhow::Result<Server> {
        let config = config(settings);
        let listen = config.listen;
        let state = server::state(config, db, clock, &StartOptions::default())?;
        Server::start(state, listen).await
    }
}

impl RunningServer for Server {
    fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn statements(&self) -> &AtomicU64 {
        &self.state.services.queries
    }

    fn heavy_gate(&self) -> (usize, usize) {
        let limits = &self.state.services.config.limits;
        (limits.heavy_concurrency, limits.heavy_cost)
    }

    async fn stop(self) -> anyhow::Result<()> {
        Server::stop(self).await
    }
}
