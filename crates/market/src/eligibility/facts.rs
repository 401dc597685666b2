//! The facts a judgement needs, loaded from the database in batches: the shift with its grades,
//! skills, cascade and policy; each worker's standing at the trust, place on the preferred list and
//! booked work; and what the reader may see of each worker.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use staffbank_bank::compliance::Report;
use staffbank_bank::entity::{membership, worker};
use staffbank_bank::membership::{Consent, MembershipState};
use staffbank_bank::skills;
use staffbank_bank::visibility::{self, TRUST_STAFF};
use staffbank_core::Actor;
use uuid::Uuid;

use super::judge::Sight;
use crate::entity::{booking, preferred_worker, shift, shift_grade, shift_tier};
use crate::error::Result;
use crate::policy::{self, Policy};
use crate::release_cascade;
use crate::restrictions::{self, RestrictionKind};
use crate::working_time::{self, Work};

/// Workers per query when loading facts (keeps bind parameters within database limits).
const CHUNK: usize = 500;

/// A shift with everything needed to judge workers against it.
#[derive(Debug, Clone)]
pub struct ShiftView {
    /// The shift.
    pub shift: shift::Model,
    /// Accepted grades, the grade asked for first.
    pub grades: Vec<String>,
    /// Skills needed.
    pub skills: Vec<String>,
    /// Its cascade, in order.
    pub tiers: Vec<shift_tier::Model>,
    /// Its trust's policy.
    pub policy: Policy,
}

/// Loads the views of these shifts (three queries).
///
/// # Errors
/// Database errors.
pub async fn views(
    conn: &impl ConnectionTrait,
    shifts: Vec<shift::Model>,
) -> Result<Vec<ShiftView>> {
    let ids: Vec<Uuid> = shifts.iter().map(|s| s.id).collect();
    let mut grades: HashMap<Uuid, Vec<String>> = HashMap::new();
    let mut tiers: HashMap<Uuid, Vec<shift_tier::Model>> = HashMap::new();
    let mut trusts: Vec<Uuid> = shifts.iter().map(|s| s.trust_id).collect();
    trusts.sort_unstable();
    trusts.dedup();
    let loaded = async {
        for chunk in ids.chunks(CHUNK) {
            let (gs, ts) = futures::try_join!(
                async {
                    Ok::<_, crate::Error>(
                        shift_grade::Entity::find()
                            .filter(shift_grade::Column::ShiftId.is_in(chunk.iter().copied()))
                            .order_by_asc(shift_grade::Column::Preference)
                            .all(conn)
                            .await?,
                    )
                },
                release_cascade::tiers_of(conn, chunk),
            )?;
            for g in gs {
                grades.entry(g.shift_id).or_default().push(g.grade);
            }
            for t in ts {
                tiers.entry(t.shift_id).or_default().push(t);
            }
        }
        Ok::<_, crate::Error>(())
    };
    let ((), policies) = futures::try_join!(loaded, policy::of_trusts(conn, &trusts))?;
    Ok(shifts
        .into_iter()
        .map(|s| ShiftView {
            grades: grades.remove(&s.id).unwrap_or_default(),
            skills: skills::from_json(&s.skills),
            tiers: tiers.remove(&s.id).unwrap_or_default(),
            policy: policies.get(&s.trust_id).copied().unwrap_or_default(),
            shift: s,
        })
        .collect())
}

/// Work a worker has booked, with when it was booked.
#[derive(Debug, Clone, Copy)]
pub struct Booked {
    /// The work.
    pub work: Work,
    /// When it was booked.
    pub booked_at: DateTime<Utc>,
    /// The trust it is at.
    pub trust_id: Uuid,
}

/// A worker's standing at one trust.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standing {
    /// The trust's standing decision about them there (active, suspended, dormant), if they have
    /// a membership there at all, whatever their consent: ending an engagement is no way round a
    /// suspension.
    pub membership: Option<MembershipState>,
    /// Engaged there with their consent (home trust, or an accepted proposal not ended): only
    /// then are they in the trust's own tier.
    pub engaged: bool,
    /// Blocked by the trust.
    pub blocked: bool,
    /// Self-booking suspended by the trust.
    pub self_booking_suspended: bool,
}

/// What is known about one worker when judging one shift.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The worker.
    pub worker: &'a worker::Model,
    /// Their standing at the shift's trust.
    pub standing: Standing,
    /// On the ward's preferred list.
    pub preferred: bool,
    /// Their compliance at the shift's trust and ward, evaluated now.
    pub compliance: Option<&'a Report>,
    /// Their active bookings around the shift (at every trust).
    pub booked: &'a [Booked],
}

/// Whom reasons are for: they carry only the details the reader may see.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// The service itself (reasons that are never shown): every detail.
    Service,
    /// A signed-in caller.
    Caller(&'a Actor),
}

