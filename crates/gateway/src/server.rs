//! The HTTP server: routes, layers (client address, request id, tracing, timeout, panic
//! catching), the GraphQL endpoint with its body limit and each operation's time budget, health
//! checks, `/metrics`, the background mail delivery worker, and start/stop with graceful
//! shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_graphql::dataloader::DataLoader;
use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sea_orm::DatabaseConnection;
use serde_json::json;
use staffbank_bank::evidence::{self, EvidenceStore};
use staffbank_core::{SharedClock, db};
use staffbank_migrations::Migrator;
use staffbank_migrations::MigratorTrait;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::client_ip::Network;
use crate::config::Config;
use crate::graphql::batching::Batches;
use crate::graphql::context::{Credentials, RequestContext, Services};
use crate::graphql::loaders::DbLoader;
use crate::graphql::{self, AppSchema};
use crate::token::TokenKeys;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Services (database, clock, keys, config).
    pub services: Services,
    /// The executable schema.
    pub schema: AppSchema,
    /// Whether GraphiQL is served.
    pub graphiql: bool,
    /// The reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<Vec<Network>>,
}

/// Options that are not configuration: how this process was started.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// Serve GraphiQL even when the config does not say (demo mode).
    pub demo: bool,
    /// Skip migrations even when the config says to run them.
    pub no_migrate: bool,
}

/// Connects to the configured database.
///
/// # Errors
/// The database cannot be reached (or the data directory created).
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    std::fs::create_dir_all(&config.data_dir)?;
    let url = config.database_url();
    db::connect(&url, config.max_db_connections)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))
}

/// Applies pending migrations.
///
/// # Errors
/// A migration failed.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// Builds the state shared by the handlers.
///
/// # Errors
/// The token secret cannot be loaded or created.
pub fn state(
    config: Config,
    mut db: DatabaseConnection,
    clock: SharedClock,
    options: &StartOptions,
) -> anyhow::Result<AppState> {
    let queries = Arc::new(AtomicU64::new(0));
    let counter = queries.clone();
    db.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::Relaxed);
        // Every statement, for a developer finding out what a page runs
        // (`RUST_LOG=staffbank::sql=debug`); the SQL without its values, which may be personal.
        tracing::debug!(
            target: "staffbank::sql",
            elapsed_us = u64::try_from(info.elapsed.as_micros()).unwrap_or(u64::MAX),
            failed = info.failed,
            sql = %info.statement.sql,
            "statement"
        );
        if info.elapsed > Duration::from_millis(500) {
            tracing::warn!(elapsed_ms = info.elapsed.as_millis(), sql = %info.statement.sql, "slow database statement");
        }
    });
    let evidence = EvidenceStore::new(
        config.data_dir.join("evidence"),
        config.limits.max_upload_bytes,
    );
    let secret = crate::files::token_secret(config.token_secret.as_ref(), &config.data_dir)?;
    let tokens = TokenKeys::new(&secret, chrono::Duration::minutes(config.token_ttl_minutes));
    let graphiql = config.graphiql.unwrap_or(options.demo);
    let exposure = graphql::Exposure {
        introspection: config.introspection.unwrap_or(options.demo),
        suggestions: config.suggestions.unwrap_or(options.demo),
    };
    let trusted_proxies = Arc::new(config.trusted_proxies()?);
    if config.metrics.enabled {
        if crate::monitoring::handle().is_none() {
            tracing::warn!(
                "metrics are enabled but another recorder is installed; /metrics is empty"
            );
        }
        if config.metrics.token.is_none() {
            tracing::warn!(
                "/metrics is enabled without a token: anyone who reaches the port can read it"
            );
        }
    }
    let kek = crate::files::passport_kek(config.passport_kek.as_ref(), &config.data_dir)?;
    let public_url = Arc::new(std::sync::RwLock::new(config.public_url()));
    let config = Arc::new(config);
    let shift_feed = crate::shift_feed::ShiftFeed::new(db.clone());
    let services = Services {
        shift_feed,
        db,
        clock,
        tokens,
        config: config.clone(),
        evidence,
        queries,
        kek,
        public_url,
    };
    let schema = graphql::build(&config.limits, exposure)
        .data(services.clone())
        .finish();
    Ok(AppState {
        services,
        schema,
        graphiql,
        trusted_proxies,
    })
}

/// The router with every route and layer.
pub fn router(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.services.config.limits.request_timeout_secs);
    let router = Router::new()
        .route("/graphql", post(graphql_handler))
        .route("/graphql/ws", get(crate::subscriptions::handler))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(crate::monitoring::handler))
        .route("/evidence/{credential_id}", get(evidence_handler))
        .merge(crate::publish::routes());
    let web = staffbank_web::router(
        Arc::new(crate::web::InProcess::new(state.clone())),
        staffbank_web::Settings {
            secure_cookies: state.services.public_url().starts_with("https://"),
            graphiql: state.graphiql,
            max_upload_bytes: u64::try_from(state.services.config.limits.max_upload_bytes)
                .unwrap_or(u64::MAX),
        },
    );
    let proxies = state.trusted_proxies.clone();
    router.with_state(state).merge(web).layer(
        ServiceBuilder::new()
            // Everything after this sees the client's address, not a proxy's.
            .map_request(move |mut req: Request<Body>| {
                if !proxies.is_empty()
                    && let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied()
                {
                    let ip = crate::client_ip::client_ip(peer.ip(), req.headers(), &proxies);
                    req.extensions_mut()
                        .insert(ConnectInfo(SocketAddr::new(ip, peer.port())));
                }
                req
            })
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<Body>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(CatchPanicLayer::custom(|_| {
                error_response(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "internal error; it has been logged")
            }))
            .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout)),
    )
}

