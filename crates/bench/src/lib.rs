//! `staffbank bench`: builds a collaborative bank at scale on SQLite or PostgreSQL, starts the real
//! server on it, and measures over HTTP the latency of the first page of `eligibleWorkers` and of
//! `myShiftFeed`, the heaviest queries a worker can send (answered or refused) and how much they
//! slow an unrelated request, and bookings per second with many concurrent clients. Run it from a release
//! build (see `BENCHMARKS.md`); it is not a test and asserts nothing about time.

mod dataset;
pub mod harness;
pub(crate) mod load;
mod pages;
pub mod roster;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DurationRound, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use sea_orm::{EntityTrait, PaginatorTrait};
use staffbank_bank::entity::system;
use staffbank_core::ManualClock;

use crate::harness::{Harness, RunningServer, Settings};

/// What to build and measure.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// `sqlite` (a fresh file in --data-dir) or the URL of an empty PostgreSQL database.
    #[arg(long, default_value = "sqlite")]
    pub database: String,
    /// Where the SQLite file and the server's keys go.
    #[arg(long, default_value = "bench-data")]
    pub data_dir: PathBuf,
    /// Trusts in the collaborative bank.
    #[arg(long, default_value_t = 5)]
    pub trusts: usize,
    /// Workers.
    #[arg(long, default_value_t = 20_000)]
    pub workers: usize,
    /// Open shifts.
    #[arg(long, default_value_t = 10_000)]
    pub shifts: usize,
    /// Weeks of worked history.
    #[arg(long, default_value_t = 6)]
    pub history_weeks: i64,
    /// Requests measured per query.
    #[arg(long, default_value_t = 300)]
    pub samples: usize,
    /// Concurrent booking clients.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Booking requests to send.
    #[arg(long, default_value_t = 3000)]
    pub bookings: usize,
    /// Database connections of the server.
    #[arg(long, default_value_t = 40)]
    pub connections: u32,
    /// Seed of the generator.
    #[arg(long, default_value_t = 20_261_123)]
    pub seed: u64,
    /// Measure the bank a previous run built in this database instead of building one (for
    /// quick iterations; bookings already made are not undone).
    #[arg(long)]
    pub reuse: bool,
    /// How many heavy operations the server runs at once (`limits.heavy_concurrency`; 0: all);
    /// the server's default when not given.
    #[arg(long)]
    pub heavy_concurrency: Option<usize>,
    /// How long the loader's batches wait (`limits.batch_window_ms`); the server's default when
    /// not given.
    #[arg(long)]
    pub batch_window_ms: Option<u64>,
    /// Measure only the bank office's pages and the GraphQL queries they are compared with
    /// (`eligibleWorkers`, `shiftBoard`), not the worker's pages, the heavy queries or bookings.
    #[arg(long)]
    pub office_only: bool,
}

