//! The bank office's board (`shiftBoard`) and its live updates (`shiftChanges` over graphql-ws at
//! `/graphql/ws`): counts after posting, booking and cancelling; the tier open now and the next;
//! the filters; who may read and watch it; an event for a booking and none for a booking whose
//! transaction rolled back.

use std::time::Duration;

use chrono::Duration as Days;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use staffbank_core::{Actor, db};
use staffbank_market::booking::{self, BookingRequest};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::market_fixtures::{book, hca_shift, market, monday, post, ready_worker, start};
use crate::on_both_databases;

on_both_databases!(
    the_board_counts_shifts_as_they_are_posted_booked_and_cancelled,
    a_subscriber_hears_a_booking_and_never_a_rolled_back_one,
    the_office_pages_run_a_fixed_number_of_statements,
);

const BOARD: &str = "query($t:UUID!,$from:NaiveDate,$days:Int,$site:UUID,$ward:UUID,$g:StaffGroup){
  shiftBoard(trustId:$t, from:$from, days:$days, siteId:$site, wardId:$ward, staffGroup:$g){
    days wards { ward { id name } site { id name } }
    cells { day wardId open partlyFilled filled escalated cancelled total openTier nextTier nextTierOpensAt }
  }
}";

fn cell<'a>(board: &'a Value, day: &str, ward: Uuid) -> &'a Value {
    board["shiftBoard"]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["day"] == day && c["wardId"] == ward.to_string())
        .unwrap_or_else(|| panic!("no cell for {day} {ward}: {board}"))
}

fn counts(c: &Value) -> [i64; 6] {
    [
        "open",
        "partlyFilled",
        "filled",
        "escalated",
        "cancelled",
        "total",
    ]
    .map(|k| c[k].as_i64().unwrap())
}

