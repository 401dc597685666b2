//! The judge: whether a worker may work a shift, and every reason why not, from facts already
//! loaded — no I/O — and what of those reasons a reader may see.

use chrono::{DateTime, Duration, Utc};
use staffbank_bank::entity::worker;
use staffbank_bank::membership::MembershipState;
use staffbank_bank::skills;
use staffbank_core::time::london_date;
use uuid::Uuid;

use super::facts::{Booked, Facts, ShiftView};
use super::reasons::Reason;
use crate::release_cascade::{self, Reach};
use crate::working_time::{self, Breach, Work};

/// Who is booking: a worker for themself, or a bank office for a named worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The worker books themself (self-booking suspensions apply).
    SelfBooking,
    /// A bank office books (or looks for) a worker.
    BankOffice,
}

/// Every reason `facts.worker` may not work `view.shift`, in a fixed order; empty when eligible.
#[must_use]
pub fn judge(view: &ShiftView, facts: &Facts<'_>, mode: Mode, now: DateTime<Utc>) -> Vec<Reason> {
    let s = &view.shift;
    let w = facts.worker;
    let mut out = Vec::new();
    if w.staff_group != s.staff_group {
        out.push(Reason::StaffGroup {
            required: s.staff_group.clone(),
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

/// What one reader may see of the facts behind one worker's reasons.
#[derive(Debug, Clone, Default)]
pub struct Sight {
    /// Everything: the service, or the worker themself.
    pub(super) everything: bool,
    /// The worker's record and credentials (the caller's access to the worker is full).
    pub(super) record: bool,
    /// Trusts whose bookings the caller may see (they are staff there).
    pub(super) trusts: Vec<Uuid>,
    /// Every booking of the worker (a system admin of their bank).
    pub(super) all_bookings: bool,
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

