//! Every input survivable end to end: each text input has a documented maximum and refuses
//! control characters (line breaks only in free text), with a VALIDATION error naming the field;
//! every flow — invitations, booking, emails, payroll export, the scheduled jobs — works with
//! every field at its maximum; a scheduled job goes on past a row that fails; LIKE wildcards in
//! the worker search match themselves; lists are capped.

use chrono::{Duration, TimeZone, Utc};
use sea_orm::ActiveModelTrait;
use serde_json::{Value, json};
use staffbank_core::{Actor, Clock, Email, Grant, NewPassword, Role, accounts};
use uuid::Uuid;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, error_code};
use crate::market_fixtures as mf;
use crate::on_both_databases;

on_both_databases!(
    text_inputs_refuse_what_breaks_their_rule_naming_the_field,
    every_flow_works_with_every_field_at_its_maximum,
    a_scheduled_job_goes_on_past_a_row_that_fails,
    worker_search_matches_wildcards_literally,
);

const CREATE_WORKER: &str = "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id } }";
const SCHEMA: &str = include_str!("../../schema.graphql");

fn worker_input(trust: Uuid, n: usize) -> Value {
    json!({
        "trustId": trust, "givenName": "Ann", "familyName": "Field", "dateOfBirth": "1990-04-12",
        "niNumber": mf::ni(n), "email": format!("ann{n}@worker.test"),
        "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "skills": ["ELDERLY_CARE"]
    })
}

/// The error is VALIDATION and its details name `field` and its maximum.
fn assert_refused(v: &Value, field: &str, max: usize) {
    assert_eq!(error_code(v), "VALIDATION", "{v:#}");
    let details = &v["errors"][0]["extensions"]["details"];
    assert_eq!(details["field"], field, "{v:#}");
    assert_eq!(details["maxLength"], max, "{v:#}");
}

