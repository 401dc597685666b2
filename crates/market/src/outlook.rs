//! A worker's outlook, for their home page: how many open shifts they may book now, and which of
//! their credentials expire soon and what that would cost them — "renew Basic life support by 12
//! December or you cannot book 14 of the shifts open to you".
//!
//! One pass over the feed's candidate shifts ([`crate::feed`]), judged by the same rules as
//! booking: a shift counts as open when nothing stops the worker booking it, and as at risk from a
//! credential's kind when the only reasons are that a credential of that kind lapses before the
//! shift ends.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use staffbank_bank::catalogue;
use staffbank_bank::credentials::{self, CredentialStatus};
use staffbank_bank::entity::{credential, credential_recognition};
use staffbank_core::Actor;
use staffbank_core::time::london_date;
use uuid::Uuid;

use crate::eligibility::Reason;
use crate::error::{Result, forbidden, validation};
use crate::feed::{Candidates, FeedFilter};

/// The widest look ahead at expiring credentials, in days.
pub const MAX_WITHIN_DAYS: i32 = 365;

/// A credential that counts now and expires soon.
#[derive(Debug, Clone)]
pub struct ExpiringCredential {
    /// The credential.
    pub credential: credential::Model,
    /// The first day it no longer counts.
    pub expires_on: NaiveDate,
    /// The plain name of its kind ("Basic life support").
    pub requirement_name: &'static str,
    /// Open shifts reaching the worker now that they could book but for a credential of this kind
    /// lapsing before the shift ends.
    pub shifts_at_risk: u64,
}

/// What the signed-in worker's home page shows of the market.
#[derive(Debug, Clone)]
pub struct Outlook {
    /// Open shifts the worker may book now: what their feed lists with no filter, every page.
    pub open_shifts: u64,
    /// Their credentials that count now and expire within the days asked, soonest first.
    pub expiring: Vec<ExpiringCredential>,
}

/// How a candidate shift stands for the outlook.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Standing {
    /// The worker may book it.
    Open,
    /// The worker could book it but for a credential of this kind lapsing before it ends.
    AtRiskFrom(String),
    /// Something else stops them (too, or instead).
    Closed,
}

fn standing(reasons: &[Reason]) -> Standing {
    let mut kinds = reasons.iter().map(|r| match r {
        Reason::ExpiresBeforeShiftEnds { requirement, .. } => Some(requirement.as_str()),
        _ => None,
    });
    match kinds.next() {
        None => Standing::Open,
        Some(Some(first)) if kinds.all(|k| k == Some(first)) => {
            Standing::AtRiskFrom(first.to_owned())
        }
        Some(_) => Standing::Closed,
    }
}

/// The signed-in worker's outlook: open shifts now, and their credentials expiring within
/// `within_days` days (1 to [`MAX_WITHIN_DAYS`]) with the open shifts each would cost.
///
/// # Errors
/// Forbidden (not a worker); validation (`within_days`).
pub async fn my_shift_outlook(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    within_days: i32,
    now: DateTime<Utc>,
) -> Result<Outlook> {
    let worker_id = actor
        .worker_id()
        .ok_or_else(|| forbidden("the shift outlook is for workers"))?;
    if !(1..=MAX_WITHIN_DAYS).contains(&within_days) {
        return Err(validation(format!(
            "withinDays must be 1 to {MAX_WITHIN_DAYS}"
        )));
    }
    let (expiring, (open_shifts, at_risk)) = futures::try_join!(
        expiring_credentials(conn, worker_id, within_days, now),
        count_candidates(conn, worker_id, now),
    )?;
    let expiring = expiring
        .into_iter()
        .map(|(credential, expires_on)| {
            let requirement_name = catalogue::kind(&credential.kind).map_or("", |k| k.name);
            ExpiringCredential {
                shifts_at_risk: at_risk.get(&credential.kind).copied().unwrap_or(0),
                requirement_name,
                expires_on,
                credential,
            }
        })
        .collect();
    Ok(Outlook {
        open_shifts,
        expiring,
    })
}

