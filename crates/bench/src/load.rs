//! The measurements, all over HTTP against the real server: latency of the first page of
//! `eligibleWorkers` and of `myShiftFeed` (one client, one request at a time), and bookings per
//! second with many clients booking at once.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use serde_json::{Value, json};
use uuid::Uuid;

/// Latencies of one kind of request.
#[derive(Debug, Default, Clone)]
pub struct Latencies(Vec<Duration>);

impl Latencies {
    pub(crate) fn push(&mut self, d: Duration) {
        self.0.push(d);
    }

    fn percentile(&self, p: f64) -> Duration {
        let mut v = self.0.clone();
        v.sort_unstable();
        if v.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
        v[rank.clamp(1, v.len()) - 1]
    }

    /// How many were measured.
    #[must_use]
    pub fn count(&self) -> usize {
        self.0.len()
    }
}

impl fmt::Display for Latencies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mean = if self.0.is_empty() {
            0.0
        } else {
            self.0.iter().map(|d| ms(*d)).sum::<f64>() / self.0.len() as f64
        };
        write!(
            f,
            "n={} p50={:.1} ms p90={:.1} ms p99={:.1} ms max={:.1} ms mean={:.1} ms",
            self.0.len(),
            ms(self.percentile(50.0)),
            ms(self.percentile(90.0)),
            ms(self.percentile(99.0)),
            ms(self.percentile(100.0)),
            mean
        )
    }
}

/// A GraphQL client of the server under test.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    url: String,
}

impl Client {
    /// A client of the server at `base` (e.g. `http://127.0.0.1:1234`).
    ///
    /// # Errors
    /// The HTTP client cannot be built.
    pub fn new(base: &str) -> anyhow::Result<Self> {
        Ok(Self {
            http: reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(64)
                .build()?,
            url: format!("{base}/graphql"),
        })
    }

