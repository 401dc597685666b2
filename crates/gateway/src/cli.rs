//! The `staffbank` command line: serve, migrate, load demo data, print the schema, and verify a
//! passport offline.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use staffbank_core::SystemClock;

use crate::config::Config;
use crate::server::{self, Server, StartOptions};
use crate::{bootstrap, demo, graphql, telemetry};
use staffbank_bank::organisation::SystemModel;

/// staffbank: a collaborative staff bank and passporting service for NHS trusts.
#[derive(Debug, Parser)]
#[command(name = "staffbank", version, about, long_about = None)]
struct Cli {
    /// Configuration file (default: ./staffbank.toml when it exists).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the GraphQL service (migrates the database first unless --no-migrate).
    Serve {
        /// Load demo data into an empty database and print demo logins; turns GraphiQL on.
        #[arg(long)]
        demo: bool,
        /// Do not run database migrations at start.
        #[arg(long)]
        no_migrate: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo collaborative bank into an empty database and print demo logins.
    Demo,
    /// Print the GraphQL schema (SDL) to standard output.
    Schema,
    /// Build a large collaborative bank and measure the marketplace over HTTP (see BENCHMARKS.md;
    /// use a release build).
    #[cfg(feature = "bench")]
    Bench(staffbank_bench::BenchArgs),
    /// Load the demo bank and measure uploading and posting a roster file of many shifts over
    /// HTTP (see BENCHMARKS.md; use a release build).
    #[cfg(feature = "bench")]
    BenchRoster(staffbank_bench::roster::RosterBenchArgs),
    /// Create a collaborative bank and its first system admin (prints a one-time password).
    CreateBank {
        /// The bank's name, e.g. "Cumbria and North East Collaborative Bank".
        #[arg(long)]
        name: String,
        /// How workers are engaged: each trust keeps its own pool, or one lead employer.
        #[arg(long, value_enum, default_value = "own-pools")]
        model: BankModelArg,
        /// Email of the first system admin.
        #[arg(long)]
        admin_email: String,
        /// Name of the first system admin.
        #[arg(long)]
        admin_name: String,
    },
    /// Passport tools that need no server or database.
    #[command(subcommand)]
    Passport(PassportCommand),
}

#[derive(Debug, Subcommand)]
enum PassportCommand {
    /// Verify a passport fully offline against a trust registry file (exit 0: valid, 1: not
    /// valid, 2: the files could not be read).
    Verify(VerifyArgs),
}

/// What `staffbank passport verify` takes.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// The collaborative bank's trust registry (JSON, as published at
    /// `/systems/{id}/trust-registry.json`).
    #[arg(long, value_name = "FILE")]
    pub registry: PathBuf,
    /// A status list credential as published at the passport's status list URL (give both the
    /// revocation and the suspension list); without them revocation is not checked and the report
    /// says so.
    #[arg(long = "status-list", value_name = "FILE")]
    pub status_lists: Vec<PathBuf>,
    /// Verify as at this moment (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<DateTime<Utc>>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// The passport: a file holding the compact JWS, or `-` for standard input.
    #[arg(value_name = "PASSPORT")]
    pub passport: PathBuf,
}

fn read(path: &Path) -> Result<String, String> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Runs `staffbank passport verify`: the report to print, and whether the passport is valid.
///
/// # Errors
/// A file cannot be read, or the registry file is not a registry.
pub fn verify_passport(args: &VerifyArgs) -> Result<(String, bool), String> {
    let registry = read(&args.registry)?;
    let token = read(&args.passport)?;
    let lists = args
        .status_lists
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let now = args.at.unwrap_or_else(Utc::now);
    let v = staffbank_passport::offline::verify(&registry, &token, &lists, now)?;
    let report = if args.json {
        serde_json::to_string_pretty(&staffbank_passport::offline::report_json(&v))
            .map_err(|e| e.to_string())?
    } else {
        staffbank_passport::offline::report(&v)
    };
    Ok((report, v.valid()))
}

/// Collaborative bank models on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum BankModelArg {
    /// Each trust keeps its own pool and recharges the others.
    OwnPools,
    /// One lead employer engages every bank worker.
    LeadEmployer,
}