/// One pass over the worker's candidate shifts: how many are open to them, and how many each
/// credential kind puts at risk.
async fn count_candidates(
    conn: &impl ConnectionTrait,
    worker_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(u64, HashMap<String, u64>)> {
    let mut candidates = Candidates::read(conn, worker_id, &FeedFilter::default(), now).await?;
    let mut cursor = None;
    let mut open = 0;
    let mut at_risk: HashMap<String, u64> = HashMap::new();
    loop {
        let (batch, exhausted) = candidates.next_batch(conn, &mut cursor, now).await?;
        for judged in &batch {
            match standing(&judged.reasons) {
                Standing::Open => open += 1,
                Standing::AtRiskFrom(kind) => *at_risk.entry(kind).or_default() += 1,
                Standing::Closed => {}
            }
        }
        if exhausted {
            return Ok((open, at_risk));
        }
    }
}

/// The worker's credentials that count now (verified, unexpired, recognised by a trust) and
/// expire within `within_days` days, soonest first — leaving out any the worker has already
/// renewed (another that counts, of the same kind and at least its level, lasts longer).
async fn expiring_credentials(
    conn: &impl ConnectionTrait,
    worker_id: Uuid,
    within_days: i32,
    now: DateTime<Utc>,
) -> Result<Vec<(credential::Model, NaiveDate)>> {
    let today = london_date(now);
    let horizon = today + Duration::days(i64::from(within_days));
    let all = credential::Entity::find()
        .filter(credential::Column::WorkerId.eq(worker_id))
        .all(conn)
        .await?;
    let verified: Vec<credential::Model> = all
        .into_iter()
        .filter(|c| credentials::status_on(c, today) == CredentialStatus::Verified)
        .collect();
    let recognised: HashSet<Uuid> = if verified.is_empty() {
        HashSet::new()
    } else {
        credential_recognition::Entity::find()
            .select_only()
            .column(credential_recognition::Column::CredentialId)
            .filter(
                credential_recognition::Column::CredentialId.is_in(verified.iter().map(|c| c.id)),
            )
            .filter(credential_recognition::Column::WithdrawnAt.is_null())
            .into_tuple::<Uuid>()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    };
    let counting: Vec<&credential::Model> = verified
        .iter()
        .filter(|c| recognised.contains(&c.id))
        .collect();
    let mut out: Vec<(credential::Model, NaiveDate)> = counting
        .iter()
        .filter_map(|c| c.expires_on.filter(|e| *e <= horizon).map(|e| (*c, e)))
        .filter(|(c, expires_on)| {
            !counting.iter().any(|other| {
                other.id != c.id
                    && other.kind == c.kind
                    && other.level >= c.level
                    && other.expires_on.is_none_or(|e| e > *expires_on)
            })
        })
        .map(|(c, e)| (c.clone(), e))
        .collect();
    out.sort_by(|(a, ea), (b, eb)| ea.cmp(eb).then_with(|| a.kind.cmp(&b.kind)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lapses(kind: &str) -> Reason {
        Reason::ExpiresBeforeShiftEnds {
            requirement: kind.to_owned(),
            valid_until: Some(NaiveDate::MIN),
        }
    }

    #[test]
    fn a_shift_is_at_risk_only_when_one_kind_lapsing_is_all_that_stops_it() {
        assert_eq!(standing(&[]), Standing::Open);
        assert_eq!(
            standing(&[lapses("BASIC_LIFE_SUPPORT")]),
            Standing::AtRiskFrom("BASIC_LIFE_SUPPORT".into())
        );
        assert_eq!(
            standing(&[lapses("BASIC_LIFE_SUPPORT"), lapses("FIRE_SAFETY")]),
            Standing::Closed
        );
        assert_eq!(
            standing(&[lapses("BASIC_LIFE_SUPPORT"), Reason::BlockedByTrust]),
            Standing::Closed
        );
        assert_eq!(standing(&[Reason::BlockedByTrust]), Standing::Closed);
    }
}
