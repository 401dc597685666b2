//! Whether a worker may work a shift, and if not, every reason why — in one place, used alike by
//! the ranked list of workers for a shift, a worker's feed of shifts, the announcement of tiers,
//! and the booking transaction.
//!
//! Judging is a pure function of facts loaded in batches: for one shift and any number of workers
//! [`judge_many`] costs eight queries (standing at the trust, preferred list, compliance, booked
//! work), never one per worker — and two more for a caller who is trust staff (what they may see).
//!
//! Reasons are given to someone, and carry only what that someone may see ([`Reader`]): the id of
//! an overlapping booking only when the caller may see that booking (it is theirs, or at a trust
//! where they work); the minutes of rest or of the weekly average only when every booking they
//! come from is one the caller may see; a credential's date, and the worker's last activity, only
//! to callers who may see the worker's record. The verdict (which reasons, and their codes) is the
//! same for everyone: only the details are withheld.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use staffbank_bank::compliance::{self, ItemStatus, Report, Subject};
use staffbank_bank::entity::{membership, worker};
use staffbank_bank::membership::{Consent, MembershipState};
use staffbank_bank::skills;
use staffbank_bank::visibility::{self, TRUST_STAFF};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, StaffGroup, code};
use uuid::Uuid;

use crate::entity::{booking, preferred_worker, shift, shift_grade, shift_tier};
use crate::error::Result;
use crate::policy::{self, Policy};
use crate::release_cascade::{self, Audience, Reach};
use crate::restrictions::{self, RestrictionKind};
use crate::working_time::{self, Breach, Work};

/// Workers per query when loading facts (keeps bind parameters within database limits).
const CHUNK: usize = 500;

/// Why a worker may not work a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The shift is for another staff group.
    StaffGroup {
        /// The shift's staff group.
        required: String,
    },
    /// The worker's grade is neither the grade asked for nor an allowed fallback.
    GradeOutsideRange {
        /// The worker's grade.
        grade: String,
        /// The grades the shift accepts.
        accepted: Vec<String>,
    },
    /// The worker lacks a skill the ward or shift needs.
    MissingSkill {
        /// The skill.
        skill: String,
    },
    /// A requirement of the trust (or ward) is not met now.
    NotCompliant {
        /// The credential kind required.
        requirement: String,
        /// MISSING, EXPIRED or PENDING_VERIFICATION.
        status: ItemStatus,
    },
    /// A requirement is met now but lapses before the shift ends.
    ExpiresBeforeShiftEnds {
        /// The credential kind required.
        requirement: String,
        /// The last day it counts is the day before this (withheld from callers who may not see
        /// the worker's credentials).
        valid_until: Option<NaiveDate>,
    },
    /// The worker is booked on a shift at the same time (at any trust).
    OverlappingBooking {
        /// That booking, when known and the caller may see it.
        booking_id: Option<Uuid>,
    },
    /// Less than 11 hours' rest after the worker's previous shift.
    RestBefore {
        /// The rest there would be (withheld when it comes from a booking the caller may not see).
        rest_minutes: Option<i64>,
    },
    /// Less than 11 hours' rest before the worker's next shift.
    RestAfter {
        /// The rest there would be (withheld when it comes from a booking the caller may not see).
        rest_minutes: Option<i64>,
    },
    /// Over 48 hours a week averaged over 17 weeks, across all bookings, without an opt-out.
    WeeklyHoursAverage {
        /// The weekly average there would be (withheld when it counts bookings the caller may not
        /// see).
        average_minutes: Option<i64>,
    },
    /// No tier that reaches the worker is open yet.
    TierNotOpen {
        /// When the first tier reaching them opens (none: no tier of this shift reaches them).
        opens_at: Option<DateTime<Utc>>,
    },
    /// The trust has blocked the worker.
    BlockedByTrust,
    /// No shift and no reconfirmation for too long: the worker must reconfirm first.
    Dormant {
        /// Their last activity (withheld from callers who may not see the worker's record, or when
        /// it was a booking the caller may not see).
        since: Option<DateTime<Utc>>,
    },
    /// The trust has suspended the worker.
    Suspended,
    /// The trust has suspended the worker's self-booking (a bank office may still book them).
    SelfBookingSuspended,
}

