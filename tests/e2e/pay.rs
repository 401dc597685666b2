//! Pay end to end: pay shown up front, hand-worked pay cases, effective-dated rate cards, the
//! timesheet flow and its permissions, the pay-period cut-off, payroll export once, recharges and
//! reports. Figures are worked by hand in the comments.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::market_fixtures::{self as mf, Market};
use crate::on_both_databases;

on_both_databases!(
    pay_up_front_compares_partner_trusts,
    unsocial_hours_holidays_and_clock_changes_to_the_penny,
    rate_cards_are_effective_dated,
    timesheet_flow_and_permissions,
    cut_off_export_once_and_reexport,
    recharges_fees_and_reports,
    demo_timesheets_give_each_role_something_to_do,
);

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(
        backend,
        TestOptions {
            now: mf::monday(),
            ..Default::default()
        },
    )
    .await
}

const SET_CARD: &str =
    "mutation($i: SetRateCardInput!){ setRateCard(input:$i){ effectiveFrom builtIn } }";

async fn set_card(
    app: &TestApp,
    token: &str,
    trust: Uuid,
    from: &str,
    rates: Value,
    uplift: &str,
) -> Value {
    app.gql(Some(token), SET_CARD, json!({"i": {"trustId": trust, "effectiveFrom": from, "rates": rates, "holidayUplift": uplift}})).await
}

const SHIFT_PAY: &str = "query($s:UUID!,$g:String!){ shift(id:$s){ payAtGrade(grade:$g){ grade hourlyRate total lines { code hours rate amount } } } }";