/// A GraphQL-shaped error body for failures outside the executor.
fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body =
        json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, axum::Json(body)).into_response()
}

fn credentials(state: &AppState, headers: &HeaderMap) -> Credentials {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Credentials::Anonymous;
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match token {
        Some(t) => token_credentials(state, t),
        None => Credentials::Refused(crate::token::TokenError::Invalid),
    }
}

/// What a sign-in token says (from a bearer header, or the web app's session cookie).
pub fn token_credentials(state: &AppState, token: &str) -> Credentials {
    match state
        .services
        .tokens
        .verify(state.services.clock.as_ref(), token)
    {
        Ok(id) => Credentials::Account(id),
        Err(e) => Credentials::Refused(e),
    }
}

async fn graphql_handler(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limits = &state.services.config.limits;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Uploads (GraphQL multipart requests) may be as large as one evidence document.
    let multipart = content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    let max = if multipart {
        limits.max_upload_bytes + 64 * 1024
    } else {
        limits.max_body_bytes
    };
    let Ok(bytes) = axum::body::to_bytes(body, max).await else {
        let mut refused = error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "VALIDATION",
            &format!("the request body is larger than the limit of {max} bytes"),
        );
        // The rest of the body is never read, so the connection cannot carry another request:
        // say so, or a client may send its next request down it as it closes (a broken pipe).
        refused
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return refused;
    };
    let options = async_graphql::http::MultipartOptions::default()
        .max_num_files(1)
        .max_file_size(limits.max_upload_bytes);
    let request = match async_graphql::http::receive_body(
        content_type.or_else(|| Some("application/json".to_owned())),
        futures::io::Cursor::new(bytes.to_vec()),
        options,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "VALIDATION",
                &format!("the body is not a GraphQL request ({{\"query\": ...}}): {e}"),
            );
        }
    };
    let response = execute(
        &state,
        peer.ip().to_string(),
        credentials(&state, &headers),
        request,
    )
    .await;
    let mut http = axum::Json(&response).into_response();
    if let Some(cache) = response
        .cache_control
        .value()
        .and_then(|v| HeaderValue::from_str(&v).ok())
    {
        http.headers_mut().insert(header::CACHE_CONTROL, cache);
    }
    http
}

/// Runs one GraphQL request as the caller the credentials name: the context, the batching loader
/// and the error labelling every client gets — `POST /graphql` and the web app's pages alike.
pub async fn execute(
    state: &AppState,
    ip: String,
    credentials: Credentials,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let limits = &state.services.config.limits;
    let started = Instant::now();
    let operation = crate::monitoring::operation_label(request.operation_name.as_deref());
    let ctx = Arc::new(RequestContext::new(ip, credentials));
    // The loader's batches run on this request's task once the fields of a level have all asked
    // (see `graphql::batching`), so they need no wait for their siblings: the delay only adds one.
    let batches = Batches::default();
    let loader = DataLoader::new(
        DbLoader {
            db: state.services.db.clone(),
            clock: state.services.clock.clone(),
            request: ctx.clone(),
        },
        batches.spawner(),
    )
    .delay(Duration::from_millis(limits.batch_window_ms));
    let budget = Duration::from_millis(limits.operation_budget_ms.max(1));
    // Past its budget the operation's future is dropped: its work stops at the next await, a
    // transaction in progress rolls back, and a writer's turn at SQLite is given up.
    let mut response = match tokio::time::timeout(
        budget,
        batches.drive(state.schema.execute(request.data(ctx).data(loader))),
    )
    .await
    {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%operation, budget_ms = limits.operation_budget_ms, "operation over its time budget: cancelled");
            let mut e = async_graphql::ServerError::new(
                format!(
                    "the request took longer than its time budget of {} ms and was stopped; \
                         nothing it would have changed was saved. Ask for less (smaller pages, \
                         fewer nested lists) or try again",
                    limits.operation_budget_ms
                ),
                None,
            );
            let mut ext = async_graphql::ErrorExtensionValues::default();
            ext.set("code", "TIMEOUT");
            e.extensions = Some(ext);
            async_graphql::Response::from_errors(vec![e])
        }
    };
    // Errors from the engine itself (syntax, unknown field, limits, argument coercion) carry no
    // code; every resolver error does. Label them so clients can rely on `extensions.code`.
    for e in &mut response.errors {
        let ext = e.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            ext.set("code", "VALIDATION");
        }
    }
    let outcome = response
        .errors
        .first()
        .and_then(|e| e.extensions.as_ref())
        .and_then(|ext| ext.get("code"))
        .map_or_else(
            || "ok".to_owned(),
            |code| match code {
                async_graphql::Value::String(c) => c.to_lowercase(),
                _ => "error".to_owned(),
            },
        );
    crate::monitoring::record_operation(operation, outcome, started.elapsed().as_secs_f64());
    response
}

