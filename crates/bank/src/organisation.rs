//! Collaborative banks and their member trusts. The people of a bank (its admins, the staff of
//! its trusts, its workers) see it and its trusts; to anyone else they do not exist (see
//! [`crate::scope`]). Only the service creates a bank, and only its system admins admit trusts
//! and name the nation whose bank holidays it keeps.

use std::fmt;

use sea_orm::entity::prelude::StringLen;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::actor::forbidden_for;
use staffbank_core::text::{self, limits};
use staffbank_core::{Actor, Clock, Email, Grant, NewPassword, Role, accounts, db, new_id};
use uuid::Uuid;

use crate::entity::{system, trust};
use crate::error::{Result, conflict, not_found, validation};
use crate::scope;

/// How a collaborative bank engages its workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SystemModel {
    /// One lead employer engages every bank worker for all trusts.
    #[sea_orm(string_value = "LEAD_EMPLOYER")]
    LeadEmployer,
    /// Each trust keeps its own pool and recharges the others for shifts worked.
    #[sea_orm(string_value = "OWN_POOLS")]
    OwnPools,
}

impl fmt::Display for SystemModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// The nation a collaborative bank is in: its bank holidays (and so its unsocial-hours pay) follow
/// that nation's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Nation {
    /// England and Wales (8 bank holidays a year).
    #[default]
    #[sea_orm(string_value = "ENGLAND_AND_WALES")]
    EnglandAndWales,
    /// Scotland (9: 2 January, St Andrew's Day, the first Monday of August instead of the last;
    /// no Easter Monday).
    #[sea_orm(string_value = "SCOTLAND")]
    Scotland,
    /// Northern Ireland (10: St Patrick's Day and 12 July besides England and Wales's).
    #[sea_orm(string_value = "NORTHERN_IRELAND")]
    NorthernIreland,
}

impl Nation {
    /// Every nation, in a stable order.
    pub const ALL: [Nation; 3] = [
        Nation::EnglandAndWales,
        Nation::Scotland,
        Nation::NorthernIreland,
    ];
}

impl fmt::Display for Nation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

fn clean_name(raw: &str, what: &'static str) -> Result<String> {
    Ok(limits::place(what).required(raw)?)
}

/// Creates a collaborative bank in England and Wales. Only the service (the operator's command
/// line, demo loading) may.
///
/// # Errors
/// [`staffbank_core::Error::Forbidden`] for a person; validation and conflict errors.
pub async fn create_system(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    name: &str,
    model: SystemModel,
) -> Result<system::Model> {
    create_system_in(conn, clock, actor, name, model, Nation::EnglandAndWales).await
}

/// Creates a collaborative bank in a nation (whose bank holidays become its calendar). Only the
/// service may.
///
/// # Errors
/// [`staffbank_core::Error::Forbidden`] for a person; validation and conflict errors.
pub async fn create_system_in(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    name: &str,
    model: SystemModel,
    nation: Nation,
) -> Result<system::Model> {
    if !actor.is_service() {
        return Err(forbidden_for(&[], "creating a collaborative bank (operators only)").into());
    }
    let name = clean_name(name, "a collaborative bank name")?;
    if system::Entity::find()
        .filter(system::Column::Name.eq(&name))
        .one(conn)
        .await?
        .is_some()
    {
        return Err(conflict(format!(
            "a collaborative bank named '{name}' exists"
        )));
    }
    Ok(system::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        model: Set(model),
        nation: Set(nation),
        created_at: Set(clock.now()),
    }
    .insert(conn)
    .await?)
}

/// The first system admin of a new collaborative bank ([`create_bank`]).
#[derive(Debug, Clone, Copy)]
pub struct FirstAdmin<'a> {
    /// Their email, which they sign in with.
    pub email: &'a Email,
    /// Their name as shown.
    pub display_name: &'a str,
    /// Their password, hashed before the write transaction.
    pub password: &'a NewPassword,
}