    /// Sends a query; returns the whole response.
    ///
    /// # Errors
    /// HTTP failures.
    pub async fn gql(
        &self,
        token: Option<&str>,
        query: &str,
        vars: Value,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .http
            .post(&self.url)
            .json(&json!({ "query": query, "variables": vars }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        Ok(req.send().await?.json().await?)
    }

    /// Signs in.
    ///
    /// # Errors
    /// HTTP failures; refused sign-in.
    pub async fn login(&self, email: &str, password: &str) -> anyhow::Result<String> {
        let v = self
            .gql(
                None,
                "mutation($e:String!,$p:String!){ login(email:$e, password:$p){ token } }",
                json!({"e": email, "p": password}),
            )
            .await?;
        v["data"]["login"]["token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("sign-in failed: {v}"))
    }
}

fn check(v: &Value, what: &str) -> anyhow::Result<()> {
    if v.get("errors").is_some_and(|e| !e.is_null()) {
        anyhow::bail!("{what} failed: {v}");
    }
    Ok(())
}

const ELIGIBLE: &str = "query($s:UUID!){ eligibleWorkers(shiftId:$s, first:20){ pageInfo { hasNextPage endCursor } edges { node { eligible score worker { id givenName familyName grade } } } } }";
const FEED: &str = "{ myShiftFeed(first:20){ pageInfo { hasNextPage endCursor } edges { node { reachedThrough shift { id startsAt startsLocal endsLocal grade trust { name } ward { name } } } } } }";
const BOARD: &str = "query($t:UUID!){ shiftBoard(trustId:$t){ days wards { ward { id name } site { name } } cells { day wardId open partlyFilled filled escalated cancelled total openTier nextTier nextTierOpensLocal } } }";
const BOOK: &str = "mutation($s:UUID!,$w:UUID!,$k:String!){ bookShift(shiftId:$s, workerId:$w, idempotencyKey:$k){ booking { id } } }";

/// Latency of the first page of `eligibleWorkers` for random open shifts, and how many workers
/// the pages held on average.
///
/// # Errors
/// A failed request.
pub async fn eligible_workers(
    client: &Client,
    token: &str,
    shifts: &[Uuid],
    samples: usize,
    rng: &mut StdRng,
) -> anyhow::Result<(Latencies, f64)> {
    let mut lat = Latencies::default();
    let mut listed = 0usize;
    for i in 0..samples + samples / 10 {
        let s = shifts
            .choose(rng)
            .ok_or_else(|| anyhow::anyhow!("no open shifts"))?;
        let started = Instant::now();
        let v = client.gql(Some(token), ELIGIBLE, json!({"s": s})).await?;
        let took = started.elapsed();
        check(&v, "eligibleWorkers")?;
        // The first tenth warms caches and connections and is not counted.
        if i >= samples / 10 {
            lat.push(took);
            listed += v["data"]["eligibleWorkers"]["edges"]
                .as_array()
                .map_or(0, Vec::len);
        }
    }
    let mean = listed as f64 / lat.count().max(1) as f64;
    Ok((lat, mean))
}

/// Latency of `shiftBoard` (a whole trust, 14 days from today, no filter: the largest board) for
/// random trusts, and how many shifts the boards counted on average.
///
/// # Errors
/// A failed request.
pub async fn board(
    client: &Client,
    token: &str,
    trusts: &[Uuid],
    samples: usize,
    rng: &mut StdRng,
) -> anyhow::Result<(Latencies, f64)> {
    let mut lat = Latencies::default();
    let mut counted = 0i64;
    for i in 0..samples + samples / 10 {
        let t = trusts
            .choose(rng)
            .ok_or_else(|| anyhow::anyhow!("no trusts"))?;
        let started = Instant::now();
        let v = client.gql(Some(token), BOARD, json!({"t": t})).await?;
        let took = started.elapsed();
        check(&v, "shiftBoard")?;
        if i >= samples / 10 {
            lat.push(took);
            counted += v["data"]["shiftBoard"]["cells"]
                .as_array()
                .map_or(0, |cells| {
                    cells.iter().filter_map(|c| c["total"].as_i64()).sum()
                });
        }
    }
    let mean = counted as f64 / lat.count().max(1) as f64;
    Ok((lat, mean))
}

/// Latency of the first page of `myShiftFeed` for random workers.
///
/// # Errors
/// A failed request.
pub async fn feed(
    client: &Client,
    tokens: &[String],
    samples: usize,
    rng: &mut StdRng,
) -> anyhow::Result<(Latencies, f64)> {
    let mut lat = Latencies::default();
    let mut listed = 0usize;
    for i in 0..samples + samples / 10 {
        let t = tokens
            .choose(rng)
            .ok_or_else(|| anyhow::anyhow!("no worker logins"))?;
        let started = Instant::now();
        let v = client.gql(Some(t), FEED, json!({})).await?;
        let took = started.elapsed();
        check(&v, "myShiftFeed")?;
        if i >= samples / 10 {
            lat.push(took);
            listed += v["data"]["myShiftFeed"]["edges"]
                .as_array()
                .map_or(0, Vec::len);
        }
    }
    let mean = listed as f64 / lat.count().max(1) as f64;
    Ok((lat, mean))
}

/// What happened to the booking requests.
#[derive(Debug, Default)]
pub struct Bookings {
    /// Booked.
    pub booked: usize,
    /// Refused by a rule (error code).
    pub refused: Vec<String>,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// Latency of each request.
    pub latencies: Latencies,
}

impl Bookings {
    /// Successful bookings per second.
    #[must_use]
    pub fn per_second(&self) -> f64 {
        self.booked as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }
}

/// Books the pairs with `clients` concurrent clients, each taking the next pair when done.
///
/// # Errors
/// An HTTP failure.
pub async fn bookings(
    client: &Client,
    token: &str,
    pairs: Vec<(Uuid, Uuid)>,
    clients: usize,
) -> anyhow::Result<Bookings> {
    let queue = Arc::new(Mutex::new(VecDeque::from(pairs)));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let queue = queue.clone();
        let client = client.clone();
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut out = Bookings::default();
            loop {
                let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                let Some((shift, worker)) = next else {
                    break;
                };
                let t = Instant::now();
                let v = client
                    .gql(
                        Some(&token),
                        BOOK,
                        json!({"s": shift, "w": worker, "k": format!("bench-{shift}-{worker}")}),
                    )
                    .await?;
                out.latencies.push(t.elapsed());
                if v["data"]["bookShift"]["booking"]["id"].is_string() {
                    out.booked += 1;
                } else {
                    out.refused.push(
                        v["errors"][0]["extensions"]["code"]
                            .as_str()
                            .unwrap_or("?")
                            .to_owned(),
                    );
                }
            }
            Ok::<Bookings, anyhow::Error>(out)
        }));
    }
    let mut total = Bookings::default();
    for t in tasks {
        let part = t.await??;
        total.booked += part.booked;
        total.refused.extend(part.refused);
        total.latencies.0.extend(part.latencies.0);
    }
    total.elapsed = started.elapsed();
    Ok(total)
}

