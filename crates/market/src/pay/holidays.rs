//! Public holidays (England and Wales), kept as data: seeded by migration for 2025-2028, and
//! added to by a system admin when one is declared.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::{Actor, Role, new_id};

use crate::entity::public_holiday;
use crate::error::{Result, conflict, forbidden, validation};

/// The only region the bank's trusts are in.
pub const REGION: &str = "ENGLAND_AND_WALES";

/// The public holidays between two dates (inclusive).
///
/// # Errors
/// Database errors.
pub async fn between(
    conn: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeSet<NaiveDate>> {
    Ok(public_holiday::Entity::find()
        .filter(public_holiday::Column::Region.eq(REGION))
        .filter(public_holiday::Column::Date.gte(from))
        .filter(public_holiday::Column::Date.lte(to))
        .all(conn)
        .await?
        .into_iter()
        .map(|h| h.date)
        .collect())
}

/// Every public holiday in a year, by date.
///
/// # Errors
/// Database errors.
pub async fn of_year(conn: &impl ConnectionTrait, year: i32) -> Result<Vec<public_holiday::Model>> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(validation("no such year"));
    };
    Ok(public_holiday::Entity::find()
        .filter(public_holiday::Column::Region.eq(REGION))
        .filter(public_holiday::Column::Date.gte(from))
        .filter(public_holiday::Column::Date.lte(to))
        .order_by_asc(public_holiday::Column::Date)
        .all(conn)
        .await?)
}

/// Adds a public holiday (a system admin of any collaborative bank: the list is national).
///
/// # Errors
/// Forbidden; validation (name); conflict (already a holiday).
pub async fn add(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    date: NaiveDate,
    name: &str,
) -> Result<public_holiday::Model> {
    if !actor.is_service() && !actor.grants().iter().any(|g| g.role == Role::SystemAdmin) {
        return Err(forbidden(
            "public holidays are set by a collaborative bank's system admin",
        ));
    }
    let name = staffbank_core::text::limits::HOLIDAY.required(name)?;
    let name = name.as_str();
    if !between(conn, date, date).await?.is_empty() {
        return Err(conflict(format!("{date} is already a public holiday")));
    }
    Ok(public_holiday::ActiveModel {
        id: Set(new_id()),
        region: Set(REGION.to_owned()),
        date: Set(date),
        name: Set(name.to_owned()),
    }
    .insert(conn)
    .await?)
}
