//! Configuration: built-in defaults, then `staffbank.toml` (or the file given with `--config`),
//! then `STAFFBANK_*` environment variables (nested keys with `__`, e.g.
//! `STAFFBANK_LIMITS__MAX_DEPTH=8`). Secrets are wrapped in [`Secret`] and never printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use staffbank_core::Secret;

/// Everything the service can be told.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address and port to listen on. Default `127.0.0.1:8080`.
    pub listen: SocketAddr,
    /// The URL at which clients reach the service (issuer ids of passports, links in emails).
    /// Default `http://{listen}`.
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
    /// Answer GraphQL introspection queries. Default true (the schema is public).
    pub introspection: bool,
    /// Key signing bearer tokens (HS256). Default: generated on first run and kept in
    /// `{data_dir}/token-secret`.
    pub token_secret: Option<Secret>,
    /// Lifetime of a bearer token, in minutes. Default 480 (one shift).
    pub token_ttl_minutes: i64,
    /// Log as JSON lines instead of text. Default false.
    pub log_json: bool,
    /// Log filter, as `RUST_LOG` (which wins when set). Default `info`.
    pub log_filter: String,
    /// Request limits.
    pub limits: Limits,
    /// The shift marketplace's background work.
    pub market: Market,
}

/// The shift marketplace's background work.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Market {
    /// How often to look for cascade tiers that have opened and tell the workers they newly
    /// reach, in seconds; 0 turns the sweep off (another replica may run it). Default 60.
    pub announce_every_secs: u64,
}

impl Default for Market {
    fn default() -> Self {
        Self {
            announce_every_secs: 60,
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
    /// Highest query complexity (fields counted, lists weighted by page size). Default 5000.
    pub max_complexity: usize,
    /// Most aliases in one document. Default 30.
    pub max_aliases: usize,
    /// Longest time one request may take, in seconds. Default 30.
    pub request_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_depth: 15,
            max_complexity: 5000,
            max_aliases: 30,
            request_timeout_secs: 30,
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
            introspection: true,
            token_secret: None,
            token_ttl_minutes: 480,
            log_json: false,
            log_filter: "info".into(),
            limits: Limits::default(),
            market: Market::default(),
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
}