async fn text_inputs_refuse_what_breaks_their_rule_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let trust = bank.trusts[0];
    let office = fixtures::staff(&app, &bank, "office@trust.test", "BANK_OFFICE", trust).await;
    // (field, value one over its rule, maximum, the words its description in the schema says).
    let over = |n: usize| "x".repeat(n + 1);
    let cases: Vec<(&str, Value, usize, &str)> = vec![
        (
            "givenName",
            json!(over(100)),
            100,
            "Legal given name(s): 1 to 100 characters, one line.",
        ),
        (
            "familyName",
            json!(over(100)),
            100,
            "Legal family name: 1 to 100 characters, one line.",
        ),
        ("givenName", json!("Ann\nBcc: x@y.z"), 100, "one line"),
        ("familyName", json!("Fi\u{202E}eld"), 100, "one line"),
        (
            "email",
            json!(format!("{}@worker.test", "a".repeat(250))),
            254,
            "Email address (at most 254 characters).",
        ),
        ("phone", json!(over(32)), 32, "(at most 32 characters)"),
        ("niNumber", json!(over(20)), 20, "(at most 20 characters)"),
        ("grade", json!(over(64)), 64, "(at most 64 characters)"),
        (
            "skills",
            json!((0..51).map(|i| format!("SKILL_{i}")).collect::<Vec<_>>()),
            50,
            "at most 50",
        ),
    ];
    for (n, (field, value, max, documented)) in cases.into_iter().enumerate() {
        assert!(
            SCHEMA.contains(documented),
            "schema.graphql does not document {field} as '{documented}'"
        );
        let mut input = worker_input(trust, n + 1);
        input[field] = value;
        let v = app
            .gql(Some(&office), CREATE_WORKER, json!({ "i": input }))
            .await;
        assert_refused(&v, field, max);
    }
    // Nothing was created.
    let v = app
        .ok(
            Some(&office),
            "query($t:UUID!){ workers(trustId:$t){ edges { node { id } } } }",
            json!({"t": trust}),
        )
        .await;
    assert_eq!(v["workers"]["edges"], json!([]));

    // At the maximum, accepted.
    let mut input = worker_input(trust, 50);
    input["givenName"] = json!("G".repeat(100));
    input["familyName"] = json!("F".repeat(100));
    let w = app
        .ok(Some(&office), CREATE_WORKER, json!({ "i": input }))
        .await["createWorker"]["id"]
        .clone();

    // Free text: a reason may have line breaks, no other control characters, at most 500.
    let block = "mutation($t:UUID!,$w:UUID!,$r:String!){ blockWorker(trustId:$t, workerId:$w, reason:$r){ id reason } }";
    assert!(
        SCHEMA.contains(
            "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )
    );
    let v = app
        .gql(
            Some(&office),
            block,
            json!({"t": trust, "w": w, "r": over(500)}),
        )
        .await;
    assert_refused(&v, "reason", 500);
    let v = app
        .gql(
            Some(&office),
            block,
            json!({"t": trust, "w": w, "r": "rang the bell\u{7}"}),
        )
        .await;
    assert_refused(&v, "reason", 500);
    let reason = format!("line one\r\n{}", "r".repeat(490));
    let v = app
        .ok(
            Some(&office),
            block,
            json!({"t": trust, "w": w, "r": reason}),
        )
        .await;
    assert_eq!(
        v["blockWorker"]["reason"],
        format!("line one\n{}", "r".repeat(490))
    );

    // The search: at most 100 characters, one line.
    let search = "query($n:String){ workers(name:$n){ edges { node { id } } } }";
    let v = app
        .gql(Some(&office), search, json!({"n": over(100)}))
        .await;
    assert_refused(&v, "name", 100);

    // A site, a ward and its lists.
    let admin = fixtures::staff(&app, &bank, "admin@trust.test", "TRUST_ADMIN", trust).await;
    let v = app
        .gql(
            Some(&admin),
            "mutation($t:UUID!,$n:String!){ createSite(trustId:$t, name:$n){ id } }",
            json!({"t": trust, "n": over(200)}),
        )
        .await;
    assert_refused(&v, "name", 200);
    let site = app
        .ok(
            Some(&admin),
            "mutation($t:UUID!){ createSite(trustId:$t, name:\"Main\"){ id } }",
            json!({"t": trust}),
        )
        .await["createSite"]["id"]
        .clone();
    let ward = "mutation($i: CreateWardInput!){ createWard(input:$i){ id } }";
    let v = app
        .gql(
            Some(&admin),
            ward,
            json!({"i": {"siteId": site, "name": "Ash", "costCentre": "CC\t1"}}),
        )
        .await;
    assert_refused(&v, "costCentre", 40);
    let v = app
        .gql(Some(&admin), ward, json!({"i": {"siteId": site, "name": "Ash", "costCentre": "CC1", "requiredSkills": vec!["CRITICAL_CARE"; 51]}}))
        .await;
    assert_refused(&v, "skills", 50);
    // A display name.
    let v = app
        .gql(
            Some(&bank.admin_token),
            "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
            json!({"i": {"email": "long@trust.test", "displayName": over(200), "password": PASSWORD, "scope": {"role": "HR", "trustId": trust}}}),
        )
        .await;
    assert_refused(&v, "displayName", 200);
    // A password with a control character (pasted with a tab or a line break) is refused before
    // anything is made, and the same request with a clean password then succeeds.
    for bad in ["correct horse\tbattery", "correct horse battery\n"] {
        let v = app
            .gql(
                Some(&bank.admin_token),
                "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
                json!({"i": {"email": "pasted@trust.test", "displayName": "Pasted", "password": bad, "scope": {"role": "HR", "trustId": trust}}}),
            )
            .await;
        assert_eq!(error_code(&v), "VALIDATION", "{v:#}");
        assert!(
            crate::harness::error_message(&v).contains("control characters"),
            "{v:#}"
        );
    }
    app.ok(
        Some(&bank.admin_token),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({"i": {"email": "pasted@trust.test", "displayName": "Pasted", "password": PASSWORD, "scope": {"role": "HR", "trustId": trust}}}),
    )
    .await;
}