impl Reason {
    /// The stable code clients match on.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::StaffGroup { .. } => "STAFF_GROUP",
            Self::GradeOutsideRange { .. } => "GRADE_OUTSIDE_RANGE",
            Self::MissingSkill { .. } => "MISSING_SKILL",
            Self::NotCompliant { .. } => "NOT_COMPLIANT",
            Self::ExpiresBeforeShiftEnds { .. } => "EXPIRES_BEFORE_SHIFT_ENDS",
            Self::OverlappingBooking { .. } => "OVERLAPPING_BOOKING",
            Self::RestBefore { .. } => "INSUFFICIENT_REST_BEFORE",
            Self::RestAfter { .. } => "INSUFFICIENT_REST_AFTER",
            Self::WeeklyHoursAverage { .. } => "WEEKLY_HOURS_AVERAGE",
            Self::TierNotOpen { .. } => "TIER_NOT_OPEN",
            Self::BlockedByTrust => "BLOCKED_BY_TRUST",
            Self::Dormant { .. } => "DORMANT",
            Self::Suspended => "SUSPENDED",
            Self::SelfBookingSuspended => "SELF_BOOKING_SUSPENDED",
        }
    }

    /// A sentence for people.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::StaffGroup { required } => format!("the shift is for staff group {required}"),
            Self::GradeOutsideRange { grade, accepted } => format!(
                "grade {grade} is not one the shift accepts ({})",
                accepted.join(", ")
            ),
            Self::MissingSkill { skill } => format!("the shift needs the skill {skill}"),
            Self::NotCompliant {
                requirement,
                status,
            } => format!(
                "not compliant at this trust: {requirement} is {}",
                status.as_str().to_lowercase().replace('_', " ")
            ),
            Self::ExpiresBeforeShiftEnds {
                requirement,
                valid_until: Some(valid_until),
            } => format!("{requirement} expires on {valid_until}, before the shift ends"),
            Self::ExpiresBeforeShiftEnds {
                requirement,
                valid_until: None,
            } => format!("{requirement} expires before the shift ends"),
            Self::OverlappingBooking { .. } => {
                "already booked on a shift at the same time".to_owned()
            }
            Self::RestBefore {
                rest_minutes: Some(m),
            } => format!(
                "only {} of rest after the previous shift (11 hours needed)",
                hours_minutes(*m)
            ),
            Self::RestBefore { rest_minutes: None } => {
                "less than 11 hours of rest after the previous shift".to_owned()
            }
            Self::RestAfter {
                rest_minutes: Some(m),
            } => format!(
                "only {} of rest before the next shift (11 hours needed)",
                hours_minutes(*m)
            ),
            Self::RestAfter { rest_minutes: None } => {
                "less than 11 hours of rest before the next shift".to_owned()
            }
            Self::WeeklyHoursAverage {
                average_minutes: Some(m),
            } => format!(
                "would average {} a week over 17 weeks (48 hours allowed without an opt-out)",
                hours_minutes(*m)
            ),
            Self::WeeklyHoursAverage {
                average_minutes: None,
            } => "would average over 48 hours a week over 17 weeks, without an opt-out".to_owned(),
            Self::TierNotOpen { opens_at: Some(at) } => {
                format!("the shift is not yet offered to this worker (from {at})")
            }
            Self::TierNotOpen { opens_at: None } => {
                "the shift's release cascade does not reach this worker".to_owned()
            }
            Self::BlockedByTrust => "blocked by the trust".to_owned(),
            Self::Dormant { since: Some(since) } => format!(
                "dormant: no shift or reconfirmation since {}; the worker must reconfirm",
                london_date(*since)
            ),
            Self::Dormant { since: None } => {
                "dormant: no shift or reconfirmation for too long; the worker must reconfirm"
                    .to_owned()
            }
            Self::Suspended => "suspended at this trust".to_owned(),
            Self::SelfBookingSuspended => {
                "self-booking is suspended at this trust after short-notice cancellations or \
                 no-shows; the bank office can still book"
                    .to_owned()
            }
        }
    }

    /// As shown in `extensions.details.reasons` of a `NOT_ELIGIBLE` error.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = json!({ "code": self.code(), "message": self.message() });
        let extra = match self {
            Self::StaffGroup { required } => json!({ "staffGroup": required }),
            Self::GradeOutsideRange { grade, accepted } => {
                json!({ "grade": grade, "accepted": accepted })
            }
            Self::MissingSkill { skill } => json!({ "skill": skill }),
            Self::NotCompliant {
                requirement,
                status,
            } => json!({ "requirement": requirement, "status": status.as_str() }),
            Self::ExpiresBeforeShiftEnds {
                requirement,
                valid_until,
            } => json!({ "requirement": requirement, "validUntil": valid_until }),
            Self::OverlappingBooking { booking_id } => json!({ "bookingId": booking_id }),
            Self::RestBefore { rest_minutes } | Self::RestAfter { rest_minutes } => {
                json!({ "minutes": rest_minutes })
            }
            Self::WeeklyHoursAverage { average_minutes } => json!({ "minutes": average_minutes }),
            Self::TierNotOpen { opens_at } => json!({ "opensAt": opens_at }),
            Self::Dormant { since } => json!({ "since": since }),
            Self::BlockedByTrust | Self::Suspended | Self::SelfBookingSuspended => json!({}),
        };
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    }
}

