//! What the worker's booking pages read: whether a timesheet is due (and only those), a booking's
//! timesheet and a timesheet's booking and export, and the cancellation preview — which is always
//! exactly what cancelling then records.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::market_fixtures::{self as mf, Market, Trust};
use crate::on_both_databases;

on_both_databases!(
    a_timesheet_is_due_from_the_end_of_the_shift_until_it_is_submitted,
    the_cancellation_preview_is_what_cancelling_records,
    a_page_of_bookings_with_timesheets_and_previews_is_a_fixed_number_of_queries,
);

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
}

/// A staff account with `role` at trust `t`, made by its admin, signed in.
async fn staff(app: &TestApp, t: &Trust, role: &str, email: &str) -> String {
    let mut scope = json!({"role": role, "trustId": t.id});
    if role == "WARD_MANAGER" {
        scope["wardId"] = json!(t.ward);
    }
    app.ok(
        Some(&t.admin),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({"i": {"email": email, "displayName": email, "password": PASSWORD, "scope": scope}}),
    )
    .await;
    app.login(email, PASSWORD).await
}

/// The trust's bank office books `worker` on a new 8-hour day shift from `start`; the booking id.
async fn booked(app: &TestApp, t: &Trust, worker: Uuid, start: DateTime<Utc>) -> Uuid {
    let s = mf::post(app, &t.office, mf::hca_shift(t, start, 8)).await;
    let v = mf::book(app, &t.office, s, Some(worker), None).await;
    v["data"]["bookShift"]["booking"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("booking failed: {v}"))
        .parse()
        .unwrap()
}

const SUBMIT: &str = "mutation($b:UUID!,$s:DateTime!,$e:DateTime!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:30){ id state } }";

/// The worker submits the booking's timesheet as worked to plan; the timesheet id.
async fn submit(app: &TestApp, worker: &str, booking: Uuid, start: DateTime<Utc>) -> Value {
    let v = app
        .ok(
            Some(worker),
            SUBMIT,
            json!({"b": booking, "s": start, "e": start + Duration::hours(8)}),
        )
        .await;
    v["submitTimesheet"]["id"].clone()
}

async fn decide(app: &TestApp, token: &str, mutation: &str, id: &Value) -> Value {
    app.ok(
        Some(token),
        &format!("mutation($t:UUID!){{ {mutation}(id:$t){{ state }} }}"),
        json!({"t": id}),
    )
    .await
}

const MINE: &str = "query($due:Boolean){ myBookings(timesheetDue:$due){ edges { node { id startsAt timesheetDue timesheet { id state exportedAt booking { id } } } } } }";

/// `(booking id, node)` of the signed-in worker's bookings, filtered by `due`.
async fn mine(app: &TestApp, token: &str, due: Option<bool>) -> Vec<(Uuid, Value)> {
    let v = app.ok(Some(token), MINE, json!({"due": due})).await;
    v["myBookings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["node"]["id"].as_str().unwrap().parse().unwrap(),
                e["node"].clone(),
            )
        })
        .collect()
}