/// Creates a collaborative bank in England and Wales with its first system admin: a new account,
/// granted SYSTEM_ADMIN of the bank. Only the service (the operator's command line) may.
///
/// It runs in its own write transaction (retried on transient conflicts): the bank, the account
/// and the grant commit together, or nothing is created.
///
/// # Errors
/// Forbidden for a person; validation (name); conflict (a bank of that name, or an account with
/// that email, exists).
pub async fn create_bank(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    name: &str,
    model: SystemModel,
    admin: FirstAdmin<'_>,
) -> Result<system::Model> {
    db::write(db, |tx| {
        Box::pin(async move { create_bank_in(&tx, clock, actor, name, model, admin).await })
    })
    .await
}

/// The work of [`create_bank`], in the caller's transaction.
async fn create_bank_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    name: &str,
    model: SystemModel,
    admin: FirstAdmin<'_>,
) -> Result<system::Model> {
    let system = create_system(tx, clock, actor, name, model).await?;
    let account =
        accounts::create(tx, clock, admin.email, admin.display_name, admin.password).await?;
    let grant = Grant {
        role: Role::SystemAdmin,
        trust_id: None,
        ward_id: None,
        system_id: Some(system.id),
        worker_id: None,
    };
    accounts::insert_grant(tx, clock, account.id, &grant, None).await?;
    Ok(system)
}

/// Names the nation a collaborative bank is in (its system admins): its default bank holidays
/// follow. A caller of another bank is told the bank does not exist.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden.
pub async fn set_nation(
    db: &DatabaseConnection,
    actor: &Actor,
    system_id: Uuid,
    nation: Nation,
) -> Result<system::Model> {
    db::write(db, |tx| {
        Box::pin(async move { set_nation_in(&tx, actor, system_id, nation).await })
    })
    .await
}

/// The work of [`set_nation`], in the caller's transaction.
async fn set_nation_in(
    tx: &DatabaseTransaction,
    actor: &Actor,
    system_id: Uuid,
    nation: Nation,
) -> Result<system::Model> {
    let sys = visible_system(tx, actor, system_id).await?;
    actor.require_system_admin(sys.id)?;
    let mut a: system::ActiveModel = sys.into();
    a.nation = Set(nation);
    Ok(a.update(tx).await?)
}

/// Admits a trust to a collaborative bank (its system admins only), with the default requirement
/// profile.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden, not found, validation (name, ODS code) and conflict (duplicate name or code).
pub async fn admit_trust(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    name: &str,
    ods_code: &str,
) -> Result<trust::Model> {
    db::write(db, |tx| {
        Box::pin(async move { admit_trust_in(&tx, clock, actor, system_id, name, ods_code).await })
    })
    .await
}

/// The work of [`admit_trust`], in the caller's transaction.
///
/// # Errors
/// As [`admit_trust`].
pub async fn admit_trust_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    name: &str,
    ods_code: &str,
) -> Result<trust::Model> {
    let sys = visible_system(tx, actor, system_id).await?;
    actor.require_system_admin(sys.id)?;
    let name = clean_name(name, "a trust name")?;
    let ods = ods_code.trim().to_uppercase();
    if !(3..=5).contains(&ods.len()) || !ods.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(validation(format!(
            "'{}' is not an ODS code (3 to 5 letters and digits, e.g. RXP)",
            text::shorten(ods_code.trim(), 20)
        )));
    }
    let taken = trust::Entity::find()
        .filter(
            trust::Column::OdsCode.eq(&ods).or(trust::Column::SystemId
                .eq(sys.id)
                .and(trust::Column::Name.eq(&name))),
        )
        .one(tx)
        .await?;
    if let Some(t) = taken {
        return Err(if t.ods_code == ods {
            conflict(format!(
                "a trust with ODS code {ods} is already a member of a bank"
            ))
        } else {
            conflict(format!("this bank already has a trust named '{name}'"))
        });
    }
    let t = trust::ActiveModel {
        id: Set(new_id()),
        system_id: Set(sys.id),
        name: Set(name),
        ods_code: Set(ods),
        created_at: Set(clock.now()),
    }
    .insert(tx)
    .await?;
    crate::requirements::install_defaults(tx, clock, t.id).await?;
    Ok(t)
}

