//! The release cascade: a shift is offered to ever wider audiences — the ward's preferred workers,
//! then the trust's own bank, then the whole collaborative bank, and finally it is escalated to
//! agencies — each tier opening at a time relative to posting or to the start.
//!
//! The instants at which tiers open are fixed when the shift is posted (clamped so that no tier
//! opens before posting or before the tier above it). Which tiers are open is never stored: it is
//! asked of the clock each time, so it is never stale.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::entity::{cascade_default, shift_tier};
use crate::error::{Result, validation};

/// Who a tier reaches. Tiers are cumulative: an open tier's audience includes every narrower one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Audience {
    /// Workers on the ward's preferred list.
    #[sea_orm(string_value = "PREFERRED")]
    Preferred,
    /// Workers engaged at the shift's trust.
    #[sea_orm(string_value = "OWN_TRUST")]
    OwnTrust,
    /// Every worker of the collaborative bank.
    #[sea_orm(string_value = "COLLABORATIVE")]
    Collaborative,
    /// Escalated to agencies: reaches no new bank worker, and marks the shift escalated.
    #[sea_orm(string_value = "AGENCY")]
    Agency,
}

impl Audience {
    /// Every audience, narrowest first.
    pub const ALL: [Audience; 4] = [
        Self::Preferred,
        Self::OwnTrust,
        Self::Collaborative,
        Self::Agency,
    ];
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// What a tier's opening time is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Anchor {
    /// Minutes after the shift is posted.
    #[sea_orm(string_value = "POSTING")]
    Posting,
    /// Minutes before the shift starts.
    #[sea_orm(string_value = "START")]
    Start,
}

/// One tier as configured: who, and when relative to what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TierRule {
    /// Who it reaches.
    pub audience: Audience,
    /// What the offset is measured from.
    pub anchor: Anchor,
    /// Minutes after posting, or before the start.
    pub offset_minutes: i32,
}

/// The cascade a trust has until it sets its own: preferred workers at once, the trust's own bank
/// an hour later, the collaborative bank a week before the start, agencies a day before.
#[must_use]
pub fn built_in_default() -> Vec<TierRule> {
    vec![
        TierRule {
            audience: Audience::Preferred,
            anchor: Anchor::Posting,
            offset_minutes: 0,
        },
        TierRule {
            audience: Audience::OwnTrust,
            anchor: Anchor::Posting,
            offset_minutes: 60,
        },
        TierRule {
            audience: Audience::Collaborative,
            anchor: Anchor::Start,
            offset_minutes: 7 * 24 * 60,
        },
        TierRule {
            audience: Audience::Agency,
            anchor: Anchor::Start,
            offset_minutes: 24 * 60,
        },
    ]
}

/// Checks a cascade: one to four tiers, each reaching wider than the one before, offsets from 0 to
/// a year.
///
/// # Errors
/// Validation, saying what is wrong.
pub fn validate(rules: &[TierRule]) -> Result<()> {
    if rules.is_empty() || rules.len() > Audience::ALL.len() {
        return Err(validation("a release cascade has one to four tiers"));
    }
    if rules
        .first()
        .is_some_and(|r| r.audience == Audience::Agency)
    {
        return Err(validation(
            "a release cascade must offer the shift to bank workers before agencies",
        ));
    }
    if rules.windows(2).any(|w| w[0].audience >= w[1].audience) {
        return Err(validation(
            "each tier of a release cascade must reach wider than the one before \
             (PREFERRED, OWN_TRUST, COLLABORATIVE, AGENCY)",
        ));
    }
    if rules
        .iter()
        .any(|r| !(0..=365 * 24 * 60).contains(&r.offset_minutes))
    {
        return Err(validation("a tier's offset must be 0 minutes to 365 days"));
    }
    Ok(())
}

/// When each tier opens for a shift posted at `posted_at` that starts at `starts_at`: never before
/// posting, never before the tier above it.
#[must_use]
pub fn schedule(
    rules: &[TierRule],
    posted_at: DateTime<Utc>,
    starts_at: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let mut floor = posted_at;
    rules
        .iter()
        .map(|r| {
            let offset = Duration::minutes(i64::from(r.offset_minutes));
            let at = match r.anchor {
                Anchor::Posting => posted_at + offset,
                Anchor::Start => starts_at - offset,
            };
            floor = floor.max(at);
            floor
        })
        .collect()
}

/// How a worker stands towards a shift's audiences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    /// On the ward's preferred list.
    pub preferred: bool,
    /// Engaged at the shift's trust.
    pub engaged: bool,
    /// In the shift's collaborative bank.
    pub same_bank: bool,
}

/// Whether a tier for `audience` reaches a worker standing as `reach`. (Cumulation is the
/// cascade's: a preferred worker from another trust, reached by an earlier PREFERRED tier, stays
/// reached when the OWN_TRUST tier opens.)
#[must_use]
pub fn reaches(audience: Audience, reach: Reach) -> bool {
    match audience {
        Audience::Preferred => reach.preferred,
        Audience::OwnTrust => reach.engaged,
        Audience::Collaborative => reach.same_bank,
        Audience::Agency => false,
    }
}

/// The first tier of `tiers` (in cascade order) that reaches the worker, if any.
#[must_use]
pub fn first_reaching(tiers: &[shift_tier::Model], reach: Reach) -> Option<&shift_tier::Model> {
    tiers.iter().find(|t| reaches(t.audience, reach))
}

/// Whether any tier of the cascade is for `audience`.
#[must_use]
pub fn has_tier(tiers: &[shift_tier::Model], audience: Audience) -> bool {
    tiers.iter().any(|t| t.audience == audience)
}

