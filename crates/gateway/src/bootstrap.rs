//! Setting up a new collaborative bank on a fresh installation: the operator's
//! `staffbank create-bank` makes the bank and its first system admin, whose one-time password is
//! printed once. Everything after that (admitting trusts, staff accounts) is done over GraphQL.

use rand::Rng;
use rand::distr::Alphanumeric;
use sea_orm::DatabaseConnection;
use staffbank_bank::entity::system;
use staffbank_bank::organisation::{self, SystemModel};
use staffbank_core::{Actor, Clock, Email, Grant, NewPassword, Role, accounts, db};

/// A new bank and how its admin signs in.
#[derive(Debug)]
pub struct NewBank {
    /// The bank.
    pub system: system::Model,
    /// The admin's email.
    pub admin_email: Email,
    /// The generated password (shown once).
    pub password: String,
}

/// Creates a collaborative bank with its first system admin, in one transaction.
///
/// # Errors
/// Validation (name, email), conflict (bank name or email taken), database errors.
pub async fn create_bank(
    conn: &DatabaseConnection,
    clock: &dyn Clock,
    name: &str,
    model: SystemModel,
    admin_email: &str,
    admin_name: &str,
) -> anyhow::Result<NewBank> {
    let email = Email::parse(admin_email)?;
    let password: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect();
    let pw = NewPassword::parse(&password)?;
    let tx = db::begin_write(conn).await?;
    let system = organisation::create_system(&tx, clock, &Actor::Service, name, model).await?;
    let account = accounts::create(&tx, clock, &email, admin_name, &pw).await?;
    let grant = Grant {
        role: Role::SystemAdmin,
        trust_id: None,
        ward_id: None,
        system_id: Some(system.id),
        worker_id: None,
    };
    accounts::insert_grant(&tx, clock, account.id, &grant, None).await?;
    tx.commit().await?;
    Ok(NewBank {
        system,
        admin_email: email,
        password,
    })
}
