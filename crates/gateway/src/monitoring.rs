//! Operations' view: the Prometheus exporter behind the `metrics` facade (installed once per
//! process; the domain crates record through the facade too), and `GET /metrics` — off unless
//! configured, and behind a bearer token when one is set.
//!
//! Series:
//! - `staffbank_graphql_requests_total{operation, outcome}` and
//!   `staffbank_graphql_request_duration_seconds{operation, outcome}` (a histogram): every GraphQL
//!   operation (`POST /graphql` and the web app's pages alike), by operation name and outcome
//!   (`ok`, or the first error's code in lower case);
//! - `staffbank_db_pool_connections{state="in_use"|"idle"}`, `staffbank_db_pool_max_connections`,
//!   `staffbank_db_statements_total`;
//! - `staffbank_outbox_pending_messages`, `staffbank_outbox_oldest_pending_age_seconds`;
//! - `staffbank_job_runs_total{job}`, `staffbank_job_failures_total{job}`,
//!   `staffbank_job_duration_seconds{job}` (see `jobs.rs`), and the domain crates'
//!   `staffbank_job_row_failures_total{job}`;
//! - `staffbank_throttled_attempts_total`.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use staffbank_notify::entity::outbox;

use crate::server::AppState;

/// Histogram buckets for latencies, in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Most distinct operation names given their own label; later names count as `other`, so a
/// client inventing names cannot grow the series without bound.
const MAX_OPERATION_NAMES: usize = 200;

/// The process's exporter, installed on first use. `None` if another recorder was installed
/// first (then nothing is exported here).
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            match metrics::set_global_recorder(recorder) {
                Ok(()) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "a metrics recorder was already installed");
                    None
                }
            }
        })
        .as_ref()
}

/// The label for a client's operation name: itself when it is a plain GraphQL name of at most 64
/// characters and one of the first [`MAX_OPERATION_NAMES`] seen; `unnamed` or `other` otherwise.
#[must_use]
pub fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return "unnamed".into();
    };
    let plain = name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !plain {
        return "other".into();
    }
    let mut seen = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if seen.contains(name) || seen.len() < MAX_OPERATION_NAMES {
        seen.insert(name.to_owned());
        name.to_owned()
    } else {
        "other".into()
    }
}

/// Records one GraphQL operation.
pub fn record_operation(operation: String, outcome: String, seconds: f64) {
    metrics::counter!("staffbank_graphql_requests_total", "operation" => operation.clone(), "outcome" => outcome.clone())
        .increment(1);
    metrics::histogram!("staffbank_graphql_request_duration_seconds", "operation" => operation, "outcome" => outcome)
        .record(seconds);
}

/// Gauges read at scrape time: the pool and the outbox.
async fn sample(db: &DatabaseConnection, statements: u64, now: chrono::DateTime<chrono::Utc>) {
    let (size, idle, max) = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle(), p.options().get_max_connections())
        }
        sea_orm::DatabaseBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle(), p.options().get_max_connections())
        }
        _ => (0, 0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    metrics::gauge!("staffbank_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("staffbank_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("staffbank_db_pool_max_connections").set(f64::from(max));
    metrics::counter!("staffbank_db_statements_total").absolute(statements);
    let pending = outbox::Entity::find().filter(outbox::Column::State.eq("PENDING"));
    match pending.clone().count(db).await {
        Ok(n) => {
            metrics::gauge!("staffbank_outbox_pending_messages").set(n as f64);
        }
        Err(e) => tracing::warn!(error = %e, "metrics: cannot count the outbox"),
    }
    match pending
        .order_by_asc(outbox::Column::CreatedAt)
        .one(db)
        .await
    {
        Ok(oldest) => {
            let age = oldest.map_or(0, |m| (now - m.created_at).num_milliseconds().max(0));
            metrics::gauge!("staffbank_outbox_oldest_pending_age_seconds").set(age as f64 / 1000.0);
        }
        Err(e) => tracing::warn!(error = %e, "metrics: cannot read the outbox"),
    }
}

/// `GET /metrics`.
pub async fn handler(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let config = &state.services.config.metrics;
    if !config.enabled {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(token) = &config.token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), token.expose().as_bytes())) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "the metrics need the configured bearer token\n",
            )
                .into_response();
        }
    }
    let Some(handle) = handle() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics are not recorded\n",
        )
            .into_response();
    };
    let s = &state.services;
    sample(
        &s.db,
        s.queries.load(std::sync::atomic::Ordering::Relaxed),
        s.clock.now(),
    )
    .await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