/// Runs the benchmark and prints the results.
///
/// # Errors
/// Any failure to build the data, start the server or make a request.
pub async fn run(harness: &impl Harness, args: BenchArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data_dir)?;
    let (url, engine) = if args.database == "sqlite" {
        let file = args.data_dir.join("bench.sqlite");
        if !args.reuse {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        (format!("sqlite://{}?mode=rwc", file.display()), "SQLite")
    } else {
        (args.database.clone(), "PostgreSQL")
    };
    let settings = Settings {
        connections: Some(args.connections),
        token_ttl_minutes: Some(24 * 60),
        heavy_concurrency: args.heavy_concurrency,
        batch_window_ms: args.batch_window_ms,
        ..Settings::new(url, args.data_dir.clone())
    };
    let db = harness.open(&settings).await?;
    let existing = system::Entity::find().count(&db).await?;
    let now = Utc::now()
        .duration_trunc(chrono::Duration::minutes(1))
        .unwrap_or_else(|_| Utc::now());
    let clock = Arc::new(ManualClock::new(now));
    let mut rng = StdRng::seed_from_u64(args.seed);
    println!("# staffbank bench on {engine}");
    let data = if args.reuse {
        if existing == 0 {
            anyhow::bail!("--reuse needs a database a previous run built");
        }
        dataset::existing(&db, now).await?
    } else {
        if existing > 0 {
            anyhow::bail!("the database already holds a bank: give the bench an empty one");
        }
        let size = dataset::Size {
            trusts: args.trusts,
            workers: args.workers,
            open_shifts: args.shifts,
            history_weeks: args.history_weeks,
            worker_logins: 50,
        };
        let started = Instant::now();
        let data = dataset::build(&db, clock.as_ref(), size, &mut rng).await?;
        println!(
            "built in {:.0} s: {} trusts, {} workers, {} open shifts, {} weeks of history",
            started.elapsed().as_secs_f64(),
            args.trusts,
            args.workers,
            args.shifts,
            args.history_weeks
        );
        for (table, n) in &data.rows {
            println!("  {table:<24} {n:>8} rows");
        }
        data
    };
    if settings.database_url.starts_with("postgres") {
        use sea_orm::ConnectionTrait;
        // A database in service is vacuumed and analysed; a freshly loaded one is not yet.
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }

    let trusts: Vec<uuid::Uuid> = staffbank_bank::entity::trust::Entity::find()
        .all(&db)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();

    let server = harness.start(&settings, db, clock.clone()).await?;
    let client = load::Client::new(&format!("http://{}", server.addr()))?;
    let admin = client
        .login(dataset::ADMIN_EMAIL, dataset::PASSWORD)
        .await?;
    let mut workers = Vec::new();
    for email in &data.worker_emails {
        workers.push(client.login(email, dataset::PASSWORD).await?);
    }

    let (lat, listed) =
        load::eligible_workers(&client, &admin, &data.open_shifts, args.samples, &mut rng).await?;
    println!("eligibleWorkers, first page of 20 (1 client): {lat}; {listed:.1} workers a page");
    let (lat, counted) = load::board(&client, &admin, &trusts, args.samples, &mut rng).await?;
    println!("shiftBoard, a trust's 14 days (1 client):      {lat}; {counted:.0} shifts a board");
    if args.office_only {
        office_pages(&server, &client, &data, args.samples, &mut rng).await?;
        server.stop().await?;
        return Ok(());
    }
    let (lat, listed) = load::feed(&client, &workers, args.samples, &mut rng).await?;
    println!("myShiftFeed, first page of 20 (1 client):     {lat}; {listed:.1} shifts a page");
    let web = pages::measure(
        &format!("http://{}", server.addr()),
        &workers,
        &data.open_shifts,
        args.samples,
        &mut rng,
    )
    .await?;
    println!(
        "web page GET /worker (home), 1 client:          {}",
        web.home
    );
    println!(
        "web page GET /worker/shifts (feed), 1 client:   {}",
        web.feed
    );
    println!(
        "web page GET /worker/shifts/{{id}}, 1 client:     {}",
        web.shift
    );
    println!(
        "web feed page bytes transferred: first visit {:.1} KB (page and {} assets), repeat visit {:.1} KB",
        web.first_visit_bytes as f64 / 1024.0,
        web.assets,
        web.repeat_visit_bytes as f64 / 1024.0
    );
    office_pages(&server, &client, &data, args.samples, &mut rng).await?;
    let worker = workers
        .first()
        .ok_or_else(|| anyhow::anyhow!("no worker logins"))?;
    for (name, lat, outcome) in load::heavy(&client, worker, args.samples / 10).await? {
        println!("heavy query ({outcome}): {name}: {lat}");
    }
    let probe = workers.get(1).unwrap_or(worker);
    let (alone, loaded) = load::interference(&client, worker, probe, 2, args.samples / 3).await?;
    let (heavy_concurrency, heavy_cost) = server.heavy_gate();
    println!("heavy operations at once: {heavy_concurrency} (cost from {heavy_cost})");
    println!("unrelated `me` alone:                          {alone}");
    println!("unrelated `me` while 2 clients send heavy ones: {loaded}");
    let pairs: Vec<_> = data
        .booking_pairs
        .iter()
        .copied()
        .take(args.bookings)
        .collect();
    let sent = pairs.len();
    let result = load::bookings(&client, &admin, pairs, args.clients).await?;
    let mut refused = result.refused.clone();
    refused.sort();
    refused.dedup();
    println!(
        "bookShift, {} clients: {} of {sent} booked in {:.1} s = {:.0} bookings/s; latency {}; refused: {} {:?}",
        args.clients,
        result.booked,
        result.elapsed.as_secs_f64(),
        result.per_second(),
        result.latencies,
        result.refused.len(),
        refused
    );
    server.stop().await?;
    Ok(())
}

/// The bank office's board and a shift's page: their latency, and the database statements each
/// request ran.
async fn office_pages(
    server: &impl RunningServer,
    client: &load::Client,
    data: &dataset::Dataset,
    samples: usize,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    if data.office_shifts.is_empty() {
        println!("web page GET /office/shifts/{{id}}: not measured (no bank office shifts known)");
        return Ok(());
    }
    let office = client
        .login(dataset::OFFICE_EMAIL, dataset::PASSWORD)
        .await?;
    let base = format!("http://{}", server.addr());
    let statements = server.statements();
    let (lat, ran) = pages::office_page(&base, &office, samples, statements, rng, |_| {
        Ok("/office".to_owned())
    })
    .await?;
    println!("web page GET /office (the board), 1 client:    {lat}; {ran}");
    let shifts = &data.office_shifts;
    let (lat, ran) = pages::office_page(&base, &office, samples, statements, rng, |rng| {
        shifts
            .choose(rng)
            .map(|shift| format!("/office/shifts/{shift}"))
            .ok_or_else(|| anyhow::anyhow!("no open shifts at the office's trust"))
    })
    .await?;
    println!("web page GET /office/shifts/{{id}}, 1 client:     {lat}; {ran}");
    Ok(())
}
