//! Setting up a new collaborative bank on a fresh installation: the operator's
//! `staffbank create-bank` makes the bank and its first system admin, whose one-time password is
//! printed once. Everything after that (admitting trusts, staff accounts) is done over GraphQL.

use rand::Rng;
use rand::distr::Alphanumeric;
use sea_orm::DatabaseConnection;
use staffbank_bank::entity::system;
use staffbank_bank::organisation::{self, FirstAdmin, SystemModel};
use staffbank_core::{Actor, Clock, Email, NewPassword};

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
    let admin = FirstAdmin {
        email: &email,
        display_name: admin_name,
        password: &pw,
    };
    let system =
        organisation::create_bank(conn, clock, &Actor::Service, name, model, admin).await?;
    Ok(NewBank {
        system,
        admin_email: email,
        password,
    })
}