async fn the_board_counts_shifts_as_they_are_posted_booked_and_cancelled(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let t = &m.trusts[0];
    // Wednesday 4 and Thursday 5 March 2026 (the clock is Monday 2 March, 09:00 UTC).
    let wed = monday() + Days::days(2);
    let (wed_day, thu_day) = ("2026-03-04", "2026-03-05");
    let filled = post(&app, &t.office, hca_shift(t, wed, 8)).await;
    let mut two = hca_shift(t, wed, 8);
    two["positions"] = json!(2);
    let partly = post(&app, &t.office, two).await;
    let _open = post(&app, &t.office, hca_shift(t, wed + Days::hours(10), 8)).await;
    let cancelled = post(&app, &t.office, hca_shift(t, wed, 8)).await;
    // An agency tier "three days before the start" is already due: clamped to posting, so the
    // shift is escalated at once.
    let mut urgent = hca_shift(t, wed, 8);
    urgent["cascade"] = json!([
        { "audience": "COLLABORATIVE", "anchor": "POSTING", "offsetMinutes": 0 },
        { "audience": "AGENCY", "anchor": "START", "offsetMinutes": 3 * 24 * 60 }
    ]);
    post(&app, &t.office, urgent).await;
    let mut nurse = hca_shift(t, wed, 8);
    nurse["staffGroup"] = json!("NURSING_MIDWIFERY_REGISTERED");
    nurse["grade"] = json!("BAND_5");
    nurse["fallbackGrades"] = json!([]);
    post(&app, &t.office, nurse).await;
    // Thursday's shift has the trust's default cascade: preferred workers now, its own bank in
    // an hour.
    let mut thursday = hca_shift(t, wed + Days::days(1), 8);
    thursday.as_object_mut().unwrap().remove("cascade");
    post(&app, &t.office, thursday).await;

    let vars = json!({"t": t.id, "from": wed_day, "days": 2});
    let before = app.ok(Some(&t.office), BOARD, vars.clone()).await;
    assert_eq!(before["shiftBoard"]["days"], json!([wed_day, thu_day]));
    assert_eq!(counts(cell(&before, wed_day, t.ward)), [5, 0, 0, 1, 0, 6]);

    let ada = ready_worker(&app, &m, 0, "Ada", 1).await;
    let bea = ready_worker(&app, &m, 0, "Bea", 2).await;
    let ada_token = fixtures::worker_login(&app, ada, "ada@board.test").await;
    assert!(book(&app, &ada_token, filled, None, None).await["errors"].is_null());
    let booked = book(&app, &t.office, partly, Some(bea), None).await;
    assert!(booked["errors"].is_null(), "{booked}");
    let withdrawn = app
        .gql(
            Some(&t.office),
            "mutation($s:UUID!){ cancelShift(shiftId:$s, reason:\"Ward closed\"){ id } }",
            json!({"s": cancelled}),
        )
        .await;
    assert!(withdrawn["errors"].is_null(), "{withdrawn}");

    let after = app.ok(Some(&t.office), BOARD, vars.clone()).await;
    let w = cell(&after, wed_day, t.ward);
    // open: the later shift and the nurse's; partly: `partly`; filled; escalated; cancelled.
    assert_eq!(counts(w), [2, 1, 1, 1, 1, 6]);
    // The shifts still looking are open to the whole bank (the escalated one to agencies too).
    assert_eq!(w["openTier"], "COLLABORATIVE");
    assert_eq!(w["nextTier"], Value::Null);
    let th = cell(&after, thu_day, t.ward);
    assert_eq!(counts(th), [1, 0, 0, 0, 0, 1]);
    assert_eq!(th["openTier"], "PREFERRED");
    assert_eq!(th["nextTier"], "OWN_TRUST");
    let next: chrono::DateTime<chrono::Utc> =
        th["nextTierOpensAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(next, monday() + Days::hours(1));

    // Filters: a staff group leaves the nurse's shift out; a ward and site narrow the wards.
    let mut hca = vars.clone();
    hca["g"] = json!("ADDITIONAL_CLINICAL_SERVICES");
    let hca = app.ok(Some(&t.office), BOARD, hca).await;
    assert_eq!(counts(cell(&hca, wed_day, t.ward)), [1, 1, 1, 1, 1, 5]);
    let mut one_ward = vars.clone();
    one_ward["ward"] = json!(t.ward);
    one_ward["site"] = json!(t.site);
    let one_ward = app.ok(Some(&t.office), BOARD, one_ward).await;
    assert_eq!(one_ward["shiftBoard"]["wards"].as_array().unwrap().len(), 1);
    assert_eq!(one_ward["shiftBoard"]["cells"].as_array().unwrap().len(), 2);
    // With no `from`, the board starts today and runs 14 days.
    let default = app.ok(Some(&t.office), BOARD, json!({"t": t.id})).await;
    let days = default["shiftBoard"]["days"].as_array().unwrap();
    assert_eq!(days.len(), 14);
    assert_eq!(days[0], "2026-03-02");

    // Bad input changes nothing and says why.
    for (bad, code) in [
        (json!({"t": t.id, "days": 0}), "VALIDATION"),
        (json!({"t": t.id, "days": 32}), "VALIDATION"),
        (json!({"t": t.id, "ward": m.trusts[1].ward}), "NOT_FOUND"),
        (json!({"t": t.id, "site": m.trusts[1].site}), "NOT_FOUND"),
    ] {
        let v = app.gql(Some(&t.office), BOARD, bad.clone()).await;
        assert_eq!(error_code(&v), code, "{bad}: {v}");
    }
    // Only the trust's bank office reads its board.
    let other = app
        .gql(Some(&m.trusts[1].office), BOARD, vars.clone())
        .await;
    assert_eq!(error_code(&other), "FORBIDDEN", "{other}");
    let worker = app.gql(Some(&ada_token), BOARD, vars.clone()).await;
    assert_eq!(error_code(&worker), "FORBIDDEN", "{worker}");
    let anonymous = app.gql(None, BOARD, vars).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED", "{anonymous}");
}

/// A graphql-ws (graphql-transport-ws) client of `/graphql/ws`.
pub struct Watcher {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Watcher {
    /// Connects to `base` (`http://host:port`), signs in with `token`, subscribes to the trust's
    /// shift changes.
    pub async fn subscribe(base: &str, token: &str, trust: Uuid) -> Self {
        let url = format!("{}/graphql/ws", base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let mut w = Self { socket };
        w.send(json!({"type": "connection_init", "payload": {"token": token}}))
            .await;
        let ack = w.next_message(Duration::from_secs(10)).await.unwrap();
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        w.send(json!({
            "id": "1", "type": "subscribe",
            "payload": {
                "query": "subscription($t:UUID!){ shiftChanges(trustId:$t){ shiftId trustId wardId day change } }",
                "variables": {"t": trust}
            }
        }))
        .await;
        w
    }

    async fn send(&mut self, v: Value) {
        self.socket
            .send(Message::Text(v.to_string().into()))
            .await
            .unwrap();
    }

    /// The next protocol message (pings answered), or none within `wait`.
    pub async fn next_message(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let msg = tokio::time::timeout(left, self.socket.next())
                .await
                .ok()??;
            match msg.unwrap() {
                Message::Text(t) => {
                    let v: Value = serde_json::from_str(&t).unwrap();
                    if v["type"] == "ping" {
                        self.send(json!({"type": "pong"})).await;
                        continue;
                    }
                    return Some(v);
                }
                Message::Close(_) => return None,
                _ => {}
            }
        }
    }

    /// The next event's `shiftChanges`, or none within `wait`.
    pub async fn next_change(&mut self, wait: Duration) -> Option<Value> {
        let m = self.next_message(wait).await?;
        assert_eq!(m["type"], "next", "{m}");
        Some(m["payload"]["data"]["shiftChanges"].clone())
    }
}

async fn a_subscriber_hears_a_booking_and_never_a_rolled_back_one(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let t = &m.trusts[0];
    let shift = post(&app, &t.office, hca_shift(t, monday() + Days::days(2), 8)).await;
    let ada = ready_worker(&app, &m, 0, "Ada", 1).await;
    let ada_token = fixtures::worker_login(&app, ada, "ada@live.test").await;

    // Only the trust's bank office may watch it.
    for token in [&m.trusts[1].office, &ada_token] {
        let mut refused = Watcher::subscribe(&app.url, token, t.id).await;
        let m = refused.next_message(Duration::from_secs(10)).await.unwrap();
        assert_eq!(m["type"], "next", "{m}");
        assert_eq!(
            m["payload"]["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{m}"
        );
    }
    let mut watcher = Watcher::subscribe(&app.url, &t.office, t.id).await;
    // An event of another trust is not this trust's business.
    let other = &m.trusts[1];
    post(
        &app,
        &other.office,
        hca_shift(other, monday() + Days::days(2), 8),
    )
    .await;

    // A booking whose transaction announces and then rolls back is never heard of.
    let request = BookingRequest {
        shift_id: shift,
        worker_id: Some(ada),
        idempotency_key: None,
    };
    let clock = app.clock.as_ref();
    let rolled_back: Result<(), staffbank_market::Error> = db::write(app.db(), |tx| {
        let request = &request;
        Box::pin(async move {
            booking::book_in(&*tx, clock, &Actor::Service, request, None).await?;
            // Any error rolls the unit back; this one stands for a failure after the booking.
            Err(staffbank_market::Error::RepeatedRequest)
        })
    })
    .await;
    assert!(rolled_back.is_err());
    assert_eq!(
        watcher.next_change(Duration::from_millis(1500)).await,
        None,
        "a rolled-back booking (or another trust's shift) was announced"
    );

    // A booking that commits is heard, once, with what changed where.
    let booked = book(&app, &ada_token, shift, None, None).await;
    assert!(booked["errors"].is_null(), "{booked}");
    let heard = watcher
        .next_change(Duration::from_secs(5))
        .await
        .expect("the booking was announced");
    assert_eq!(
        heard,
        json!({"shiftId": shift, "trustId": t.id, "wardId": t.ward, "day": "2026-03-04", "change": "BOOKED"})
    );
    let cancel = app
        .gql(
            Some(&t.office),
            "mutation($s:UUID!){ cancelShift(shiftId:$s, reason:\"Ward closed\"){ id } }",
            json!({"s": shift}),
        )
        .await;
    assert!(cancel["errors"].is_null(), "{cancel}");
    let heard = watcher.next_change(Duration::from_secs(5)).await.unwrap();
    assert_eq!(heard["change"], "CANCELLED");
    assert_eq!(watcher.next_change(Duration::from_millis(500)).await, None);
}

/// Two `staffbank serve` processes on one PostgreSQL database: a booking made through one is heard
/// by a subscriber of the other within 2 s (the event goes by `pg_notify` in the booking's
/// transaction and each process `LISTEN`s).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_booking_through_one_replica_reaches_a_subscriber_of_another_within_two_seconds() {
    use crate::harness::{TestApp, TestOptions};
    use crate::replicas::Replica;
    let app = TestApp::spawn_with(
        Backend::Postgres,
        TestOptions {
            now: chrono::Utc::now(),
            configure: |c| {
                c.mail.deliver = false;
                c.jobs.run = false;
                c.token_ttl_minutes = 600;
            },
        },
    )
    .await;
    let m = market(&app, 1).await;
    let t = &m.trusts[0];
    let ada = ready_worker(&app, &m, 0, "Ada", 1).await;
    let ada_token = fixtures::worker_login(&app, ada, "ada@replicas.test").await;
    let start = chrono::Utc::now() + Days::days(3);
    let shift = post(&app, &t.office, hca_shift(t, start, 8)).await;
    let logs = tempfile::tempdir().expect("log folder");
    let a = Replica::start("a", &app, logs.path()).await;
    let b = Replica::start("b", &app, logs.path()).await;
    let mut watcher = Watcher::subscribe(&b.url, &t.office, t.id).await;
    // The subscription is live once it hears something: a shift posted through `a`.
    let post_shift = "mutation($i: PostShiftInput!){ postShift(input:$i){ id } }";
    let mut live = false;
    for _ in 0..20 {
        let probe = a
            .gql(
                &app.client,
                &t.office,
                post_shift,
                json!({"i": hca_shift(t, start + Days::days(2), 8)}),
            )
            .await;
        assert!(probe["errors"].is_null(), "{probe}");
        if let Some(heard) = watcher.next_change(Duration::from_millis(500)).await {
            assert_eq!(heard["change"], "POSTED");
            live = true;
            break;
        }
    }
    assert!(
        live,
        "the subscription through b never heard a posting through a"
    );
    // Drain any probe heard late.
    while watcher
        .next_change(Duration::from_millis(300))
        .await
        .is_some()
    {}

    let sent = tokio::time::Instant::now();
    let booked = a
        .gql(
            &app.client,
            &ada_token,
            "mutation($s:UUID!){ bookShift(shiftId:$s){ booking { id } } }",
            json!({"s": shift}),
        )
        .await;
    assert!(booked["errors"].is_null(), "{booked}");
    let heard = watcher
        .next_change(Duration::from_secs(2).saturating_sub(sent.elapsed()))
        .await
        .expect("the booking through a reached the subscriber of b within 2 s");
    let took = sent.elapsed();
    eprintln!("board: a booking through replica a reached replica b's subscriber in {took:?}");
    assert_eq!(heard["shiftId"], json!(shift));
    assert_eq!(heard["change"], "BOOKED");
    assert!(took <= Duration::from_secs(2), "took {took:?}");
}

/// The database statements one web page runs, each time it is asked for `times` times (as the
/// bank office `token`): every statement counted is the page's own, since nothing else runs.
async fn statements_of_page(app: &TestApp, token: &str, path: &str, times: usize) -> Vec<u64> {
    let queries = &app.state().services.queries;
    let mut counts = Vec::new();
    for _ in 0..times {
        let before = queries.load(std::sync::atomic::Ordering::SeqCst);
        let resp = app
            .client
            .get(format!("{}{path}", app.url))
            .header("cookie", format!("staffbank_session={token}"))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body = resp.text().await.unwrap();
        assert_eq!(status, 200, "{path}: {body}");
        counts.push(queries.load(std::sync::atomic::Ordering::SeqCst) - before);
    }
    counts
}

/// The most statements the board may run (see below).
const BOARD_CEILING: u64 = 16;
/// The most statements a shift's page with bookings may run.
const SHIFT_PAGE_CEILING: u64 = 43;

async fn the_office_pages_run_a_fixed_number_of_statements(backend: Backend) {
    // No jobs and no email delivery, so nothing but the page runs statements; the loader's batch
    // window is the default (none): a level's nested lookups still go in one batch each.
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: monday(),
            configure: |c| {
                c.jobs.run = false;
                c.mail.deliver = false;
                c.token_ttl_minutes = 365 * 24 * 60;
            },
        },
    )
    .await;
    assert_eq!(app.config.limits.batch_window_ms, 0);
    let m = market(&app, 1).await;
    let t = &m.trusts[0];
    let wed = monday() + Days::days(2);
    let mut three = hca_shift(t, wed, 8);
    three["positions"] = json!(3);
    let shift = post(&app, &t.office, three).await;
    post(&app, &t.office, hca_shift(t, wed, 8)).await;
    let mut workers = Vec::new();
    for (i, name) in ["Ada", "Bea", "Cy", "Di"].into_iter().enumerate() {
        workers.push(ready_worker(&app, &m, 0, name, i + 1).await);
    }
    let page = format!("/office/shifts/{shift}");
    // The page asks for who is signed in with the rest: someone who is not a bank office is
    // still told the page is for bank offices, whether the API would answer them (the trust's
    // admin may rank its workers) or refuse them (a worker).
    let worker_token = fixtures::worker_login(&app, workers[3], "di@board.test").await;
    for token in [&t.admin, &worker_token] {
        let resp = app
            .client
            .get(format!("{}{page}", app.url))
            .header("cookie", format!("staffbank_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403);
        let body = resp.text().await.unwrap();
        assert!(body.contains("this part is for bank offices"), "{body}");
    }

    let board_few = statements_of_page(&app, &t.office, "/office", 5).await;
    let none_booked = statements_of_page(&app, &t.office, &page, 5).await;
    let booked = book(&app, &t.office, shift, Some(workers[0]), None).await;
    assert!(booked["errors"].is_null(), "{booked}");
    let one_booked = statements_of_page(&app, &t.office, &page, 5).await;
    for w in &workers[1..3] {
        let booked = book(&app, &t.office, shift, Some(*w), None).await;
        assert!(booked["errors"].is_null(), "{booked}");
    }
    let three_booked = statements_of_page(&app, &t.office, &page, 5).await;
    // More shifts over more days, on the board.
    for d in 3..9 {
        post(&app, &t.office, hca_shift(t, monday() + Days::days(d), 8)).await;
    }
    let board_more = statements_of_page(&app, &t.office, "/office", 5).await;
    eprintln!(
        "statements: board {board_few:?} then {board_more:?}; shift page with no booking \
         {none_booked:?}, one {one_booked:?}, three {three_booked:?}"
    );
    // A page costs the same each time, give or take a batch or two: the lookups of two parts
    // of the page meet in one batch when the parts happen to get there together.
    let lo = |c: &Vec<u64>| *c.iter().min().unwrap();
    let hi = |c: &Vec<u64>| *c.iter().max().unwrap();
    for counts in [
        &board_few,
        &board_more,
        &none_booked,
        &one_booked,
        &three_booked,
    ] {
        assert!(hi(counts) <= lo(counts) + 2, "{counts:?}");
    }
    // Batched per field, not per row: more shifts or bookings cost no more statements (one
    // statement per booking per nested field would add a dozen).
    assert!(
        hi(&board_more) <= hi(&board_few),
        "{board_few:?} {board_more:?}"
    );
    assert!(
        lo(&three_booked) <= hi(&one_booked),
        "{one_booked:?} {three_booked:?}"
    );
    assert!(
        hi(&three_booked) <= hi(&one_booked) + 2,
        "{one_booked:?} {three_booked:?}"
    );
    assert!(
        hi(&none_booked) <= hi(&one_booked),
        "{none_booked:?} {one_booked:?}"
    );
    // And the pages stay this cheap: here the board runs 15 (its two round trips each read the
    // caller), a shift's page with bookings 40 or 41 (BENCHMARKS.md has the figures before and
    // after issue 12).
    assert!(hi(&board_few) <= BOARD_CEILING, "{board_few:?}");
    assert!(hi(&three_booked) <= SHIFT_PAGE_CEILING, "{three_booked:?}");
}