/// `GET /evidence/{credentialId}` with a bearer token: the evidence document, for those who may
/// see the worker's credentials.
async fn evidence_handler(
    State(state): State<AppState>,
    axum::extract::Path(credential_id): axum::extract::Path<uuid::Uuid>,
    headers: HeaderMap,
) -> Response {
    let credentials = credentials(&state, &headers);
    evidence_response(&state, credentials, credential_id).await
}

/// The evidence document of a credential for whoever `credentials` name, as `GET
/// /evidence/{credentialId}` answers it (the web app's pages fetch it through here too).
pub async fn evidence_response(
    state: &AppState,
    credentials: Credentials,
    credential_id: uuid::Uuid,
) -> Response {
    use staffbank_core::Classify;
    let s = &state.services;
    let signed_in = match credentials {
        Credentials::Account(id) => id,
        Credentials::Anonymous => {
            return error_response(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "sign in first");
        }
        Credentials::Refused(e) => {
            return error_response(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", &e.to_string());
        }
    };
    let result = async {
        let actor = staffbank_core::accounts::load_actor(&s.db, signed_in).await?;
        evidence::download(&s.db, s.clock.as_ref(), &actor, &s.evidence, credential_id).await
    }
    .await;
    match result {
        Ok((filename, media_type, bytes)) => {
            let disposition = staffbank_core::text::attachment_disposition(&filename);
            let mut resp = (StatusCode::OK, bytes).into_response();
            let h = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&media_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(
                "x-content-type-options",
                HeaderValue::from_static("nosniff"),
            );
            resp
        }
        Err(e) => {
            let (status, code) = match e.kind() {
                staffbank_core::ErrorKind::Unauthenticated => {
                    (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED")
                }
                staffbank_core::ErrorKind::Forbidden => (StatusCode::FORBIDDEN, "FORBIDDEN"),
                staffbank_core::ErrorKind::NotFound => (StatusCode::NOT_FOUND, "NOT_FOUND"),
                _ => {
                    tracing::error!(error = %e, "evidence download failed");
                    return error_response(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "INTERNAL",
                        "internal error; it has been logged",
                    );
                }
            };
            error_response(status, code, &e.to_string())
        }
    }
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.services.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// A running server.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state (tests reach the database and clock through it).
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
    delivery: Option<JoinHandle<()>>,
    jobs: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds, starts the mail delivery worker (unless `mail.deliver` is off), and serves in the
    /// background until [`Server::stop`].
    ///
    /// # Errors
    /// The address cannot be bound; the mail settings cannot work.
    pub async fn start(state: AppState, listen: SocketAddr) -> anyhow::Result<Self> {
        let config = state.services.config.clone();
        // Checked before binding, so a bad mail setting stops start-up rather than mail.
        let transport = config.mail_transport()?;
        let policy = config.delivery_policy()?;
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        if state.services.config.public_url.is_none()
            && let Ok(mut url) = state.services.public_url.write()
        {
            // Issuer ids must name where the service really is, also when any port was asked for.
            *url = format!("http://{addr}");
        }
        let (shutdown, mut rx) = watch::channel(false);
        let delivery = config.mail.deliver.then(|| {
            let worker = staffbank_notify::Worker::new(
                state.services.db.clone(),
                state.services.clock.clone(),
                Arc::new(transport),
            )
            .with_policy(policy);
            let poll = Duration::from_millis(config.mail.poll_interval_ms.max(10));
            tokio::spawn(worker.run(poll, shutdown.subscribe()))
        });
        let jobs = config.jobs.run.then(|| {
            tokio::spawn(crate::jobs::run(
                state.services.db.clone(),
                state.services.clock.clone(),
                Duration::from_millis(config.jobs.interval_ms.max(10)),
                shutdown.subscribe(),
            ))
        });
        let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|stop| *stop).await;
                })
                .await
        });
        Ok(Self {
            addr,
            state,
            shutdown,
            task,
            delivery,
            jobs,
        })
    }

    /// Whether this server runs a mail delivery worker (`mail.deliver`); tests check it where
    /// they show that a server which does not deliver sends nothing.
    #[must_use]
    pub fn delivers_mail(&self) -> bool {
        self.delivery.is_some()
    }

    /// A receiver that turns true when the server is stopping (for background workers).
    #[must_use]
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Stops accepting connections, lets requests in flight finish, lets the mail worker finish
    /// the message in hand (the rest stay in the outbox for the next start), and waits.
    ///
    /// # Errors
    /// The server task failed.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        let served = self.task.await;
        if let Some(delivery) = self.delivery {
            delivery.await?;
        }
        if let Some(jobs) = self.jobs {
            jobs.await?;
        }
        served??;
        Ok(())
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
