//! The web app's pages under the bench data set: server time of the worker's home, the shift
//! feed and a shift's page (one client, one request at a time, over loopback, so the time is the
//! server's), and the bytes a browser transfers for a first and a repeat visit of the feed (a
//! repeat visit fetches only the page: every asset has a content-hashed name and is cached as
//! immutable for a year); and, as a bank office, the board (`/office`) and a shift's page.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use uuid::Uuid;

use super::load::Latencies;

/// What the pages measured.
#[derive(Debug, Default)]
pub struct PageFigures {
    /// `GET /worker`.
    pub home: Latencies,
    /// `GET /worker/shifts`.
    pub feed: Latencies,
    /// `GET /worker/shifts/{id}`.
    pub shift: Latencies,
    /// Bytes on the wire for the feed page and everything it loads, compressed as sent.
    pub first_visit_bytes: usize,
    /// Bytes on the wire for the feed page alone.
    pub repeat_visit_bytes: usize,
    /// Assets a first visit loads.
    pub assets: usize,
}

/// Measures the pages as the workers whose sign-in tokens are given.
///
/// # Errors
/// A page that does not answer 200.
pub async fn measure(
    base: &str,
    tokens: &[String],
    shifts: &[Uuid],
    samples: usize,
    rng: &mut StdRng,
) -> anyhow::Result<PageFigures> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let get = |path: String, token: &str| {
        http.get(format!("{base}{path}"))
            .header("cookie", format!("staffbank_session={token}"))
            .header("accept-encoding", "br, gzip")
            .send()
    };
    let mut figures = PageFigures::default();
    for i in 0..samples + samples / 10 {
        let token = tokens
            .choose(rng)
            .ok_or_else(|| anyhow::anyhow!("no worker logins"))?;
        let shift = shifts
            .choose(rng)
            .ok_or_else(|| anyhow::anyhow!("no open shifts"))?;
        for (path, lat) in [
            ("/worker".to_owned(), &mut figures.home),
            ("/worker/shifts".to_owned(), &mut figures.feed),
            (format!("/worker/shifts/{shift}"), &mut figures.shift),
        ] {
            let started = Instant::now();
            let response = get(path.clone(), token).await?;
            let status = response.status();
            let body = response.bytes().await?;
            let took = started.elapsed();
            if !status.is_success() {
                anyhow::bail!("{path} answered {status}");
            }
            // The first tenth warms caches and connections and is not counted.
            if i >= samples / 10 {
                lat.push(took);
            }
            drop(body);
        }
    }
    let token = tokens
        .first()
        .ok_or_else(|| anyhow::anyhow!("no worker logins"))?;
    let page = get("/worker/shifts".to_owned(), token).await?;
    let html_bytes = page.bytes().await?;
    let html = decompressed_text(&http, base, token).await?;
    figures.repeat_visit_bytes = html_bytes.len();
    figures.first_visit_bytes = html_bytes.len();
    let mut seen = std::collections::HashSet::new();
    for url in asset_urls(&html) {
        if !seen.insert(url.clone()) {
            continue;
        }
        let bytes = http
            .get(format!("{base}{url}"))
            .header("accept-encoding", "br, gzip")
            .send()
            .await?
            .bytes()
            .await?;
        figures.first_visit_bytes += bytes.len();
        figures.assets += 1;
    }
    Ok(figures)
}

/// The feed page as text (asked for uncompressed, to read its links).
async fn decompressed_text(
    http: &reqwest::Client,
    base: &str,
    token: &str,
) -> anyhow::Result<String> {
    Ok(http
        .get(format!("{base}/worker/shifts"))
        .header("cookie", format!("staffbank_session={token}"))
        .send()
        .await?
        .text()
        .await?)
}

/// Every `/assets/...` address in a page (stylesheets, scripts, icons), and the script the app's
/// module imports (the design system's).
fn asset_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("\"/assets/") {
        let tail = &rest[i + 1..];
        let end = tail.find('"').unwrap_or(tail.len());
        out.push(tail[..end].to_owned());
        rest = &tail[end..];
    }
    // app.js imports the design system's script: a browser loads that too.
    if let Some(nhsuk) = staffbank_web::assets::ASSETS
        .iter()
        .find(|a| a.name == "nhsuk-frontend.js")
    {
        out.push(nhsuk.url.to_owned());
    }
    out
}

/// Server time of a bank office page, `GET {path}` for a path `next` gives each time (the board,
/// `/office`, or a random open shift's page), one request at a time.
///
/// # Errors
/// A page that does not answer 200, or `next` has no path to give.
pub async fn office_page(
    base: &str,
    token: &str,
    samples: usize,
    statements: &AtomicU64,
    rng: &mut StdRng,
    next: impl Fn(&mut StdRng) -> anyhow::Result<String>,
) -> anyhow::Result<(Latencies, Statements)> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let mut lat = Latencies::default();
    let mut counted = Statements::default();
    for i in 0..samples + samples / 10 {
        let path = next(rng)?;
        let started = Instant::now();
        let before = statements.load(Ordering::SeqCst);
        let response = http
            .get(format!("{base}{path}"))
            .header("cookie", format!("staffbank_session={token}"))
            .header("accept-encoding", "br, gzip")
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        let took = started.elapsed();
        let ran = statements.load(Ordering::SeqCst) - before;
        if !status.is_success() {
            anyhow::bail!("{path} answered {status}");
        }
        if i >= samples / 10 {
            lat.push(took);
            *counted.0.entry(ran).or_default() += 1;
        }
        drop(body);
    }
    Ok((lat, counted))
}

/// How many database statements each request of a page ran (the server's count, with nothing
/// else running): how many requests ran each number.
#[derive(Debug, Default, Clone)]
pub struct Statements(BTreeMap<u64, usize>);

impl fmt::Display for Statements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(n, k)| format!("{n}×{k}")).collect();
        write!(f, "statements a request: {}", parts.join(" "))
    }
}