fn hours_minutes(minutes: i64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

/// Who is booking: a worker for themself, or a bank office for a named worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The worker books themself (self-booking suspensions apply).
    SelfBooking,
    /// A bank office books (or looks for) a worker.
    BankOffice,
}

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

/// Every reason `facts.worker` may not work `view.shift`, in a fixed order; empty when eligible.
#[must_use]
pub fn judge(view: &ShiftView, facts: &Facts<'_>, mode: Mode, now: DateTime<Utc>) -> Vec<Reason> {
    let s = &view.shift;
    let w = facts.worker;
    let mut out = Vec::new();
    if w.staff_group != s.staff_group {
        out.push(Reason::StaffGroup {
            required: code::of(&s.staff_group),
        });
    }
    if !view.grades.contains(&w.grade) {
        out.push(Reason::GradeOutsideRange {
            grade: w.grade.clone(),
            accepted: view.grades.clone(),
        });
    }
    let held = skills::from_json(&w.skills);
    for skill in view.skills.iter().filter(|k| !held.contains(k)) {
        out.push(Reason::MissingSkill {
            skill: skill.clone(),
        });
    }
    if let Some(report) = facts.compliance {
        let end_date = london_date(s.ends_at);
        for item in &report.items {
            if !item.status.satisfied() {
                out.push(Reason::NotCompliant {
                    requirement: item.kind.clone(),
                    status: item.status,
                });
            } else if let Some(until) = item.valid_until.filter(|u| *u <= end_date) {
                out.push(Reason::ExpiresBeforeShiftEnds {
                    requirement: item.kind.clone(),
                    valid_until: Some(until),
                });
            }
        }
    }
    let new = Work {
        booking_id: None,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        worked_minutes: s.worked_minutes,
    };
    let booked: Vec<Work> = facts.booked.iter().map(|b| b.work).collect();
    for breach in working_time::breaches(&booked, &new, w.wtr_opt_out_at.is_some()) {
        out.push(match breach {
            Breach::Overlap { booking_id } => Reason::OverlappingBooking { booking_id },
            Breach::RestBefore { rest_minutes } => Reason::RestBefore {
                rest_minutes: Some(rest_minutes),
            },
            Breach::RestAfter { rest_minutes } => Reason::RestAfter {
                rest_minutes: Some(rest_minutes),
            },
            Breach::WeeklyAverage {
                average_minutes, ..
            } => Reason::WeeklyHoursAverage {
                average_minutes: Some(average_minutes),
            },
        });
    }
    let reach = Reach {
        preferred: facts.preferred,
        engaged: facts.standing.engaged,
        same_bank: w.system_id == s.system_id,
    };
    match release_cascade::first_reaching(&view.tiers, reach) {
        Some(t) if t.opens_at <= now => {}
        Some(t) => out.push(Reason::TierNotOpen {
            opens_at: Some(t.opens_at),
        }),
        None => out.push(Reason::TierNotOpen { opens_at: None }),
    }
    if facts.standing.blocked {
        out.push(Reason::BlockedByTrust);
    }
    let since = last_activity(w, facts.booked, now);
    if facts.standing.membership == Some(MembershipState::Dormant)
        || now - since > Duration::days(i64::from(view.policy.dormancy_days))
    {
        out.push(Reason::Dormant { since: Some(since) });
    }
    if facts.standing.membership == Some(MembershipState::Suspended) {
        out.push(Reason::Suspended);
    }
    if mode == Mode::SelfBooking && facts.standing.self_booking_suspended {
        out.push(Reason::SelfBookingSuspended);
    }
    out
}

