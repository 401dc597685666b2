//! Logging: one `tracing` subscriber for the process, text or JSON lines, filtered by `RUST_LOG` or
//! the configured filter.

use tracing_subscriber::EnvFilter;

use crate::config::Config;

/// Installs the subscriber; a second call (tests starting several servers) is a no-op.
pub fn init(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(config.log_filter.clone()));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if config.log_json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}
