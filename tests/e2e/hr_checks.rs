//! HR's checks (issue 13, items 1, 2 and 4) through the API on both databases: the queue of
//! credentials awaiting verification at a trust (oldest first, filtered by kind and staff group,
//! paged; an unknown kind refused; HR of the trust only), one credential for those who may see it,
//! where each met compliance item came from (own check, another trust's check accepted, a
//! passport), what expires soon at a trust with the bookings there the expiry would hit (on the
//! test clock), and a worker's access log read by HR of a trust engaging them.

use chrono::Duration;
use serde_json::{Value, json};
use staffbank_core::Actor;
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, error_code};
use crate::market_fixtures::{self as mf, monday};
use crate::on_both_databases;

const QUEUE: &str = "query($t:UUID!,$k:String,$g:StaffGroup,$f:Int,$a:String){ credentialsAwaitingVerification(trustId:$t, kind:$k, staffGroup:$g, first:$f, after:$a){ pageInfo { hasNextPage endCursor } nodes { credential { id kind status } worker { id givenName } } } }";
const RECORD: &str =
    "mutation($i: RecordCredentialInput!){ recordCredential(input:$i){ id status } }";

fn uuid_of(v: &Value) -> Uuid {
    let Some(Ok(id)) = v.as_str().map(str::parse::<Uuid>) else {
        panic!("not an id: {v}");
    };
    id
}

fn nodes(v: &Value) -> Vec<Value> {
    let Some(n) = v["credentialsAwaitingVerification"]["nodes"].as_array() else {
        panic!("no queue in {v}");
    };
    n.clone()
}

fn queued_ids(v: &Value) -> Vec<Uuid> {
    nodes(v)
        .iter()
        .map(|n| uuid_of(&n["credential"]["id"]))
        .collect()
}

async fn record(app: &TestApp, token: &str, worker: Uuid, kind: &str, level: Option<i32>) -> Uuid {
    let v = app
        .ok(
            Some(token),
            RECORD,
            json!({"i": {"workerId": worker, "kind": kind, "level": level, "issuer": "Test Provider",
                "validFrom": "2026-01-10", "expiresOn": "2029-01-10"}}),
        )
        .await;
    uuid_of(&v["recordCredential"]["id"])
}