fn total(v: &Value) -> String {
    v["shift"]["payAtGrade"]["total"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn pay_up_front_compares_partner_trusts(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    // Trust B pays its healthcare assistants more.
    let v = set_card(&app, &b.admin, b.id, "2026-03-02", json!([{"grade": "BAND_3", "hourlyRate": "14.00"}, {"grade": "BAND_4", "hourlyRate": "15.00"}]), "0.1207").await;
    assert_eq!(v["data"]["setRateCard"]["builtIn"], false, "{v}");
    let worker = mf::ready_worker(&app, &m, 0, "Alex", 1).await;
    mf::recognise_through_passport(&app, worker, a.id, b.id).await;
    let me = fixtures::worker_login(&app, worker, "alex@worker.test").await;
    // The same day shift, Tuesday 3 March 09:00-17:00 with a 30-minute break (7.5 h paid), at both.
    let start = at(2026, 3, 3, 9, 0);
    let sa = mf::post(&app, &a.office, mf::hca_shift(a, start, 8)).await;
    let sb = mf::post(&app, &b.office, mf::hca_shift(b, start, 8)).await;
    let feed = app
        .ok(Some(&me), "{ myShiftFeed { edges { node { shift { id trust { id } myPay { grade hourlyRate total lines { code hours amount } } } } } } }", json!({}))
        .await;
    let entries = feed["myShiftFeed"]["edges"].as_array().unwrap();
    let pay_of = |shift: Uuid| {
        entries
            .iter()
            .find(|e| e["node"]["shift"]["id"] == json!(shift))
            .map(|e| e["node"]["shift"]["myPay"].clone())
            .unwrap()
    };
    // Trust A, built-in card: BAND_3 = 24,937 / 52.143 / 37.5 = £12.7532 -> £12.75.
    // 7.5 h x 12.75 = 95.625 -> £95.63; holiday pay 95.625 x 12.07% = 11.5419 -> £11.54; £107.17.
    let pa = pay_of(sa);
    assert_eq!(pa["grade"], "BAND_3");
    assert_eq!(pa["hourlyRate"], "12.75");
    assert_eq!(
        pa["lines"],
        json!([{"code": "PLAIN", "hours": "7.5", "amount": "95.63"}, {"code": "HOLIDAY_PAY", "hours": "0", "amount": "11.54"}])
    );
    assert_eq!(pa["total"], "107.17");
    // Trust B: 7.5 h x 14.00 = £105.00; holiday pay 105 x 12.07% = 12.6735 -> £12.67; £117.67.
    assert_eq!(pay_of(sb)["total"], "117.67");
    // The same on the shift itself.
    let v = app
        .ok(
            Some(&me),
            "query($s:UUID!){ shift(id:$s){ myPay { total } } }",
            json!({"s": sb}),
        )
        .await;
    assert_eq!(v["shift"]["myPay"]["total"], "117.67");
    // Not a worker: no personal pay.
    let v = app
        .ok(
            Some(&a.office),
            "query($s:UUID!){ shift(id:$s){ myPay { total } } }",
            json!({"s": sa}),
        )
        .await;
    assert!(v["shift"]["myPay"].is_null());
}

fn nurse_night(t: &mf::Trust, start_local: &str, end_local: &str) -> Value {
    json!({
        "trustId": t.id, "siteId": t.site, "wardId": t.ward,
        "staffGroup": "NURSING_MIDWIFERY_REGISTERED", "grade": "BAND_5",
        "startsLocal": start_local, "endsLocal": end_local,
        "breakMinutes": 60, "reason": "VACANCY", "cascade": mf::open_to_all()
    })
}

async fn unsocial_hours_holidays_and_clock_changes_to_the_penny(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    // BAND_5 at £16.00, no holiday uplift, so each total is the sum of the hand-worked lines.
    let v = set_card(
        &app,
        &t.admin,
        t.id,
        "2026-03-02",
        json!([{"grade": "BAND_5", "hourlyRate": "16.00"}]),
        "0",
    )
    .await;
    assert!(v["errors"].is_null(), "{v}");
    // Each 20:00-08:00 with a 60-minute unpaid break taken at the middle of the shift.
    let cases = [
        // Tue 8 Dec -> Wed: night 20:00-06:00 less the break 01:30-02:30 = 9 h x 16 x 1.30 = 187.20;
        // 06:00-08:00 plain 2 h x 16 = 32.00. Total 219.20.
        (
            "2026-12-08T20:00:00",
            "2026-12-09T08:00:00",
            "219.20",
            vec![
                ("PLAIN", "2", "32.00"),
                ("SATURDAY_OR_NIGHT", "9", "187.20"),
            ],
        ),
        // Sat 12 Dec -> Sun: Saturday 20:00-24:00 4 h x 16 x 1.30 = 83.20; Sunday 8 h less the
        // break = 7 h x 16 x 1.60 = 179.20. Total 262.40.
        (
            "2026-12-12T20:00:00",
            "2026-12-13T08:00:00",
            "262.40",
            vec![
                ("SATURDAY_OR_NIGHT", "4", "83.20"),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", "7", "179.20"),
            ],
        ),
        // Thu 24 Dec -> Christmas Day: Thursday night 4 h x 16 x 1.30 = 83.20; Christmas Day 7 h
        // x 16 x 1.60 = 179.20. Total 262.40.
        (
            "2026-12-24T20:00:00",
            "2026-12-25T08:00:00",
            "262.40",
            vec![
                ("SATURDAY_OR_NIGHT", "4", "83.20"),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", "7", "179.20"),
            ],
        ),
        // Sat 28 Mar 2026 -> Sun, clocks forward: 11 real hours. Saturday 4 h = 83.20; Sunday
        // 7 h less the break = 6 h x 16 x 1.60 = 153.60. Total 236.80.
        (
            "2026-03-28T20:00:00",
            "2026-03-29T08:00:00",
            "236.80",
            vec![
                ("SATURDAY_OR_NIGHT", "4", "83.20"),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", "6", "153.60"),
            ],
        ),
        // Sat 24 Oct 2026 -> Sun, clocks back: 13 real hours. Saturday 4 h = 83.20; Sunday 9 h
        // less the break = 8 h x 16 x 1.60 = 204.80. Total 288.00.
        (
            "2026-10-24T20:00:00",
            "2026-10-25T08:00:00",
            "288.00",
            vec![
                ("SATURDAY_OR_NIGHT", "4", "83.20"),
                ("SUNDAY_OR_PUBLIC_HOLIDAY", "8", "204.80"),
            ],
        ),
    ];
    for (start, end, expected, lines) in cases {
        let s = mf::post(&app, &t.office, nurse_night(t, start, end)).await;
        let v = app
            .ok(Some(&t.office), SHIFT_PAY, json!({"s": s, "g": "BAND_5"}))
            .await;
        assert_eq!(total(&v), expected, "{start}: {v}");
        let got: Vec<(String, String, String)> = v["shift"]["payAtGrade"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["code"].as_str().unwrap().to_owned(),
                    l["hours"].as_str().unwrap().to_owned(),
                    l["amount"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let want: Vec<(String, String, String)> = lines
            .iter()
            .map(|(c, h, a)| ((*c).into(), (*h).into(), (*a).into()))
            .collect();
        assert_eq!(got, want, "{start}");
    }
}

async fn rate_cards_are_effective_dated(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let card = |rate: &str| json!([{"grade": "BAND_3", "hourlyRate": rate}]);
    assert!(
        set_card(&app, &t.admin, t.id, "2026-03-02", card("13.00"), "0").await["errors"].is_null()
    );
    // From 10 March, £14.00.
    assert!(
        set_card(&app, &t.admin, t.id, "2026-03-10", card("14.00"), "0").await["errors"].is_null()
    );
    let before = mf::post(&app, &t.office, mf::hca_shift(t, at(2026, 3, 3, 9, 0), 8)).await;
    let after = mf::post(&app, &t.office, mf::hca_shift(t, at(2026, 3, 16, 9, 0), 8)).await;
    // 7.5 h x 13.00 = 97.50 before; 7.5 h x 14.00 = 105.00 after.
    assert_eq!(
        total(
            &app.ok(
                Some(&t.office),
                SHIFT_PAY,
                json!({"s": before, "g": "BAND_3"})
            )
            .await
        ),
        "97.50"
    );
    assert_eq!(
        total(
            &app.ok(
                Some(&t.office),
                SHIFT_PAY,
                json!({"s": after, "g": "BAND_3"})
            )
            .await
        ),
        "105.00"
    );
    // The card not yet in force may be replaced; one in force may not; the past cannot be changed.
    assert!(
        set_card(&app, &t.admin, t.id, "2026-03-10", card("14.50"), "0").await["errors"].is_null()
    );
    assert_eq!(
        total(
            &app.ok(
                Some(&t.office),
                SHIFT_PAY,
                json!({"s": after, "g": "BAND_3"})
            )
            .await
        ),
        "108.75"
    );
    assert_eq!(
        error_code(&set_card(&app, &t.admin, t.id, "2026-03-02", card("20.00"), "0").await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&set_card(&app, &t.admin, t.id, "2026-03-01", card("20.00"), "0").await),
        "VALIDATION"
    );
    // Only the trust's admins set cards; bad rates are refused.
    assert_eq!(
        error_code(&set_card(&app, &t.office, t.id, "2026-04-01", card("20.00"), "0").await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&set_card(&app, &t.admin, t.id, "2026-04-01", card("-1"), "0").await),
        "VALIDATION"
    );
    assert_eq!(
        error_code(
            &set_card(
                &app,
                &t.admin,
                t.id,
                "2026-04-01",
                json!([{"grade": "BAND_99", "hourlyRate": "10"}]),
                "0"
            )
            .await
        ),
        "VALIDATION"
    );
    let cards = app
        .ok(
            Some(&t.office),
            "query($t:UUID!){ rateCards(trustId:$t){ builtIn effectiveFrom } }",
            json!({"t": t.id}),
        )
        .await;
    assert_eq!(
        cards["rateCards"],
        json!([{"builtIn": true, "effectiveFrom": "2025-04-01"}, {"builtIn": false, "effectiveFrom": "2026-03-02"}, {"builtIn": false, "effectiveFrom": "2026-03-10"}])
    );
}

/// A ward manager account for one ward.
async fn ward_manager(app: &TestApp, m: &Market, trust: usize, ward: Uuid, email: &str) -> String {
    let t = &m.trusts[trust];
    app.ok(
        Some(&t.admin),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({"i": {"email": email, "displayName": email, "password": PASSWORD, "scope": {"role": "WARD_MANAGER", "trustId": t.id, "wardId": ward}}}),
    )
    .await;
    app.login(email, PASSWORD).await
}

/// Books a worker (by the trust's bank office) on a new day shift; returns the booking id.
async fn booked_day(
    app: &TestApp,
    m: &Market,
    trust: usize,
    worker: Uuid,
    start: chrono::DateTime<Utc>,
) -> Uuid {
    let t = &m.trusts[trust];
    let s = mf::post(app, &t.office, mf::hca_shift(t, start, 8)).await;
    let v = mf::book(app, &t.office, s, Some(worker), None).await;
    v["data"]["bookShift"]["booking"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("booking failed: {v}"))
        .parse()
        .unwrap()
}

const SUBMIT: &str = "mutation($b:UUID!,$s:DateTime!,$e:DateTime!,$m:Int!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:$m){ id state } }";
const TIMESHEET: &str = "query($t:UUID!){ timesheet(id:$t){ state queryReason payPeriod payTotal payLines { code hours amount } history { event reason } } }";

async fn submit(
    app: &TestApp,
    token: &str,
    booking: Uuid,
    start: chrono::DateTime<Utc>,
    end: chrono::DateTime<Utc>,
    brk: i32,
) -> Value {
    app.gql(
        Some(token),
        SUBMIT,
        json!({"b": booking, "s": start, "e": end, "m": brk}),
    )
    .await
}

async fn decide(app: &TestApp, token: &str, what: &str, id: &Value) -> Value {
    app.gql(
        Some(token),
        &format!("mutation($t:UUID!){{ {what}(id:$t){{ state payPeriod }} }}"),
        json!({"t": id}),
    )
    .await
}

async fn timesheet_flow_and_permissions(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let other_ward = app
        .ok(Some(&t.admin), "mutation($s:UUID!){ createWard(input:{siteId:$s, name:\"Birch Ward\", costCentre:\"CC200\"}){ id } }", json!({"s": t.site}))
        .await["createWard"]["id"].as_str().unwrap().parse().unwrap();
    ward_manager(&app, &m, 0, t.ward, "manager.ash@trust.test").await;
    ward_manager(&app, &m, 0, other_ward, "manager.birch@trust.test").await;
    let w = mf::ready_worker(&app, &m, 0, "Robin", 2).await;
    let me = fixtures::worker_login(&app, w, "robin@worker.test").await;
    let start = at(2026, 3, 3, 9, 0);
    let b = booked_day(&app, &m, 0, w, start).await;

    // Not before the shift has ended; not by someone else.
    assert_eq!(
        error_code(&submit(&app, &me, b, start, start + Duration::hours(8), 30).await),
        "VALIDATION"
    );
    app.clock.set(at(2026, 3, 3, 18, 0));
    let (me, manager, other_manager, office) = (
        app.login("robin@worker.test", PASSWORD).await,
        app.login("manager.ash@trust.test", PASSWORD).await,
        app.login("manager.birch@trust.test", PASSWORD).await,
        app.login("office0@trust.test", PASSWORD).await,
    );
    assert_eq!(
        error_code(&submit(&app, &office, b, start, start + Duration::hours(8), 30).await),
        "FORBIDDEN"
    );
    // Bad times: the end before the start; a break longer than the shift; far from the booking.
    assert_eq!(
        error_code(&submit(&app, &me, b, start + Duration::hours(8), start, 30).await),
        "VALIDATION"
    );
    assert_eq!(
        error_code(&submit(&app, &me, b, start, start + Duration::hours(8), 600).await),
        "VALIDATION"
    );
    assert_eq!(
        error_code(
            &submit(
                &app,
                &me,
                b,
                start - Duration::hours(12),
                start + Duration::hours(8),
                30
            )
            .await
        ),
        "VALIDATION"
    );

    let v = submit(
        &app,
        &me,
        b,
        start + Duration::minutes(5),
        start + Duration::minutes(490),
        30,
    )
    .await;
    assert_eq!(v["data"]["submitTimesheet"]["state"], "SUBMITTED", "{v}");
    let id = v["data"]["submitTimesheet"]["id"].clone();
    assert_eq!(
        error_code(&submit(&app, &me, b, start, start + Duration::hours(8), 30).await),
        "CONFLICT",
        "already waiting"
    );
    // A ward manager of another ward, and the bank office, cannot approve it.
    assert_eq!(
        error_code(&decide(&app, &other_manager, "approveTimesheet", &id).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&decide(&app, &office, "approveTimesheet", &id).await),
        "FORBIDDEN"
    );
    // Nor can payment be approved before the ward manager approves.
    assert_eq!(
        error_code(&decide(&app, &office, "approveTimesheetPayment", &id).await),
        "CONFLICT"
    );
    // Queried with a reason; resubmitted; approved; then locked.
    let q =
        "mutation($t:UUID!,$r:String!){ queryTimesheet(id:$t, reason:$r){ state queryReason } }";
    assert_eq!(
        error_code(&app.gql(Some(&manager), q, json!({"t": id, "r": " "})).await),
        "VALIDATION"
    );
    let v = app
        .ok(
            Some(&manager),
            q,
            json!({"t": id, "r": "the rota shows you started at 09:00"}),
        )
        .await;
    assert_eq!(v["queryTimesheet"]["state"], "QUERIED");
    let v = submit(&app, &me, b, start, start + Duration::hours(8), 30).await;
    assert_eq!(v["data"]["submitTimesheet"]["state"], "SUBMITTED");
    assert_eq!(
        decide(&app, &manager, "approveTimesheet", &id).await["data"]["approveTimesheet"]["state"],
        "APPROVED"
    );
    assert_eq!(
        error_code(&submit(&app, &me, b, start, start + Duration::hours(9), 30).await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(&decide(&app, &manager, "approveTimesheet", &id).await),
        "CONFLICT"
    );
    // Payment approved by the bank office: pay lines at the card in force on the shift's date.
    let v = decide(&app, &office, "approveTimesheetPayment", &id).await;
    assert_eq!(
        v["data"]["approveTimesheetPayment"]["payPeriod"], "2026-03",
        "{v}"
    );
    let v = app.ok(Some(&me), TIMESHEET, json!({"t": id})).await;
    let ts = &v["timesheet"];
    assert_eq!(ts["state"], "PAYMENT_APPROVED");
    // 7.5 h x £12.75 = £95.63; holiday pay 95.625 x 12.07% = £11.54; total £107.17.
    assert_eq!(
        ts["payLines"],
        json!([{"code": "PLAIN", "hours": "7.5", "amount": "95.63"}, {"code": "HOLIDAY_PAY", "hours": "0", "amount": "11.54"}])
    );
    assert_eq!(ts["payTotal"], "107.17");
    let events: Vec<&str> = ts["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "SUBMITTED",
            "QUERIED",
            "RESUBMITTED",
            "APPROVED",
            "PAYMENT_APPROVED"
        ]
    );
    assert_eq!(
        ts["history"][1]["reason"],
        "the rota shows you started at 09:00"
    );
    // The other ward's manager does not see it in their list; this ward's does.
    let list = "query($t:UUID!){ timesheets(trustId:$t){ edges { node { id } } } }";
    assert_eq!(
        app.ok(Some(&other_manager), list, json!({"t": t.id})).await["timesheets"]["edges"],
        json!([])
    );
    assert_eq!(
        app.ok(Some(&manager), list, json!({"t": t.id})).await["timesheets"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// Submits and has the ward manager approve a booking's timesheet as worked to plan.
async fn worked_and_approved(
    app: &TestApp,
    worker_token: &str,
    manager: &str,
    booking: Uuid,
    start: chrono::DateTime<Utc>,
) -> Value {
    let v = submit(
        app,
        worker_token,
        booking,
        start,
        start + Duration::hours(8),
        30,
    )
    .await;
    let id = v["data"]["submitTimesheet"]["id"].clone();
    assert!(!id.is_null(), "{v}");
    assert_eq!(
        decide(app, manager, "approveTimesheet", &id).await["data"]["approveTimesheet"]["state"],
        "APPROVED"
    );
    id
}

const EXPORT: &str = "mutation($t:UUID!,$p:String!){ exportPayroll(trustId:$t, payPeriod:$p){ id lineCount total csv } }";

async fn cut_off_export_once_and_reexport(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    ward_manager(&app, &m, 0, t.ward, "manager@trust.test").await;
    let x = mf::ready_worker(&app, &m, 0, "Kit", 3).await;
    let y = mf::ready_worker(&app, &m, 0, "Lou", 4).await;
    let cut = app
        .ok(
            Some(&t.office),
            "mutation($t:UUID!){ setPayCutoffDay(trustId:$t, day:20) }",
            json!({"t": t.id}),
        )
        .await;
    assert_eq!(cut["setPayCutoffDay"], 20);
    let days = [
        at(2026, 3, 3, 9, 0),
        at(2026, 3, 4, 9, 0),
        at(2026, 3, 5, 9, 0),
    ];
    let b1 = booked_day(&app, &m, 0, x, days[0]).await;
    let b2 = booked_day(&app, &m, 0, y, days[1]).await;
    let b3 = booked_day(&app, &m, 0, x, days[2]).await;
    app.clock.set(at(2026, 3, 6, 9, 0));
    let xt = fixtures::worker_login(&app, x, "kit@worker.test").await;
    let yt = fixtures::worker_login(&app, y, "lou@worker.test").await;
    let manager = app.login("manager@trust.test", PASSWORD).await;
    let t1 = worked_and_approved(&app, &xt, &manager, b1, days[0]).await;
    let t2 = worked_and_approved(&app, &yt, &manager, b2, days[1]).await;
    let t3 = worked_and_approved(&app, &xt, &manager, b3, days[2]).await;
    // Approved for payment on the cut-off day: March.
    app.clock.set(at(2026, 3, 20, 12, 0));
    let office = app.login("office0@trust.test", PASSWORD).await;
    for id in [&t1, &t2] {
        assert_eq!(
            decide(&app, &office, "approveTimesheetPayment", id).await["data"]["approveTimesheetPayment"]
                ["payPeriod"],
            "2026-03"
        );
    }
    let first = app
        .ok(Some(&office), EXPORT, json!({"t": t.id, "p": "2026-03"}))
        .await["exportPayroll"]
        .clone();
    // Two timesheets x (plain + holiday pay) = 4 lines; 2 x £107.17 = £214.34.
    assert_eq!(first["lineCount"], 4);
    assert_eq!(first["total"], "214.34");
    let csv = first["csv"].as_str().unwrap().to_owned();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "worker_id,worker_name,ni_number,cost_centre,work_date,hours,rate_code,rate,amount"
    );
    assert_eq!(rows.len(), 5);
    assert!(
        rows.iter()
            .any(|r| r.ends_with(",CC100,2026-03-03,7.50,BAND_3:PLAIN,12.75,95.63")),
        "{csv}"
    );
    // Each line goes out once: nothing new to export now.
    assert_eq!(
        error_code(
            &app.gql(Some(&office), EXPORT, json!({"t": t.id, "p": "2026-03"}))
                .await
        ),
        "CONFLICT"
    );
    // Approved after the cut-off: April's period, exported on its own.
    app.clock.set(at(2026, 3, 21, 9, 0));
    let office = app.login("office0@trust.test", PASSWORD).await;
    assert_eq!(
        decide(&app, &office, "approveTimesheetPayment", &t3).await["data"]["approveTimesheetPayment"]
            ["payPeriod"],
        "2026-04"
    );
    assert_eq!(
        error_code(
            &app.gql(Some(&office), EXPORT, json!({"t": t.id, "p": "2026-03"}))
                .await
        ),
        "CONFLICT"
    );
    let april = app
        .ok(Some(&office), EXPORT, json!({"t": t.id, "p": "2026-04"}))
        .await["exportPayroll"]
        .clone();
    assert_eq!(april["lineCount"], 2);
    // Re-export is explicit and gives the very same file.
    let again = app
        .ok(
            Some(&office),
            "query($e:UUID!){ payrollExport(id:$e){ csv total } }",
            json!({"e": first["id"]}),
        )
        .await;
    assert_eq!(again["payrollExport"]["csv"], json!(csv));
    let v = app.ok(Some(&office), TIMESHEET, json!({"t": t1})).await;
    assert_eq!(v["timesheet"]["state"], "EXPORTED");
    // Bad period; another trust's payroll.
    assert_eq!(
        error_code(
            &app.gql(Some(&office), EXPORT, json!({"t": t.id, "p": "March"}))
                .await
        ),
        "VALIDATION"
    );
}

async fn recharges_fees_and_reports(backend: Backend) {
    let app = spawn(backend).await;
    let m = mf::market(&app, 2).await;
    let (a, b) = (&m.trusts[0], &m.trusts[1]);
    ward_manager(&app, &m, 0, a.ward, "manager@trust.test").await;
    // X's home is trust B (paid by B, working at A); Y's home is A.
    let x = mf::ready_worker(&app, &m, 1, "Xan", 5).await;
    mf::recognise_through_passport(&app, x, b.id, a.id).await;
    let y = mf::ready_worker(&app, &m, 0, "Yas", 6).await;
    // Five shifts at A, posted at 09:00 on Monday 2 March; one is withdrawn.
    let days: Vec<_> = (3..=7).map(|d| at(2026, 3, d, 9, 0)).collect();
    let shifts: Vec<Uuid> = {
        let mut v = Vec::new();
        for d in &days {
            v.push(mf::post(&app, &a.office, mf::hca_shift(a, *d, 8)).await);
        }
        v
    };
    app.ok(
        Some(&a.office),
        "mutation($s:UUID!){ cancelShift(shiftId:$s, reason:\"ward closed\"){ id } }",
        json!({"s": shifts[4]}),
    )
    .await;
    // Booked 30 and 90 minutes after posting: median time to fill 60 minutes.
    app.clock.set(at(2026, 3, 2, 9, 30));
    let office = app.login("office0@trust.test", PASSWORD).await;
    assert!(mf::book(&app, &office, shifts[0], Some(y), None).await["errors"].is_null());
    app.clock.set(at(2026, 3, 2, 10, 30));
    let office = app.login("office0@trust.test", PASSWORD).await;
    let v = mf::book(&app, &office, shifts[1], Some(x), None).await;
    assert!(v["errors"].is_null(), "{v}");
    let bx3 = mf::book(&app, &office, shifts[2], Some(y), None).await["data"]["bookShift"]["booking"]["id"].clone();
    let bx4 = mf::book(&app, &office, shifts[3], Some(x), None).await["data"]["bookShift"]["booking"]["id"].clone();
    // Y cancels shift 3 at short notice (06:00, three hours before); the trust cancels X's shift 4
    // late (07:00, two hours before): a fee of 2 hours' pay at BAND_3, 2 x £12.75 = £25.50.
    app.clock.set(at(2026, 3, 5, 6, 0));
    let yt = fixtures::worker_login(&app, y, "yas@worker.test").await;
    let v = app
        .ok(
            Some(&yt),
            "mutation($b:UUID!){ cancelBooking(bookingId:$b, reason:\"unwell\"){ state } }",
            json!({"b": bx3}),
        )
        .await;
    assert_eq!(v["cancelBooking"]["state"], "CANCELLED_BY_WORKER");
    app.clock.set(at(2026, 3, 6, 7, 0));
    let office = app.login("office0@trust.test", PASSWORD).await;
    let v = app.ok(Some(&office), "mutation($b:UUID!){ cancelBooking(bookingId:$b, reason:\"patients moved\"){ state cancellation { fee { minutes grade amountPence } } } }", json!({"b": bx4})).await;
    assert_eq!(
        v["cancelBooking"]["cancellation"]["fee"],
        json!({"minutes": 120, "grade": "BAND_3", "amountPence": 2550})
    );
    // Shifts 1 and 2 are worked and approved for payment in March.
    app.clock.set(at(2026, 3, 9, 9, 0));
    let xt = fixtures::worker_login(&app, x, "xan@worker.test").await;
    let yt = app.login("yas@worker.test", PASSWORD).await;
    let manager = app.login("manager@trust.test", PASSWORD).await;
    let office = app.login("office0@trust.test", PASSWORD).await;
    let booking_of = |shift: Uuid, token: String| {
        let app = &app;
        async move {
            let v = app
                .ok(
                    Some(&token),
                    "{ myBookings { edges { node { id shift { id } } } } }",
                    json!({}),
                )
                .await;
            v["myBookings"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["node"]["shift"]["id"] == json!(shift))
                .unwrap()["node"]["id"]
                .as_str()
                .unwrap()
                .parse::<Uuid>()
                .unwrap()
        }
    };
    let by = booking_of(shifts[0], yt.clone()).await;
    let bx = booking_of(shifts[1], xt.clone()).await;
    let ty = worked_and_approved(&app, &yt, &manager, by, days[0]).await;
    let tx = worked_and_approved(&app, &xt, &manager, bx, days[1]).await;
    for id in [&ty, &tx] {
        assert_eq!(
            decide(&app, &office, "approveTimesheetPayment", id).await["data"]["approveTimesheetPayment"]
                ["payPeriod"],
            "2026-03"
        );
    }
    // Recharge: A owes B for X's shift (£107.17) and X's fee (£25.50) = £132.67; Y is A's own.
    let q = "query($s:UUID!){ rechargeStatement(collaborativeBankId:$s, payPeriod:\"2026-03\"){ total recharges { lines total debtor { id } creditor { id } } } }";
    let system = app
        .ok(
            Some(&office),
            "query($t:UUID!){ trust(id:$t){ collaborativeBank { id } } }",
            json!({"t": a.id}),
        )
        .await["trust"]["collaborativeBank"]["id"]
        .clone();
    let v = app.ok(Some(&office), q, json!({"s": system})).await;
    assert_eq!(
        v["rechargeStatement"]["recharges"],
        json!([{"lines": 3, "total": "132.67", "debtor": {"id": a.id}, "creditor": {"id": b.id}}])
    );
    assert_eq!(v["rechargeStatement"]["total"], "132.67");
    let x_pay =
        app.ok(Some(&xt), TIMESHEET, json!({"t": tx})).await["timesheet"]["payTotal"].clone();
    assert_eq!(x_pay, "107.17");
    // B's payroll pays X: X's two lines and the fee.
    let b_office = app.login("office1@trust.test", PASSWORD).await;
    let export = app
        .ok(Some(&b_office), EXPORT, json!({"t": b.id, "p": "2026-03"}))
        .await;
    assert_eq!(export["exportPayroll"]["lineCount"], 3);
    assert_eq!(export["exportPayroll"]["total"], "132.67");
    assert!(
        export["exportPayroll"]["csv"]
            .as_str()
            .unwrap()
            .contains("BAND_3:LATE_CANCELLATION_FEE,12.75,25.50")
    );

    // The report for A, 2-8 March, equals the hand count.
    let r = app
        .ok(Some(&office), "query($t:UUID!){ trustReport(trustId:$t, from:\"2026-03-02\", to:\"2026-03-08\"){ shiftsPosted shiftsWithdrawn positions positionsFilled fillRate medianMinutesToFill hoursPaid spend cancelledByWorkers shortNoticeByWorkers cancelledByTrust lateByTrust crossTrustFills } }", json!({"t": a.id}))
        .await;
    assert_eq!(
        r["trustReport"],
        json!({
            // Five posted, one withdrawn; of four positions, two still held (shifts 1 and 2).
            "shiftsPosted": 4, "shiftsWithdrawn": 1, "positions": 4, "positionsFilled": 2, "fillRate": "0.5",
            // Booked 30 and 90 minutes after posting (the cancelled bookings are not fills).
            "medianMinutesToFill": 60,
            // 7.5 h + 7.5 h paid; spend 107.17 + 107.17 + 25.50 = 239.84.
            "hoursPaid": "15", "spend": "239.84",
            "cancelledByWorkers": 1, "shortNoticeByWorkers": 1, "cancelledByTrust": 1, "lateByTrust": 1,
            // Shift 2 was filled by X, whose home is trust B.
            "crossTrustFills": 1
        })
    );
}

on_both_databases!(approvers_are_reminded_of_timesheets_waiting_two_days);

async fn approvers_are_reminded_of_timesheets_waiting_two_days(backend: Backend) {
    // The job loop is off: every run of the reminder job is one this test makes, after setting
    // the clock, so "nothing at 47 hours" follows a run at 47 hours, and "only one" follows
    // three runs at 49 hours, rather than whatever runs a sleep happened to allow.
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: mf::monday(),
            configure: |c| c.jobs.run = false,
        },
    )
    .await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    ward_manager(&app, &m, 0, t.ward, "manager@trust.test").await;
    let w = mf::ready_worker(&app, &m, 0, "Sky", 7).await;
    let start = at(2026, 3, 3, 9, 0);
    let b = booked_day(&app, &m, 0, w, start).await;
    app.clock.set(at(2026, 3, 3, 18, 0));
    let me = fixtures::worker_login(&app, w, "sky@worker.test").await;
    assert!(submit(&app, &me, b, start, start + Duration::hours(8), 30).await["errors"].is_null());
    let reminders = |app: &TestApp| {
        app.mail
            .messages()
            .into_iter()
            .filter(|r| {
                r.rcpt_to.iter().any(|to| to.contains("manager@trust.test"))
                    && r.header("subject")
                        .is_some_and(|s| s.contains("has waited"))
            })
            .count()
    };
    // The jobs run `times` times at the clock's time, and all they enqueued is delivered.
    let run_jobs = |times: usize| {
        let app = &app;
        async move {
            for _ in 0..times {
                app.run_jobs_once().await;
            }
            app.deliver_mail().await;
        }
    };
    // 47 hours: nothing yet.
    app.clock.set(at(2026, 3, 5, 17, 0));
    run_jobs(1).await;
    assert_eq!(reminders(&app), 0);
    // 49 hours: one reminder, and only one however often the job runs.
    app.clock.set(at(2026, 3, 5, 19, 0));
    run_jobs(3).await;
    assert_eq!(reminders(&app), 1);
    // Another two days waiting: a second.
    app.clock.set(at(2026, 3, 7, 19, 0));
    run_jobs(3).await;
    assert_eq!(reminders(&app), 2);
}

/// The demo's timesheets, as the README's first command loads them: the demo worker has one at
/// each step and a worked shift still to submit, and the ward manager and the bank office of
/// their trust can each take the next step over GraphQL.
async fn demo_timesheets_give_each_role_something_to_do(backend: Backend) {
    use staffbank_gateway::demo;
    let app = fixtures::demo_app(backend).await;
    let worker = app
        .login(demo::bank::WORKER_EMAIL, demo::DEMO_PASSWORD)
        .await;
    let manager = app
        .login(
            "ward.manager@northfield.staffbank.example",
            demo::DEMO_PASSWORD,
        )
        .await;
    let office = app
        .login(
            "bank.office@northfield.staffbank.example",
            demo::DEMO_PASSWORD,
        )
        .await;
    let mine = "{ timesheets(first: 20) { nodes { id bookingId state queryReason payTotal } } }";
    let v = app.ok(Some(&worker), mine, json!({})).await;
    let sheets = v["timesheets"]["nodes"].as_array().unwrap().clone();
    let states: Vec<&str> = sheets
        .iter()
        .map(|t| t["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["PAYMENT_APPROVED", "APPROVED", "QUERIED", "SUBMITTED"],
        "oldest first: {v}"
    );
    assert_ne!(sheets[0]["payTotal"], "0.00", "paid lines exist: {v}");
    assert!(sheets[0]["payTotal"].is_string(), "{v}");
    assert!(sheets[2]["queryReason"].as_str().is_some(), "{v}");
    let with_sheet: Vec<&Value> = sheets.iter().map(|t| &t["bookingId"]).collect();

    // The worked shift without a timesheet: the worker submits it.
    let now = staffbank_core::Clock::now(app.clock.as_ref());
    let bookings = app
        .ok(
            Some(&worker),
            "{ myBookings(activeOnly: true, first: 50) { nodes { id state startsAt endsAt } } }",
            json!({}),
        )
        .await;
    let unsubmitted: Vec<&Value> = bookings["myBookings"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["state"] == "BOOKED" && !with_sheet.contains(&&b["id"]))
        .filter(|b| {
            let ends: chrono::DateTime<Utc> = b["endsAt"].as_str().unwrap().parse().unwrap();
            ends <= now
        })
        .collect();
    assert_eq!(unsubmitted.len(), 1, "{bookings}");
    let b = unsubmitted[0];
    let v = app
        .gql(
            Some(&worker),
            SUBMIT,
            json!({"b": b["id"], "s": b["startsAt"], "e": b["endsAt"], "m": 30}),
        )
        .await;
    assert_eq!(v["data"]["submitTimesheet"]["state"], "SUBMITTED", "{v}");

    // The ward manager of their trust sees both waiting, and approves one.
    let me = app
        .ok(
            Some(&manager),
            "{ me { roles { trust { id } } } }",
            json!({}),
        )
        .await;
    let trust = me["me"]["roles"][0]["trust"]["id"].clone();
    let waiting = app
        .ok(
            Some(&manager),
            "query($t:UUID!){ timesheets(trustId:$t, state: SUBMITTED){ nodes { id } } }",
            json!({"t": trust}),
        )
        .await;
    let waiting = waiting["timesheets"]["nodes"].as_array().unwrap().clone();
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    let v = decide(&app, &manager, "approveTimesheet", &waiting[0]["id"]).await;
    assert_eq!(v["data"]["approveTimesheet"]["state"], "APPROVED", "{v}");

    // The bank office approves the approved one for payment; the worker answers the query.
    let v = decide(&app, &office, "approveTimesheetPayment", &sheets[1]["id"]).await;
    assert_eq!(
        v["data"]["approveTimesheetPayment"]["state"], "PAYMENT_APPROVED",
        "{v}"
    );
    assert!(v["data"]["approveTimesheetPayment"]["payPeriod"].is_string());
    let queried = &sheets[2];
    let t = app
        .ok(
            Some(&worker),
            "query($t:UUID!){ timesheet(id:$t){ bookingId startedAt endedAt } }",
            json!({"t": queried["id"]}),
        )
        .await;
    let v = app
        .gql(
            Some(&worker),
            SUBMIT,
            json!({"b": t["timesheet"]["bookingId"], "s": t["timesheet"]["startedAt"], "e": t["timesheet"]["endedAt"], "m": 30}),
        )
        .await;
    assert_eq!(v["data"]["submitTimesheet"]["state"], "SUBMITTED", "{v}");
}