/// One collaborative bank, for the people of that bank.
///
/// # Errors
/// Not found (also when the caller is not of the bank).
pub async fn visible_system(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<system::Model> {
    let sys = system(conn, id).await?;
    scope::require_member(conn, actor, sys.id, "collaborative bank").await?;
    Ok(sys)
}

/// The collaborative banks the caller belongs to, by name.
///
/// # Errors
/// Database errors.
pub async fn visible_systems(
    conn: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Vec<system::Model>> {
    let banks = scope::banks_of(conn, actor).await?;
    let mut q = system::Entity::find();
    if let scope::Banks::Only(ids) = &banks {
        q = q.filter(system::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(q.order_by_asc(system::Column::Name).all(conn).await?)
}

/// One trust, for the people of its bank.
///
/// # Errors
/// Not found (also when the caller is not of its bank).
pub async fn visible_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<trust::Model> {
    let t = trust(conn, id).await?;
    if !actor.has_any_trust_role(&Role::ALL, t.id) {
        scope::require_member(conn, actor, t.system_id, "trust").await?;
    }
    Ok(t)
}

/// The member trusts of a bank, by name, for the people of that bank (none for anyone else).
///
/// # Errors
/// Database errors.
pub async fn visible_trusts_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
) -> Result<Vec<trust::Model>> {
    if !scope::belongs(conn, actor, system_id).await? {
        return Ok(Vec::new());
    }
    trusts_of(conn, system_id).await
}

/// The trusts with these ids that the caller may see (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn visible_trusts_by_ids(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<trust::Model>> {
    let rows = trusts_by_ids(conn, ids).await?;
    let banks = scope::banks_of_knowing(conn, actor, &rows).await?;
    Ok(rows
        .into_iter()
        .filter(|t| banks.includes(t.system_id))
        .collect())
}

/// The banks with these ids that the caller belongs to (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn visible_systems_by_ids(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<system::Model>> {
    let rows = systems_by_ids(conn, ids).await?;
    let banks = scope::banks_of(conn, actor).await?;
    Ok(rows.into_iter().filter(|s| banks.includes(s.id)).collect())
}

/// One collaborative bank (no checks: for domain functions that check themselves).
///
/// # Errors
/// Not found.
pub async fn system(conn: &impl ConnectionTrait, id: Uuid) -> Result<system::Model> {
    system::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("collaborative bank"))
}

/// Every collaborative bank.
///
/// # Errors
/// Database errors.
pub async fn systems(conn: &impl ConnectionTrait) -> Result<Vec<system::Model>> {
    Ok(system::Entity::find()
        .order_by_asc(system::Column::Name)
        .all(conn)
        .await?)
}

/// The collaborative banks with these ids (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn systems_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<system::Model>> {
    Ok(system::Entity::find()
        .filter(system::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// One trust (no checks: for domain functions that check themselves).
///
/// # Errors
/// Not found.
pub async fn trust(conn: &impl ConnectionTrait, id: Uuid) -> Result<trust::Model> {
    trust::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("trust"))
}

/// The member trusts of a collaborative bank, by name.
///
/// # Errors
/// Database errors.
pub async fn trusts_of(conn: &impl ConnectionTrait, system_id: Uuid) -> Result<Vec<trust::Model>> {
    Ok(trust::Entity::find()
        .filter(trust::Column::SystemId.eq(system_id))
        .order_by_asc(trust::Column::Name)
        .all(conn)
        .await?)
}

/// The trusts with these ids (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn trusts_by_ids(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<trust::Model>> {
    Ok(trust::Entity::find()
        .filter(trust::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Which of these trusts the caller may see (the people of their banks).
///
/// # Errors
/// Database errors.
pub async fn visible_trust_ids(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_ids: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>> {
    let mut ids = trust_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(visible_trusts_by_ids(conn, actor, &ids)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect())
}