async fn queue_is_oldest_first_filtered_paged_and_for_hr_only(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 2).await;
    let bank = fixtures::Bank {
        system_id: Uuid::nil(),
        trusts: m.trusts.iter().map(|t| t.id).collect(),
        admin_token: app.login("admin@bank.test", fixtures::PASSWORD).await,
    };
    let hr = fixtures::staff(&app, &bank, "hr0@trust.test", "HR", m.trusts[0].id).await;
    let hr_other = fixtures::staff(&app, &bank, "hr1@trust.test", "HR", m.trusts[1].id).await;
    let t0 = m.trusts[0].id;
    let hca = fixtures::worker(&app, &m.trusts[0].office, t0, "Hana", "Queue", &mf::ni(1)).await;
    let clerk = mf::worker_with(
        &app,
        &m.trusts[0].office,
        t0,
        "Nell",
        &mf::ni(2),
        "ADMINISTRATIVE_CLERICAL",
        "BAND_3",
        &[],
    )
    .await;
    // A worker of the other trust only: never in this trust's queue.
    let elsewhere = fixtures::worker(
        &app,
        &m.trusts[1].office,
        m.trusts[1].id,
        "Eli",
        "Else",
        &mf::ni(3),
    )
    .await;
    let first = record(&app, &hr, hca, "FIRE_SAFETY", None).await;
    let second = record(&app, &hr, clerk, "IDENTITY", None).await;
    let third = record(&app, &hr, hca, "IDENTITY", None).await;
    record(&app, &hr_other, elsewhere, "IDENTITY", None).await;

    let all = app.ok(Some(&hr), QUEUE, json!({"t": t0})).await;
    assert_eq!(queued_ids(&all), vec![first, second, third], "{all}");
    assert!(
        nodes(&all)
            .iter()
            .all(|n| n["credential"]["status"] == "PENDING"),
        "{all}"
    );
    let dbs = app
        .ok(Some(&hr), QUEUE, json!({"t": t0, "k": "IDENTITY"}))
        .await;
    assert_eq!(queued_ids(&dbs), vec![second, third], "{dbs}");
    let clerks = app
        .ok(
            Some(&hr),
            QUEUE,
            json!({"t": t0, "g": "ADMINISTRATIVE_CLERICAL"}),
        )
        .await;
    assert_eq!(queued_ids(&clerks), vec![second], "{clerks}");
    // Paged: two, then the rest after the cursor.
    let page1 = app.ok(Some(&hr), QUEUE, json!({"t": t0, "f": 2})).await;
    assert_eq!(queued_ids(&page1), vec![first, second], "{page1}");
    let info = &page1["credentialsAwaitingVerification"]["pageInfo"];
    assert_eq!(info["hasNextPage"], true, "{page1}");
    let page2 = app
        .ok(
            Some(&hr),
            QUEUE,
            json!({"t": t0, "f": 2, "a": info["endCursor"]}),
        )
        .await;
    assert_eq!(queued_ids(&page2), vec![third], "{page2}");
    // A decided credential leaves the queue.
    app.ok(
        Some(&hr),
        "mutation($c:UUID!,$t:UUID!){ verifyCredential(credentialId:$c, trustId:$t){ status } }",
        json!({"c": first, "t": t0}),
    )
    .await;
    let after = app.ok(Some(&hr), QUEUE, json!({"t": t0})).await;
    assert_eq!(queued_ids(&after), vec![second, third], "{after}");

    // Bad input: an unknown kind is refused as such, not answered with an empty queue.
    let bad = app
        .gql(Some(&hr), QUEUE, json!({"t": t0, "k": "NO_SUCH_CHECK"}))
        .await;
    assert_eq!(error_code(&bad), "VALIDATION", "{bad}");
    // Wrong roles: the bank office of the trust, and HR of another trust.
    let v = app
        .gql(Some(&m.trusts[0].office), QUEUE, json!({"t": t0}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = app.gql(Some(&hr_other), QUEUE, json!({"t": t0})).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");

    // One credential: HR of the trust engaging the worker sees it; HR of a trust that does not
    // is refused.
    let one = "query($id:UUID!){ credential(id:$id){ id kind status workerId history { event } } }";
    let v = app.ok(Some(&hr), one, json!({"id": second})).await;
    assert_eq!(v["credential"]["kind"], "IDENTITY", "{v}");
    assert_eq!(uuid_of(&v["credential"]["workerId"]), clerk, "{v}");
    let v = app.gql(Some(&hr_other), one, json!({"id": second})).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
}

async fn compliance_items_say_where_they_came_from(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 3).await;
    let bank = fixtures::Bank {
        system_id: Uuid::nil(),
        trusts: m.trusts.iter().map(|t| t.id).collect(),
        admin_token: app.login("admin@bank.test", fixtures::PASSWORD).await,
    };
    let hr1 = fixtures::staff(&app, &bank, "hr1@trust.test", "HR", m.trusts[1].id).await;
    let hr2 = fixtures::staff(&app, &bank, "hr2@trust.test", "HR", m.trusts[2].id).await;
    let w = mf::ready_worker(&app, &m, 0, "Prov", 10).await;
    let query = "query($w:UUID!,$t:UUID!){ compliance(workerId:$w, trustId:$t){ items { kind status provenance } } }";
    // At home: every item is the home trust's own check.
    let home = app
        .ok(
            Some(&m.trusts[0].office),
            query,
            json!({"w": w, "t": m.trusts[0].id}),
        )
        .await;
    let Some(items) = home["compliance"]["items"].as_array() else {
        panic!("{home}");
    };
    assert!(!items.is_empty(), "{home}");
    assert!(
        items
            .iter()
            .all(|i| i["status"] == "MET" && i["provenance"] == "OWN_CHECK"),
        "{home}"
    );
    // Trust 1 engages the worker and accepts one of trust 0's checks.
    fixtures::engage_directly(&app, w, m.trusts[1].id).await;
    let creds = app
        .ok(
            Some(&hr1),
            "query($w:UUID!){ worker(id:$w){ credentials { id kind } } }",
            json!({"w": w}),
        )
        .await;
    let Some(first) = creds["worker"]["credentials"]
        .as_array()
        .and_then(|c| c.first())
    else {
        panic!("{creds}");
    };
    let kind = first["kind"].clone();
    app.ok(
        Some(&hr1),
        "mutation($c:UUID!,$t:UUID!){ verifyCredential(credentialId:$c, trustId:$t){ status } }",
        json!({"c": first["id"], "t": m.trusts[1].id}),
    )
    .await;
    let there = app
        .ok(Some(&hr1), query, json!({"w": w, "t": m.trusts[1].id}))
        .await;
    let Some(items) = there["compliance"]["items"].as_array() else {
        panic!("{there}");
    };
    let accepted = items.iter().find(|i| i["kind"] == kind);
    assert_eq!(
        accepted.map(|i| &i["provenance"]),
        Some(&json!("ACCEPTED_VERIFICATION")),
        "{there}"
    );
    // The rest are not recognised at trust 1: no provenance.
    assert!(
        items
            .iter()
            .filter(|i| i["kind"] != kind)
            .all(|i| i["provenance"].is_null() && i["status"] != "MET"),
        "{there}"
    );
    // Trust 2 accepted a passport from trust 0: every item came from it.
    mf::recognise_through_passport(&app, w, m.trusts[0].id, m.trusts[2].id).await;
    fixtures::engage_directly(&app, w, m.trusts[2].id).await;
    let by_passport = app
        .ok(Some(&hr2), query, json!({"w": w, "t": m.trusts[2].id}))
        .await;
    let Some(items) = by_passport["compliance"]["items"].as_array() else {
        panic!("{by_passport}");
    };
    assert!(
        items.iter().all(|i| i["provenance"] == "PASSPORT"),
        "{by_passport}"
    );
}

