//! Timesheet deadlines end to end, with the test clock: a submitted timesheet waits for its ward
//! manager until its deadline, then escalates to the bank office (who may then decide it), or, by
//! the trust's policy, is approved automatically when its times match the booking within the
//! tolerance; each step's email goes once over SMTP to the sink, though the job runs every 100 ms
//! on two replicas and is run again by hand. Deciding several at once is all or nothing.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::market_fixtures::{self as mf, Market};
use crate::on_both_databases;

on_both_databases!(
    a_late_timesheet_escalates_to_the_bank_office_once,
    matching_timesheets_are_approved_automatically_when_the_trust_chooses,
    several_timesheets_are_decided_all_or_none,
);

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Jobs every 100 ms (the harness's default); tokens that outlive the days the clock moves.
async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(
        backend,
        TestOptions {
            now: mf::monday(),
            configure: |c| c.token_ttl_minutes = 365 * 24 * 60,
        },
    )
    .await
}

async fn ward_manager(app: &TestApp, m: &Market, email: &str) -> String {
    let t = &m.trusts[0];
    app.ok(
        Some(&t.admin),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({"i": {"email": email, "displayName": email, "password": PASSWORD, "scope": {"role": "WARD_MANAGER", "trustId": t.id, "wardId": t.ward}}}),
    )
    .await;
    app.login(email, PASSWORD).await
}

/// A worker booked on an 8-hour day shift (30-minute break) starting `start`; their token and
/// the booking.
async fn booked(app: &TestApp, m: &Market, n: usize, start: DateTime<Utc>) -> (String, Uuid) {
    let t = &m.trusts[0];
    let name = format!("Worker{n}");
    let w = mf::ready_worker(app, m, 0, &name, n).await;
    let token = fixtures::worker_login(app, w, &format!("worker{n}@worker.test")).await;
    let s = mf::post(app, &t.office, mf::hca_shift(t, start, 8)).await;
    let v = mf::book(app, &t.office, s, Some(w), None).await;
    let b = v["data"]["bookShift"]["booking"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("booking failed: {v}"))
        .parse()
        .unwrap();
    (token, b)
}

const SUBMIT: &str = "mutation($b:UUID!,$s:DateTime!,$e:DateTime!,$m:Int!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:$m){ id } }";
const SHEET: &str = "query($t:UUID!){ timesheet(id:$t){ state deadline overdue holder holderDueBy escalatedAt approvedAutomatically history { event actorAccountId reason } } }";

async fn submit(
    app: &TestApp,
    token: &str,
    b: Uuid,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    brk: i32,
) -> Value {
    app.ok(
        Some(token),
        SUBMIT,
        json!({"b": b, "s": start, "e": end, "m": brk}),
    )
    .await["submitTimesheet"]["id"]
        .clone()
}

async fn sheet(app: &TestApp, token: &str, id: &Value) -> Value {
    app.ok(Some(token), SHEET, json!({"t": id})).await["timesheet"].clone()
}

/// The emails to `to` whose subject starts with `subject`.
fn mails(app: &TestApp, to: &str, subject: &str) -> usize {
    app.mail
        .messages()
        .iter()
        .filter(|r| r.rcpt_to.iter().any(|x| x.contains(to)))
        .filter(|r| r.header("subject").is_some_and(|s| s.starts_with(subject)))
        .count()
}

async fn wait_mail(app: &TestApp, to: &str, subject: &str) {
    app.mail
        .wait_until(
            &format!("'{subject}' to {to}"),
            std::time::Duration::from_secs(20),
            |_| mails(app, to, subject) >= 1,
        )
        .await;
}

/// Moves the test clock to `to` once every email already due has been sent. A send in flight
/// when the clock jumps days ahead would see its claim's lease run out under it, and a second
/// worker (another replica's, or `deliver_mail`'s) would send the message again: a real clock
/// never jumps mid-send, so the test's clock must not either.
async fn move_clock(app: &TestApp, to: DateTime<Utc>) {
    app.deliver_mail().await;
    app.clock.set(to);
}

/// Runs the jobs once more at the clock's time and delivers everything waiting, so that a count
/// taken next has seen a run at this time and every email it (or the replicas' loops) enqueued.
/// The loops stay on: this test is about the job running on two replicas and by hand at once, and
/// what it checks after `settle` (at most one email each, nothing before the deadline) holds
/// however many runs there were.
async fn settle(app: &TestApp) {
    app.run_jobs_once().await;
    app.deliver_mail().await;
}

