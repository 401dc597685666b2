//! Configuration: built-in defaults, then `staffbank.toml` (or the file given with `--config`),
//! then `STAFFBANK_*` environment variables (nested keys with `__`, e.g.
//! `STAFFBANK_LIMITS__MAX_DEPTH=8`). Secrets are wrapped in [`Secret`] and never printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use staffbank_core::Secret;
use staffbank_notify::TlsMode;

/// Everything the service can be told.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address and port to listen on. Default `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// The URL at which clients reach the service (issuer ids of passports, links in emails).
    /// Default `http://{address bound}` (the real port when `listen` asks for any port).
    pub public_url: Option<String>,
    /// Where the embedded database, generated keys and the mailbox folder live. Default `./data`.
    pub data_dir: PathBuf,
    /// `sqlite://path?mode=rwc` or `postgres://user:pass@host/db`. Default: the SQLite file
    /// `{data_dir}/staffbank.db`.
    pub database_url: Option<Secret>,
    /// Connections in the database pool. Default 16.
    pub max_db_connections: u32,
    /// Run pending migrations when `serve` starts. Default true.
    pub migrate_on_start: bool,
    /// Serve GraphiQL at `/graphiql`. Default: on with `--demo`, otherwise off.
    pub graphiql: Option<bool>,
    /// Answer GraphQL introspection queries (`__schema`, `__type`). Default: on with `--demo`,
    /// otherwise off (the schema is published as `schema.graphql`; a production server does not
    /// hand it to every stranger).
    pub introspection: Option<bool>,
    /// Suggest field names in errors ("did you mean ..."). Default: on with `--demo`, otherwise
    /// off (suggestions reveal the schema when introspection is off).
    pub suggestions: Option<bool>,
    /// Addresses (`10.0.0.5`) or networks (`10.0.0.0/8`, `fd00::/8`) of the reverse proxies in
    /// front of the service. The client's address is the socket's peer, unless that peer is one of
    /// these: then it is the rightmost address in `X-Forwarded-For` that is not a trusted proxy.
    /// Default: none (`X-Forwarded-For` is ignored). The address is what sign-in throttling counts.
    pub trusted_proxies: Vec<String>,
    /// `GET /metrics` (Prometheus text format).
    pub metrics: Metrics,
    /// Key signing bearer tokens (HS256). Default: generated on first run and kept in
    /// `{data_dir}/token-secret`.
    pub token_secret: Option<Secret>,
    /// Key-encryption key that seals the trusts' passport signing keys at rest: 32 bytes in
    /// base64. Default: generated on first run and kept in `{data_dir}/passport-kek` (readable by
    /// the service's user only). Set it (from a secret store) when running several replicas.
    pub passport_kek: Option<Secret>,
    /// Lifetime of a bearer token, in minutes. Default 480 (one shift).
    pub token_ttl_minutes: i64,
    /// Log as JSON lines instead of text. Default false.
    pub log_json: bool,
    /// Log filter, as `RUST_LOG` (which wins when set). Default `info`.
    pub log_filter: String,
    /// Request limits.
    pub limits: Limits,
    /// Outgoing email.
    pub mail: Mail,
    /// Scheduled jobs.
    pub jobs: Jobs,
}