async fn a_timesheet_is_due_from_the_end_of_the_shift_until_it_is_submitted(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let manager = staff(&app, t, "WARD_MANAGER", "manager@trust.test").await;
    let hr = staff(&app, t, "HR", "hr@trust.test").await;
    let w = mf::ready_worker(&app, &m, 0, "Dana", 1).await;
    let me = fixtures::worker_login(&app, w, "dana@worker.test").await;
    // Day shifts, 9am to 5pm, from Tuesday 3 March; the 7th is cancelled, the 12th is to come.
    let submitted = booked(&app, t, w, at(3, 9)).await;
    let queried = booked(&app, t, w, at(4, 9)).await;
    let approved = booked(&app, t, w, at(5, 9)).await;
    let missing = booked(&app, t, w, at(6, 9)).await;
    let cancelled = booked(&app, t, w, at(7, 9)).await;
    let to_come = booked(&app, t, w, at(12, 9)).await;
    app.ok(
        Some(&me),
        "mutation($b:UUID!){ cancelBooking(bookingId:$b, reason:\"unwell\"){ state } }",
        json!({"b": cancelled}),
    )
    .await;

    // Before any shift has ended nothing is due.
    assert!(mine(&app, &me, Some(true)).await.is_empty());

    app.clock.set(at(8, 12));
    let sheet_submitted = submit(&app, &me, submitted, at(3, 9)).await;
    let sheet_queried = submit(&app, &me, queried, at(4, 9)).await;
    app.ok(
        Some(&manager),
        "mutation($t:UUID!){ queryTimesheet(id:$t, reason:\"the break looks short\"){ state } }",
        json!({"t": sheet_queried}),
    )
    .await;
    let sheet_approved = submit(&app, &me, approved, at(5, 9)).await;
    decide(&app, &manager, "approveTimesheet", &sheet_approved).await;

    let all = mine(&app, &me, None).await;
    let due: Vec<(Uuid, bool)> = all
        .iter()
        .map(|(id, n)| (*id, n["timesheetDue"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        due,
        vec![
            (submitted, false),
            (queried, true),
            (approved, false),
            (missing, true),
            (cancelled, false),
            (to_come, false),
        ]
    );
    // A booking's timesheet, and the timesheet's booking.
    let node = |id: Uuid| all.iter().find(|(b, _)| *b == id).unwrap().1.clone();
    assert_eq!(node(submitted)["timesheet"]["state"], "SUBMITTED");
    assert_eq!(node(submitted)["timesheet"]["id"], sheet_submitted);
    assert_eq!(
        node(submitted)["timesheet"]["booking"]["id"],
        json!(submitted)
    );
    assert_eq!(node(queried)["timesheet"]["state"], "QUERIED");
    assert!(node(missing)["timesheet"].is_null());
    assert!(node(approved)["timesheet"]["exportedAt"].is_null());

    // The filter asks the database for just those, soonest first; `false` for the others.
    let ids = |rows: Vec<(Uuid, Value)>| rows.into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    assert_eq!(
        ids(mine(&app, &me, Some(true)).await),
        vec![queried, missing]
    );
    assert_eq!(
        ids(mine(&app, &me, Some(false)).await),
        vec![submitted, approved, cancelled, to_come]
    );
    // Resubmitting the queried one settles it.
    submit(&app, &me, queried, at(4, 9)).await;
    assert_eq!(ids(mine(&app, &me, Some(true)).await), vec![missing]);

    // HR of the trust sees the bookings, and whether a timesheet is due, but not the timesheets
    // (those are for the worker, ward managers, the bank office and admins).
    let v = app
        .ok(
            Some(&hr),
            "query($t:UUID!){ bookings(trustId:$t){ edges { node { id timesheetDue timesheet { id } } } } }",
            json!({"t": t.id}),
        )
        .await;
    for e in v["bookings"]["edges"].as_array().unwrap() {
        assert!(e["node"]["timesheet"].is_null(), "{e}");
        let id: Uuid = e["node"]["id"].as_str().unwrap().parse().unwrap();
        assert_eq!(e["node"]["timesheetDue"], json!(id == missing));
    }

    // Approved for payment and exported: the timesheet says when.
    decide(&app, &t.office, "approveTimesheetPayment", &sheet_approved).await;
    app.clock.set(at(9, 10));
    app.ok(
        Some(&t.office),
        "mutation($t:UUID!){ exportPayroll(trustId:$t, payPeriod:\"2026-03\"){ id } }",
        json!({"t": t.id}),
    )
    .await;
    let v = app
        .ok(
            Some(&me),
            "query($t:UUID!){ timesheet(id:$t){ state exportedAt booking { id timesheetDue } } }",
            json!({"t": sheet_approved}),
        )
        .await;
    assert_eq!(v["timesheet"]["state"], "EXPORTED");
    assert_eq!(
        v["timesheet"]["exportedAt"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        at(9, 10)
    );
    assert_eq!(v["timesheet"]["booking"]["id"], json!(approved));
    assert_eq!(v["timesheet"]["booking"]["timesheetDue"], false);
}

const PREVIEW: &str = "query($b:UUID!){ booking(id:$b){ cancellationPreview { cancelledBy shortNotice windowMinutes minutesBeforeStart strikesInWindow strikeLimit suspendsSelfBooking feeMinutes } } }";
const CANCEL: &str = "mutation($b:UUID!){ cancelBooking(bookingId:$b, reason:\"plans changed\"){ state cancellation { cancelledBy shortNotice minutesBeforeStart fee { minutes } } } }";

async fn preview(app: &TestApp, token: &str, booking: Uuid) -> Value {
    app.ok(Some(token), PREVIEW, json!({"b": booking})).await["booking"]["cancellationPreview"]
        .clone()
}

/// Whether the worker's self-booking is suspended at the trust now.
async fn suspended(app: &TestApp, t: &Trust, worker: Uuid) -> bool {
    let v = app
        .ok(
            Some(&t.office),
            "query($t:UUID!){ workerRestrictions(trustId:$t){ kind worker { id } } }",
            json!({"t": t.id}),
        )
        .await;
    v["workerRestrictions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["kind"] == "SELF_BOOKING_SUSPENDED" && r["worker"]["id"] == json!(worker))
}

/// Previews as `token`, checks the preview against `expected`, cancels as `token`, and checks that
/// the cancellation recorded is the one previewed — who, short notice, minutes, fee, and whether
/// it cost the worker self-booking.
async fn preview_then_cancel(
    app: &TestApp,
    t: &Trust,
    token: &str,
    worker: Uuid,
    booking: Uuid,
    expected: Value,
) {
    let p = preview(app, token, booking).await;
    assert_eq!(p, expected);
    let was_suspended = suspended(app, t, worker).await;
    let v = app.ok(Some(token), CANCEL, json!({"b": booking})).await;
    let c = &v["cancelBooking"]["cancellation"];
    assert_eq!(c["cancelledBy"], p["cancelledBy"]);
    assert_eq!(c["shortNotice"], p["shortNotice"]);
    assert_eq!(c["minutesBeforeStart"], p["minutesBeforeStart"]);
    assert_eq!(c["fee"]["minutes"], p["feeMinutes"]);
    assert_eq!(
        !was_suspended && suspended(app, t, worker).await,
        p["suspendsSelfBooking"].as_bool().unwrap()
    );
    // Once cancelled there is nothing to preview.
    assert!(preview(app, token, booking).await.is_null());
}

async fn the_cancellation_preview_is_what_cancelling_records(backend: Backend) {
    // Monday 2 March, 9am. Default policy but two strikes suspend: workers cancelling within 8
    // hours of the start strike; the trust cancelling within 4 hours owes 2 hours' pay.
    let app = mf::start(backend).await;
    let m: Market = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    app.ok(
        Some(&t.admin),
        "mutation($t:UUID!){ setMarketPolicy(trustId:$t, input:{strikeLimit:2}){ strikeLimit } }",
        json!({"t": t.id}),
    )
    .await;
    let hr = staff(&app, t, "HR", "hr@trust.test").await;
    let w = mf::ready_worker(&app, &m, 0, "Sam", 1).await;
    let me = fixtures::worker_login(&app, w, "sam@worker.test").await;
    let now = mf::monday();
    let book_myself = |start: DateTime<Utc>| {
        let app = &app;
        let me = &me;
        async move {
            let s = mf::post(app, &t.office, mf::hca_shift(t, start, 8)).await;
            let v = mf::book(app, me, s, None, None).await;
            v["data"]["bookShift"]["booking"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("booking failed: {v}"))
                .parse::<Uuid>()
                .unwrap()
        }
    };

    // The worker, 4 hours before: short notice, the first strike.
    let b = book_myself(now + Duration::hours(4)).await;
    let expected = json!({"cancelledBy": "WORKER", "shortNotice": true, "windowMinutes": 480,
        "minutesBeforeStart": 240, "strikesInWindow": 0, "strikeLimit": 2,
        "suspendsSelfBooking": false, "feeMinutes": null});
    // Other staff of the trust may see the booking but not cancel it: no preview for them.
    assert!(preview(&app, &hr, b).await.is_null());
    preview_then_cancel(&app, t, &me, w, b, expected).await;

    // Two days ahead: outside the window, no strike.
    let b = book_myself(now + Duration::days(2)).await;
    let expected = json!({"cancelledBy": "WORKER", "shortNotice": false, "windowMinutes": 480,
        "minutesBeforeStart": 2880, "strikesInWindow": 1, "strikeLimit": 2,
        "suspendsSelfBooking": false, "feeMinutes": null});
    preview_then_cancel(&app, t, &me, w, b, expected).await;

    // Six hours before, with one strike already: this one reaches the limit.
    let b = book_myself(now + Duration::hours(6)).await;
    let expected = json!({"cancelledBy": "WORKER", "shortNotice": true, "windowMinutes": 480,
        "minutesBeforeStart": 360, "strikesInWindow": 1, "strikeLimit": 2,
        "suspendsSelfBooking": true, "feeMinutes": null});
    preview_then_cancel(&app, t, &me, w, b, expected).await;
    assert!(suspended(&app, t, w).await);

    // The bank office books them now. Three hours before, the trust is late: the fee. The worker
    // would strike again, but is suspended already.
    let b = booked(&app, t, w, now + Duration::hours(3)).await;
    let as_worker = preview(&app, &me, b).await;
    assert_eq!(as_worker["cancelledBy"], "WORKER");
    assert_eq!(as_worker["strikesInWindow"], 2);
    assert_eq!(as_worker["suspendsSelfBooking"], false);
    let expected = json!({"cancelledBy": "TRUST", "shortNotice": true, "windowMinutes": 240,
        "minutesBeforeStart": 180, "strikesInWindow": 2, "strikeLimit": 2,
        "suspendsSelfBooking": false, "feeMinutes": 120});
    preview_then_cancel(&app, t, &t.office, w, b, expected).await;

    // Three days ahead the trust owes nothing.
    let b = booked(&app, t, w, now + Duration::days(3)).await;
    let expected = json!({"cancelledBy": "TRUST", "shortNotice": false, "windowMinutes": 240,
        "minutesBeforeStart": 4320, "strikesInWindow": 2, "strikeLimit": 2,
        "suspendsSelfBooking": false, "feeMinutes": null});
    preview_then_cancel(&app, t, &t.office, w, b, expected).await;

    // Once the shift has started it cannot be cancelled: no preview, and cancelling is refused.
    let b = booked(&app, t, w, now + Duration::hours(1)).await;
    assert!(!preview(&app, &me, b).await.is_null());
    app.clock.set(now + Duration::hours(2));
    assert!(preview(&app, &me, b).await.is_null());
    assert!(preview(&app, &t.office, b).await.is_null());
    let v = app.gql(Some(&me), CANCEL, json!({"b": b})).await;
    assert_eq!(error_code(&v), "CONFLICT");
}

async fn a_page_of_bookings_with_timesheets_and_previews_is_a_fixed_number_of_queries(
    backend: Backend,
) {
    // No background email or jobs, so every statement counted is the request's own; a batch
    // window long enough that a busy machine does not split batches.
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: mf::monday(),
            configure: |c| {
                c.mail.deliver = false;
                c.jobs.run = false;
                c.limits.batch_window_ms = 100;
                c.token_ttl_minutes = 365 * 24 * 60;
            },
        },
    )
    .await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let w = mf::ready_worker(&app, &m, 0, "Lee", 1).await;
    let me = fixtures::worker_login(&app, w, "lee@worker.test").await;
    // Twelve day shifts, 3 to 14 March; on the 9th at noon six have ended (three with timesheets)
    // and one is under way.
    let mut bookings = Vec::new();
    for d in 3..=14 {
        bookings.push((booked(&app, t, w, at(d, 9)).await, at(d, 9)));
    }
    app.clock.set(at(9, 12));
    for (b, start) in &bookings[..3] {
        submit(&app, &me, *b, *start).await;
    }
    let query = "query($from:NaiveDate,$n:Int!){ myBookings(from:$from, first:$n){ edges { node { id timesheetDue timesheet { state exportedAt booking { id } } cancellationPreview { shortNotice strikesInWindow feeMinutes } shift { id } } } } }";
    let mut counts = Vec::new();
    // Six bookings from the 5th (one with a timesheet, three owing one, one under way, one to
    // come), then all twelve.
    for (from, n, expect) in [(Some("2026-03-05"), 6, 6), (None, 12, 12)] {
        let before = app
            .state()
            .services
            .queries
            .load(std::sync::atomic::Ordering::SeqCst);
        let v = app
            .ok(Some(&me), query, json!({"from": from, "n": n}))
            .await;
        let after = app
            .state()
            .services
            .queries
            .load(std::sync::atomic::Ordering::SeqCst);
        let edges = v["myBookings"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), expect);
        assert!(
            edges
                .iter()
                .any(|e| !e["node"]["cancellationPreview"].is_null())
        );
        assert!(edges.iter().any(|e| e["node"]["timesheetDue"] == true));
        counts.push(after - before);
    }
    let v = app
        .ok(Some(&me), query, json!({"from": null, "n": 12}))
        .await;
    assert!(
        v["myBookings"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .take(3)
            .all(|e| e["node"]["timesheet"]["state"] == "SUBMITTED")
    );
    // Nested fields are batched: twice the bookings costs no more queries (one per booking per
    // field would add dozens). One or two either way is two batches meeting, or not, in one
    // batch window.
    assert!(
        counts[1] <= counts[0] + 2 && counts[1] <= 16,
        "queries for 6 and 12 bookings: {counts:?}"
    );
}