/// What `reader` may see of each of `workers` (two queries for trust staff, none otherwise).
///
/// # Errors
/// Database errors.
pub async fn sights(
    conn: &impl ConnectionTrait,
    reader: Reader<'_>,
    workers: &[worker::Model],
) -> Result<HashMap<Uuid, Sight>> {
    let actor = match reader {
        Reader::Service => {
            return Ok(workers
                .iter()
                .map(|w| (w.id, Sight::everything()))
                .collect());
        }
        Reader::Caller(a) if a.is_service() => {
            return Ok(workers
                .iter()
                .map(|w| (w.id, Sight::everything()))
                .collect());
        }
        Reader::Caller(a) => a,
    };
    let others: Vec<worker::Model> = workers
        .iter()
        .filter(|w| actor.worker_id() != Some(w.id))
        .cloned()
        .collect();
    let full: HashSet<Uuid> = if others.is_empty() {
        HashSet::new()
    } else {
        visibility::access_to_many(conn, actor, &others)
            .await?
            .into_iter()
            .filter(|(_, a)| a.is_full())
            .map(|(id, _)| id)
            .collect()
    };
    let trusts = actor.trusts_with(&TRUST_STAFF);
    Ok(workers
        .iter()
        .map(|w| {
            let sight = if actor.worker_id() == Some(w.id) {
                Sight::everything()
            } else {
                Sight {
                    everything: false,
                    record: full.contains(&w.id),
                    trusts: trusts.clone(),
                    all_bookings: actor.is_system_admin(w.system_id),
                }
            };
            (w.id, sight)
        })
        .collect())
}

/// The window of booked work that matters to `shift` judged at `now`: the working-time window,
/// widened back to the start of any dormancy period.
#[must_use]
pub fn booked_window(view: &ShiftView, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let (from, to) = working_time::relevant_window(view.shift.starts_at);
    let dormancy = now - Duration::days(i64::from(view.policy.dormancy_days));
    (from.min(dormancy), to)
}

/// The active bookings of these workers that overlap `[from, to)`, by worker.
///
/// # Errors
/// Database errors.
pub async fn booked_work(
    conn: &impl ConnectionTrait,
    worker_ids: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<HashMap<Uuid, Vec<Booked>>> {
    let mut out: HashMap<Uuid, Vec<Booked>> = HashMap::new();
    for chunk in worker_ids.chunks(CHUNK) {
        let rows = booking::Entity::find()
            .filter(booking::Column::WorkerId.is_in(chunk.iter().copied()))
            .filter(booking::Column::Active.eq(true))
            .filter(booking::Column::EndsAt.gt(from))
            .filter(booking::Column::StartsAt.lt(to))
            .all(conn)
            .await?;
        for b in rows {
            out.entry(b.worker_id).or_default().push(Booked {
                work: Work {
                    booking_id: Some(b.id),
                    starts_at: b.starts_at,
                    ends_at: b.ends_at,
                    worked_minutes: b.worked_minutes,
                },
                booked_at: b.created_at,
                trust_id: b.trust_id,
            });
        }
    }
    Ok(out)
}

/// These workers' standing at one trust (two queries per chunk).
///
/// # Errors
/// Database errors.
pub async fn standings_at(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    worker_ids: &[Uuid],
) -> Result<HashMap<Uuid, Standing>> {
    let mut out: HashMap<Uuid, Standing> = HashMap::new();
    for chunk in worker_ids.chunks(CHUNK) {
        for m in membership::Entity::find()
            .filter(membership::Column::TrustId.eq(trust_id))
            .filter(membership::Column::WorkerId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?
        {
            let st = out.entry(m.worker_id).or_default();
            st.membership = Some(m.state);
            st.engaged = m.consent == Consent::Accepted;
        }
        for r in restrictions::in_force(conn, Some(trust_id), chunk).await? {
            let s = out.entry(r.worker_id).or_default();
            match r.kind {
                RestrictionKind::Blocked => s.blocked = true,
                RestrictionKind::SelfBookingSuspended => s.self_booking_suspended = true,
            }
        }
    }
    Ok(out)
}

/// One worker's standing at every trust where they have one.
///
/// # Errors
/// Database errors.
pub async fn standings_of(
    conn: &impl ConnectionTrait,
    worker_id: Uuid,
) -> Result<HashMap<Uuid, Standing>> {
    let mut out: HashMap<Uuid, Standing> = HashMap::new();
    for m in membership::Entity::find()
        .filter(membership::Column::WorkerId.eq(worker_id))
        .all(conn)
        .await?
    {
        let st = out.entry(m.trust_id).or_default();
        st.membership = Some(m.state);
        st.engaged = m.consent == Consent::Accepted;
    }
    for r in restrictions::in_force(conn, None, &[worker_id]).await? {
        let s = out.entry(r.trust_id).or_default();
        match r.kind {
            RestrictionKind::Blocked => s.blocked = true,
            RestrictionKind::SelfBookingSuspended => s.self_booking_suspended = true,
        }
    }
    Ok(out)
}

/// The preferred workers of a ward.
///
/// # Errors
/// Database errors.
pub async fn preferred_of_ward(
    conn: &impl ConnectionTrait,
    ward_id: Uuid,
) -> Result<HashSet<Uuid>> {
    Ok(preferred_worker::Entity::find()
        .filter(preferred_worker::Column::WardId.eq(ward_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| p.worker_id)
        .collect())
}