fn events(s: &Value) -> Vec<String> {
    s["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect()
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .unwrap_or_else(|| panic!("not a time: {v}"))
        .parse()
        .unwrap()
}

async fn a_late_timesheet_escalates_to_the_bank_office_once(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let manager = ward_manager(&app, &m, "manager@trust.test").await;
    let start = at(2026, 3, 3, 9, 0);
    let (me, b) = booked(&app, &m, 1, start).await;
    // A second replica runs the same jobs on the same database.
    let replica = app.replica().await;

    move_clock(&app, at(2026, 3, 3, 18, 0)).await;
    let id = submit(&app, &me, b, start, start + Duration::hours(8), 30).await;
    wait_mail(&app, "manager@trust.test", "Timesheet to approve").await;
    let s = sheet(&app, &me, &id).await;
    assert_eq!(s["holder"], "WARD_MANAGER", "{s}");
    assert_eq!(
        instant(&s["deadline"]),
        at(2026, 3, 5, 18, 0),
        "48 hours: {s}"
    );
    assert_eq!(s["holderDueBy"], s["deadline"]);
    assert_eq!(s["overdue"], false);
    // Before the deadline the bank office cannot decide it.
    let v = app
        .gql(
            Some(&t.office),
            "mutation($t:UUID!){ approveTimesheet(id:$t){ state } }",
            json!({"t": id}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");

    // A minute before: nothing.
    move_clock(&app, at(2026, 3, 5, 17, 59)).await;
    settle(&app).await;
    let s = sheet(&app, &me, &id).await;
    assert!(s["escalatedAt"].is_null(), "{s}");
    assert_eq!(
        mails(&app, "office0@trust.test", "Timesheet past its deadline"),
        0
    );

    // A minute after: escalated, once, by whichever replica's job came first.
    move_clock(&app, at(2026, 3, 5, 18, 1)).await;
    wait_mail(&app, "office0@trust.test", "Timesheet past its deadline").await;
    // The job by hand, twice more, changes nothing.
    let clock = app.clock.as_ref();
    for _ in 0..2 {
        let sweep = staffbank_market::pay::deadlines::run(app.db(), clock)
            .await
            .unwrap();
        assert_eq!(sweep, staffbank_market::pay::deadlines::Sweep::default());
    }
    settle(&app).await;
    assert_eq!(
        mails(&app, "office0@trust.test", "Timesheet past its deadline"),
        1
    );
    assert_eq!(mails(&app, "manager@trust.test", "Timesheet to approve"), 1);
    let s = sheet(&app, &me, &id).await;
    assert_eq!(s["state"], "SUBMITTED");
    assert_eq!(s["holder"], "BANK_OFFICE", "{s}");
    assert_eq!(s["overdue"], true);
    assert!(!s["escalatedAt"].is_null());
    // The bank office has until the pay cut-off (the 20th, London midnight; GMT in March).
    assert_eq!(instant(&s["holderDueBy"]), at(2026, 3, 21, 0, 0), "{s}");
    assert_eq!(events(&s), ["SUBMITTED", "ESCALATED"]);
    assert!(s["history"][1]["actorAccountId"].is_null(), "nobody: {s}");

    // The bank office's list of escalated timesheets has it, the ward manager's un-escalated one not.
    let listed = |token: String, escalated: bool| {
        let app = &app;
        async move {
            app.ok(
                Some(&token),
                "query($t:UUID!,$e:Boolean){ timesheets(trustId:$t, state: SUBMITTED, escalated:$e){ nodes { id } } }",
                json!({"t": t.id, "e": escalated}),
            )
            .await["timesheets"]["nodes"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(listed(t.office.clone(), true).await, 1);
    assert_eq!(listed(manager.clone(), false).await, 0);

    // Now the bank office decides it; the worker is told once.
    let v = app
        .ok(
            Some(&t.office),
            "mutation($t:UUID!){ approveTimesheet(id:$t){ state holder } }",
            json!({"t": id}),
        )
        .await;
    assert_eq!(v["approveTimesheet"]["state"], "APPROVED");
    assert_eq!(v["approveTimesheet"]["holder"], "BANK_OFFICE");
    wait_mail(
        &app,
        "worker1.ready@worker.test",
        "Your timesheet is approved",
    )
    .await;
    settle(&app).await;
    assert_eq!(
        mails(
            &app,
            "worker1.ready@worker.test",
            "Your timesheet is approved"
        ),
        1
    );
    let s = sheet(&app, &me, &id).await;
    assert_eq!(s["approvedAutomatically"], false);
    assert!(s["deadline"].is_null(), "decided: {s}");
    replica.stop().await.unwrap();
}

async fn matching_timesheets_are_approved_automatically_when_the_trust_chooses(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let manager = ward_manager(&app, &m, "manager@trust.test").await;
    let set = "mutation($t:UUID!,$h:Int!,$a:Boolean!,$m:Int){ setTimesheetPolicy(trustId:$t, approvalHours:$h, autoApprove:$a, toleranceMinutes:$m){ approvalHours autoApprove toleranceMinutes payCutoffDay } }";
    // Off by default; only the trust admin and bank office set it; bad values change nothing.
    let v = app
        .ok(Some(&manager), "query($t:UUID!){ timesheetPolicy(trustId:$t){ approvalHours autoApprove toleranceMinutes payCutoffDay } }", json!({"t": t.id}))
        .await;
    assert_eq!(
        v["timesheetPolicy"],
        json!({"approvalHours": 48, "autoApprove": false, "toleranceMinutes": 15, "payCutoffDay": 20})
    );
    let v = app
        .gql(
            Some(&manager),
            set,
            json!({"t": t.id, "h": 24, "a": true, "m": 15}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    for (h, tol) in [(0, 15), (337, 15), (24, -1), (24, 61)] {
        let v = app
            .gql(
                Some(&t.office),
                set,
                json!({"t": t.id, "h": h, "a": true, "m": tol}),
            )
            .await;
        assert_eq!(error_code(&v), "VALIDATION", "{h} {tol}: {v}");
    }
    let v = app
        .ok(
            Some(&t.office),
            set,
            json!({"t": t.id, "h": 24, "a": true, "m": 15}),
        )
        .await;
    assert_eq!(
        v["setTimesheetPolicy"],
        json!({"approvalHours": 24, "autoApprove": true, "toleranceMinutes": 15, "payCutoffDay": 20})
    );

    // Three worked the same shift times: 10 minutes late (matches), 20 minutes late (does not),
    // and on time with a longer break (does not).
    let start = at(2026, 3, 3, 9, 0);
    let end = start + Duration::hours(8);
    let (w1, b1) = booked(&app, &m, 1, start).await;
    let (w2, b2) = booked(&app, &m, 2, start).await;
    let (w3, b3) = booked(&app, &m, 3, start).await;
    move_clock(&app, at(2026, 3, 3, 18, 0)).await;
    let matching = submit(&app, &w1, b1, start, end + Duration::minutes(10), 30).await;
    let late = submit(&app, &w2, b2, start, end + Duration::minutes(20), 30).await;
    let long_break = submit(&app, &w3, b3, start, end, 45).await;
    let s = sheet(&app, &w1, &matching).await;
    assert_eq!(
        instant(&s["deadline"]),
        at(2026, 3, 4, 18, 0),
        "24 hours: {s}"
    );

    move_clock(&app, at(2026, 3, 4, 18, 1)).await;
    wait_mail(
        &app,
        "worker1.ready@worker.test",
        "Your timesheet is approved",
    )
    .await;
    app.mail
        .wait_until(
            "two escalations",
            std::time::Duration::from_secs(20),
            |_| mails(&app, "office0@trust.test", "Timesheet past its deadline") >= 2,
        )
        .await;
    settle(&app).await;
    assert_eq!(
        mails(
            &app,
            "worker1.ready@worker.test",
            "Your timesheet is approved"
        ),
        1
    );
    assert_eq!(
        mails(&app, "office0@trust.test", "Timesheet past its deadline"),
        2
    );
    for w in ["worker2.ready@worker.test", "worker3.ready@worker.test"] {
        assert_eq!(mails(&app, w, "Your timesheet is approved"), 0, "{w}");
    }
    let s = sheet(&app, &w1, &matching).await;
    assert_eq!(s["state"], "APPROVED", "{s}");
    assert_eq!(s["approvedAutomatically"], true);
    assert_eq!(events(&s), ["SUBMITTED", "AUTO_APPROVED"]);
    assert!(s["history"][1]["actorAccountId"].is_null());
    assert!(
        s["history"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("within 15 minutes"),
        "{s}"
    );
    for (token, id) in [(&w2, &late), (&w3, &long_break)] {
        let s = sheet(&app, token, id).await;
        assert_eq!(
            (s["state"].as_str(), s["holder"].as_str()),
            (Some("SUBMITTED"), Some("BANK_OFFICE")),
            "{s}"
        );
    }

    // The bank office queries the late one; the worker is told; sending it again gives it back to
    // the ward manager with a new deadline.
    let v = app
        .gql(
            Some(&t.office),
            "mutation($t:UUID!,$r:String!){ queryTimesheet(id:$t, reason:$r){ state holder } }",
            json!({"t": late, "r": "The ward's record shows you left at 17:00."}),
        )
        .await;
    assert_eq!(v["data"]["queryTimesheet"]["holder"], "WORKER", "{v}");
    wait_mail(
        &app,
        "worker2.ready@worker.test",
        "Your timesheet has been queried",
    )
    .await;
    move_clock(&app, at(2026, 3, 4, 20, 0)).await;
    submit(&app, &w2, b2, start, end, 30).await;
    let s = sheet(&app, &w2, &late).await;
    assert_eq!(s["holder"], "WARD_MANAGER", "{s}");
    assert!(s["escalatedAt"].is_null());
    assert_eq!(instant(&s["deadline"]), at(2026, 3, 5, 20, 0));
    settle(&app).await;
    assert_eq!(
        mails(&app, "manager@trust.test", "Timesheet to approve"),
        4,
        "three, and the resubmission"
    );
    assert_eq!(
        mails(
            &app,
            "worker2.ready@worker.test",
            "Your timesheet has been queried"
        ),
        1
    );
}

async fn several_timesheets_are_decided_all_or_none(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 1).await;
    let manager = ward_manager(&app, &m, "manager@trust.test").await;
    let start = at(2026, 3, 3, 9, 0);
    let end = start + Duration::hours(8);
    let mut bookings = Vec::new();
    for n in 1..=3 {
        bookings.push(booked(&app, &m, n, start).await);
    }
    move_clock(&app, at(2026, 3, 3, 18, 0)).await;
    let mut ids = Vec::new();
    for (w, b) in bookings {
        let id = submit(&app, &w, b, start, end, 30).await;
        ids.push((w, id));
    }
    let approve = "mutation($i:[UUID!]!){ approveTimesheets(ids:$i){ id state } }";
    let query =
        "mutation($i:[UUID!]!,$r:String!){ queryTimesheets(ids:$i, reason:$r){ id state } }";
    app.ok(
        Some(&manager),
        "mutation($t:UUID!){ approveTimesheet(id:$t){ state } }",
        json!({"t": ids[1].1}),
    )
    .await;
    // One of them already approved: nothing changes.
    let v = app
        .gql(Some(&manager), approve, json!({"i": [ids[0].1, ids[1].1]}))
        .await;
    assert_eq!(error_code(&v), "CONFLICT", "{v}");
    assert_eq!(
        sheet(&app, &ids[0].0, &ids[0].1).await["state"],
        "SUBMITTED"
    );
    // None chosen, or no reason: nothing changes.
    let v = app.gql(Some(&manager), approve, json!({"i": []})).await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    let v = app
        .gql(
            Some(&manager),
            query,
            json!({"i": [ids[0].1, ids[2].1], "r": "  "}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    assert_eq!(
        sheet(&app, &ids[2].0, &ids[2].1).await["state"],
        "SUBMITTED"
    );
    // The bank office may not, before the deadline.
    let v = app
        .gql(Some(&m.trusts[0].office), approve, json!({"i": [ids[0].1]}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    // Both at once.
    let v = app
        .ok(Some(&manager), approve, json!({"i": [ids[0].1, ids[2].1]}))
        .await;
    let states: Vec<&str> = v["approveTimesheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["APPROVED", "APPROVED"]);
    for (w, id) in &ids {
        assert_eq!(sheet(&app, w, id).await["state"], "APPROVED");
    }
    for n in 1..=3 {
        wait_mail(
            &app,
            &format!("worker{n}.ready@worker.test"),
            "Your timesheet is approved",
        )
        .await;
    }
}