/// Runs the command line; the exit code says whether it worked.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Schema = cli.command {
        print!("{}", graphql::sdl());
        return ExitCode::SUCCESS;
    }
    if let Command::Passport(PassportCommand::Verify(args)) = &cli.command {
        return match verify_passport(args) {
            Ok((report, valid)) => {
                println!("{}", report.trim_end());
                if valid {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("staffbank: {e}");
                ExitCode::from(2)
            }
        };
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("staffbank: configuration error: {e:#}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("staffbank: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The bench builds its own database and server: nothing to open here.
    let outcome = match cli.command {
        #[cfg(feature = "bench")]
        Command::Bench(args) => {
            runtime.block_on(staffbank_bench::run(&crate::bench::Gateway, args))
        }
        #[cfg(feature = "bench")]
        Command::BenchRoster(args) => {
            runtime.block_on(staffbank_bench::roster::run(&crate::bench::Gateway, args))
        }
        command => runtime.block_on(run(command, config)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("staffbank: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    let clock = Arc::new(SystemClock);
    let db = server::connect(&config).await?;
    match command {
        Command::Migrate => {
            server::migrate(&db).await?;
            println!("database is up to date");
        }
        Command::Demo => {
            server::migrate(&db).await?;
            let summary = demo::load(&db, clock.as_ref()).await?;
            if summary.loaded {
                let store = staffbank_bank::evidence::EvidenceStore::new(
                    config.data_dir.join("evidence"),
                    config.limits.max_upload_bytes,
                );
                demo::hr::attach_evidence(&db, clock.as_ref(), &store).await?;
            }
            summary.print(&config.public_url(), false);
        }
        Command::Serve { demo, no_migrate } => {
            if config.migrate_on_start && !no_migrate {
                server::migrate(&db).await?;
            }
            let demo_summary = if demo {
                Some(demo::load(&db, clock.as_ref()).await?)
            } else {
                None
            };
            let options = StartOptions { demo, no_migrate };
            let listen = config.listen;
            let public_url = config.public_url();
            let state = server::state(config, db, clock, &options)?;
            if demo_summary.as_ref().is_some_and(|s| s.loaded) {
                let s = &state.services;
                demo::hr::attach_evidence(&s.db, s.clock.as_ref(), &s.evidence).await?;
            }
            let graphiql = state.graphiql;
            let server = Server::start(state, listen).await?;
            tracing::info!(addr = %server.addr, "staffbank is listening");
            println!("staffbank is serving the web app at {public_url}/");
            println!("and GraphQL at {public_url}/graphql");
            if graphiql {
                println!("GraphiQL (try queries in the browser): {public_url}/graphiql");
            }
            if let Some(summary) = demo_summary {
                summary.print(&public_url, true);
            }
            server::shutdown_signal().await;
            tracing::info!("shutting down: finishing requests in flight");
            server.stop().await?;
        }
        Command::Schema => print!("{}", graphql::sdl()),
        #[cfg(feature = "bench")]
        Command::Bench(args) => staffbank_bench::run(&crate::bench::Gateway, args).await?,
        #[cfg(feature = "bench")]
        Command::BenchRoster(args) => {
            staffbank_bench::roster::run(&crate::bench::Gateway, args).await?;
        }
        Command::CreateBank {
            name,
            model,
            admin_email,
            admin_name,
        } => {
            server::migrate(&db).await?;
            let model = match model {
                BankModelArg::OwnPools => SystemModel::OwnPools,
                BankModelArg::LeadEmployer => SystemModel::LeadEmployer,
            };
            let bank = bootstrap::create_bank(
                &db,
                clock.as_ref(),
                &name,
                model,
                &admin_email,
                &admin_name,
            )
            .await?;
            println!(
                "created collaborative bank '{}' ({})",
                bank.system.name, bank.system.id
            );
            println!("system admin: {}", bank.admin_email);
            println!(
                "one-time password (shown only now; change it after signing in): {}",
                bank.password
            );
        }
        Command::Passport(_) => {}
    }
    Ok(())
}