/// The worker's last sign of activity: registering, reconfirming, booking, or working a shift.
fn last_activity(w: &worker::Model, booked: &[Booked], now: DateTime<Utc>) -> DateTime<Utc> {
    last_activity_at(w, booked, now).0
}

/// The worker's last sign of activity, with the trust of the booking it was (none when it was
/// registering or reconfirming).
fn last_activity_at(
    w: &worker::Model,
    booked: &[Booked],
    now: DateTime<Utc>,
) -> (DateTime<Utc>, Option<Uuid>) {
    booked
        .iter()
        .flat_map(|b| {
            [
                Some((b.booked_at, Some(b.trust_id))),
                (b.work.ends_at <= now).then_some((b.work.ends_at, Some(b.trust_id))),
            ]
        })
        .flatten()
        .chain(w.reconfirmed_at.map(|at| (at, None)))
        .fold((w.created_at, None), |best, next| {
            if next.0 > best.0 { next } else { best }
        })
}

/// Whom reasons are for: they carry only the details the reader may see.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// The service itself (reasons that are never shown): every detail.
    Service,
    /// A signed-in caller.
    Caller(&'a Actor),
}

/// What one reader may see of the facts behind one worker's reasons.
#[derive(Debug, Clone, Default)]
pub struct Sight {
    /// Everything: the service, or the worker themself.
    everything: bool,
    /// The worker's record and credentials (the caller's access to the worker is full).
    record: bool,
    /// Trusts whose bookings the caller may see (they are staff there).
    trusts: Vec<Uuid>,
    /// Every booking of the worker (a system admin of their bank).
    all_bookings: bool,
}

impl Sight {
    /// Every detail.
    #[must_use]
    pub fn everything() -> Self {
        Self {
            everything: true,
            ..Self::default()
        }
    }

    fn sees_booking_at(&self, trust_id: Uuid) -> bool {
        self.everything || self.all_bookings || self.trusts.contains(&trust_id)
    }

