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

/// Browsers running at once: each wants a core while it renders.
fn browsers() -> &'static Semaphore {
    static S: OnceLock<Semaphore> = OnceLock::new();
    S.get_or_init(|| Semaphore::new(2))
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

/// The Chromium to drive: `STAFFBANK_TEST_CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    let path = std::env::var_os("STAFFBANK_TEST_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    assert!(
        path.exists(),
        "no browser at {}: the browser tests need Chromium (Debian: apt-get install chromium; \
         .ci/run installs it), or STAFFBANK_TEST_CHROMIUM pointing at one",
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
    let _turn = browsers().acquire().await.expect("semaphore");
    let child = tokio::process::Command::new("node")
        .args(["--test", "--test-reporter=spec", script])
        .current_dir(browser_dir())
        .env("BASE_URL", &app.url)
        .env("SHOTS_DIR", &shots)
        .env("CHROMIUM", &chromium)
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
}

/// A demo server for a journey.
pub async fn demo(backend: Backend) -> TestApp {
    fixtures::demo_app(backend).await
}
