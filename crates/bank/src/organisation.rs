//! Collaborative banks and their member trusts. Anyone signed in may see which trusts belong to
//! which bank; only the service creates a bank, and only its system admins admit trusts.

use std::fmt;
use std::str::FromStr;

use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::actor::forbidden_for;
use staffbank_core::text::{self, limits};
use staffbank_core::{Actor, Clock, Role, new_id};
use uuid::Uuid;

use crate::entity::{system, trust};
use crate::error::{Error, Result, conflict, not_found, validation};

/// How a collaborative bank engages its workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemModel {
    /// One lead employer engages every bank worker for all trusts.
    LeadEmployer,
    /// Each trust keeps its own pool and recharges the others for shifts worked.
    OwnPools,
}

impl SystemModel {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LeadEmployer => "LEAD_EMPLOYER",
            Self::OwnPools => "OWN_POOLS",
        }
    }
}

impl fmt::Display for SystemModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SystemModel {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "LEAD_EMPLOYER" => Ok(Self::LeadEmployer),
            "OWN_POOLS" => Ok(Self::OwnPools),
            other => Err(validation(format!(
                "unknown collaborative bank model '{other}'"
            ))),
        }
    }
}

fn clean_name(raw: &str, what: &'static str) -> Result<String> {
    Ok(limits::place(what).required(raw)?)
}

/// Creates a collaborative bank. Only the service (the operator's command line, demo loading) may.
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
        model: Set(model.as_str().to_owned()),
        created_at: Set(clock.now()),
    }
    .insert(conn)
    .await?)
}

/// Admits a trust to a collaborative bank (its system admins only), with the default requirement
/// profile. Run inside a write transaction.
///
/// # Errors
/// Forbidden, not found, validation (name, ODS code) and conflict (duplicate name or code).
pub async fn admit_trust(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    name: &str,
    ods_code: &str,
) -> Result<trust::Model> {
    let sys = system(conn, system_id).await?;
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
        .one(conn)
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
    .insert(conn)
    .await?;
    crate::requirements::install_defaults(conn, clock, t.id).await?;
    Ok(t)
}

/// One collaborative bank.
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

/// One trust.
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

/// Succeeds when the caller holds one of `roles` at the trust or administers its bank; returns the
/// trust.
///
/// # Errors
/// Not found, forbidden.
pub async fn authorize_at_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
    roles: &[Role],
) -> Result<trust::Model> {
    let t = trust(conn, trust_id).await?;
    actor.require_trust_role(roles, t.id, t.system_id)?;
    Ok(t)
}