/// An email address of exactly 254 characters, unique to `tag` (one letter).
fn longest_email(tag: char) -> String {
    let local = format!("{tag}{}", "l".repeat(63));
    let domain = format!(
        "{}.{}.{}.test",
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(56)
    );
    let e = format!("{local}@{domain}");
    assert_eq!(e.len(), 254);
    e
}

async fn staff_account(
    app: &TestApp,
    admin: &str,
    email: &str,
    display: &str,
    scope: Value,
) -> String {
    app.ok(
        Some(admin),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({"i": {"email": email, "displayName": display, "password": PASSWORD, "scope": scope}}),
    )
    .await;
    app.login(email, PASSWORD).await
}

async fn every_flow_works_with_every_field_at_its_maximum(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: mf::monday(),
            configure: |c| c.token_ttl_minutes = 365 * 24 * 60,
        },
    )
    .await;
    let db = app.db().clone();
    let clock = app.clock.clone();
    // A collaborative bank and a trust whose names are at their maximum (200).
    let bank_name = format!("The {} Collaborative Bank", "B".repeat(200 - 23));
    assert_eq!(bank_name.chars().count(), 200);
    let sys = staffbank_bank::organisation::create_system(
        &db,
        clock.as_ref(),
        &Actor::Service,
        &bank_name,
        staffbank_bank::organisation::SystemModel::OwnPools,
    )
    .await
    .unwrap();
    let sysadmin = accounts::create(
        &db,
        clock.as_ref(),
        &Email::parse("sysadmin@bank.test").unwrap(),
        &"S".repeat(200),
        &NewPassword::parse(PASSWORD).unwrap(),
    )
    .await
    .unwrap();
    let grant = Grant {
        role: Role::SystemAdmin,
        trust_id: None,
        ward_id: None,
        system_id: Some(sys.id),
        worker_id: None,
    };
    accounts::insert_grant(&db, clock.as_ref(), sysadmin.id, &grant, None)
        .await
        .unwrap();
    let root = app.login("sysadmin@bank.test", PASSWORD).await;
    let trust_name = "T".repeat(200);
    let trust: Uuid = app
        .ok(
            Some(&root),
            "mutation($b:UUID!,$n:String!){ admitTrust(collaborativeBankId:$b, name:$n, odsCode:\"RLONG\"){ id } }",
            json!({"b": sys.id, "n": trust_name}),
        )
        .await["admitTrust"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let long_display = "D".repeat(200);
    let admin = staff_account(
        &app,
        &root,
        &longest_email('a'),
        &long_display,
        json!({"role": "TRUST_ADMIN", "trustId": trust}),
    )
    .await;
    let office = staff_account(
        &app,
        &admin,
        &longest_email('o'),
        &long_display,
        json!({"role": "BANK_OFFICE", "trustId": trust}),
    )
    .await;
    staff_account(
        &app,
        &admin,
        &longest_email('h'),
        &long_display,
        json!({"role": "HR", "trustId": trust}),
    )
    .await;
    // A site and a ward at their maximum, the ward needing 50 skills.
    let site = app
        .ok(
            Some(&admin),
            "mutation($t:UUID!,$n:String!){ createSite(trustId:$t, name:$n){ id } }",
            json!({"t": trust, "n": "S".repeat(200)}),
        )
        .await["createSite"]["id"]
        .clone();
    let skills: Vec<String> = (0..50).map(|i| format!("SKILL_{i:02}")).collect();
    let ward_name = "W".repeat(200);
    let ward: Uuid = app
        .ok(
            Some(&admin),
            "mutation($i: CreateWardInput!){ createWard(input:$i){ id } }",
            json!({"i": {"siteId": site, "name": ward_name, "costCentre": "C".repeat(40), "requiredSkills": skills}}),
        )
        .await["createWard"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let manager_email = longest_email('m');
    staff_account(
        &app,
        &admin,
        &manager_email,
        &long_display,
        json!({"role": "WARD_MANAGER", "trustId": trust, "wardId": ward}),
    )
    .await;

    // A worker with every field at its maximum; the invitation goes to a 254-character address.
    let (given, family) = ("G".repeat(100), "F".repeat(100));
    let worker_email = longest_email('w');
    let worker: Uuid = app
        .ok(
            Some(&office),
            CREATE_WORKER,
            json!({"i": {
                "trustId": trust, "givenName": given, "familyName": family, "dateOfBirth": "1990-04-12",
                "niNumber": "AB 12 34 56 C", "email": worker_email, "phone": "+44 (0) 7700 900 123",
                "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "skills": skills
            }}),
        )
        .await["createWorker"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // Messages are found by their outbox rows (the sink sees subjects MIME-encoded).
    let to = |rows: &[staffbank_notify::entity::outbox::Model], who: &str, subject: &str| {
        rows.iter()
            .filter(|r| r.recipient == who && r.subject.starts_with(subject))
            .cloned()
            .collect::<Vec<_>>()
    };
    let rows = app
        .wait_for_outbox("the invitation sent", |rows| {
            to(rows, &worker_email, "Join the")
                .iter()
                .any(|r| r.state == staffbank_notify::State::Sent)
        })
        .await;
    let invitation = to(&rows, &worker_email, "Join the").remove(0);
    assert!(invitation.subject.ends_with('…'), "{}", invitation.subject);
    let code = invitation
        .body_text
        .lines()
        .find_map(|l| l.strip_prefix("Your invitation code is: "))
        .unwrap()
        .trim()
        .to_owned();
    let me = app
        .ok(
            None,
            "mutation($c:String!,$p:String!){ acceptInvitation(code:$c, password:$p){ token } }",
            json!({"c": code, "p": PASSWORD}),
        )
        .await["acceptInvitation"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Compliant, with one credential expiring in 20 days (the sweep reminds the worker and HR).
    let expiry = staffbank_core::time::london_date(clock.now()) + Duration::days(20);
    fixtures::make_compliant_expiring(&app, worker, trust, Some(ward), &[("IDENTITY", expiry)])
        .await;

    // A shift with notes at their maximum, offered to the whole bank at once (the tier job).
    let start = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
    let notes = format!("Report to the nurse in charge.\n{}", "n".repeat(1000 - 31));
    assert_eq!(notes.chars().count(), 1000);
    let shift = mf::post(
        &app,
        &office,
        json!({
            "trustId": trust, "siteId": site, "wardId": ward,
            "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3",
            "startsLocal": mf::london(start), "endsLocal": mf::london(start + Duration::hours(8)),
            "breakMinutes": 30, "reason": "SICKNESS", "notes": notes, "cascade": mf::open_to_all()
        }),
    )
    .await;
    app.wait_for_outbox("the shift offered", |rows| {
        !to(rows, &worker_email, "A shift is open to you").is_empty()
    })
    .await;
    // Booked with an idempotency key at its maximum.
    let v = mf::book(&app, &me, shift, None, Some(&"k".repeat(200))).await;
    let booking = v["data"]["bookShift"]["booking"]["id"].clone();
    assert!(booking.is_string(), "{v:#}");
    // The expiry reminders, to the worker and to HR (whose subject carries both names).
    app.wait_for_outbox("the expiry reminders", |rows| {
        rows.iter()
            .filter(|r| r.subject.starts_with("Identity check expires in"))
            .count()
            >= 2
    })
    .await;
    // Worked; the timesheet waits two days and the ward manager is reminded.
    app.clock.set(start + Duration::hours(10));
    let v = app
        .ok(
            Some(&me),
            "mutation($b:UUID!,$s:DateTime!,$e:DateTime!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:30){ id } }",
            json!({"b": booking, "s": start, "e": start + Duration::hours(8)}),
        )
        .await;
    let timesheet = v["submitTimesheet"]["id"].clone();
    app.clock.set(start + Duration::hours(10 + 49));
    app.wait_for_outbox("the approver's reminder", |rows| {
        !to(rows, &manager_email, "A timesheet on WWW").is_empty()
    })
    .await;
    let manager = app.login(&manager_email, PASSWORD).await;
    app.ok(
        Some(&manager),
        "mutation($t:UUID!){ approveTimesheet(id:$t){ state } }",
        json!({"t": timesheet}),
    )
    .await;
    let period = app
        .ok(
            Some(&office),
            "mutation($t:UUID!){ approveTimesheetPayment(id:$t){ payPeriod } }",
            json!({"t": timesheet}),
        )
        .await["approveTimesheetPayment"]["payPeriod"]
        .clone();
    // The payroll export carries the whole names and cost centre.
    let export = app
        .ok(
            Some(&office),
            "mutation($t:UUID!,$p:String!){ exportPayroll(trustId:$t, payPeriod:$p){ lineCount csv } }",
            json!({"t": trust, "p": period}),
        )
        .await;
    let csv = export["exportPayroll"]["csv"].as_str().unwrap();
    assert!(csv.contains(&format!("{given} {family}")), "{csv}");
    assert!(csv.contains(&"C".repeat(40)), "{csv}");

    // Every message was delivered, none refused, and every subject is one line of at most 200.
    let rows = app
        .wait_for_outbox("every message sent", |rows| {
            rows.iter()
                .all(|r| r.state == staffbank_notify::State::Sent)
        })
        .await;
    assert!(rows.len() >= 8, "{rows:#?}");
    assert!(app.mail.messages().len() >= rows.len());
    for r in &rows {
        assert!(r.subject.chars().count() <= 200, "{}", r.subject);
        assert!(!r.subject.contains(['\r', '\n']));
    }
    assert!(
        rows.iter().any(|r| r.subject.ends_with('…')),
        "a long subject was shortened"
    );
}

async fn a_scheduled_job_goes_on_past_a_row_that_fails(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: mf::monday(),
            configure: |c| c.token_ttl_minutes = 365 * 24 * 60,
        },
    )
    .await;
    let m = mf::market(&app, 1).await;
    let t = &m.trusts[0];
    // Mail delivery: a message whose recipient was broken in the database directly fails on its
    // own; the others are delivered.
    let broken_mail = Uuid::now_v7();
    staffbank_notify::entity::outbox::ActiveModel {
        id: sea_orm::Set(broken_mail),
        kind: sea_orm::Set("test.broken".into()),
        recipient: sea_orm::Set("not an address\r\nBcc: x@y.z".into()),
        subject: sea_orm::Set("broken".into()),
        body_text: sea_orm::Set("broken".into()),
        body_html: sea_orm::Set("<p>broken</p>".into()),
        state: sea_orm::Set(staffbank_notify::State::Pending),
        attempts: sea_orm::Set(0),
        next_attempt_at: sea_orm::Set(app.clock.now() - Duration::minutes(1)),
        claimed_until: sea_orm::Set(None),
        claimed_by: sea_orm::Set(None),
        last_error: sea_orm::Set(None),
        dedupe_key: sea_orm::Set(None),
        created_at: sea_orm::Set(app.clock.now() - Duration::minutes(1)),
        sent_at: sea_orm::Set(None),
    }
    .insert(app.db())
    .await
    .unwrap();
    // Two workers ready for the ward, and two shifts open to the whole bank at once.
    let w1 = mf::ready_worker(&app, &m, 0, "Una", 1).await;
    let w2 = mf::ready_worker(&app, &m, 0, "Vic", 2).await;
    let start = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
    // The first shift's tier opens an hour after posting; before then its audience is broken in
    // the database directly. The second shift opens at once, and an hour later both are due.
    let mut later_tier = mf::hca_shift(t, start, 8);
    later_tier["cascade"] =
        json!([{ "audience": "COLLABORATIVE", "anchor": "POSTING", "offsetMinutes": 60 }]);
    let broken_shift = mf::post(&app, &t.office, later_tier).await;
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use staffbank_market::entity::shift_tier;
        shift_tier::Entity::update_many()
            .col_expr(
                shift_tier::Column::Audience,
                sea_orm::sea_query::Expr::value("NOBODY_KNOWS"),
            )
            .filter(shift_tier::Column::ShiftId.eq(broken_shift))
            .exec(app.db())
            .await
            .unwrap();
    }
    let good_shift = mf::post(
        &app,
        &t.office,
        mf::hca_shift(t, start + Duration::days(1), 8),
    )
    .await;
    app.clock.set(mf::monday() + Duration::minutes(90));
    let offers = |rows: &[staffbank_notify::entity::outbox::Model]| {
        rows.iter()
            .filter(|r| r.subject.starts_with("A shift is open to you"))
            .count()
    };
    // Both workers are told of the good shift, whatever the broken tier does.
    app.wait_for_outbox("offers of the good shift", |rows| offers(rows) >= 2)
        .await;
    // The broken row fails on its own: still unannounced, retried each run, failing each time.
    // Two runs of the job here, after the loop's: each tries the broken tier again and fails it.
    for _ in 0..2 {
        let sweep =
            staffbank_market::tier_announcements::announce_due(app.db(), app.clock.as_ref())
                .await
                .unwrap();
        assert_eq!(sweep.failed, 1, "{sweep:?}");
    }
    let pending: Vec<Value> = tier_state(&app, broken_shift).await;
    assert!(
        pending.iter().all(|announced| announced.is_null()),
        "{pending:?}"
    );
    let good: Vec<Value> = tier_state(&app, good_shift).await;
    assert!(
        good.iter().all(|announced| !announced.is_null()),
        "{good:?}"
    );
    // The jobs still run: a later shift is announced too.
    let later = mf::post(
        &app,
        &t.office,
        mf::hca_shift(t, start + Duration::days(2), 8),
    )
    .await;
    app.wait_for_outbox("offers of a later shift", |rows| offers(rows) >= 4)
        .await;
    assert!(tier_state(&app, later).await.iter().all(|a| !a.is_null()));
    let _ = (w1, w2);
    // The broken message failed at once, on its own; every other message was sent.
    let rows = app
        .wait_for_outbox("delivery done", |rows| {
            rows.iter()
                .all(|r| r.state != staffbank_notify::State::Pending)
        })
        .await;
    let broken = rows.iter().find(|r| r.id == broken_mail).unwrap();
    assert_eq!(broken.state, staffbank_notify::State::Failed);
    assert!(broken.last_error.is_some());
    assert!(
        rows.iter()
            .filter(|r| r.id != broken_mail)
            .all(|r| r.state == staffbank_notify::State::Sent),
        "{rows:#?}"
    );
}

