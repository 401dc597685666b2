//! Booking under contention, idempotent retries, and cancellations with each trust's policy.

use std::collections::HashSet;

use chrono::Duration;
use futures::future::join_all;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, error_code};
use crate::market_fixtures::{
    self as mf, book, hca_shift, market, monday, post, ready_worker, start,
};
use crate::on_both_databases;

on_both_databases!(
    fifty_clients_race_for_one_shift,
    one_worker_races_for_overlapping_shifts_at_two_trusts,
    a_repeated_request_returns_the_same_booking,
    cancellation_windows_fees_and_strikes,
    the_database_itself_refuses_double_bookings,
    a_shifts_bookings_show_only_what_the_caller_may_see,
    an_unknown_stored_code_is_an_error_not_a_default,
);

fn booking_id(v: &Value) -> Option<Uuid> {
    v["data"]["bookShift"]["booking"]["id"]
        .as_str()
        .map(|s| s.parse().unwrap())
}

const SHIFT_BOOKINGS: &str = "query($id:UUID!){ shift(id:$id){ status filledPositions bookings { id position active state worker { id } } } }";

async fn fifty_clients_race_for_one_shift(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let mut tokens = Vec::new();
    for i in 0..50 {
        let w = ready_worker(&app, &m, 0, &format!("Racer{i}"), 100 + i).await;
        tokens.push(fixtures::worker_login(&app, w, &format!("racer{i}@login.test")).await);
    }
    let one = post(
        &app,
        &a.office,
        hca_shift(a, monday() + Duration::days(2), 8),
    )
    .await;
    let results = join_all(tokens.iter().map(|t| book(&app, t, one, None, None))).await;
    let won: Vec<&Value> = results.iter().filter(|v| v["errors"].is_null()).collect();
    assert_eq!(won.len(), 1, "exactly one booking: {won:?}");
    for v in results.iter().filter(|v| !v["errors"].is_null()) {
        assert_eq!(error_code(v), "CONFLICT", "{v}");
    }
    let s = app
        .ok(Some(&a.office), SHIFT_BOOKINGS, json!({"id": one}))
        .await;
    assert_eq!(s["shift"]["status"], "FILLED");
    assert_eq!(s["shift"]["filledPositions"], 1);
    assert_eq!(s["shift"]["bookings"].as_array().unwrap().len(), 1);

    // Three positions, fifty clients: three bookings, one per position.
    let mut three = hca_shift(a, monday() + Duration::days(4), 8);
    three["positions"] = json!(3);
    let three = post(&app, &a.office, three).await;
    let results = join_all(tokens.iter().map(|t| book(&app, t, three, None, None))).await;
    assert_eq!(results.iter().filter(|v| v["errors"].is_null()).count(), 3);
    let s = app
        .ok(Some(&a.office), SHIFT_BOOKINGS, json!({"id": three}))
        .await;
    let positions: HashSet<i64> = s["shift"]["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, HashSet::from([1, 2, 3]));
    assert_eq!(s["shift"]["filledPositions"], 3);
}

async fn one_worker_races_for_overlapping_shifts_at_two_trusts(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    let w = ready_worker(&app, &m, 0, "Double", 1).await;
    fixtures::make_compliant(&app, w, b.id, Some(b.ward)).await;
    let token = fixtures::worker_login(&app, w, "double@login.test").await;
    for day in 1..=5 {
        let morning = monday() + Duration::days(day);
        let at_a = post(&app, &a.office, hca_shift(a, morning, 8)).await;
        let at_b = post(
            &app,
            &b.office,
            hca_shift(b, morning + Duration::hours(3), 8),
        )
        .await;
        let (ra, rb) = tokio::join!(
            book(&app, &token, at_a, None, None),
            book(&app, &token, at_b, None, None)
        );
        let won = [&ra, &rb].iter().filter(|v| v["errors"].is_null()).count();
        assert_eq!(won, 1, "day {day}: {ra} / {rb}");
        let lost = if ra["errors"].is_null() { &rb } else { &ra };
        assert_eq!(error_code(lost), "NOT_ELIGIBLE", "{lost}");
        assert_eq!(
            lost["errors"][0]["extensions"]["details"]["reasons"][0]["code"],
            "OVERLAPPING_BOOKING"
        );
    }
    let mine = app
        .ok(
            Some(&token),
            "{ myBookings(activeOnly:true){ edges { node { startsAt shift { trust { id } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(mine["myBookings"]["edges"].as_array().unwrap().len(), 5);
}

async fn a_repeated_request_returns_the_same_booking(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let w = ready_worker(&app, &m, 0, "Retry", 1).await;
    let other = ready_worker(&app, &m, 0, "Named", 2).await;
    let token = fixtures::worker_login(&app, w, "retry@login.test").await;
    let mut two = hca_shift(a, monday() + Duration::days(1), 8);
    two["positions"] = json!(2);
    let s = post(&app, &a.office, two).await;

    let first = book(&app, &token, s, None, Some("req-1")).await;
    let again = book(&app, &token, s, None, Some("req-1")).await;
    assert!(first["errors"].is_null(), "{first}");
    assert_eq!(booking_id(&first), booking_id(&again), "{again}");
    assert_eq!(first["data"]["bookShift"]["repeated"], false);
    assert_eq!(again["data"]["bookShift"]["repeated"], true);
    // Without a key, a second request is a second attempt: refused, the worker is booked.
    let v = book(&app, &token, s, None, None).await;
    assert_eq!(error_code(&v), "NOT_ELIGIBLE", "{v}");
    // The same key for another shift is a mistake.
    let s2 = post(
        &app,
        &a.office,
        hca_shift(a, monday() + Duration::days(3), 8),
    )
    .await;
    let v = book(&app, &token, s2, None, Some("req-1")).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    // Concurrent retries of one request make one booking.
    let retries = join_all((0..6).map(|_| book(&app, &token, s2, None, Some("req-2")))).await;
    let ids: HashSet<Option<Uuid>> = retries.iter().map(booking_id).collect();
    assert_eq!(ids.len(), 1, "{retries:?}");
    assert!(ids.iter().all(Option::is_some), "{retries:?}");
    assert_eq!(
        retries
            .iter()
            .filter(|v| v["data"]["bookShift"]["repeated"] == false)
            .count(),
        1
    );
    // A bank office booking a named worker, retried.
    let o1 = book(&app, &a.office, s, Some(other), Some("office-1")).await;
    let o2 = book(&app, &a.office, s, Some(other), Some("office-1")).await;
    assert_eq!(booking_id(&o1), booking_id(&o2), "{o1} {o2}");
    let listed = app
        .ok(Some(&a.office), SHIFT_BOOKINGS, json!({"id": s}))
        .await;
    assert_eq!(listed["shift"]["bookings"].as_array().unwrap().len(), 2);
    assert_eq!(listed["shift"]["status"], "FILLED");
    let listed = app
        .ok(Some(&a.office), SHIFT_BOOKINGS, json!({"id": s2}))
        .await;
    assert_eq!(listed["shift"]["bookings"].as_array().unwrap().len(), 1);
}

const CANCEL: &str = "mutation($b:UUID!,$r:String!){ cancelBooking(bookingId:$b, reason:$r){ id state active cancellation { cancelledBy shortNotice minutesBeforeStart fee { minutes grade amountPence } } history { event strike } shift { status filledPositions } } }";

async fn cancellation_windows_fees_and_strikes(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    let w = ready_worker(&app, &m, 0, "Canceller", 1).await;
    fixtures::make_compliant(&app, w, b.id, Some(b.ward)).await;
    let token = fixtures::worker_login(&app, w, "canceller@login.test").await;
    let senior = mf::worker_with(
        &app,
        &a.office,
        a.id,
        "Senior",
        &mf::ni(2),
        "ADDITIONAL_CLINICAL_SERVICES",
        "BAND_4",
        &["ELDERLY_CARE"],
    )
    .await;
    fixtures::make_compliant(&app, senior, a.id, Some(a.ward)).await;
    let noshow = ready_worker(&app, &m, 0, "Absent", 3).await;
    app.ok(
        Some(&a.admin),
        "mutation($t:UUID!){ setMarketPolicy(trustId:$t, input:{strikeLimit:2}){ strikeLimit } }",
        json!({"t": a.id}),
    )
    .await;
    let now = monday();
    let booked = |v: Value| booking_id(&v).unwrap_or_else(|| panic!("not booked: {v}"));

    // The worker cancels two days ahead: not short notice; the shift reopens.
    let s1 = post(&app, &a.office, hca_shift(a, now + Duration::days(2), 8)).await;
    let b1 = booked(book(&app, &token, s1, None, None).await);
    let v = app
        .ok(Some(&token), CANCEL, json!({"b": b1, "r": "childcare"}))
        .await;
    let c = &v["cancelBooking"];
    assert_eq!(c["state"], "CANCELLED_BY_WORKER");
    assert_eq!(c["active"], false);
    assert_eq!(c["cancellation"]["cancelledBy"], "WORKER");
    assert_eq!(c["cancellation"]["shortNotice"], false);
    assert!(c["cancellation"]["fee"].is_null());
    assert_eq!(c["shift"]["status"], "OPEN");
    assert_eq!(c["shift"]["filledPositions"], 0);
    assert_eq!(
        c["history"],
        json!([{"event": "BOOKED", "strike": false}, {"event": "CANCELLED_BY_WORKER", "strike": false}])
    );
    // Cancelling again, or with no reason, is refused.
    let v = app
        .gql(Some(&token), CANCEL, json!({"b": b1, "r": "again"}))
        .await;
    assert_eq!(error_code(&v), "CONFLICT");
    let b1b = booked(book(&app, &token, s1, None, None).await);
    let v = app
        .gql(Some(&token), CANCEL, json!({"b": b1b, "r": "  "}))
        .await;
    assert_eq!(error_code(&v), "VALIDATION");

    // Inside the 8-hour window: short notice, a strike. The second strike (policy: 2) suspends
    // self-booking at this trust.
    let s2 = post(&app, &a.office, hca_shift(a, now + Duration::hours(5), 8)).await;
    let b2 = booked(book(&app, &token, s2, None, None).await);
    let v = app
        .ok(Some(&token), CANCEL, json!({"b": b2, "r": "ill"}))
        .await;
    assert_eq!(v["cancelBooking"]["cancellation"]["shortNotice"], true);
    assert_eq!(v["cancelBooking"]["history"][1]["strike"], true);
    let s3 = post(&app, &a.office, hca_shift(a, now + Duration::hours(7), 8)).await;
    let b3 = booked(book(&app, &token, s3, None, None).await);
    app.ok(Some(&token), CANCEL, json!({"b": b3, "r": "ill again"}))
        .await;
    let r = app
        .ok(
            Some(&a.office),
            "query($t:UUID!){ workerRestrictions(trustId:$t){ id kind createdBy worker { id } } }",
            json!({"t": a.id}),
        )
        .await;
    let restrictions = r["workerRestrictions"].as_array().unwrap();
    assert_eq!(restrictions.len(), 1, "{r}");
    assert_eq!(restrictions[0]["kind"], "SELF_BOOKING_SUSPENDED");
    assert!(restrictions[0]["createdBy"].is_null(), "placed by policy");
    let s4 = post(&app, &a.office, hca_shift(a, now + Duration::days(4), 8)).await;
    let v = book(&app, &token, s4, None, None).await;
    assert_eq!(error_code(&v), "NOT_ELIGIBLE");
    assert_eq!(
        v["errors"][0]["extensions"]["details"]["reasons"][0]["code"],
        "SELF_BOOKING_SUSPENDED"
    );
    // The feed no longer shows this trust's shifts; other trusts still take the worker.
    let feed = app
        .ok(
            Some(&token),
            "{ myShiftFeed { edges { node { shift { id } } } } }",
            json!({}),
        )
        .await;
    assert!(!feed.to_string().contains(&s4.to_string()));
    let at_b = post(&app, &b.office, hca_shift(b, now + Duration::days(5), 8)).await;
    booked(book(&app, &token, at_b, None, None).await);
    // The bank office can still book them; lifting the suspension restores self-booking.
    let b4 = booked(book(&app, &a.office, s4, Some(w), None).await);
    app.ok(
        Some(&a.office),
        "mutation($r:UUID!){ liftRestriction(restrictionId:$r){ liftedAt } }",
        json!({"r": restrictions[0]["id"]}),
    )
    .await;
    let s5 = post(&app, &a.office, hca_shift(a, now + Duration::days(6), 8)).await;
    booked(book(&app, &token, s5, None, None).await);

    // The trust cancelling four days ahead owes nothing...
    let v = app
        .ok(
            Some(&a.office),
            CANCEL,
            json!({"b": b4, "r": "ward closed"}),
        )
        .await;
    assert_eq!(v["cancelBooking"]["cancellation"]["cancelledBy"], "TRUST");
    assert!(v["cancelBooking"]["cancellation"]["fee"].is_null());
    // ...inside its 4-hour window it owes 2 hours at the shift's grade...
    let late = post(&app, &a.office, hca_shift(a, now + Duration::hours(3), 8)).await;
    let bl = booked(book(&app, &a.office, late, Some(senior), None).await);
    let v = app
        .ok(
            Some(&a.office),
            CANCEL,
            json!({"b": bl, "r": "overstaffed"}),
        )
        .await;
    let c = &v["cancelBooking"]["cancellation"];
    assert_eq!(c["shortNotice"], true);
    assert_eq!(c["minutesBeforeStart"], 180);
    assert_eq!(
        c["fee"],
        // Priced at once from the trust's rate card (the built-in default): 2 h x £12.75.
        json!({"minutes": 120, "grade": "BAND_3", "amountPence": 2550})
    );
    // ...or at the worker's grade when the shift pays by worker grade.
    let mut by_worker = hca_shift(a, now + Duration::hours(2), 8);
    by_worker["payBasis"] = json!("WORKER_GRADE");
    let by_worker = post(&app, &a.office, by_worker).await;
    let bw = booked(book(&app, &a.office, by_worker, Some(senior), None).await);
    let v = app
        .ok(
            Some(&a.office),
            CANCEL,
            json!({"b": bw, "r": "overstaffed"}),
        )
        .await;
    // 2 h x £14.06 (BAND_4: 27,485 / 52.143 / 37.5).
    assert_eq!(
        v["cancelBooking"]["cancellation"]["fee"],
        json!({"minutes": 120, "grade": "BAND_4", "amountPence": 2812})
    );
    // A trust with a 10-hour window owes the fee 8 hours ahead; withdrawing the whole shift
    // cancels its bookings the same way.
    app.ok(
        Some(&a.admin),
        "mutation($t:UUID!){ setMarketPolicy(trustId:$t, input:{trustLateCancellationMinutes:600, lateCancellationFeeMinutes:180}){ trustLateCancellationMinutes } }",
        json!({"t": a.id}),
    )
    .await;
    let eight = post(&app, &a.office, hca_shift(a, now + Duration::hours(8), 8)).await;
    let be = booked(book(&app, &a.office, eight, Some(senior), None).await);
    let v = app
        .ok(
            Some(&a.office),
            "mutation($s:UUID!){ cancelShift(shiftId:$s, reason:\"ward closed\"){ status filledPositions } }",
            json!({"s": eight}),
        )
        .await;
    assert_eq!(v["cancelShift"]["status"], "CANCELLED");
    let v = app
        .ok(
            Some(&a.office),
            "query($b:UUID!){ booking(id:$b){ state cancellation { fee { minutes } } } }",
            json!({"b": be}),
        )
        .await;
    assert_eq!(v["booking"]["state"], "CANCELLED_BY_TRUST");
    assert_eq!(v["booking"]["cancellation"]["fee"]["minutes"], 180);

    // Only the worker or the trust's bank office may cancel.
    let s6 = post(&app, &a.office, hca_shift(a, now + Duration::days(8), 8)).await;
    let b6 = booked(book(&app, &token, s6, None, None).await);
    let noshow_token = fixtures::worker_login(&app, noshow, "absent@login.test").await;
    let v = app
        .gql(Some(&noshow_token), CANCEL, json!({"b": b6, "r": "x"}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN");
    let v = app
        .gql(Some(&b.office), CANCEL, json!({"b": b6, "r": "x"}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN");

    // No-shows: recorded once the shift has started, a strike.
    let soon = post(&app, &a.office, hca_shift(a, now + Duration::hours(1), 8)).await;
    let bn = booked(book(&app, &a.office, soon, Some(noshow), None).await);
    let no_show =
        "mutation($b:UUID!){ recordNoShow(bookingId:$b){ state active history { event strike } } }";
    let v = app.gql(Some(&a.office), no_show, json!({"b": bn})).await;
    assert_eq!(error_code(&v), "CONFLICT", "not started yet");
    app.clock.advance(Duration::hours(2));
    let v = app.ok(Some(&a.office), no_show, json!({"b": bn})).await;
    assert_eq!(v["recordNoShow"]["state"], "NO_SHOW");
    assert_eq!(v["recordNoShow"]["history"][1]["strike"], true);
    // A worker cannot cancel once the shift has started.
    let v = app
        .gql(Some(&noshow_token), CANCEL, json!({"b": bn, "r": "late"}))
        .await;
    assert_eq!(error_code(&v), "CONFLICT");

    // Those affected were told, through the outbox.
    let mail = app.outbox().await;
    let to = |kind: &str| -> Vec<String> {
        mail.iter()
            .filter(|m| m.kind == kind)
            .map(|m| m.recipient.clone())
            .collect()
    };
    let worker_email = "canceller.ready@worker.test";
    assert_eq!(
        to("booking.cancelled_by_worker"),
        vec!["office0@trust.test"; 3],
        "the bank office hears of each worker cancellation"
    );
    assert!(
        to("booking.confirmed")
            .iter()
            .filter(|r| *r == worker_email)
            .count()
            >= 8
    );
    assert_eq!(to("worker.self_booking_suspended"), vec![worker_email]);
    assert_eq!(to("booking.no_show"), vec!["absent.ready@worker.test"]);
    let trust_cancelled = to("booking.cancelled_by_trust");
    assert!(trust_cancelled.contains(&worker_email.to_owned()));
    assert!(trust_cancelled.contains(&"senior@worker.test".to_owned()));
    let subject = mail
        .iter()
        .find(|m| m.kind == "booking.cancelled_by_trust")
        .map(|m| m.subject.clone())
        .unwrap();
    assert_eq!(subject, "Cancelled: your shift at Trust 0");
}

/// The guards hold even for a writer that skips the domain's checks: one active booking per
/// position on both engines, and no overlapping active bookings of a worker on PostgreSQL.
async fn the_database_itself_refuses_double_bookings(backend: Backend) {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    use staffbank_market::entity::booking;
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let w = ready_worker(&app, &m, 0, "Guarded", 1).await;
    let other = ready_worker(&app, &m, 0, "Intruder", 2).await;
    let s = post(
        &app,
        &a.office,
        hca_shift(a, monday() + Duration::days(1), 8),
    )
    .await;
    let first = booking_id(&book(&app, &a.office, s, Some(w), None).await).unwrap();
    let db = &app.state().services.db;
    let existing = staffbank_market::booking::get(db, first).await.unwrap();
    let copy = |worker: Uuid, shift: Uuid, position: i32| {
        let mut row = existing.clone().into_active_model();
        row.id = Set(Uuid::now_v7());
        row.worker_id = Set(worker);
        row.shift_id = Set(shift);
        row.position = Set(position);
        row.idempotency_key = Set(None);
        row
    };
    // Another worker in the same position of the same shift.
    let err = copy(other, s, 1).insert(db).await.unwrap_err();
    let constraint = staffbank_core::db::violated_constraint(&err);
    assert!(
        constraint
            .as_deref()
            .is_some_and(|c| c.contains("position")),
        "{err} / {constraint:?}"
    );
    // A cancelled booking does not hold its position.
    let mut cancelled = copy(other, s, 1);
    cancelled.active = Set(false);
    cancelled.insert(db).await.unwrap();
    if backend == Backend::Postgres {
        // The same worker at the same time on another shift.
        let s2 = post(
            &app,
            &a.office,
            hca_shift(a, monday() + Duration::days(1), 8),
        )
        .await;
        let err = copy(w, s2, 1).insert(db).await.unwrap_err();
        assert_eq!(
            staffbank_core::db::violated_constraint(&err).as_deref(),
            Some("ex_bookings_worker_overlap"),
            "{err}"
        );
        let row: booking::ActiveModel = copy(w, s2, 1);
        let mut back_to_back = row;
        back_to_back.starts_at = Set(existing.ends_at);
        back_to_back.ends_at = Set(existing.ends_at + Duration::hours(1));
        back_to_back.insert(db).await.unwrap();
    }
}

/// Two shifts' bookings in one request: the loader fetches them in one batch, and the market
/// filters the batch for the caller.
const TWO_SHIFTS_BOOKINGS: &str = "query($a:UUID!,$b:UUID!){ a: shift(id:$a){ bookings { id } } b: shift(id:$b){ bookings { id } } }";

/// The booking ids listed under `alias` of `data`, sorted.
fn listed(data: &Value, alias: &str) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = data[alias]["bookings"]
        .as_array()
        .unwrap_or_else(|| panic!("no bookings under {alias}: {data}"))
        .iter()
        .map(|b| b["id"].as_str().unwrap().parse().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

/// A shift's `bookings` hold only what the caller may see, one shift at a time and many at once:
/// all of them for its trust's staff and its bank's admin, a worker's own for a worker (none for
/// a worker who has not booked it); another trust's staff do not see the shift at all.
async fn a_shifts_bookings_show_only_what_the_caller_may_see(backend: Backend) {
    let app = start(backend).await;
    let m = market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    let mut tokens = Vec::new();
    for (i, name) in ["Ann", "Bea", "Cat"].into_iter().enumerate() {
        let w = ready_worker(&app, &m, 0, name, 300 + i).await;
        let email = format!("{}@login.test", name.to_lowercase());
        tokens.push(fixtures::worker_login(&app, w, &email).await);
    }
    let (ann, bea, cat) = (&tokens[0], &tokens[1], &tokens[2]);
    let mut two_places = hca_shift(a, monday() + Duration::days(2), 8);
    two_places["positions"] = json!(2);
    let s1 = post(&app, &a.office, two_places).await;
    let s2 = post(
        &app,
        &a.office,
        hca_shift(a, monday() + Duration::days(4), 8),
    )
    .await;
    let booked = |v: Value| booking_id(&v).unwrap_or_else(|| panic!("not booked: {v}"));
    let ann_s1 = booked(book(&app, ann, s1, None, None).await);
    let bea_s1 = booked(book(&app, bea, s1, None, None).await);
    let bea_s2 = booked(book(&app, bea, s2, None, None).await);
    let sorted = |mut v: Vec<Uuid>| {
        v.sort_unstable();
        v
    };
    let vars = json!({"a": s1, "b": s2});

    for (who, token) in [
        ("the office", &a.office),
        ("the bank's admin", &m.bank.admin_token),
    ] {
        let v = app.ok(Some(token), TWO_SHIFTS_BOOKINGS, vars.clone()).await;
        assert_eq!(listed(&v, "a"), sorted(vec![ann_s1, bea_s1]), "{who}: {v}");
        assert_eq!(listed(&v, "b"), vec![bea_s2], "{who}: {v}");
    }
    let v = app.ok(Some(ann), TWO_SHIFTS_BOOKINGS, vars.clone()).await;
    assert_eq!(
        listed(&v, "a"),
        vec![ann_s1],
        "a worker sees their own: {v}"
    );
    assert!(listed(&v, "b").is_empty(), "and none of another's: {v}");
    let v = app.ok(Some(bea), TWO_SHIFTS_BOOKINGS, vars.clone()).await;
    assert_eq!(listed(&v, "a"), vec![bea_s1], "{v}");
    assert_eq!(listed(&v, "b"), vec![bea_s2], "{v}");
    let v = app.ok(Some(cat), TWO_SHIFTS_BOOKINGS, vars.clone()).await;
    assert!(
        listed(&v, "a").is_empty(),
        "a worker who has not booked sees none: {v}"
    );
    assert!(listed(&v, "b").is_empty(), "{v}");

    // One shift on its own, by the same rule.
    let v = app.ok(Some(ann), SHIFT_BOOKINGS, json!({"id": s1})).await;
    assert_eq!(listed(&v, "shift"), vec![ann_s1], "{v}");

    // Another trust's office, of the same bank: not the shift, so none of its bookings.
    let v = app.gql(Some(&b.office), TWO_SHIFTS_BOOKINGS, vars).await;
    assert_eq!(error_code(&v), "NOT_FOUND", "{v}");
    assert!(v["data"].is_null() || v["data"]["a"].is_null(), "{v}");
}

/// A state or kind the code does not know, written past the domain, fails the read (an internal
/// error) instead of reading as some default: the booking is not shown as booked, and a
/// restriction of an unknown kind does not let its worker be booked as if it were not there.
async fn an_unknown_stored_code_is_an_error_not_a_default(backend: Backend) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use staffbank_market::entity::{booking, worker_restriction};
    let app = start(backend).await;
    let m = market(&app, 1).await;
    let a = &m.trusts[0];
    let w = ready_worker(&app, &m, 0, "Garbled", 1).await;
    let s = post(
        &app,
        &a.office,
        hca_shift(a, monday() + Duration::days(1), 8),
    )
    .await;
    let b = booking_id(&book(&app, &a.office, s, Some(w), None).await).unwrap();
    let db = &app.state().services.db;
    booking::Entity::update_many()
        .col_expr(booking::Column::State, Expr::value("BOGUS"))
        .filter(booking::Column::Id.eq(b))
        .exec(db)
        .await
        .unwrap();
    let v = app
        .gql(Some(&a.office), SHIFT_BOOKINGS, json!({"id": s}))
        .await;
    assert_eq!(error_code(&v), "INTERNAL", "{v}");
    assert!(!v.to_string().contains("BOOKED"), "{v}");

    let other = ready_worker(&app, &m, 0, "Restricted", 2).await;
    let r = app
        .ok(
            Some(&a.office),
            "mutation($t:UUID!,$w:UUID!){ blockWorker(trustId:$t, workerId:$w, reason:\"conduct\"){ id } }",
            json!({"t": a.id, "w": other}),
        )
        .await["blockWorker"]["id"]
        .as_str()
        .unwrap()
        .parse::<Uuid>()
        .unwrap();
    worker_restriction::Entity::update_many()
        .col_expr(worker_restriction::Column::Kind, Expr::value("BOGUS"))
        .filter(worker_restriction::Column::Id.eq(r))
        .exec(db)
        .await
        .unwrap();
    let s2 = post(
        &app,
        &a.office,
        hca_shift(a, monday() + Duration::days(2), 8),
    )
    .await;
    let v = book(&app, &a.office, s2, Some(other), None).await;
    assert_eq!(error_code(&v), "INTERNAL", "{v}");
    assert_eq!(booking_id(&v), None, "{v}");
}
