//! What is expiring soon at a trust, for its HR: the credentials of the workers engaged there that
//! stop counting for a requirement of the trust within the days asked, soonest first, each with the
//! worker's active bookings at the trust that the expiry would hit.
//!
//! Every rule comes from the one compliance evaluator ([`compliance::evaluate_many`]), asked now,
//! as the marketplace's judge asks it ([`crate::eligibility::judge`]):
//! - a credential is listed when it *decides* a satisfied item (the item's credential is this
//!   one) at the trust, or at a ward where the worker is booked, and that item's `valid_until`
//!   (the first day it no longer counts: its expiry, or its requirement's maximum age if sooner) is
//!   within the days asked. So a credential no requirement here needs is not listed, nor one
//!   already renewed: the evaluator picks the longer-lasting renewal to decide the item instead;
//! - a booking is hit when its ward's report for the worker has an item decided by the credential,
//!   satisfied, with `valid_until <= london_date(booking.ends_at)` — exactly when the judge would
//!   refuse that shift with `EXPIRES_BEFORE_SHIFT_ENDS`. A booking at a ward whose requirements
//!   (for the worker's staff group) do not need the credential is not hit.
//!
//! `expires_on` is the earliest `valid_until` of the items the credential decides (a ward's
//! requirement may set a shorter maximum age than the trust's). Only the trust's own bookings are
//! listed: other trusts' bookings are theirs. Evaluation is batched: once at the trust and once per
//! booked ward, for the workers holding a credential that could stop counting by then.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::compliance::{self, Report, Subject};
use staffbank_bank::entity::{credential, credential_recognition, requirement, worker};
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
    /// The first day it no longer counts for a requirement here (the earliest, when a ward's
    /// requirement is stricter than the trust's).
    pub expires_on: NaiveDate,
    /// The plain name of its kind ("Basic life support").
    pub requirement_name: &'static str,
    /// The worker's active bookings at the trust that the expiry would stop them working (the
    /// credential decides an item of the booking's ward that lapses before the shift ends),
    /// soonest first.
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
    let horizon = london_date(now) + Duration::days(i64::from(within_days));
    let candidates = candidates(conn, trust_id, horizon).await?;
    let mut worker_ids: Vec<Uuid> = candidates.iter().map(|c| c.worker_id).collect();
    worker_ids.sort_unstable();
    worker_ids.dedup();
    if worker_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (found, bookings) = futures::try_join!(
        async { Ok::<_, crate::Error>(workers::by_ids(conn, &worker_ids).await?) },
        async {
            Ok::<_, crate::Error>(
                booking::Entity::find()
                    .filter(booking::Column::TrustId.eq(trust_id))
                    .filter(booking::Column::Active.eq(true))
                    .filter(booking::Column::EndsAt.gt(now))
                    .filter(booking::Column::WorkerId.is_in(worker_ids.iter().copied()))
                    .order_by_asc(booking::Column::StartsAt)
                    .order_by_asc(booking::Column::Id)
                    .all(conn)
                    .await?,
            )
        },
    )?;
    let found: HashMap<Uuid, worker::Model> = found.into_iter().map(|w| (w.id, w)).collect();
    // The workers booked on each ward, each once.
    let mut booked_on: BTreeMap<Uuid, Vec<Subject>> = BTreeMap::new();
    for b in &bookings {
        let Some(w) = found.get(&b.worker_id) else {
            continue;
        };
        let on_ward = booked_on.entry(b.ward_id).or_default();
        if !on_ward.iter().any(|s| s.worker_id == w.id) {
            on_ward.push(Subject::from(w));
        }
    }
    let subjects: Vec<Subject> = found.values().map(Subject::from).collect();
    let (at_trust, at_wards) = futures::try_join!(
        async {
            Ok::<_, crate::Error>(
                compliance::evaluate_many(conn, trust_id, None, now, &subjects).await?,
            )
        },
        futures::future::try_join_all(booked_on.iter().map(|(ward_id, on_ward)| async move {
            let reports =
                compliance::evaluate_many(conn, trust_id, Some(*ward_id), now, on_ward).await?;
            Ok::<_, crate::Error>((*ward_id, reports))
        })),
    )?;
    let at_wards: HashMap<Uuid, HashMap<Uuid, Report>> = at_wards.into_iter().collect();
    let ward_report = |ward_id: Uuid, worker_id: Uuid| {
        at_wards
            .get(&ward_id)
            .and_then(|reports| reports.get(&worker_id))
    };
    let mut listed: Vec<Expiring> = candidates
        .into_iter()
        .filter_map(|credential| {
            let worker = found.get(&credential.worker_id)?;
            let mine: Vec<&booking::Model> = bookings
                .iter()
                .filter(|b| b.worker_id == worker.id)
                .collect();
            let expires_on = std::iter::once(at_trust.get(&worker.id))
                .chain(mine.iter().map(|b| ward_report(b.ward_id, worker.id)))
                .filter_map(|report| lapses_on(report?, credential.id))
                .min()
                .filter(|until| *until <= horizon)?;
            let bookings_hit = mine
                .into_iter()
                .filter(|b| {
                    ward_report(b.ward_id, worker.id)
                        .and_then(|report| lapses_on(report, credential.id))
                        .is_some_and(|until| until <= london_date(b.ends_at))
                })
                .cloned()
                .collect();
            Some(Expiring {
                requirement_name: catalogue::kind(&credential.kind).map_or("", |k| k.name),
                worker: worker.clone(),
                credential,
                expires_on,
                bookings_hit,
            })
        })
        .collect();
    listed.sort_by(|a, b| {
        a.expires_on
            .cmp(&b.expires_on)
            .then_with(|| a.credential.kind.cmp(&b.credential.kind))
            .then_with(|| a.credential.id.cmp(&b.credential.id))
    });
    let mut shown: Vec<&worker::Model> = listed.iter().map(|e| &e.worker).collect();
    shown.sort_unstable_by_key(|w| w.id);
    shown.dedup_by_key(|w| w.id);
    let looks: Vec<Look> = shown
        .into_iter()
        .map(|w| Look::at(w, Access::Engaged { trust_id }))
        .collect();
    if !looks.is_empty() {
        visibility::log_views(conn, clock, actor, &looks, Viewed::Credentials).await?;
    }
    Ok(listed)
}