/// `GET /metrics`: request counts and latencies by operation and outcome, database pool use,
/// outbox depth and age, scheduled job runs and failures.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Metrics {
    /// Serve `/metrics`. Default false (the path answers 404).
    pub enabled: bool,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>` (anything
    /// else gets 401). Strongly advised unless only the scraper can reach the port. A secret.
    pub token: Option<Secret>,
}

/// Scheduled jobs (credential expiry sweep, tier announcements, timesheet reminders).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Jobs {
    /// Run them in this process. Default true; every replica may run them (they are safe to run
    /// concurrently), or turn them off on some.
    pub run: bool,
    /// How often, in milliseconds. Default 300000 (five minutes).
    pub interval_ms: u64,
}

impl Default for Jobs {
    fn default() -> Self {
        Self {
            run: true,
            interval_ms: 300_000,
        }
    }
}

/// Limits that keep one request from exhausting the service.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Largest request body, in bytes. Default 1 MiB.
    pub max_body_bytes: usize,
    /// Deepest selection nesting. Default 15.
    pub max_depth: usize,
    /// Highest query cost: every field selected counts 1, multiplied by the sizes of the lists it
    /// sits in (a connection's `first`, or [`Limits::assumed_list_size`]), with each fragment
    /// counted every time it is spread. Default 5000.
    pub max_complexity: usize,
    /// Most aliases in one document. Default 30.
    pub max_aliases: usize,
    /// Longest time one request may take, in seconds, whatever it is (uploads included). Default
    /// 30.
    pub request_timeout_secs: u64,
    /// The time budget of one GraphQL operation, in milliseconds: past it the operation's work is
    /// cancelled (a write in progress rolls back) and it answers `TIMEOUT`. Default 10000.
    pub operation_budget_ms: u64,
    /// How many items a list field without a `first` argument is assumed to return, when the
    /// query's cost is counted (a list multiplies the cost of what is selected inside it; a
    /// connection multiplies by its `first`, 50 when not given). Default 5.
    pub assumed_list_size: usize,
    /// How long a batch of nested lookups waits, in milliseconds, before it is fetched in one
    /// query. Default 0: a batch runs once every field of its level has asked (on the request's
    /// own task, see `graphql::batching`), so no wait is needed to gather them.
    pub batch_window_ms: u64,
    /// Largest evidence document (PDF, JPEG, PNG) a credential may carry, in bytes. Default 10 MiB.
    pub max_upload_bytes: usize,
    /// The cost (as [`Limits::max_complexity`] counts it) from which an operation is heavy: heavy
    /// operations take turns (see [`Limits::heavy_concurrency`]). Default 1000.
    pub heavy_cost: usize,
    /// How many heavy operations run at once; the others wait, inside their time budget. Default
    /// one fewer than the machine's cores, at least 1, so a core stays free for small requests
    /// however many big ones arrive; 0 lets every heavy operation run at once.
    pub heavy_concurrency: usize,
}

/// One fewer than the machine's cores, at least 1.
fn cores_but_one() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1)
}

/// Outgoing email: where it goes, from whom, and the delivery worker. Messages are written to the
/// database's outbox with the change that causes them and sent after commit, so they survive
/// restarts; several replicas may deliver from one database without sending a message twice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Mail {
    /// `mailbox` (default): write each email as a `.eml` file into `{data_dir}/mailbox`, for
    /// demos and development; `smtp`: send through the relay in `smtp`.
    pub transport: MailTransport,
    /// The sender (`From`). Default `staffbank <no-reply@staffbank.example>`.
    pub from: String,
    /// Run the delivery worker in this process. Default true. Turn it off on replicas that should
    /// only serve requests; messages wait in the outbox for a replica that delivers.
    pub deliver: bool,
    /// How often the worker looks for messages due, in milliseconds. Default 2000.
    pub poll_interval_ms: u64,
    /// How long a worker's claim on a batch of messages lasts, in seconds. Default 300. When a
    /// process dies holding messages, another takes them once the claim runs out: a shorter
    /// lease delivers them sooner after a crash. Must be longer than `send_timeout_secs`.
    pub claim_lease_secs: u64,
    /// Longest time sending one message may take, in seconds. Default 60. A worker sends a
    /// message only while more than this remains of its claim.
    pub send_timeout_secs: u64,
    /// The SMTP relay, when `transport = "smtp"`.
    pub smtp: Smtp,
}

/// Where email goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// `.eml` files in `{data_dir}/mailbox`.
    #[default]
    Mailbox,
    /// An SMTP relay.
    Smtp,
}

/// An SMTP relay.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Smtp {
    /// Host name of the relay (required for SMTP; also the name its TLS certificate must carry).
    pub host: Option<String>,
    /// Port. Default 587 (submission with STARTTLS); 465 for `tls`, 25 for a local relay.
    pub port: u16,
    /// `starttls` (default; the upgrade must succeed), `tls` (TLS from the start), or `none`
    /// (plain text: only for a relay on the same host).
    pub tls: TlsMode,
    /// User name, when the relay wants one (with `password`).
    pub username: Option<String>,
    /// Password for `username`. A secret: never printed.
    pub password: Option<Secret>,
}

impl Default for Mail {
    fn default() -> Self {
        Self {
            transport: MailTransport::Mailbox,
            from: "staffbank <no-reply@staffbank.example>".into(),
            deliver: true,
            poll_interval_ms: 2000,
            claim_lease_secs: 300,
            send_timeout_secs: 60,
            smtp: Smtp::default(),
        }
    }
}

impl Default for Smtp {
    fn default() -> Self {
        Self {
            host: None,
            port: 587,
            tls: TlsMode::Starttls,
            username: None,
            password: None,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_depth: 15,
            max_complexity: 5000,
            max_aliases: 30,
            request_timeout_secs: 30,
            operation_budget_ms: 10_000,
            assumed_list_size: 5,
            heavy_cost: 1000,
            heavy_concurrency: cores_but_one(),
            max_upload_bytes: 10 * 1024 * 1024,
            batch_window_ms: 0,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            data_dir: PathBuf::from("data"),
            database_url: None,
            max_db_connections: 16,
            migrate_on_start: true,
            graphiql: None,
            introspection: None,
            suggestions: None,
            trusted_proxies: Vec::new(),
            metrics: Metrics::default(),
            token_secret: None,
            passport_kek: None,
            token_ttl_minutes: 480,
            log_json: false,
            log_filter: "info".into(),
            limits: Limits::default(),
            mail: Mail::default(),
            jobs: Jobs::default(),
        }
    }
}

impl Config {
    /// Loads defaults, then the file (`staffbank.toml` when none is named and it exists), then the
    /// environment.
    ///
    /// # Errors
    /// A named file that does not exist, or a value of the wrong type.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                if !path.exists() {
                    anyhow::bail!("config file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("staffbank.toml")),
        }
        let config: Config = figment
            .merge(Env::prefixed("STAFFBANK_").split("__"))
            .extract()?;
        Ok(config)
    }

    /// The database URL to use.
    #[must_use]
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("staffbank.db").display()
            ),
        }
    }

    /// The folder the `mailbox` mail transport writes to.
    #[must_use]
    pub fn mailbox_dir(&self) -> PathBuf {
        self.data_dir.join("mailbox")
    }

    /// The mail transport configured. Call it inside a Tokio runtime.
    ///
    /// # Errors
    /// A sender that is not an address; SMTP without a host, or with a user name but no password.
    pub fn mail_transport(&self) -> anyhow::Result<staffbank_notify::Transport> {
        let mail = &self.mail;
        let transport = match mail.transport {
            MailTransport::Mailbox => {
                staffbank_notify::Transport::mailbox(&mail.from, self.mailbox_dir())
            }
            MailTransport::Smtp => {
                let settings = staffbank_notify::SmtpSettings {
                    host: mail.smtp.host.clone().unwrap_or_default(),
                    port: mail.smtp.port,
                    tls: mail.smtp.tls,
                    username: mail.smtp.username.clone(),
                    password: mail.smtp.password.clone(),
                    command_timeout: std::time::Duration::from_secs(30),
                };
                staffbank_notify::Transport::smtp(&mail.from, &settings)
            }
        };
        transport.map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// The trusted proxies, parsed.
    ///
    /// # Errors
    /// An entry that is neither an address nor a network.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<crate::client_ip::Network>> {
        self.trusted_proxies
            .iter()
            .map(|s| {
                s.parse()
                    .map_err(|e| anyhow::anyhow!("trusted_proxies: '{s}': {e}"))
            })
            .collect()
    }

    /// The delivery worker's claim lease and send timeout, as configured (other settings at
    /// their defaults).
    ///
    /// # Errors
    /// A send timeout of zero, or one not shorter than the lease (a worker could then outlive
    /// its claim and send a message another worker also sends).
    pub fn delivery_policy(&self) -> anyhow::Result<staffbank_notify::Policy> {
        let mail = &self.mail;
        if mail.send_timeout_secs == 0 || mail.send_timeout_secs >= mail.claim_lease_secs {
            anyhow::bail!(
                "mail.send_timeout_secs ({}) must be at least 1 and less than mail.claim_lease_secs ({})",
                mail.send_timeout_secs,
                mail.claim_lease_secs
            );
        }
        let lease = i64::try_from(mail.claim_lease_secs)
            .ok()
            .and_then(chrono::Duration::try_seconds)
            .ok_or_else(|| anyhow::anyhow!("mail.claim_lease_secs is too large"))?;
        Ok(staffbank_notify::Policy {
            lease,
            send_timeout: std::time::Duration::from_secs(mail.send_timeout_secs),
            ..staffbank_notify::Policy::default()
        })
    }

    /// The public base URL, without a trailing slash.
    #[must_use]
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn secrets_do_not_print() {
        let c = Config {
            database_url: Some(staffbank_core::Secret::new("postgres://u:hunter2@db/x")),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("hunter2"));
        assert_eq!(c.database_url(), "postgres://u:hunter2@db/x");
    }

    #[tokio::test]
    #[expect(
        clippy::result_large_err,
        reason = "figment's Jail decides the error type"
    )]
    async fn mail_settings_from_toml_and_environment() {
        use figment::Jail;

        use super::MailTransport;
        use staffbank_notify::TlsMode;

        Jail::expect_with(|jail| {
            jail.create_file(
                "staffbank.toml",
                r#"
                [mail]
                transport = "smtp"
                [mail.smtp]
                host = "smtp.example.nhs.uk"
                tls = "tls"
                port = 465
                "#,
            )?;
            jail.set_env("STAFFBANK_MAIL__SMTP__USERNAME", "bank");
            jail.set_env("STAFFBANK_MAIL__SMTP__PASSWORD", "hunter2");
            let c = Config::load(None).map_err(|e| e.to_string())?;
            assert_eq!(c.mail.transport, MailTransport::Smtp);
            assert_eq!(c.mail.smtp.tls, TlsMode::Tls);
            assert_eq!(c.mail.smtp.port, 465);
            assert_eq!(c.mail.from, "staffbank <no-reply@staffbank.example>");
            assert!(c.mail.deliver);
            assert!(!format!("{c:?}").contains("hunter2"));
            let transport = c.mail_transport().map_err(|e| e.to_string())?;
            assert!(!format!("{transport:?}").contains("hunter2"));
            assert!(transport.describe().contains("smtp.example.nhs.uk:465"));
            Ok(())
        });
    }

    #[test]
    fn mail_defaults_to_the_mailbox_folder() {
        let c = Config::default();
        assert_eq!(c.mail.transport, super::MailTransport::Mailbox);
        assert_eq!(c.mail.smtp.port, 587);
        assert_eq!(c.mail.poll_interval_ms, 2000);
        let transport = c.mail_transport();
        assert!(transport.is_ok_and(|t| t.describe().contains("mailbox")));
    }
}
