//! A large roster import's own page in the browser: while it is being posted (with and without
//! JavaScript, "Check progress" showing how far it has got), and when posting failed (what went
//! wrong, nothing posted, and trying again once it is put right).
//!
//! Both imports are uploaded here through the API, as the bank office's own tools would. One is
//! left `POSTING` under another replica's claim for an hour, so its page holds still while the
//! browser looks at it. The other was queued by someone who cannot post shifts at the trust (as if
//! the person who asked had lost their bank office role since): the posting job, run here, fails
//! it for real and records why. Trying again from the page posts it as the bank office.

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use staffbank_core::Clock;
use staffbank_market::entity::roster_import;
use uuid::Uuid;

use super::{demo, run_journey_with_env};
use crate::harness::{Backend, TestApp};
use crate::roster_imports::upload;

const OFFICE: &str = "bank.office@northfield.staffbank.example";
const HR: &str = "hr@northfield.staffbank.example";
const PASSWORD: &str = "staffbank-demo";
/// Over the 200 shifts posted at once: imports this size post in the background.
const DAYS: i64 = 125;

/// A roster of two shifts a day on Ward 10 for [`DAYS`] days from `from` days after `today`.
fn roster(app: &TestApp, from: i64) -> Vec<u8> {
    let today = app.clock.now().date_naive();
    let mut csv = String::from(
        "Ward,Date,Start,End,Break,Staff group,Grade,Fallback grades,Skills,Reason,Pay basis,Workers,Notes\r\n",
    );
    for d in from..from + DAYS {
        let date = (today + chrono::Duration::days(d)).format("%d/%m/%Y");
        for (starts, ends) in [("07:00", "15:00"), ("15:00", "23:00")] {
            csv.push_str(&format!(
                "Ward 10 (acute medicine),{date},{starts},{ends},30,NURSING_MIDWIFERY_REGISTERED,Band 5,,,Sickness,,1,\r\n"
            ));
        }
    }
    csv.into_bytes()
}

fn id_of(v: &Value) -> Uuid {
    let Some(Ok(id)) = v["data"]["uploadRoster"]["import"]["id"]
        .as_str()
        .map(str::parse)
    else {
        panic!("no import: {v}");
    };
    id
}

async fn import(app: &TestApp, id: Uuid) -> roster_import::Model {
    let Ok(Some(row)) = roster_import::Entity::find_by_id(id).one(app.db()).await else {
        panic!("no import {id}");
    };
    row
}

async fn office_roster_progress(backend: Backend) {
    let app = demo(backend).await;
    let office = app.login(OFFICE, PASSWORD).await;
    let me = app
        .ok(
            Some(&office),
            "{ me { roles { role trust { id } } } }",
            json!({}),
        )
        .await;
    let Some(trust) = me["me"]["roles"]
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["role"] == "BANK_OFFICE"))
        .and_then(|r| r["trust"]["id"].as_str())
        .and_then(|t| t.parse::<Uuid>().ok())
    else {
        panic!("the bank office has no trust: {me}");
    };
    let hr = app.login(HR, PASSWORD).await;
    let hr_me = app.ok(Some(&hr), "{ me { id } }", json!({})).await;
    let Some(Ok(hr_account)) = hr_me["me"]["id"].as_str().map(str::parse::<Uuid>) else {
        panic!("no account id: {hr_me}");
    };
    let now = app.clock.now();

    // Left posting by another replica, which holds it for an hour.
    let stuck = id_of(&upload(&app, &office, trust, "winter.csv", roster(&app, 20)).await);
    let mut row: roster_import::ActiveModel = import(&app, stuck).await.into();
    row.state = Set(staffbank_market::roster_import::ImportState::Posting);
    row.queued_at = Set(Some(now));
    row.claimed_by = Set(Some("another replica".into()));
    row.claimed_until = Set(Some(now + chrono::Duration::hours(1)));
    row.attempts = Set(1);
    let Ok(_) = row.update(app.db()).await else {
        panic!("cannot set the import up");
    };

    // Queued by someone who may not post shifts at the trust; the job fails it.
    let failing = id_of(&upload(&app, &office, trust, "spring.csv", roster(&app, 160)).await);
    let mut row: roster_import::ActiveModel = import(&app, failing).await.into();
    row.state = Set(staffbank_market::roster_import::ImportState::Queued);
    row.queued_at = Set(Some(now));
    row.queued_by = Set(Some(hr_account));
    let Ok(_) = row.update(app.db()).await else {
        panic!("cannot set the import up");
    };
    let clock = app.state().services.clock.clone();
    if let Err(e) = staffbank_gateway::roster_posting::run(app.db(), &clock).await {
        panic!("the posting job failed: {e}");
    }
    let failed = import(&app, failing).await;
    assert_eq!(
        failed.state,
        staffbank_market::roster_import::ImportState::Failed,
        "the job records the failure: {failed:?}"
    );

    run_journey_with_env(
        &app,
        "office_roster_progress.test.mjs",
        backend,
        &[
            ("POSTING_IMPORT", &stuck.to_string()),
            ("FAILED_IMPORT", &failing.to_string()),
        ],
    )
    .await;
    let posted = import(&app, failing).await;
    assert_eq!(
        posted.state,
        staffbank_market::roster_import::ImportState::Posted,
        "tried again from the page: {posted:?}"
    );
    assert_eq!(
        posted.rows_posted,
        i32::try_from(DAYS * 2).unwrap_or_default()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_roster_progress_sqlite() {
    office_roster_progress(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_roster_progress_postgres() {
    office_roster_progress(Backend::Postgres).await;
}
