//! The bank office's pay and reports through the API: a report broken down week by week, by
//! ward, by staff group and by the release tier open at booking, matching what was posted,
//! booked, worked and paid (counted by hand in the comments); and a trust's payroll exports
//! listed across every pay period.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::{self, PASSWORD};
use crate::harness::Backend;
use crate::market_fixtures as mf;
use crate::on_both_databases;

on_both_databases!(reports_break_down_what_was_posted_booked_and_paid);

fn at(d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, h, mi, 0).unwrap()
}

fn id_of(v: &Value) -> Uuid {
    v.as_str()
        .unwrap_or_else(|| panic!("no id: {v}"))
        .parse()
        .unwrap()
}

const REPORT: &str = "query($t:UUID!){ trustReport(trustId:$t, from:\"2026-03-02\", to:\"2026-03-15\"){
  positions positionsFilled noShows spend
  weeks { startsOn figures { positions positionsFilled fillRate medianMinutesToFill spend noShows } }
  wards { ward { name } figures { positions positionsFilled fillRate spend cancelledByWorkers cancelledByTrust noShows } }
  staffGroups { staffGroup figures { positions positionsFilled spend noShows } }
  fillsByTier { audience fills } } }";

async fn reports_break_down_what_was_posted_booked_and_paid(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    let birch = id_of(
        &app.ok(
            Some(&t.admin),
            "mutation($s:UUID!){ createWard(input:{siteId:$s, name:\"Birch Ward\", costCentre:\"CC200\", requiredSkills:[\"ELDERLY_CARE\"]}){ id } }",
            json!({"s": t.site}),
        )
        .await["createWard"]["id"],
    );
    app.ok(
        Some(&t.admin),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({"i": {"email": "manager@trust.test", "displayName": "Ash manager", "password": PASSWORD, "scope": {"role": "WARD_MANAGER", "trustId": t.id, "wardId": t.ward}}}),
    )
    .await;
    let x = mf::ready_worker(&app, &m, 0, "Kit", 3).await;
    let y = mf::ready_worker(&app, &m, 0, "Lou", 4).await;
    // Posted Monday 2 March at 09:00. Week 1: s1 on Ash (open to the whole bank at once) and s2
    // on Birch (own trust first, escalated to agency an hour after posting). Week 2: s3 on Ash,
    // s4 on Birch.
    let on_birch = |start| {
        let mut s = mf::hca_shift(t, start, 8);
        s["wardId"] = json!(birch);
        s
    };
    let s1 = mf::post(&app, &t.office, mf::hca_shift(t, at(3, 9, 0), 8)).await;
    let mut escalating = on_birch(at(4, 9, 0));
    escalating["cascade"] = json!([
        {"audience": "OWN_TRUST", "anchor": "POSTING", "offsetMinutes": 0},
        {"audience": "AGENCY", "anchor": "POSTING", "offsetMinutes": 60}
    ]);
    let s2 = mf::post(&app, &t.office, escalating).await;
    let _s3 = mf::post(&app, &t.office, mf::hca_shift(t, at(9, 9, 0), 8)).await;
    let s4 = mf::post(&app, &t.office, on_birch(at(10, 9, 0))).await;
    // s1 booked 30 minutes after posting (whole bank open); s2 and s4 90 minutes after (s2's
    // agency tier open by then).
    app.clock.set(at(2, 9, 30));
    let office = app.login("office0@trust.test", PASSWORD).await;
    let b1 = mf::book(&app, &office, s1, Some(x), None).await;
    let b1 = id_of(&b1["data"]["bookShift"]["booking"]["id"]);
    app.clock.set(at(2, 10, 30));
    let office = app.login("office0@trust.test", PASSWORD).await;
    let v = mf::book(&app, &office, s2, Some(y), None).await;
    assert!(v["errors"].is_null(), "{v}");
    let b4 = mf::book(&app, &office, s4, Some(x), None).await;
    let b4 = id_of(&b4["data"]["bookShift"]["booking"]["id"]);
    // s1 is worked to plan and paid: 7.5 hours at BAND_3 with holiday pay, £107.17.
    app.clock.set(at(4, 9, 0));
    let xt = fixtures::worker_login(&app, x, "kit@worker.test").await;
    let ts = app
        .ok(
            Some(&xt),
            "mutation($b:UUID!,$s:DateTime!,$e:DateTime!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:30){ id } }",
            json!({"b": b1, "s": at(3, 9, 0), "e": at(3, 9, 0) + Duration::hours(8)}),
        )
        .await["submitTimesheet"]["id"]
        .clone();
    let manager = app.login("manager@trust.test", PASSWORD).await;
    app.ok(
        Some(&manager),
        "mutation($t:UUID!){ approveTimesheet(id:$t){ state } }",
        json!({"t": ts}),
    )
    .await;
    let office = app.login("office0@trust.test", PASSWORD).await;
    let paid = app
        .ok(
            Some(&office),
            "mutation($t:UUID!){ approveTimesheetPayment(id:$t){ payPeriod payTotal } }",
            json!({"t": ts}),
        )
        .await;
    assert_eq!(
        paid["approveTimesheetPayment"],
        json!({"payPeriod": "2026-03", "payTotal": "107.17"})
    );
    // X does not come to s4.
    app.clock.set(at(10, 10, 0));
    let office = app.login("office0@trust.test", PASSWORD).await;
    app.ok(
        Some(&office),
        "mutation($b:UUID!){ recordNoShow(bookingId:$b, reason:\"did not arrive\"){ state } }",
        json!({"b": b4}),
    )
    .await;

    let r = app.ok(Some(&office), REPORT, json!({"t": t.id})).await["trustReport"].clone();
    // Four positions; s1 and s2 held; s4's booking is a no-show, not a fill.
    assert_eq!(r["positions"], 4);
    assert_eq!(r["positionsFilled"], 2);
    assert_eq!(r["noShows"], 1);
    assert_eq!(r["spend"], "107.17");
    assert_eq!(
        r["weeks"],
        json!([
            {"startsOn": "2026-03-02", "figures": {"positions": 2, "positionsFilled": 2, "fillRate": "1", "medianMinutesToFill": 60, "spend": "107.17", "noShows": 0}},
            {"startsOn": "2026-03-09", "figures": {"positions": 2, "positionsFilled": 0, "fillRate": "0", "medianMinutesToFill": null, "spend": "0.00", "noShows": 1}}
        ])
    );
    let ward = |name: &str| {
        r["wards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["ward"]["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {r}"))["figures"]
            .clone()
    };
    assert_eq!(r["wards"].as_array().unwrap().len(), 2);
    assert_eq!(
        ward("Ash Ward"),
        json!({"positions": 2, "positionsFilled": 1, "fillRate": "0.5", "spend": "107.17", "cancelledByWorkers": 0, "cancelledByTrust": 0, "noShows": 0})
    );
    assert_eq!(
        ward("Birch Ward"),
        json!({"positions": 2, "positionsFilled": 1, "fillRate": "0.5", "spend": "0.00", "cancelledByWorkers": 0, "cancelledByTrust": 0, "noShows": 1})
    );
    assert_eq!(
        r["staffGroups"],
        json!([{"staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "figures": {"positions": 4, "positionsFilled": 2, "spend": "107.17", "noShows": 1}}])
    );
    // s1 was filled with the whole bank open; s2 after its escalation to agency.
    assert_eq!(
        r["fillsByTier"],
        json!([
            {"audience": "PREFERRED", "fills": 0},
            {"audience": "OWN_TRUST", "fills": 0},
            {"audience": "COLLABORATIVE", "fills": 1},
            {"audience": "AGENCY", "fills": 1}
        ])
    );
    // A range with nothing in it still has its weeks and tiers, all zero.
    let empty = app
        .ok(
            Some(&office),
            "query($t:UUID!){ trustReport(trustId:$t, from:\"2026-05-04\", to:\"2026-05-10\"){ positions weeks { startsOn figures { positions fillRate } } wards { figures { positions } } fillsByTier { fills } } }",
            json!({"t": t.id}),
        )
        .await["trustReport"]
        .clone();
    assert_eq!(
        empty,
        json!({"positions": 0, "weeks": [{"startsOn": "2026-05-04", "figures": {"positions": 0, "fillRate": null}}], "wards": [], "fillsByTier": [{"fills": 0}, {"fills": 0}, {"fills": 0}, {"fills": 0}]})
    );

    // Payroll: March exported once; the exports of every period are listed, one period's too.
    let made = app
        .ok(
            Some(&office),
            "mutation($t:UUID!){ exportPayroll(trustId:$t, payPeriod:\"2026-03\"){ id lineCount total } }",
            json!({"t": t.id}),
        )
        .await["exportPayroll"]
        .clone();
    assert_eq!(made["lineCount"], 2);
    assert_eq!(made["total"], "107.17");
    let all = app
        .ok(
            Some(&office),
            "query($t:UUID!){ payrollExports(trustId:$t){ id payPeriod } }",
            json!({"t": t.id}),
        )
        .await;
    assert_eq!(
        all["payrollExports"],
        json!([{"id": made["id"], "payPeriod": "2026-03"}])
    );
    let april = app
        .ok(
            Some(&office),
            "query($t:UUID!){ payrollExports(trustId:$t, payPeriod:\"2026-04\"){ id } }",
            json!({"t": t.id}),
        )
        .await;
    assert_eq!(april["payrollExports"], json!([]));
}