const EXPIRING: &str = "query($t:UUID!,$d:Int!){ expiringAtTrust(trustId:$t, withinDays:$d){ expiresOn requirementName credential { id kind } worker { id } bookingsHit { id shift { id } } } }";

async fn expiring_soon_lists_the_bookings_an_expiry_would_hit(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 2).await;
    let bank = fixtures::Bank {
        system_id: Uuid::nil(),
        trusts: m.trusts.iter().map(|t| t.id).collect(),
        admin_token: app.login("admin@bank.test", fixtures::PASSWORD).await,
    };
    let t = &m.trusts[0];
    let hr = fixtures::staff(&app, &bank, "hr0@trust.test", "HR", t.id).await;
    let today = staffbank_core::time::london_date(monday());
    // Two workers compliant for years, one of whom is booked on a shift before day 40 and one
    // after it; then their renewal of one check is revoked, leaving an older certificate that
    // stops counting on day 40 (booking first, as a worker cannot book past an expiry).
    let w = mf::ready_worker(&app, &m, 0, "Exp", 20).await;
    let steady = mf::ready_worker(&app, &m, 0, "Steady", 21).await;
    let before = mf::post(
        &app,
        &t.office,
        mf::hca_shift(t, monday() + Duration::days(10), 8),
    )
    .await;
    let after = mf::post(
        &app,
        &t.office,
        mf::hca_shift(t, monday() + Duration::days(45), 8),
    )
    .await;
    for s in [before, after] {
        let v = mf::book(&app, &t.office, s, Some(w), None).await;
        assert!(v.get("errors").is_none(), "{v}");
    }
    let expires = today + Duration::days(40);
    let kind = {
        use staffbank_bank::credentials;
        let db = &app.state().services.db;
        let clock = app.clock.as_ref();
        let held = match credentials::of_worker(db, clock, &Actor::Service, w).await {
            Ok(h) => h,
            Err(e) => panic!("{e}"),
        };
        let Some(lasting) = held.first() else {
            panic!("the worker holds nothing");
        };
        let older = match credentials::record(
            db,
            clock,
            &Actor::Service,
            w,
            &credentials::NewCredential {
                kind: lasting.kind.clone(),
                level: lasting.level,
                issuer: "Older Ltd".into(),
                reference: None,
                valid_from: today - Duration::days(300),
                expires_on: Some(expires),
            },
        )
        .await
        {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        if let Err(e) = credentials::verify(db, clock, &Actor::Service, older.id, t.id).await {
            panic!("{e}");
        }
        if let Err(e) =
            credentials::revoke(db, clock, &Actor::Service, lasting.id, t.id, "withdrawn").await
        {
            panic!("{e}");
        }
        lasting.kind.clone()
    };
    // Within 30 days: nothing yet.
    let v = app
        .ok(Some(&hr), EXPIRING, json!({"t": t.id, "d": 30}))
        .await;
    assert_eq!(v["expiringAtTrust"], json!([]), "{v}");
    // Within 60: the one check, hitting only the shift after the expiry.
    let v = app
        .ok(Some(&hr), EXPIRING, json!({"t": t.id, "d": 60}))
        .await;
    let Some(rows) = v["expiringAtTrust"].as_array() else {
        panic!("{v}");
    };
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(uuid_of(&rows[0]["worker"]["id"]), w, "{v}");
    assert_eq!(rows[0]["credential"]["kind"], json!(kind), "{v}");
    assert_eq!(rows[0]["expiresOn"], json!(expires.to_string()), "{v}");
    let hit: Vec<Uuid> = rows[0]["bookingsHit"]
        .as_array()
        .map(|b| b.iter().map(|x| uuid_of(&x["shift"]["id"])).collect())
        .unwrap_or_default();
    assert_eq!(hit, vec![after], "{v}");
    assert!(!v.to_string().contains(&steady.to_string()), "{v}");
    // The clock moves past the first shift: the expiry still hits the second; a renewal that
    // lasts longer takes the check off the list.
    app.clock.advance(Duration::days(12));
    let v = app
        .ok(Some(&hr), EXPIRING, json!({"t": t.id, "d": 30}))
        .await;
    assert_eq!(
        v["expiringAtTrust"].as_array().map(Vec::len),
        Some(1),
        "{v}"
    );
    {
        use staffbank_bank::credentials;
        let db = &app.state().services.db;
        let clock = app.clock.as_ref();
        let level = staffbank_bank::catalogue::kind(&kind)
            .ok()
            .and_then(|k| k.levels.last().map(|(l, _)| *l));
        let renewed = match credentials::record(
            db,
            clock,
            &Actor::Service,
            w,
            &credentials::NewCredential {
                kind: kind.clone(),
                level,
                issuer: "Renewal Ltd".into(),
                reference: None,
                valid_from: today,
                expires_on: Some(today + Duration::days(800)),
            },
        )
        .await
        {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        if let Err(e) = credentials::verify(db, clock, &Actor::Service, renewed.id, t.id).await {
            panic!("{e}");
        }
    }
    let v = app
        .ok(Some(&hr), EXPIRING, json!({"t": t.id, "d": 60}))
        .await;
    assert_eq!(v["expiringAtTrust"], json!([]), "{v}");

    // Bad input refused; the wrong role refused.
    for d in [0, 366] {
        let v = app
            .gql(Some(&hr), EXPIRING, json!({"t": t.id, "d": d}))
            .await;
        assert_eq!(error_code(&v), "VALIDATION", "{v}");
    }
    let v = app
        .gql(Some(&t.office), EXPIRING, json!({"t": t.id, "d": 30}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
}

/// Records a credential for `worker` through the domain and verifies it at `trust`.
async fn verified(
    app: &TestApp,
    worker: Uuid,
    trust: Uuid,
    kind: &str,
    issuer: &str,
    valid_from: chrono::NaiveDate,
    expires_on: chrono::NaiveDate,
) -> Uuid {
    use staffbank_bank::credentials;
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let level = staffbank_bank::catalogue::kind(kind)
        .ok()
        .and_then(|k| k.levels.last().map(|(l, _)| *l));
    let c = match credentials::record(
        db,
        clock,
        &Actor::Service,
        worker,
        &credentials::NewCredential {
            kind: kind.to_owned(),
            level,
            issuer: issuer.to_owned(),
            reference: None,
            valid_from,
            expires_on: Some(expires_on),
        },
    )
    .await
    {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = credentials::verify(db, clock, &Actor::Service, c.id, trust).await {
        panic!("{e}");
    }
    c.id
}

/// Issue 13: what expiring soon lists, and the bookings it says an expiry would hit, follow the
/// one compliance rule the marketplace judges by. A credential that only a ward's requirement
/// needs, expiring on day 40, is listed and hits the bookings on that ward ending on day 40 or
/// later — by the London date, as the judge compares: a night shift ending at 00:30 on day 40
/// (23:30 UTC the day before) is hit — but not a booking there ending on day 39, nor one on
/// another ward that does not need it; credentials no requirement needs (of a kind nobody here
/// requires; required only of another staff group) are not listed, nor one already renewed.
async fn expiring_soon_follows_the_eligibility_rule(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 1).await;
    let bank = fixtures::Bank {
        system_id: Uuid::nil(),
        trusts: m.trusts.iter().map(|t| t.id).collect(),
        admin_token: app.login("admin@bank.test", fixtures::PASSWORD).await,
    };
    let t = &m.trusts[0];
    let hr = fixtures::staff(&app, &bank, "hr0@trust.test", "HR", t.id).await;
    let today = staffbank_core::time::london_date(monday());
    let day = |n: i64| today + Duration::days(n);
    let puffin = uuid_of(
        &app.ok(
            Some(&t.admin),
            "mutation($s:UUID!){ createWard(input:{siteId:$s, name:\"Puffin Ward\", costCentre:\"CC200\", requiredSkills:[]}){ id } }",
            json!({"s": t.site}),
        )
        .await["createWard"]["id"],
    );
    let w = mf::ready_worker(&app, &m, 0, "Paed", 40).await;
    // Booked first (a worker cannot book past an expiry): on Ash Ward, ending on day 45; on
    // Puffin Ward, a night ending at 05:00 on day 39 and one ending at 00:30 on day 40 (London
    // time, British Summer Time then: 23:30 UTC on day 39).
    let at = |n: i64, h: u32, min: u32| {
        let Some(local) = day(n).and_hms_opt(h, min, 0) else {
            panic!("bad time");
        };
        match staffbank_core::time::from_london(local) {
            Ok(at) => at,
            Err(e) => panic!("{e}"),
        }
    };
    let on_puffin = |start| {
        let mut s = mf::hca_shift(t, start, 8);
        s["wardId"] = json!(puffin);
        s
    };
    let ash = mf::post(&app, &t.office, mf::hca_shift(t, at(45, 9, 0), 8)).await;
    let ends_day_39 = mf::post(&app, &t.office, on_puffin(at(38, 21, 0))).await;
    let ends_day_40 = mf::post(&app, &t.office, on_puffin(at(39, 16, 30))).await;
    for s in [ash, ends_day_39, ends_day_40] {
        let v = mf::book(&app, &t.office, s, Some(w), None).await;
        assert!(v.get("errors").is_none(), "{v}");
    }
    // Then Puffin Ward comes to require paediatric life support, which the worker holds until
    // day 40.
    app.ok(
        Some(&t.admin),
        "mutation($t:UUID!,$w:UUID!){ addRequirement(input:{trustId:$t, kind:\"PAEDIATRIC_LIFE_SUPPORT\", wardId:$w}){ id } }",
        json!({"t": t.id, "w": puffin}),
    )
    .await;
    let pls = verified(
        &app,
        w,
        t.id,
        "PAEDIATRIC_LIFE_SUPPORT",
        "Paeds Ltd",
        day(-30),
        day(40),
    )
    .await;
    // Expiring soon too, but needed by no requirement of theirs here: a kind the trust does not
    // require, and one it requires of registered staff only.
    let unneeded = verified(
        &app,
        w,
        t.id,
        "MENTAL_HEALTH_ACT",
        "MHA Ltd",
        day(-30),
        day(20),
    )
    .await;
    let other_group = verified(
        &app,
        w,
        t.id,
        "PROFESSIONAL_REGISTRATION",
        "Register",
        day(-30),
        day(25),
    )
    .await;
    // An older fire safety certificate expiring on day 35, already renewed by the one the worker
    // was made ready with.
    let renewed = verified(
        &app,
        w,
        t.id,
        "FIRE_SAFETY",
        "Old Fire Ltd",
        day(-300),
        day(35),
    )
    .await;

    let v = app
        .ok(Some(&hr), EXPIRING, json!({"t": t.id, "d": 60}))
        .await;
    let Some(rows) = v["expiringAtTrust"].as_array() else {
        panic!("{v}");
    };
    let listed: Vec<Uuid> = rows
        .iter()
        .map(|r| uuid_of(&r["credential"]["id"]))
        .collect();
    for left_out in [unneeded, other_group, renewed] {
        assert!(!listed.contains(&left_out), "{left_out} listed: {v}");
    }
    assert_eq!(listed, vec![pls], "{v}");
    assert_eq!(rows[0]["expiresOn"], json!(day(40).to_string()), "{v}");
    let hit: Vec<Uuid> = rows[0]["bookingsHit"]
        .as_array()
        .map(|b| b.iter().map(|x| uuid_of(&x["shift"]["id"])).collect())
        .unwrap_or_default();
    assert_eq!(hit, vec![ends_day_40], "{v}");
    // The judge draws the line in the same place: the same shifts posted again, the one ending on
    // day 40 is refused for the expiry, the one ending on day 39 is not, nor the one on Ash Ward.
    let again_40 = mf::post(&app, &t.office, on_puffin(at(39, 16, 30))).await;
    let again_39 = mf::post(&app, &t.office, on_puffin(at(38, 21, 0))).await;
    let again_ash = mf::post(&app, &t.office, mf::hca_shift(t, at(45, 9, 0), 8)).await;
    let expiry = "EXPIRES_BEFORE_SHIFT_ENDS".to_owned();
    let reasons = mf::reasons(&app, &t.office, again_40, w).await;
    assert!(reasons.contains(&expiry), "{reasons:?}");
    for s in [again_39, again_ash] {
        let reasons = mf::reasons(&app, &t.office, s, w).await;
        assert!(!reasons.contains(&expiry), "{reasons:?}");
    }
}

const ACCESS: &str =
    "query($w:UUID!){ accessLog(workerId:$w){ at what purpose viewerTrust { id } } }";

async fn hr_of_a_trust_engaging_the_worker_reads_their_access_log(backend: Backend) {
    let app = mf::start(backend).await;
    let m = mf::market(&app, 3).await;
    let bank = fixtures::Bank {
        system_id: Uuid::nil(),
        trusts: m.trusts.iter().map(|t| t.id).collect(),
        admin_token: app.login("admin@bank.test", fixtures::PASSWORD).await,
    };
    let hr0 = fixtures::staff(&app, &bank, "hr0@trust.test", "HR", m.trusts[0].id).await;
    let hr1 = fixtures::staff(&app, &bank, "hr1@trust.test", "HR", m.trusts[1].id).await;
    let hr2 = fixtures::staff(&app, &bank, "hr2@trust.test", "HR", m.trusts[2].id).await;
    let w = mf::ready_worker(&app, &m, 0, "Logan", 30).await;
    fixtures::engage_directly(&app, w, m.trusts[1].id).await;
    // Trust 1's HR looks at the worker's checks: a look from another organisation, logged.
    app.ok(
        Some(&hr1),
        "query($w:UUID!){ worker(id:$w){ credentials { id } } }",
        json!({"w": w}),
    )
    .await;
    // The home trust's HR reads the log, with that look in it.
    let v = app.ok(Some(&hr0), ACCESS, json!({"w": w})).await;
    let Some(entries) = v["accessLog"].as_array() else {
        panic!("{v}");
    };
    assert!(
        entries.iter().any(|e| e["what"] == "CREDENTIALS"
            && e["purpose"] == "ENGAGED_AT_TRUST"
            && uuid_of(&e["viewerTrust"]["id"]) == m.trusts[1].id),
        "{v}"
    );
    // HR of the engaging trust too; HR of a trust not engaging them, and a bank office, are
    // refused.
    let v = app.ok(Some(&hr1), ACCESS, json!({"w": w})).await;
    assert!(
        v["accessLog"].as_array().is_some_and(|e| !e.is_empty()),
        "{v}"
    );
    let v = app.gql(Some(&hr2), ACCESS, json!({"w": w})).await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = app
        .gql(Some(&m.trusts[0].office), ACCESS, json!({"w": w}))
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
}

on_both_databases!(
    queue_is_oldest_first_filtered_paged_and_for_hr_only,
    compliance_items_say_where_they_came_from,
    expiring_soon_lists_the_bookings_an_expiry_would_hit,
    expiring_soon_follows_the_eligibility_rule,
    hr_of_a_trust_engaging_the_worker_reads_their_access_log,
);
