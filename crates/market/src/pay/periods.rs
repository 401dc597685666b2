//! Pay periods: calendar months named `YYYY-MM`. Each trust has a cut-off day: pay approved on or
//! before the cut-off day of a month (London time) is paid in that month; approved after it, it
//! rolls into the next month's period.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Role, db};
use uuid::Uuid;

use crate::entity::pay_policy;
use crate::error::{Result, validation};

/// The cut-off day when a trust has not set one.
pub const DEFAULT_CUTOFF_DAY: i32 = 20;

/// The pay period an approval at `at` falls into, given the cut-off day.
#[must_use]
pub fn period_for(at: DateTime<Utc>, cutoff_day: i32) -> String {
    let d = london_date(at);
    let (mut y, mut m) = (d.year(), d.month());
    if i64::from(d.day()) > i64::from(cutoff_day) {
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    format!("{y:04}-{m:02}")
}

/// Checks a period name.
///
/// # Errors
/// Validation error for anything but `YYYY-MM`.
pub fn parse_period(p: &str) -> Result<String> {
    let ok = p.len() == 7
        && p.as_bytes()[4] == b'-'
        && p[..4].parse::<i32>().is_ok()
        && p[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
    if ok {
        Ok(p.to_owned())
    } else {
        Err(validation(format!(
            "'{}' is not a pay period (YYYY-MM)",
            staffbank_core::text::shorten(p, 20)
        )))
    }
}

/// A trust's cut-off day.
///
/// # Errors
/// Database errors.
pub async fn cutoff_day(conn: &impl ConnectionTrait, trust_id: Uuid) -> Result<i32> {
    Ok(pay_policy::Entity::find_by_id(trust_id)
        .one(conn)
        .await?
        .map_or(DEFAULT_CUTOFF_DAY, |p| p.cutoff_day))
}

/// Sets a trust's cut-off day, 1 to 28 (its trust admins and bank office).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation.
pub async fn set_cutoff_day(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    day: i32,
) -> Result<i32> {
    db::write(db, |tx| {
        Box::pin(async move { set_cutoff_day_in(&tx, clock, actor, trust_id, day).await })
    })
    .await
}

/// The work of [`set_cutoff_day`], in the caller's transaction.
async fn set_cutoff_day_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    day: i32,
) -> Result<i32> {
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin, Role::BankOffice]).await?;
    if !(1..=28).contains(&day) {
        return Err(validation(
            "the cut-off day must be 1 to 28 (every month has it)",
        ));
    }
    let row = pay_policy::ActiveModel {
        trust_id: Set(trust_id),
        cutoff_day: Set(day),
        updated_at: Set(clock.now()),
    };
    if pay_policy::Entity::find_by_id(trust_id)
        .one(tx)
        .await?
        .is_some()
    {
        row.update(tx).await?;
    } else {
        row.insert(tx).await?;
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_off_rolls_late_approvals_into_next_period() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap_or_default();
        assert_eq!(period_for(at("2026-11-20T22:59:00Z"), 20), "2026-11");
        // 23:30 GMT on the 20th is still the 20th in London (no DST in November)...
        assert_eq!(period_for(at("2026-11-20T23:30:00Z"), 20), "2026-11");
        assert_eq!(period_for(at("2026-11-21T00:00:01Z"), 20), "2026-12");
        assert_eq!(period_for(at("2026-12-25T10:00:00Z"), 20), "2027-01");
        // ...but 23:30 UTC on 20 June is 00:30 on the 21st in London (BST).
        assert_eq!(period_for(at("2026-06-20T23:30:00Z"), 20), "2026-07");
    }

    #[test]
    fn period_names() {
        assert!(parse_period("2026-11").is_ok());
        for bad in ["2026-13", "2026/11", "26-11", "2026-1"] {
            assert!(parse_period(bad).is_err(), "{bad}");
        }
    }
}