    /// `reasons` (judged from `facts` against `view`) with what this reader may not see left out.
    #[must_use]
    pub fn shown(
        &self,
        view: &ShiftView,
        facts: &Facts<'_>,
        now: DateTime<Utc>,
        reasons: Vec<Reason>,
    ) -> Vec<Reason> {
        if self.everything {
            return reasons;
        }
        let s = &view.shift;
        let hidden = |b: &&Booked| !self.sees_booking_at(b.trust_id);
        let hidden_before = facts.booked.iter().filter(hidden).any(|b| {
            b.work.ends_at <= s.starts_at && s.starts_at - b.work.ends_at < working_time::MIN_REST
        });
        let hidden_after = facts.booked.iter().filter(hidden).any(|b| {
            b.work.starts_at >= s.ends_at && b.work.starts_at - s.ends_at < working_time::MIN_REST
        });
        let any_hidden = facts.booked.iter().any(|b| hidden(&b));
        reasons
            .into_iter()
            .map(|r| match r {
                Reason::ExpiresBeforeShiftEnds {
                    requirement,
                    valid_until,
                } => Reason::ExpiresBeforeShiftEnds {
                    requirement,
                    valid_until: valid_until.filter(|_| self.record),
                },
                Reason::OverlappingBooking { booking_id } => Reason::OverlappingBooking {
                    booking_id: booking_id.filter(|id| {
                        facts.booked.iter().any(|b| {
                            b.work.booking_id == Some(*id) && self.sees_booking_at(b.trust_id)
                        })
                    }),
                },
                Reason::RestBefore { rest_minutes } => Reason::RestBefore {
                    rest_minutes: rest_minutes.filter(|_| !hidden_before),
                },
                Reason::RestAfter { rest_minutes } => Reason::RestAfter {
                    rest_minutes: rest_minutes.filter(|_| !hidden_after),
                },
                Reason::WeeklyHoursAverage { average_minutes } => Reason::WeeklyHoursAverage {
                    average_minutes: average_minutes.filter(|_| !any_hidden),
                },
                Reason::Dormant { since } => {
                    let (_, at_trust) = last_activity_at(facts.worker, facts.booked, now);
                    let visible = match at_trust {
                        Some(t) => self.sees_booking_at(t),
                        None => self.record,
                    };
                    Reason::Dormant {
                        since: since.filter(|_| visible),
                    }
                }
                other => other,
            })
            .collect()
    }
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

/// Judges candidates known by id against one shift: their records are read together with every
/// other fact, at once on a pool. `staff_group` is the candidates' staff group when all share one
/// (the first cut of matching guarantees it), so compliance need not wait for their records.
/// Returns the candidates found, in the order given, with their reasons.
///
/// # Errors
/// Database errors.
pub async fn judge_candidates(
    conn: &impl ConnectionTrait,
    view: &ShiftView,
    ids: &[Uuid],
    staff_group: StaffGroup,
    mode: Mode,
    reader: Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<(worker::Model, Vec<Reason>)>> {
    let subjects: Vec<Subject> = ids
        .iter()
        .map(|id| Subject {
            worker_id: *id,
            staff_group,
        })
        .collect();
    let (from, to) = booked_window(view, now);
    let (mut found, standings, preferred, reports, booked) = futures::try_join!(
        async { Ok::<_, crate::Error>(staffbank_bank::workers::by_ids(conn, ids).await?) },
        standings_at(conn, view.shift.trust_id, ids),
        async {
            if release_cascade::has_tier(&view.tiers, Audience::Preferred) {
                preferred_of_ward(conn, view.shift.ward_id).await
            } else {
                Ok(HashSet::new())
            }
        },
        async {
            Ok(compliance::evaluate_many(
                conn,
                view.shift.trust_id,
                Some(view.shift.ward_id),
                now,
                &subjects,
            )
            .await?)
        },
        booked_work(conn, ids, from, to),
    )?;
    let sights = sights(conn, reader, &found).await?;
    let mut by_id: HashMap<Uuid, worker::Model> = found.drain(..).map(|w| (w.id, w)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|w| {
            let facts = Facts {
                worker: &w,
                standing: standings.get(&w.id).copied().unwrap_or_default(),
                preferred: preferred.contains(&w.id),
                compliance: reports.get(&w.id).filter(|_| w.staff_group == staff_group),
                booked: booked.get(&w.id).map(Vec::as_slice).unwrap_or_default(),
            };
            let reasons = judge(view, &facts, mode, now);
            let reasons = match sights.get(&w.id) {
                Some(sight) => sight.shown(view, &facts, now, reasons),
                None => Sight::default().shown(view, &facts, now, reasons),
            };
            (w, reasons)
        })
        .collect())
}

/// Judges many workers against one shift, with batched queries.
///
/// # Errors
/// Database errors.
pub async fn judge_many(
    conn: &impl ConnectionTrait,
    view: &ShiftView,
    workers: &[worker::Model],
    mode: Mode,
    reader: Reader<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, Vec<Reason>)>> {
    let ids: Vec<Uuid> = workers.iter().map(|w| w.id).collect();
    let subjects: Vec<Subject> = workers.iter().map(Subject::from).collect();
    let (from, to) = booked_window(view, now);
    // Independent reads: on a pool they run at once, each on its own connection.
    let (standings, preferred, reports, booked, sights) = futures::try_join!(
        standings_at(conn, view.shift.trust_id, &ids),
        async {
            if release_cascade::has_tier(&view.tiers, Audience::Preferred) {
                preferred_of_ward(conn, view.shift.ward_id).await
            } else {
                Ok(HashSet::new())
            }
        },
        async {
            Ok(compliance::evaluate_many(
                conn,
                view.shift.trust_id,
                Some(view.shift.ward_id),
                now,
                &subjects,
            )
            .await?)
        },
        booked_work(conn, &ids, from, to),
        sights(conn, reader, workers),
    )?;
    Ok(workers
        .iter()
        .map(|w| {
            let facts = Facts {
                worker: w,
                standing: standings.get(&w.id).copied().unwrap_or_default(),
                preferred: preferred.contains(&w.id),
                compliance: reports.get(&w.id),
                booked: booked.get(&w.id).map(Vec::as_slice).unwrap_or_default(),
            };
            let reasons = judge(view, &facts, mode, now);
            let reasons = match sights.get(&w.id) {
                Some(sight) => sight.shown(view, &facts, now, reasons),
                None => Sight::default().shown(view, &facts, now, reasons),
            };
            (w.id, reasons)
        })
        .collect())
}
