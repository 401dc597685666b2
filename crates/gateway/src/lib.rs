//! The staffbank gateway: one GraphQL API over the domain crates, and the `staffbank` command.

#[cfg(feature = "bench")]
pub mod bench;
pub mod bootstrap;
pub mod cli;
pub mod client_ip;
pub mod config;
pub mod files;
pub mod graphql;
pub mod jobs;
pub mod monitoring;
pub mod publish;
pub mod roster_posting;
pub mod server;
pub mod shift_feed;
pub mod subscriptions;
pub mod telemetry;
pub mod token;
pub mod web;

/// The demo bank (its own crate, `staffbank-demo`), loaded by `staffbank demo` and `serve --demo`.
pub use staffbank_demo as demo;

pub use config::Config;
pub use server::{AppState, Server, StartOptions};