/// The first day `credential_id` no longer counts in `report`: when it decides an item there that
/// is satisfied now (met, or expiring) and that lapses at all.
fn lapses_on(report: &Report, credential_id: Uuid) -> Option<NaiveDate> {
    report
        .items
        .iter()
        .filter(|i| i.credential_id == Some(credential_id) && i.status.satisfied())
        .filter_map(|i| i.valid_until)
        .min()
}

/// The credentials of workers engaged at the trust, recognised there, that could stop counting for
/// one of its requirements by `horizon`: of a kind some requirement here (at the trust or a ward)
/// needs, and expiring by then or old enough by then to outgrow that kind's shortest maximum age.
/// Only narrows whom to evaluate: whether one counts, and until when, the evaluator decides.
async fn candidates(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    horizon: NaiveDate,
) -> Result<Vec<credential::Model>> {
    let engaged = staffbank_bank::membership::engaged_at(trust_id).into_query();
    let recognised_here = credential_recognition::Entity::find()
        .select_only()
        .column(credential_recognition::Column::CredentialId)
        .filter(credential_recognition::Column::TrustId.eq(trust_id))
        .filter(credential_recognition::Column::WithdrawnAt.is_null())
        .into_query();
    let (required, held) = futures::try_join!(
        requirement::Entity::find()
            .select_only()
            .column(requirement::Column::Kind)
            .column(requirement::Column::MaxAgeDays)
            .filter(requirement::Column::TrustId.eq(trust_id))
            .filter(requirement::Column::RetiredAt.is_null())
            .into_tuple::<(String, Option<i32>)>()
            .all(conn),
        credential::Entity::find()
            .filter(credential::Column::WorkerId.in_subquery(engaged))
            .filter(credential::Column::Id.in_subquery(recognised_here))
            .all(conn),
    )?;
    // The shortest maximum age any requirement sets for each kind required here (none: no age).
    let mut shortest_age: HashMap<String, Option<i32>> = HashMap::new();
    for (kind, age) in required {
        shortest_age
            .entry(kind)
            .and_modify(|a| {
                *a = match (*a, age) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
            })
            .or_insert(age);
    }
    Ok(held
        .into_iter()
        .filter(|c| {
            let Some(age) = shortest_age.get(&c.kind) else {
                return false;
            };
            let outgrown = age.is_some_and(|d| {
                c.valid_from
                    .checked_add_signed(Duration::days(i64::from(d)))
                    .is_some_and(|until| until <= horizon)
            });
            outgrown || c.expires_on.is_some_and(|e| e <= horizon)
        })
        .collect())
}