/// The heaviest queries a signed-in worker can send: the largest pages the cost limit lets
/// through with nested lists inside, and some that it refuses.
pub const HEAVY: &[(&str, &str)] = &[
    (
        "feed, first 200, shifts with trust, site, ward and bookings",
        "{ myShiftFeed(first:200){ edges { node { reachedThrough shift { id startsAt endsAt startsLocal endsLocal grade skills fallbackGrades positions filledPositions status trust { id name } site { id name } ward { id name requiredSkills } bookings { id } } } } } }",
    ),
    (
        "shifts, first 200, with cascades and bookings",
        "{ shifts(first:200){ edges { node { id grade status positions filledPositions trust { name } ward { name } cascade { __typename } bookings { id } } } } }",
    ),
    (
        "bank workers, first 200",
        "{ workers(first:200){ edges { node { id givenName familyName grade skills } } } }",
    ),
    (
        "my bookings, first 200, with shifts",
        "{ myBookings(first:200){ edges { node { id shift { id startsAt grade trust { name } ward { name } } } } } }",
    ),
    (
        "refused: feed, first 200, with shifts' bookings' shifts",
        "{ myShiftFeed(first:200){ edges { node { shift { id bookings { id shift { id grade trust { name } ward { name } site { name } bookings { id } } } } } } } }",
    ),
    (
        "refused: fragment spread 60 times",
        "{ ...A } fragment A on Query { ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B } fragment B on Query { myShiftFeed(first:50){ edges { node { shift { id } } } } }",
    ),
];

/// Server time of each heavy query (sent one at a time), and whether it was answered or refused.
///
/// # Errors
/// An HTTP failure.
pub async fn heavy(
    client: &Client,
    token: &str,
    samples: usize,
) -> anyhow::Result<Vec<(&'static str, Latencies, String)>> {
    let mut out = Vec::new();
    for (name, query) in HEAVY {
        let mut lat = Latencies::default();
        let mut outcome = String::new();
        for i in 0..samples + 2 {
            let started = Instant::now();
            let v = client.gql(Some(token), query, json!({})).await?;
            let took = started.elapsed();
            outcome = v["errors"][0]["extensions"]["code"]
                .as_str()
                .map_or_else(|| "answered".to_owned(), |c| format!("refused {c}"));
            if i >= 2 {
                lat.push(took);
            }
        }
        out.push((*name, lat, outcome));
    }
    Ok(out)
}

/// Latency of a small unrelated request (`me`) alone, then while `clients` clients send the
/// heavy queries without pause.
///
/// # Errors
/// An HTTP failure.
pub async fn interference(
    client: &Client,
    heavy_token: &str,
    probe_token: &str,
    clients: usize,
    samples: usize,
) -> anyhow::Result<(Latencies, Latencies)> {
    const PROBE: &str = "{ me { email } }";
    let mut alone = Latencies::default();
    for _ in 0..samples {
        let started = Instant::now();
        check(
            &client.gql(Some(probe_token), PROBE, json!({})).await?,
            "me",
        )?;
        alone.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, token, stop) = (client.clone(), heavy_token.to_owned(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = c;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (_, q) = HEAVY[i % HEAVY.len()];
                client.gql(Some(&token), q, json!({})).await?;
                i += 1;
            }
            Ok::<(), anyhow::Error>(())
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut loaded = Latencies::default();
    for _ in 0..samples {
        let started = Instant::now();
        check(
            &client.gql(Some(probe_token), PROBE, json!({})).await?,
            "me",
        )?;
        loaded.push(started.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await??;
    }
    Ok((alone, loaded))
}
