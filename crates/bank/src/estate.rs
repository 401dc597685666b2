//! Trusts' sites and wards. Each ward has a cost centre (for payroll and recharges) and the skills a
//! worker needs there. The people of a trust's collaborative bank see its sites and wards; to
//! anyone else they do not exist (the `visible_*` functions; the others are for domain functions
//! that check for themselves).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::text::limits;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::access::{authorize_at_trust, authorize_at_trust_for};
use crate::entity::{site, ward};
use crate::error::{Result, conflict, not_found};
use crate::organisation;
use crate::skills;

/// Adds a site to a trust (its trust admins).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation; conflict when the name is taken at the trust.
pub async fn create_site(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    name: &str,
) -> Result<site::Model> {
    db::write(db, |tx| {
        Box::pin(async move { create_site_in(&tx, clock, actor, trust_id, name).await })
    })
    .await
}

/// The work of [`create_site`], in the caller's transaction.
///
/// # Errors
/// As [`create_site`].
pub async fn create_site_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    name: &str,
) -> Result<site::Model> {
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin]).await?;
    let name = limits::place("a site name").required(name)?;
    let taken = site::Entity::find()
        .filter(site::Column::TrustId.eq(trust_id))
        .filter(site::Column::Name.eq(&name))
        .one(tx)
        .await?;
    if taken.is_some() {
        return Err(conflict(format!(
            "the trust already has a site named '{name}'"
        )));
    }
    Ok(site::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(trust_id),
        name: Set(name),
        created_at: Set(clock.now()),
    }
    .insert(tx)
    .await?)
}

/// What a new ward looks like.
#[derive(Debug, Clone)]
pub struct NewWard {
    /// The site it is at.
    pub site_id: Uuid,
    /// Name, unique within the site.
    pub name: String,
    /// Cost centre code.
    pub cost_centre: String,
    /// Skills needed to work there.
    pub required_skills: Vec<String>,
}

/// Adds a ward to a site (the trust's admins).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation; conflict when the name is taken at the site.
pub async fn create_ward(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    input: &NewWard,
) -> Result<ward::Model> {
    db::write(db, |tx| {
        Box::pin(async move { create_ward_in(&tx, clock, actor, input).await })
    })
    .await
}

/// The work of [`create_ward`], in the caller's transaction.
///
/// # Errors
/// As [`create_ward`].
pub async fn create_ward_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    input: &NewWard,
) -> Result<ward::Model> {
    // A list is capped before any database work.
    let required = skills::normalise(&input.required_skills)?;
    let s = site::Entity::find_by_id(input.site_id)
        .one(tx)
        .await?
        .ok_or_else(|| not_found("site"))?;
    authorize_at_trust_for(tx, actor, s.trust_id, &[Role::TrustAdmin], "site").await?;
    let name = limits::place("a ward name").required(&input.name)?;
    let cost_centre = limits::COST_CENTRE.required(&input.cost_centre)?;
    let taken = ward::Entity::find()
        .filter(ward::Column::SiteId.eq(s.id))
        .filter(ward::Column::Name.eq(&name))
        .one(tx)
        .await?;
    if taken.is_some() {
        return Err(conflict(format!(
            "the site already has a ward named '{name}'"
        )));
    }
    Ok(ward::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(s.trust_id),
        site_id: Set(s.id),
        name: Set(name),
        cost_centre: Set(cost_centre),
        required_skills: Set(skills::to_json(&required)),
        created_at: Set(clock.now()),
    }
    .insert(tx)
    .await?)
}

/// A trust's sites, by name.
///
/// # Errors
/// Database errors.
pub async fn sites_of(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<Vec<site::Model>> {
    Ok(site::Entity::find()
        .filter(site::Column::TrustId.eq(trust_id))
        .order_by_asc(site::Column::Name)
        .all(conn)
        .await?)
}

/// The wards of the given sites (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn wards_of_sites(
    conn: &impl ConnectionTrait,
    site_ids: &[Uuid],
) -> Result<Vec<ward::Model>> {
    Ok(ward::Entity::find()
        .filter(ward::Column::SiteId.is_in(site_ids.iter().copied()))
        .order_by_asc(ward::Column::Name)
        .all(conn)
        .await?)
}

/// A trust's wards, by name.
///
/// # Errors
/// Database errors.
pub async fn wards_of(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<Vec<ward::Model>> {
    Ok(ward::Entity::find()
        .filter(ward::Column::TrustId.eq(trust_id))
        .order_by_asc(ward::Column::Name)
        .all(conn)
        .await?)
}

/// One ward.
///
/// # Errors
/// Not found.
pub async fn ward(conn: &impl ConnectionTrait, id: Uuid) -> Result<ward::Model> {
    ward::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("ward"))
}

/// The wards with these ids (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn wards_by_ids(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<ward::Model>> {
    Ok(ward::Entity::find()
        .filter(ward::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The sites with these ids (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn sites_by_ids(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<site::Model>> {
    Ok(site::Entity::find()
        .filter(site::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// A trust's sites, by name, for the people of its bank.
///
/// # Errors
/// Not found (the trust; also when the caller is not of its bank).
pub async fn visible_sites_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<site::Model>> {
    let t = organisation::visible_trust(conn, actor, trust_id).await?;
    sites_of(conn, t.id).await
}

/// A trust's wards, by name, for the people of its bank.
///
/// # Errors
/// Not found (the trust; also when the caller is not of its bank).
pub async fn visible_wards_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<ward::Model>> {
    let t = organisation::visible_trust(conn, actor, trust_id).await?;
    wards_of(conn, t.id).await
}

/// One ward, for the people of its trust's bank.
///
/// # Errors
/// Not found (also when the caller is not of its bank).
pub async fn visible_ward(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<ward::Model> {
    let w = ward(conn, id).await?;
    if organisation::visible_trust_ids(conn, actor, &[w.trust_id])
        .await?
        .contains(&w.trust_id)
    {
        Ok(w)
    } else {
        Err(not_found("ward"))
    }
}

/// The wards with these ids the caller may see (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn visible_wards_by_ids(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<ward::Model>> {
    let rows = wards_by_ids(conn, ids).await?;
    keep_visible(conn, actor, rows, |w| w.trust_id).await
}

/// The sites with these ids the caller may see (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn visible_sites_by_ids(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    ids: &[Uuid],
) -> Result<Vec<site::Model>> {
    let rows = sites_by_ids(conn, ids).await?;
    keep_visible(conn, actor, rows, |s| s.trust_id).await
}

/// The wards of the given sites, of the sites the caller may see (for batched loading).
///
/// # Errors
/// Database errors.
pub async fn visible_wards_of_sites(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    site_ids: &[Uuid],
) -> Result<Vec<ward::Model>> {
    let rows = wards_of_sites(conn, site_ids).await?;
    keep_visible(conn, actor, rows, |w| w.trust_id).await
}

async fn keep_visible<T>(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    rows: Vec<T>,
    trust_of: impl Fn(&T) -> Uuid,
) -> Result<Vec<T>> {
    if rows.is_empty() {
        return Ok(rows);
    }
    let trusts: Vec<Uuid> = rows.iter().map(&trust_of).collect();
    let seen = organisation::visible_trust_ids(conn, actor, &trusts).await?;
    Ok(rows
        .into_iter()
        .filter(|r| seen.contains(&trust_of(r)))
        .collect())
}
