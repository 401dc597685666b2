//! Browser tests of the web app: the real server (started here, on a fresh database with the
//! demo bank) driven by Playwright in headless Chromium, with axe-core on every page. The
//! journeys themselves are JavaScript files in `tests/browser/` (Playwright's language); this
//! module installs their npm packages when needed, finds the browser, runs one file per test and
//! fails with its output when it fails. A missing browser or Node.js fails the test, never skips.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::fixtures;
use crate::harness::{Backend, TestApp};

mod admin;
mod bank_admin;
mod booking;
mod home;
mod hr_checks;
mod hr_passports;
mod invitation;
mod no_javascript;
mod office_board;
mod office_pay;
mod office_shift;
mod office_workers;
mod passports;
mod posting;
mod record;
mod roster;
mod roster_progress;
mod sign_in;
mod timesheets;
mod ward_timesheets;

/// Longest a journey may run before it is stopped and fails.
const JOURNEY_TIMEOUT: Duration = Duration::from_secs(300);

/// Browsers running at once. A journey spends much of its time waiting (on the server, on page
/// loads), so three share the machine's two cores; the suite runs four tests at a time
/// (`.cargo/config.toml`), and a journey waiting for its turn holds one of them.
fn browsers() -> &'static Semaphore {
    static S: OnceLock<Semaphore> = OnceLock::new();
    S.get_or_init(|| Semaphore::new(3))
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

/// `npm ci` in `tests/browser` unless its `node_modules` matches the lockfile already.
fn install_packages() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        let dir = browser_dir();
        let lock = std::fs::read(dir.join("package-lock.json")).map_err(|e| e.to_string())?;
        let stamp = dir.join("node_modules/.staffbank-installed-lock.json");
        if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
            return Ok(());
        }
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .map_err(|e| {
                format!(
                    "cannot run npm ({e}): the browser tests need Node.js 20+ and npm \
                     (Debian: apt-get install nodejs npm)"
                )
            })?;
        if !status.success() {
            return Err(format!("npm ci failed in {} ({status})", dir.display()));
        }
        std::fs::write(&stamp, &lock).map_err(|e| e.to_string())
    })
    .clone()
}

/// The Chromium to drive: `STAFFBANK_TEST_CHROMIUM`, else Debian's headless shell (the same Blink
/// without the desktop browser around it, which is what Playwright itself runs for headless tests,
/// and about a fifth quicker here), else Debian's full Chromium.
fn chromium() -> PathBuf {
    let path = std::env::var_os("STAFFBANK_TEST_CHROMIUM").map_or_else(
        || {
            let shell = PathBuf::from("/usr/bin/chromium-headless-shell");
            if shell.exists() {
                shell
            } else {
                PathBuf::from("/usr/bin/chromium")
            }
        },
        PathBuf::from,
    );
    assert!(
        path.exists(),
        "no browser at {}: the browser tests need Chromium (Debian: apt-get install \
         chromium-headless-shell, or chromium; .ci/run installs the first), or \
         STAFFBANK_TEST_CHROMIUM pointing at one",
        path.display()
    );
    path
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// Whether the journey checks each page with axe at both widths and saves its screenshots
/// (`PAGE_CHECKS`, read by `look` in `tests/browser/lib.mjs`): on SQLite, yes. On PostgreSQL the
/// journey runs for what the database changes — every step, click and assertion about what the
/// pages say — while the pages' markup, from the same templates, was checked on its SQLite run:
/// every journey that runs on PostgreSQL also runs on SQLite (the journeys that only read run on
/// SQLite alone). Repeating axe and the screenshots was half of a PostgreSQL run's time.
fn page_checks(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "on",
        Backend::Postgres => "off",
    }
}

/// Runs `tests/browser/<script>` against `app`; panics with its output if it fails.
pub async fn run_journey(app: &TestApp, script: &str, backend: Backend) {
    run_journey_with_env(app, script, backend, &[]).await;
}

/// As [`run_journey`], with more environment variables for the script (e.g. a link from an
/// email the Rust side read).
pub async fn run_journey_with_env(
    app: &TestApp,
    script: &str,
    backend: Backend,
    env: &[(&str, &str)],
) {
    install_packages().unwrap_or_else(|e| panic!("{e}"));
    let chromium = chromium();
    let stem = script
        .trim_end_matches(".test.mjs")
        .trim_end_matches(".mjs");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/screenshots")
        .join(stem)
        .join(backend_name(backend));
    let queued = std::time::Instant::now();
    let _turn = browsers().acquire().await.expect("semaphore");
    let waited = queued.elapsed();
    let child = tokio::process::Command::new("node")
        .args(["--test", "--test-reporter=spec", script])
        .current_dir(browser_dir())
        .env("BASE_URL", &app.url)
        .env("SHOTS_DIR", &shots)
        .env("CHROMIUM", &chromium)
        .env("PAGE_CHECKS", page_checks(backend))
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("cannot start node: the browser tests need Node.js 20+");
    let output = tokio::time::timeout(JOURNEY_TIMEOUT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("{script} ran longer than {JOURNEY_TIMEOUT:?}"))
        .expect("node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} on {} failed ({}):\n{stdout}\n{stderr}\nscreenshots: {}",
        backend_name(backend),
        output.status,
        shots.display()
    );
    // A journey that ran no test is a broken journey, not a passing one.
    assert!(
        stdout.contains("pass ") && !stdout.contains("pass 0"),
        "{script} reported no passing test:\n{stdout}\n{stderr}"
    );
    println!("{stdout}");
    // Where the time went (seen with --nocapture): the wait for a browser turn, then the run.
    eprintln!(
        "journey {stem} on {}: waited {:.1} s for a browser, ran {:.1} s",
        backend_name(backend),
        waited.as_secs_f64(),
        queued.elapsed().saturating_sub(waited).as_secs_f64()
    );
}

/// A demo server for a journey.
pub async fn demo(backend: Backend) -> TestApp {
    fixtures::demo_app(backend).await
}
