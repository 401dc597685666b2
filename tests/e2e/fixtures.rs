//! Starting points that tests build on: a collaborative bank with trusts and staff accounts. Only
//! what cannot be done over GraphQL (creating a bank is an operator's job) is done through the
//! domain functions; everything else the tests do over HTTP.

use serde_json::{Value, json};
use staffbank_bank::organisation::{self, SystemModel};
use staffbank_core::{Actor, Clock, Email, Grant, NewPassword, Role, accounts};
use uuid::Uuid;

use crate::harness::{Backend, TestApp};

/// Password of every fixture account.
pub const PASSWORD: &str = "correct horse battery";

/// A server with the demo bank loaded, as `staffbank serve --demo` loads it.
pub async fn demo_app(backend: Backend) -> TestApp {
    let app = TestApp::spawn(backend).await;
    let summary = staffbank_gateway::demo::load(&app.state().services.db, app.clock.as_ref())
        .await
        .unwrap();
    assert!(summary.loaded);
    let s = &app.state().services;
    if let Err(e) =
        staffbank_gateway::demo::hr::attach_evidence(&s.db, app.clock.as_ref(), &s.evidence).await
    {
        panic!("demo evidence: {e}");
    }
    app
}

/// A collaborative bank with trusts and a signed-in system admin.
pub struct Bank {
    pub system_id: Uuid,
    pub trusts: Vec<Uuid>,
    pub admin_token: String,
}

