//! Starting points for marketplace tests: a bank whose trusts each have an admin, a bank office, a
//! site and a ward; shifts posted over GraphQL; workers made ready to work at a trust.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use staffbank_core::Actor;
use uuid::Uuid;

use crate::fixtures;
use crate::harness::{Backend, TestApp, TestOptions};

/// Monday 2 March 2026, 09:00 UTC: the clock of most marketplace tests.
pub fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// The server for a marketplace test: the clock at [`monday`], no scheduled jobs (tests announce
/// tiers themselves and move the clock by weeks), and tokens that outlive those weeks.
pub async fn start(backend: Backend) -> TestApp {
    TestApp::spawn_with(
        backend,
        TestOptions {
            now: monday(),
            configure: |c| {
                c.jobs.run = false;
                c.token_ttl_minutes = 365 * 24 * 60;
            },
        },
    )
    .await
}

/// A trust with its people and one ward.
pub struct Trust {
    pub id: Uuid,
    pub admin: String,
    pub office: String,
    pub site: Uuid,
    pub ward: Uuid,
}

/// A collaborative bank ready for the marketplace.
pub struct Market {
    pub trusts: Vec<Trust>,
    /// The bank itself, with its system admin's token.
    pub bank: fixtures::Bank,
}

/// A bank of `n` trusts, each with a trust admin, a bank office, a site and a ward needing the skill
/// ELDERLY_CARE.
pub async fn market(app: &TestApp, n: usize) -> Market {
    let bank = fixtures::bank(app, n).await;
    let mut trusts = Vec::new();
    for (i, id) in bank.trusts.clone().into_iter().enumerate() {
        let admin = fixtures::staff(
            app,
            &bank,
            &format!("admin{i}@trust.test"),
            "TRUST_ADMIN",
            id,
        )
        .await;
        let office = fixtures::staff(
            app,
            &bank,
            &format!("office{i}@trust.test"),
            "BANK_OFFICE",
            id,
        )
        .await;
        let site = app
            .ok(
                Some(&admin),
                "mutation($t:UUID!){ createSite(trustId:$t, name:\"General Hospital\"){ id } }",
                json!({"t": id}),
            )
            .await["createSite"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let ward = app
            .ok(
                Some(&admin),
                "mutation($s:UUID!){ createWard(input:{siteId:$s, name:\"Ash Ward\", costCentre:\"CC100\", requiredSkills:[\"ELDERLY_CARE\"]}){ id } }",
                json!({"s": site}),
            )
            .await["createWard"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        trusts.push(Trust {
            id,
            admin,
            office,
            site,
            ward,
        });
    }
    Market { trusts, bank }
}

/// London wall-clock time of an instant, as the API takes it.
pub fn london(at: DateTime<Utc>) -> String {
    staffbank_core::time::london_local(at)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// A cascade that offers the shift to the whole bank at once.
pub fn open_to_all() -> Value {
    json!([{ "audience": "COLLABORATIVE", "anchor": "POSTING", "offsetMinutes": 0 }])
}

/// A healthcare-assistant shift (BAND_3, BAND_4 accepted) on the trust's ward, open to the whole
/// bank at once, from `start` for `hours` hours with a 30-minute break.
pub fn hca_shift(t: &Trust, start: DateTime<Utc>, hours: i64) -> Value {
    json!({
        "trustId": t.id, "siteId": t.site, "wardId": t.ward,
        "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "fallbackGrades": ["BAND_4"],
        "startsLocal": london(start), "endsLocal": london(start + chrono::Duration::hours(hours)),
        "breakMinutes": 30, "reason": "SICKNESS", "cascade": open_to_all()
    })
}

/// Posts a shift as `token`; returns its id.
pub async fn post(app: &TestApp, token: &str, input: Value) -> Uuid {
    let v = app
        .ok(
            Some(token),
            "mutation($i: PostShiftInput!){ postShift(input:$i){ id } }",
            json!({ "i": input }),
        )
        .await;
    v["postShift"]["id"].as_str().unwrap().parse().unwrap()
}

/// Registers a worker with the given staff group, grade and skills; returns the id.
#[expect(clippy::too_many_arguments, reason = "a worker has many fields")]
pub async fn worker_with(
    app: &TestApp,
    office: &str,
    trust: Uuid,
    given: &str,
    ni: &str,
    group: &str,
    grade: &str,
    skills: &[&str],
) -> Uuid {
    let v = app
        .ok(
            Some(office),
            "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id } }",
            json!({ "i": {
                "trustId": trust, "givenName": given, "familyName": "Tester", "dateOfBirth": "1991-06-01",
                "niNumber": ni, "email": format!("{}@worker.test", given.to_lowercase()),
                "staffGroup": group, "grade": grade, "skills": skills
            }}),
        )
        .await;
    v["createWorker"]["id"].as_str().unwrap().parse().unwrap()
}

/// An NI number unique to `n`.
pub fn ni(n: usize) -> String {
    format!("CE{n:06}A")
}

/// A healthcare assistant (BAND_3, ELDERLY_CARE) registered at trust `t` and compliant there for
/// its ward.
pub async fn ready_worker(app: &TestApp, m: &Market, t: usize, given: &str, n: usize) -> Uuid {
    let trust = &m.trusts[t];
    let w = fixtures::worker(app, &trust.office, trust.id, given, "Ready", &ni(n)).await;
    fixtures::make_compliant(app, w, trust.id, Some(trust.ward)).await;
    w
}

/// Makes a worker's credentials count at another trust through an accepted passport, without
/// engaging them there (so only the collaborative tier reaches them).
pub async fn recognise_through_passport(app: &TestApp, worker: Uuid, home: Uuid, at: Uuid) {
    use staffbank_bank::credentials::{self, Recognition};
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let creds = credentials::of_worker(db, clock, &Actor::Service, worker)
        .await
        .unwrap();
    let passport_id = Uuid::now_v7();
    for c in creds {
        credentials::recognise(
            db,
            clock,
            &Actor::Service,
            c.id,
            at,
            Recognition::Passport {
                passport_id,
                issuer_trust_id: home,
            },
        )
        .await
        .unwrap();
    }
}

/// The query listing workers for a shift.
pub const ELIGIBLE: &str = "query($s:UUID!,$all:Boolean!,$first:Int,$after:String){ eligibleWorkers(shiftId:$s, includeIneligible:$all, first:$first, after:$after){ pageInfo { hasNextPage endCursor } edges { node { eligible score worker { id } reasons { code message requirement complianceStatus skill validUntil opensAt minutes } } } } }";

/// Every worker's match for a shift (all pages), as `(worker id, node)`.
pub async fn matches(app: &TestApp, token: &str, shift: Uuid, all: bool) -> Vec<(Uuid, Value)> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let v = app
            .ok(
                Some(token),
                ELIGIBLE,
                json!({"s": shift, "all": all, "first": 50, "after": after}),
            )
            .await;
        let conn = &v["eligibleWorkers"];
        for e in conn["edges"].as_array().unwrap() {
            let id = e["node"]["worker"]["id"].as_str().unwrap().parse().unwrap();
            out.push((id, e["node"].clone()));
        }
        if conn["pageInfo"]["hasNextPage"] == true {
            after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        } else {
            return out;
        }
    }
}

/// The reason codes for one worker against a shift (empty when eligible).
pub async fn reasons(app: &TestApp, token: &str, shift: Uuid, worker: Uuid) -> Vec<String> {
    let all = matches(app, token, shift, true).await;
    let (_, node) = all
        .iter()
        .find(|(id, _)| *id == worker)
        .unwrap_or_else(|| panic!("worker {worker} not listed"));
    node["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Books as `token` (a worker, or a bank office naming `worker`); returns the whole response.
pub async fn book(
    app: &TestApp,
    token: &str,
    shift: Uuid,
    worker: Option<Uuid>,
    key: Option<&str>,
) -> Value {
    app.gql(
        Some(token),
        "mutation($s:UUID!,$w:UUID,$k:String){ bookShift(shiftId:$s, workerId:$w, idempotencyKey:$k){ repeated booking { id position state } } }",
        json!({"s": shift, "w": worker, "k": key}),
    )
    .await
}
