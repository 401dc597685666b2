//! Starting points that tests build on: a collaborative bank with trusts and staff accounts. Only
//! what cannot be done over GraphQL (creating a bank is an operator's job) is done through the
//! domain functions; everything else the tests do over HTTP.

use serde_json::json;
use staffbank_bank::organisation::{self, SystemModel};
use staffbank_core::{Actor, Email, Grant, Password, Role, accounts};
use uuid::Uuid;

use crate::harness::TestApp;

/// Password of every fixture account.
pub const PASSWORD: &str = "correct horse battery";

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
        &Password::parse(PASSWORD).unwrap(),
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