/// Creates a bank with `n` trusts; its system admin is `admin@bank.test`.
pub async fn bank(app: &TestApp, n: usize) -> Bank {
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let sys = organisation::create_system(
        db,
        clock,
        &Actor::Service,
        "Test Collaborative Bank",
        SystemModel::OwnPools,
    )
    .await
    .unwrap();
    let mut trusts = Vec::new();
    for i in 0..n {
        let t = organisation::admit_trust(
            db,
            clock,
            &Actor::Service,
            sys.id,
            &format!("Trust {i}"),
            &format!("T{i:02}"),
        )
        .await
        .unwrap();
        trusts.push(t.id);
    }
    let admin = accounts::create(
        db,
        clock,
        &Email::parse("admin@bank.test").unwrap(),
        "Bank Admin",
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
    accounts::insert_grant(db, clock, admin.id, &grant, None)
        .await
        .unwrap();
    let admin_token = app.login("admin@bank.test", PASSWORD).await;
    Bank {
        system_id: sys.id,
        trusts,
        admin_token,
    }
}

/// Creates a staff account holding `role` at `trust` (through GraphQL, as the system admin) and
/// signs it in.
pub async fn staff(app: &TestApp, bank: &Bank, email: &str, role: &str, trust: Uuid) -> String {
    app.ok(
        Some(&bank.admin_token),
        "mutation($i: CreateStaffAccountInput!){ createStaffAccount(input:$i){ id } }",
        json!({ "i": { "email": email, "displayName": email, "password": PASSWORD, "scope": { "role": role, "trustId": trust } } }),
    )
    .await;
    app.login(email, PASSWORD).await
}

/// Registers a worker at `trust` over GraphQL as `office_token` (a bank office or HR of the
/// trust); returns the worker id.
pub async fn worker(
    app: &TestApp,
    office_token: &str,
    trust: Uuid,
    given: &str,
    family: &str,
    ni: &str,
) -> Uuid {
    let v = app
        .ok(
            Some(office_token),
            "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id } }",
            json!({ "i": {
                "trustId": trust, "givenName": given, "familyName": family, "dateOfBirth": "1990-04-12",
                "niNumber": ni, "email": format!("{}.{}@worker.test", given.to_lowercase(), family.to_lowercase()),
                "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "skills": ["ELDERLY_CARE"]
            }}),
        )
        .await;
    v["createWorker"]["id"].as_str().unwrap().parse().unwrap()
}

/// Gives a worker every credential `trust` requires of their staff group (and `ward`'s extras),
/// valid for years, verified by the trust — directly through the domain, for tests whose subject is
/// something else.
pub async fn make_compliant(app: &TestApp, worker_id: Uuid, trust: Uuid, ward: Option<Uuid>) {
    make_compliant_expiring(app, worker_id, trust, ward, &[]).await;
}

/// As [`make_compliant`], but the credentials of the kinds named in `expiring` expire on the date
/// given with them.
pub async fn make_compliant_expiring(
    app: &TestApp,
    worker_id: Uuid,
    trust: Uuid,
    ward: Option<Uuid>,
    expiring: &[(&str, chrono::NaiveDate)],
) {
    use staffbank_bank::{compliance, credentials};
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let now = clock.now();
    let w = staffbank_bank::workers::get(db, worker_id).await.unwrap();
    let reports = compliance::evaluate_many(db, trust, ward, now, &[compliance::Subject::from(&w)])
        .await
        .unwrap();
    let today = staffbank_core::time::london_date(now);
    for item in &reports[&worker_id].items {
        if item.status.satisfied() {
            continue;
        }
        let kind = staffbank_bank::catalogue::kind(&item.kind).unwrap();
        let level = kind.levels.last().map(|(l, _)| *l);
        let c = credentials::record(
            db,
            clock,
            &Actor::Service,
            worker_id,
            &credentials::NewCredential {
                kind: item.kind.clone(),
                level,
                issuer: "Fixture Training Ltd".into(),
                reference: None,
                valid_from: today - chrono::Duration::days(30),
                expires_on: Some(
                    expiring
                        .iter()
                        .find(|(k, _)| *k == item.kind)
                        .map_or(today + chrono::Duration::days(700), |(_, d)| *d),
                ),
            },
        )
        .await
        .unwrap();
        if staffbank_bank::membership::find(db, worker_id, trust)
            .await
            .unwrap()
            .is_none()
        {
            engage_directly(app, worker_id, trust).await;
        }
        credentials::verify(db, clock, &Actor::Service, c.id, trust)
            .await
            .unwrap();
    }
}

/// Gives a worker a login (an account with the WORKER role linked to their record) and signs in.
/// Directly through the domain: invitations are tested on their own.
pub async fn worker_login(app: &TestApp, worker_id: Uuid, email: &str) -> String {
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let acc = accounts::create(
        db,
        clock,
        &Email::parse(email).unwrap(),
        email,
        &NewPassword::parse(PASSWORD).unwrap(),
    )
    .await
    .unwrap();
    let grant = Grant {
        role: Role::Worker,
        trust_id: None,
        ward_id: None,
        system_id: None,
        worker_id: Some(worker_id),
    };
    accounts::insert_grant(db, clock, acc.id, &grant, None)
        .await
        .unwrap();
    app.login(email, PASSWORD).await
}

/// Engages a worker at `trust` with their consent, directly through the domain (the service asks
/// and answers for the worker), for tests whose subject is something else; the request and the
/// worker's own answer are tested in `consent.rs`.
pub async fn engage_directly(app: &TestApp, worker_id: Uuid, trust: Uuid) {
    use staffbank_bank::membership;
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    membership::engage(db, clock, &Actor::Service, worker_id, trust, &app.url)
        .await
        .unwrap();
    membership::accept(db, clock, &Actor::Service, worker_id, trust)
        .await
        .unwrap();
}

/// A trust's bank office or HR (`token`) asks to engage a worker over GraphQL, and the worker
/// accepts (through the domain, as for [`engage_directly`]): what used to be one step before the
/// worker's consent was needed.
pub async fn engage(app: &TestApp, token: &str, worker_id: Uuid, trust: Uuid) {
    let v = app
        .ok(
            Some(token),
            "mutation($w:UUID!,$t:UUID!){ engageWorker(workerId:$w, trustId:$t){ consent } }",
            json!({"w": worker_id, "t": trust}),
        )
        .await;
    assert_eq!(v["engageWorker"]["consent"], "PROPOSED");
    let db = &app.state().services.db;
    staffbank_bank::membership::accept(db, app.clock.as_ref(), &Actor::Service, worker_id, trust)
        .await
        .unwrap();
}

/// Creates a further collaborative bank in `nation`, with `n` trusts named "`name` Trust {i}"
/// (ODS codes `{code}{i}`), beside any other bank of the test; its system admin is
/// `admin@{code}.test` (lower case). `code` is 2 to 4 letters, unique in the test.
pub async fn bank_in(
    app: &TestApp,
    name: &str,
    code: &str,
    nation: organisation::Nation,
    n: usize,
) -> Bank {
    let db = &app.state().services.db;
    let clock = app.clock.as_ref();
    let sys = organisation::create_system_in(
        db,
        clock,
        &Actor::Service,
        name,
        SystemModel::OwnPools,
        nation,
    )
    .await
    .unwrap();
    let mut trusts = Vec::new();
    for i in 0..n {
        let t = organisation::admit_trust(
            db,
            clock,
            &Actor::Service,
            sys.id,
            &format!("{name} Trust {i}"),
            &format!("{code}{i}"),
        )
        .await
        .unwrap();
        trusts.push(t.id);
    }
    let email = format!("admin@{}.test", code.to_lowercase());
    let admin = accounts::create(
        db,
        clock,
        &Email::parse(&email).unwrap(),
        &format!("{name} Admin"),
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
    accounts::insert_grant(db, clock, admin.id, &grant, None)
        .await
        .unwrap();
    let admin_token = app.login(&email, PASSWORD).await;
    Bank {
        system_id: sys.id,
        trusts,
        admin_token,
    }
}

/// Attaches `bytes` as evidence to a credential over GraphQL's multipart upload, as `token`,
/// declaring `mime` for the part; answers the whole response, asking `selection` of the
/// credential.
pub async fn attach_evidence(
    app: &TestApp,
    token: &str,
    credential: &Value,
    name: &str,
    mime: &str,
    bytes: Vec<u8>,
    selection: &str,
) -> Value {
    let operations = json!({
        "query": format!("mutation($c:UUID!,$f:Upload!){{ attachEvidence(credentialId:$c, file:$f){{ {selection} }} }}"),
        "variables": {"c": credential, "f": null}
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", r#"{"0":["variables.f"]}"#)
        .part(
            "0",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name.to_owned())
                .mime_str(mime)
                .unwrap(),
        );
    app.client
        .post(format!("{}/graphql", app.url))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