/// When each tier of `shift` was announced. Only that column is read: a tier whose audience was
/// broken on purpose does not decode as a whole row any more (an unknown stored value is an error).
async fn tier_state(app: &TestApp, shift: Uuid) -> Vec<Value> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    use staffbank_market::entity::shift_tier;
    shift_tier::Entity::find()
        .select_only()
        .column(shift_tier::Column::AnnouncedAt)
        .filter(shift_tier::Column::ShiftId.eq(shift))
        .into_tuple::<Option<chrono::DateTime<Utc>>>()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|announced_at| json!(announced_at))
        .collect()
}

async fn worker_search_matches_wildcards_literally(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 1).await;
    let trust = bank.trusts[0];
    let office = fixtures::staff(&app, &bank, "office@trust.test", "BANK_OFFICE", trust).await;
    for (n, given) in ["Ann", "Bob", "50%_Off"].iter().enumerate() {
        let mut input = worker_input(trust, n + 1);
        input["givenName"] = json!(given);
        app.ok(Some(&office), CREATE_WORKER, json!({ "i": input }))
            .await;
    }
    let search = |name: &'static str| {
        let (app, office) = (&app, &office);
        async move {
            let v = app
                .ok(
                    Some(office),
                    "query($n:String){ workers(name:$n){ edges { node { givenName } } } }",
                    json!({"n": name}),
                )
                .await;
            v["workers"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["givenName"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // `%` and `_` match only themselves, never "anything".
    assert_eq!(search("%").await, vec!["50%_Off"]);
    assert_eq!(search("_").await, vec!["50%_Off"]);
    assert_eq!(search("0%_o").await, vec!["50%_Off"]);
    assert_eq!(search("a_n").await, Vec::<String>::new());
    assert_eq!(search("ann").await, vec!["Ann"]);
}
