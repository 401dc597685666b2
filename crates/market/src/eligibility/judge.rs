//! The judge: whether a worker may work a shift, and every reason why not, from facts already
//! loaded — no I/O — and what of those reasons a reader may see.

use chrono::{DateTime, Duration, Utc};
use staffbank_bank::entity::worker;
use staffbank_bank::membership::MembershipState;
use staffbank_bank::skills;
use staffbank_core::code;
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

#[cfg(test)]
mod tests {
    //! One case per reason the judge gives, each yielding exactly that reason, beside a worker who
    //! is eligible: every case starts from that worker and changes one fact.
    #![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

    use chrono::{NaiveDate, TimeZone};
    use staffbank_bank::compliance::{Item, ItemStatus, Report};
    use staffbank_bank::entity::worker;
    use staffbank_bank::membership::MembershipState;

    use super::*;
    use crate::eligibility::Standing;
    use crate::entity::{shift, shift_tier};
    use crate::policy::Policy;
    use crate::posting::{PayBasis, ShiftReason};
    use crate::release_cascade::{Anchor, Audience};
    use staffbank_core::StaffGroup;

    const GROUP: StaffGroup = StaffGroup::NursingMidwiferyRegistered;
    const GRADE: &str = "BAND_5";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
    }

    /// Bank A's shift, Thursday 3 December 2026 8am to 4pm, open to the whole bank an hour ago.
    fn view() -> ShiftView {
        let system_id = Uuid::from_u128(1);
        let starts_at = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        let shift_id = Uuid::from_u128(10);
        ShiftView {
            shift: shift::Model {
                id: shift_id,
                system_id,
                trust_id: Uuid::from_u128(2),
                site_id: Uuid::from_u128(3),
                ward_id: Uuid::from_u128(4),
                staff_group: GROUP,
                grade: GRADE.to_owned(),
                skills: serde_json::json!([]),
                starts_at,
                ends_at: starts_at + Duration::hours(8),
                break_minutes: 30,
                worked_minutes: 450,
                reason: ShiftReason::Vacancy,
                pay_basis: PayBasis::ShiftGrade,
                positions: 1,
                filled_positions: 0,
                notes: None,
                opens_at: now() - Duration::hours(1),
                escalates_at: None,
                posted_by: None,
                posted_at: now() - Duration::hours(1),
                cancelled_at: None,
                cancelled_by: None,
                cancel_reason: None,
            },
            grades: vec![GRADE.to_owned(), "BAND_6".to_owned()],
            skills: Vec::new(),
            tiers: vec![tier(
                shift_id,
                Audience::Collaborative,
                now() - Duration::hours(1),
            )],
            policy: Policy::default(),
        }
    }

    fn tier(shift_id: Uuid, audience: Audience, opens_at: DateTime<Utc>) -> shift_tier::Model {
        shift_tier::Model {
            id: Uuid::from_u128(11),
            shift_id,
            position: 0,
            audience,
            anchor: Anchor::Posting,
            offset_minutes: 0,
            opens_at,
            announced_at: None,
        }
    }

    /// A worker of the same bank, registered ten days ago, of the grade and group asked for.
    fn worker() -> worker::Model {
        worker::Model {
            id: Uuid::from_u128(20),
            system_id: Uuid::from_u128(1),
            home_trust_id: Uuid::from_u128(5),
            given_name: "Ada".to_owned(),
            family_name: "Okafor".to_owned(),
            family_name_key: "okafor".to_owned(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            ni_number: "QQ123456C".to_owned(),
            email: "ada@example.org".to_owned(),
            phone: None,
            staff_group: GROUP,
            grade: GRADE.to_owned(),
            registration_body: None,
            registration_number: None,
            skills: serde_json::json!(["IV_DRUGS"]),
            wtr_opt_out_at: None,
            reconfirmed_at: None,
            created_by: None,
            created_at: now() - Duration::days(10),
        }
    }

    fn report(status: ItemStatus, valid_until: Option<NaiveDate>) -> Report {
        Report {
            worker_id: Uuid::from_u128(20),
            trust_id: Uuid::from_u128(2),
            ward_id: Some(Uuid::from_u128(4)),
            at: now(),
            items: vec![Item {
                kind: "BLS".to_owned(),
                min_level: None,
                max_age_days: None,
                ward_specific: false,
                status,
                credential_id: None,
                valid_until,
            }],
            credentials_withheld: false,
        }
    }

    fn booked(starts_at: DateTime<Utc>, hours: i64, id: u128) -> Booked {
        Booked {
            work: Work {
                booking_id: Some(Uuid::from_u128(id)),
                starts_at,
                ends_at: starts_at + Duration::hours(hours),
                worked_minutes: i32::try_from(hours * 60).unwrap(),
            },
            booked_at: now() - Duration::days(1),
            trust_id: Uuid::from_u128(2),
        }
    }

    /// The facts of `w`: no standing at the trust, not preferred, no requirements, nothing booked.
    fn facts<'a>(w: &'a worker::Model) -> Facts<'a> {
        Facts {
            worker: w,
            standing: Standing::default(),
            preferred: false,
            compliance: None,
            booked: &[],
        }
    }

    fn judged(view: &ShiftView, facts: &Facts<'_>) -> Vec<Reason> {
        judge(view, facts, Mode::SelfBooking, now())
    }

    #[test]
    fn a_worker_meeting_every_rule_is_eligible() {
        let w = worker();
        let met = report(ItemStatus::Met, NaiveDate::from_ymd_opt(2027, 6, 1));
        let before = [booked(view().shift.starts_at - Duration::hours(20), 8, 30)];
        let f = Facts {
            compliance: Some(&met),
            booked: &before,
            standing: Standing {
                membership: Some(MembershipState::Active),
                engaged: true,
                ..Standing::default()
            },
            ..facts(&w)
        };
        assert_eq!(judged(&view(), &f), vec![]);
        assert_eq!(judge(&view(), &f, Mode::BankOffice, now()), vec![]);
    }

    #[test]
    fn another_staff_group_is_refused() {
        let w = worker::Model {
            staff_group: StaffGroup::AlliedHealthProfessionals,
            ..worker()
        };
        assert_eq!(
            judged(&view(), &facts(&w)),
            vec![Reason::StaffGroup {
                required: code::of(&GROUP)
            }]
        );
    }

    #[test]
    fn a_grade_the_shift_does_not_accept_is_refused() {
        let w = worker::Model {
            grade: "BAND_4".to_owned(),
            ..worker()
        };
        assert_eq!(
            judged(&view(), &facts(&w)),
            vec![Reason::GradeOutsideRange {
                grade: "BAND_4".to_owned(),
                accepted: vec![GRADE.to_owned(), "BAND_6".to_owned()],
            }]
        );
    }

    #[test]
    fn a_fallback_grade_is_accepted() {
        let w = worker::Model {
            grade: "BAND_6".to_owned(),
            ..worker()
        };
        assert_eq!(judged(&view(), &facts(&w)), vec![]);
    }

    #[test]
    fn a_missing_skill_is_refused() {
        let v = ShiftView {
            skills: vec!["IV_DRUGS".to_owned(), "TRACHEOSTOMY".to_owned()],
            ..view()
        };
        assert_eq!(
            judged(&v, &facts(&worker())),
            vec![Reason::MissingSkill {
                skill: "TRACHEOSTOMY".to_owned()
            }]
        );
    }

    #[test]
    fn an_unmet_requirement_is_refused() {
        let w = worker();
        let missing = report(ItemStatus::Missing, None);
        let f = Facts {
            compliance: Some(&missing),
            ..facts(&w)
        };
        assert_eq!(
            judged(&view(), &f),
            vec![Reason::NotCompliant {
                requirement: "BLS".to_owned(),
                status: ItemStatus::Missing,
            }]
        );
    }

    #[test]
    fn a_requirement_lapsing_before_the_shift_ends_is_refused() {
        let w = worker();
        // Counts up to the day before 3 December: the shift ends on the 3rd.
        let until = NaiveDate::from_ymd_opt(2026, 12, 3);
        let lapsing = report(ItemStatus::Expiring, until);
        let f = Facts {
            compliance: Some(&lapsing),
            ..facts(&w)
        };
        assert_eq!(
            judged(&view(), &f),
            vec![Reason::ExpiresBeforeShiftEnds {
                requirement: "BLS".to_owned(),
                valid_until: until,
            }]
        );
        // Counting through the shift's last day, it does not stop them.
        let lasting = report(ItemStatus::Expiring, NaiveDate::from_ymd_opt(2026, 12, 4));
        let f = Facts {
            compliance: Some(&lasting),
            ..facts(&w)
        };
        assert_eq!(judged(&view(), &f), vec![]);
    }

    #[test]
    fn an_overlapping_booking_is_refused() {
        let w = worker();
        let other = [booked(view().shift.starts_at + Duration::hours(4), 8, 31)];
        let f = Facts {
            booked: &other,
            ..facts(&w)
        };
        assert_eq!(
            judged(&view(), &f),
            vec![Reason::OverlappingBooking {
                booking_id: Some(Uuid::from_u128(31))
            }]
        );
    }

    #[test]
    fn too_little_rest_after_the_previous_shift_is_refused() {
        let w = worker();
        // Ends at 2am: six hours before the shift starts.
        let before = [booked(view().shift.starts_at - Duration::hours(14), 8, 32)];
        let f = Facts {
            booked: &before,
            ..facts(&w)
        };
        assert_eq!(
            judged(&view(), &f),
            vec![Reason::RestBefore {
                rest_minutes: Some(6 * 60)
            }]
        );
    }

    #[test]
    fn too_little_rest_before_the_next_shift_is_refused() {
        let w = worker();
        // Starts at 9pm: five hours after the shift ends.
        let after = [booked(view().shift.ends_at + Duration::hours(5), 8, 33)];
        let f = Facts {
            booked: &after,
            ..facts(&w)
        };
        assert_eq!(
            judged(&view(), &f),
            vec![Reason::RestAfter {
                rest_minutes: Some(5 * 60)
            }]
        );
    }

    /// Four 13-hour shifts (Thursday to Sunday) in each of the 16 weeks before the shift's week:
    /// 52 hours a week, with 11 hours' rest between them.
    fn sixteen_heavy_weeks() -> Vec<Booked> {
        let start = view().shift.starts_at;
        (1..=16_i64)
            .flat_map(|week| {
                (0..4_i64).map(move |day| {
                    let at = start - Duration::weeks(week) + Duration::days(day);
                    booked(
                        at,
                        13,
                        u128::from(week.unsigned_abs() * 10 + day.unsigned_abs()),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn over_48_hours_a_week_on_average_is_refused_without_an_opt_out() {
        let w = worker();
        let heavy = sixteen_heavy_weeks();
        let f = Facts {
            booked: &heavy,
            ..facts(&w)
        };
        // 16 weeks of 52 hours and this shift's 7h30, over 17 weeks.
        let average = (16 * 52 * 60 + 450) / 17;
        assert_eq!(
            judged(&view(), &f),
            vec![Reason::WeeklyHoursAverage {
                average_minutes: Some(average)
            }]
        );
        // With an opt-out the average does not apply.
        let opted = worker::Model {
            wtr_opt_out_at: Some(now() - Duration::days(5)),
            ..worker()
        };
        let f = Facts {
            booked: &heavy,
            ..facts(&opted)
        };
        assert_eq!(judged(&view(), &f), vec![]);
    }

    #[test]
    fn a_tier_not_yet_open_is_refused_with_when_it_opens() {
        let mut v = view();
        let opens_at = now() + Duration::hours(6);
        v.tiers = vec![tier(v.shift.id, Audience::Collaborative, opens_at)];
        assert_eq!(
            judged(&v, &facts(&worker())),
            vec![Reason::TierNotOpen {
                opens_at: Some(opens_at)
            }]
        );
    }

    #[test]
    fn a_cascade_that_never_reaches_the_worker_is_refused() {
        let mut v = view();
        v.tiers = vec![tier(
            v.shift.id,
            Audience::Preferred,
            now() - Duration::hours(1),
        )];
        assert_eq!(
            judged(&v, &facts(&worker())),
            vec![Reason::TierNotOpen { opens_at: None }]
        );
        // On the preferred list, the same tier reaches them.
        let w = worker();
        let f = Facts {
            preferred: true,
            ..facts(&w)
        };
        assert_eq!(judged(&v, &f), vec![]);
    }

    #[test]
    fn a_worker_blocked_by_the_trust_is_refused() {
        let w = worker();
        let f = Facts {
            standing: Standing {
                blocked: true,
                ..Standing::default()
            },
            ..facts(&w)
        };
        assert_eq!(judged(&view(), &f), vec![Reason::BlockedByTrust]);
    }

    #[test]
    fn a_worker_inactive_past_the_dormancy_period_is_refused() {
        let created_at = now() - Duration::days(91);
        let w = worker::Model {
            created_at,
            ..worker()
        };
        assert_eq!(
            judged(&view(), &facts(&w)),
            vec![Reason::Dormant {
                since: Some(created_at)
            }]
        );
        // Reconfirming brings them back.
        let w = worker::Model {
            reconfirmed_at: Some(now() - Duration::days(1)),
            ..w
        };
        assert_eq!(judged(&view(), &facts(&w)), vec![]);
    }

    #[test]
    fn a_worker_the_trust_marked_dormant_is_refused() {
        let w = worker();
        let f = Facts {
            standing: Standing {
                membership: Some(MembershipState::Dormant),
                ..Standing::default()
            },
            ..facts(&w)
        };
        assert_eq!(
            judged(&view(), &f),
            vec![Reason::Dormant {
                since: Some(w.created_at)
            }]
        );
    }

    #[test]
    fn a_worker_suspended_at_the_trust_is_refused() {
        let w = worker();
        let f = Facts {
            standing: Standing {
                membership: Some(MembershipState::Suspended),
                ..Standing::default()
            },
            ..facts(&w)
        };
        assert_eq!(judged(&view(), &f), vec![Reason::Suspended]);
        assert_eq!(
            judge(&view(), &f, Mode::BankOffice, now()),
            vec![Reason::Suspended]
        );
    }

    #[test]
    fn suspended_self_booking_refuses_only_the_worker_booking_themself() {
        let w = worker();
        let f = Facts {
            standing: Standing {
                self_booking_suspended: true,
                ..Standing::default()
            },
            ..facts(&w)
        };
        assert_eq!(judged(&view(), &f), vec![Reason::SelfBookingSuspended]);
        assert_eq!(judge(&view(), &f, Mode::BankOffice, now()), vec![]);
    }
}