/// The widest tier open at `now`, if any.
#[must_use]
pub fn open_tier(tiers: &[shift_tier::Model], now: DateTime<Utc>) -> Option<&shift_tier::Model> {
    tiers.iter().rev().find(|t| t.opens_at <= now)
}

/// A trust's default cascade, for the people of its collaborative bank.
///
/// # Errors
/// Not found (the trust; also when the caller is not of its bank).
pub async fn visible_default_for_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<TierRule>> {
    let t = staffbank_bank::organisation::visible_trust(conn, actor, trust_id).await?;
    default_for_trust(conn, t.id).await
}

/// A trust's default cascade (the built-in one until it sets its own; no checks).
///
/// # Errors
/// Database errors.
pub async fn default_for_trust(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
) -> Result<Vec<TierRule>> {
    let rows = cascade_default::Entity::find()
        .filter(cascade_default::Column::TrustId.eq(trust_id))
        .order_by_asc(cascade_default::Column::Position)
        .all(conn)
        .await?;
    if rows.is_empty() {
        return Ok(built_in_default());
    }
    Ok(rows
        .into_iter()
        .map(|r| TierRule {
            audience: r.audience,
            anchor: r.anchor,
            offset_minutes: r.offset_minutes,
        })
        .collect())
}

/// Sets a trust's default cascade (its bank office or trust admins). Shifts already posted keep
/// theirs.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation.
pub async fn set_default(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    rules: &[TierRule],
) -> Result<Vec<TierRule>> {
    db::write(db, |tx| {
        Box::pin(async move { set_default_in(&tx, clock, actor, trust_id, rules).await })
    })
    .await
}

/// The work of [`set_default`], in the caller's transaction.
async fn set_default_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    rules: &[TierRule],
) -> Result<Vec<TierRule>> {
    validate(rules)?;
    authorize_at_trust(tx, actor, trust_id, &[Role::BankOffice, Role::TrustAdmin]).await?;
    cascade_default::Entity::delete_many()
        .filter(cascade_default::Column::TrustId.eq(trust_id))
        .exec(tx)
        .await?;
    let now = clock.now();
    for (i, r) in rules.iter().enumerate() {
        cascade_default::ActiveModel {
            id: Set(new_id()),
            trust_id: Set(trust_id),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            audience: Set(r.audience),
            anchor: Set(r.anchor),
            offset_minutes: Set(r.offset_minutes),
            created_at: Set(now),
        }
        .insert(tx)
        .await?;
    }
    Ok(rules.to_vec())
}

/// Tier rows for a new shift.
pub(crate) fn tier_rows(
    shift_id: Uuid,
    rules: &[TierRule],
    opens: &[DateTime<Utc>],
) -> Vec<shift_tier::ActiveModel> {
    rules
        .iter()
        .zip(opens)
        .enumerate()
        .map(|(i, (r, at))| shift_tier::ActiveModel {
            id: Set(new_id()),
            shift_id: Set(shift_id),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            audience: Set(r.audience),
            anchor: Set(r.anchor),
            offset_minutes: Set(r.offset_minutes),
            opens_at: Set(*at),
            announced_at: Set(None),
        })
        .collect()
}

/// The tiers of these shifts, in cascade order.
///
/// # Errors
/// Database errors.
pub async fn tiers_of(
    conn: &impl ConnectionTrait,
    shift_ids: &[Uuid],
) -> Result<Vec<shift_tier::Model>> {
    Ok(shift_tier::Entity::find()
        .filter(shift_tier::Column::ShiftId.is_in(shift_ids.iter().copied()))
        .order_by_asc(shift_tier::Column::ShiftId)
        .order_by_asc(shift_tier::Column::Position)
        .all(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn tiers_open_in_order_and_never_before_posting() {
        let posted = Utc
            .with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
            .single()
            .unwrap_or_default();
        // Starts in 3 days: the collaborative tier (7 days before) would open before posting.
        let start = posted + Duration::days(3);
        let at = schedule(&built_in_default(), posted, start);
        assert_eq!(at[0], posted);
        assert_eq!(at[1], posted + Duration::hours(1));
        assert_eq!(
            at[2],
            posted + Duration::hours(1),
            "clamped to the tier above"
        );
        assert_eq!(at[3], start - Duration::days(1));
        // Starts in 3 weeks: the collaborative tier waits until a week before.
        let start = posted + Duration::weeks(3);
        let at = schedule(&built_in_default(), posted, start);
        assert_eq!(at[2], start - Duration::weeks(1));
    }

    #[test]
    fn cascades_must_widen() {
        assert!(validate(&built_in_default()).is_ok());
        let mut rules = built_in_default();
        rules.swap(0, 1);
        assert!(validate(&rules).is_err());
        assert!(validate(&[]).is_err());
        assert!(
            validate(&[TierRule {
                audience: Audience::Agency,
                anchor: Anchor::Posting,
                offset_minutes: 0
            }])
            .is_err()
        );
    }

    #[test]
    fn audiences_are_cumulative() {
        let preferred = Reach {
            preferred: true,
            engaged: false,
            same_bank: true,
        };
        let stranger = Reach {
            preferred: false,
            engaged: false,
            same_bank: true,
        };
        assert!(reaches(Audience::Preferred, preferred));
        assert!(!reaches(Audience::OwnTrust, stranger));
        assert!(
            !reaches(Audience::OwnTrust, preferred),
            "not engaged at the trust"
        );
        assert!(reaches(Audience::Collaborative, stranger));
        assert!(!reaches(Audience::Agency, preferred));
    }
}
