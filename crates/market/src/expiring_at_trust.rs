//! What is expiring soon at a trust, for its HR: the credentials of the workers engaged there that
//! the trust recognises now and that stop counting within the days asked, soonest first, each with
//! the worker's active bookings at the trust that the expiry would hit (a shift ending on or after
//! the day the credential stops counting: a worker is compliant only if every item is still valid
//! at the shift's end). A credential already renewed (another the trust recognises, of the same
//! kind and at least its level, lasts longer) is left out. Only the trust's own bookings are
//! listed: other trusts' bookings are theirs.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use staffbank_bank::credentials::{self, CredentialStatus};
use staffbank_bank::entity::{credential, credential_recognition, membership, worker};
use staffbank_bank::membership::Consent;
use staffbank_bank::organisation::authorize_at_trust;
use staffbank_bank::visibility::{self, Access, Look, Viewed};
use staffbank_bank::{catalogue, workers};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Role};
use uuid::Uuid;

use crate::entity::booking;
use crate::error::{Result, validation};
use crate::outlook::MAX_WITHIN_DAYS;

/// One credential expiring soon at the trust.
#[derive(Debug, Clone)]
pub struct Expiring {
    /// The credential.
    pub credential: credential::Model,
    /// Its worker.
    pub worker: worker::Model,
    /// The first day it no longer counts.
    pub expires_on: NaiveDate,
    /// The plain name of its kind ("Basic life support").
    pub requirement_name: &'static str,
    /// The worker's active bookings at the trust that end on or after `expires_on`, soonest first.
    pub bookings_hit: Vec<booking::Model>,
}

/// The credentials expiring within `within_days` days (1 to [`MAX_WITHIN_DAYS`]) at `trust_id`,
/// soonest first, for its HR.
///
/// # Errors
/// Not found (a trust of another bank); forbidden (not HR of the trust); validation
/// (`within_days`).
pub async fn expiring_at_trust(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    within_days: i32,
) -> Result<Vec<Expiring>> {
    authorize_at_trust(conn, actor, trust_id, &[Role::Hr]).await?;
    // Credential details are for the trust's own HR: a system admin of the bank sees workers only
    // in summary, so is refused here too.
    if !actor.has_trust_role(Role::Hr, trust_id) && !actor.is_service() {
        return Err(staffbank_core::actor::forbidden_for(&[Role::Hr], "this trust").into());
    }
    if !(1..=MAX_WITHIN_DAYS).contains(&within_days) {
        return Err(validation(format!(
            "withinDays must be 1 to {MAX_WITHIN_DAYS}"
        )));
    }
    let now: DateTime<Utc> = clock.now();
    let today = london_date(now);
    let horizon = today + Duration::days(i64::from(within_days));
    let engaged = membership::Entity::find()
        .select_only()
        .column(membership::Column::WorkerId)
        .filter(membership::Column::TrustId.eq(trust_id))
        .filter(membership::Column::Consent.eq(Consent::Accepted.as_str()))
        .into_query();
    let recognised_here = credential_recognition::Entity::find()
        .select_only()
        .column(credential_recognition::Column::CredentialId)
        .filter(credential_recognition::Column::TrustId.eq(trust_id))
        .filter(credential_recognition::Column::WithdrawnAt.is_null())
        .into_query();
    let counting: Vec<credential::Model> = credential::Entity::find()
        .filter(credential::Column::WorkerId.in_subquery(engaged))
        .filter(credential::Column::Id.in_subquery(recognised_here))
        .all(conn)
        .await?
        .into_iter()
        .filter(|c| credentials::status_on(c, today) == CredentialStatus::Verified)
        .collect();
    let mut soon: Vec<(credential::Model, NaiveDate)> = counting
        .iter()
        .filter_map(|c| c.expires_on.filter(|e| *e <= horizon).map(|e| (c, e)))
        .filter(|(c, expires_on)| {
            !counting.iter().any(|other| {
                other.id != c.id
                    && other.worker_id == c.worker_id
                    && other.kind == c.kind
                    && other.level >= c.level
                    && other.expires_on.is_none_or(|e| e > *expires_on)
            })
        })
        .map(|(c, e)| (c.clone(), e))
        .collect();
    soon.sort_by(|(a, ea), (b, eb)| {
        ea.cmp(eb)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut worker_ids: Vec<Uuid> = soon.iter().map(|(c, _)| c.worker_id).collect();
    worker_ids.sort_unstable();
    worker_ids.dedup();
    if worker_ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: HashMap<Uuid, worker::Model> = workers::by_ids(conn, &worker_ids)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let bookings = booking::Entity::find()
        .filter(booking::Column::TrustId.eq(trust_id))
        .filter(booking::Column::Active.eq(true))
        .filter(booking::Column::EndsAt.gt(now))
        .filter(booking::Column::WorkerId.is_in(worker_ids.iter().copied()))
        .order_by_asc(booking::Column::StartsAt)
        .all(conn)
        .await?;
    let looks: Vec<Look> = found
        .values()
        .map(|w| Look::at(w, Access::Engaged { trust_id }))
        .collect();
    visibility::log_views(conn, clock, actor, &looks, Viewed::Credentials).await?;
    let mut seen = HashSet::new();
    Ok(soon
        .into_iter()
        .filter(|(c, _)| seen.insert(c.id))
        .filter_map(|(credential, expires_on)| {
            let worker = found.get(&credential.worker_id)?.clone();
            let bookings_hit = bookings
                .iter()
                .filter(|b| b.worker_id == worker.id && london_date(b.ends_at) >= expires_on)
                .cloned()
                .collect();
            Some(Expiring {
                requirement_name: catalogue::kind(&credential.kind).map_or("", |k| k.name),
                credential,
                worker,
                expires_on,
                bookings_hit,
            })
        })
        .collect())
}
