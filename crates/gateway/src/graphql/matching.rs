//! Matching in GraphQL: the ranked workers for a shift (with the reasons others may not work it),
//! a worker's feed of shifts they may book across the collaborative bank, and their outlook (how
//! many shifts are open to them, and what their expiring credentials would cost them).

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use staffbank_market::eligibility::Reason;
use staffbank_market::feed::{self, FeedFilter};
use staffbank_market::matching;
use staffbank_market::outlook;
use staffbank_market::ranking;
use uuid::Uuid;

use crate::graphql::compliance::ComplianceStatusName;
use crate::graphql::context::ContextExt;
use crate::graphql::credentials::Credential;
use crate::graphql::error::GqlResultExt;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::shifts::{AudienceName, Shift};
use crate::graphql::workers::Worker;

/// Why a worker may not work a shift.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum IneligibilityCode {
    /// The shift is for another staff group.
    StaffGroup,
    /// The worker's grade is neither the grade asked for nor an allowed fallback.
    GradeOutsideRange,
    /// The worker lacks a skill the ward or shift needs (`skill`).
    MissingSkill,
    /// A requirement of the trust or ward is not met (`requirement`, `complianceStatus`).
    NotCompliant,
    /// A requirement lapses before the shift ends (`requirement`, `validUntil`).
    ExpiresBeforeShiftEnds,
    /// Booked on a shift at the same time, at any trust (`bookingId`).
    OverlappingBooking,
    /// Less than 11 hours' rest after the previous shift (`minutes` of rest).
    InsufficientRestBefore,
    /// Less than 11 hours' rest before the next shift (`minutes` of rest).
    InsufficientRestAfter,
    /// Over 48 hours a week averaged over 17 weeks across all bookings, without an opt-out
    /// (`minutes` a week).
    WeeklyHoursAverage,
    /// No tier of the cascade that reaches the worker is open yet (`opensAt`).
    TierNotOpen,
    /// Blocked by the trust.
    BlockedByTrust,
    /// No shift or reconfirmation for too long (`since`).
    Dormant,
    /// Suspended at the trust.
    Suspended,
    /// Self-booking suspended at the trust (the bank office can still book).
    SelfBookingSuspended,
}

/// One reason, with the detail that applies to its code.
#[derive(SimpleObject, Debug, Clone)]
pub struct IneligibilityReason {
    /// What is wrong.
    pub code: IneligibilityCode,
    /// A sentence for people.
    pub message: String,
    /// The credential kind required.
    pub requirement: Option<String>,
    /// How that requirement stands.
    pub compliance_status: Option<ComplianceStatusName>,
    /// The missing skill.
    pub skill: Option<String>,
    /// The day the requirement stops counting (null for callers who may not see the worker's
    /// credentials).
    pub valid_until: Option<NaiveDate>,
    /// The overlapping booking (null unless the caller may see it: their own, or at a trust where
    /// they work).
    pub booking_id: Option<Uuid>,
    /// Minutes of rest, or of weekly average (null when they come from bookings the caller may not
    /// see).
    pub minutes: Option<i64>,
    /// When the first tier reaching the worker opens.
    pub opens_at: Option<DateTime<Utc>>,
    /// Last activity of a dormant worker (null for callers who may not see it).
    pub since: Option<DateTime<Utc>>,
}

impl From<&Reason> for IneligibilityReason {
    fn from(r: &Reason) -> Self {
        let mut out = Self {
            code: IneligibilityCode::StaffGroup,
            message: r.message(),
            requirement: None,
            compliance_status: None,
            skill: None,
            valid_until: None,
            booking_id: None,
            minutes: None,
            opens_at: None,
            since: None,
        };
        out.code = match r {
            Reason::StaffGroup { .. } => IneligibilityCode::StaffGroup,
            Reason::GradeOutsideRange { .. } => IneligibilityCode::GradeOutsideRange,
            Reason::MissingSkill { skill } => {
                out.skill = Some(skill.clone());
                IneligibilityCode::MissingSkill
            }
            Reason::NotCompliant {
                requirement,
                status,
            } => {
                out.requirement = Some(requirement.clone());
                out.compliance_status = Some((*status).into());
                IneligibilityCode::NotCompliant
            }
            Reason::ExpiresBeforeShiftEnds {
                requirement,
                valid_until,
            } => {
                out.requirement = Some(requirement.clone());
                out.valid_until = *valid_until;
                IneligibilityCode::ExpiresBeforeShiftEnds
            }
            Reason::OverlappingBooking { booking_id } => {
                out.booking_id = *booking_id;
                IneligibilityCode::OverlappingBooking
            }
            Reason::RestBefore { rest_minutes } => {
                out.minutes = *rest_minutes;
                IneligibilityCode::InsufficientRestBefore
            }
            Reason::RestAfter { rest_minutes } => {
                out.minutes = *rest_minutes;
                IneligibilityCode::InsufficientRestAfter
            }
            Reason::WeeklyHoursAverage { average_minutes } => {
                out.minutes = *average_minutes;
                IneligibilityCode::WeeklyHoursAverage
            }
            Reason::TierNotOpen { opens_at } => {
                out.opens_at = *opens_at;
                IneligibilityCode::TierNotOpen
            }
            Reason::BlockedByTrust => IneligibilityCode::BlockedByTrust,
            Reason::Dormant { since } => {
                out.since = *since;
                IneligibilityCode::Dormant
            }
            Reason::Suspended => IneligibilityCode::Suspended,
            Reason::SelfBookingSuspended => IneligibilityCode::SelfBookingSuspended,
        };
        out
    }
}

/// Whether the signed-in worker may book a shift themself, and if not, why.
#[derive(SimpleObject, Debug)]
pub struct ShiftEligibility {
    /// Whether nothing stops them booking it (`reasons` is empty).
    pub eligible: bool,
    /// Every reason `bookShift` would refuse them with `NOT_ELIGIBLE`, in its order.
    pub reasons: Vec<IneligibilityReason>,
}

impl ShiftEligibility {
    /// The verdict of these reasons.
    #[must_use]
    pub fn of(reasons: &[Reason]) -> Self {
        Self {
            eligible: reasons.is_empty(),
            reasons: reasons.iter().map(IneligibilityReason::from).collect(),
        }
    }
}

/// What a part of the rank score measures.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ScoreCriterion {
    /// Has worked the shift's ward before (all or nothing).
    WorkedWard,
    /// Registered by the shift's own trust (all or nothing).
    SameTrust,
    /// Fewer hours booked in the shift's week: full marks at none, nothing at 48 hours.
    FewerHours,
    /// Reliability: fewer short-notice cancellations and no-shows in the trust's strike window.
    Reliability,
}

impl From<ranking::Criterion> for ScoreCriterion {
    fn from(c: ranking::Criterion) -> Self {
        match c {
            ranking::Criterion::WorkedWard => Self::WorkedWard,
            ranking::Criterion::SameTrust => Self::SameTrust,
            ranking::Criterion::FewerHours => Self::FewerHours,
            ranking::Criterion::Reliability => Self::Reliability,
        }
    }
}

/// One part of a rank score.
#[derive(SimpleObject, Debug, Clone)]
pub struct ScorePart {
    /// What it measures.
    pub criterion: ScoreCriterion,
    /// Points given, to three decimal places (the score is the parts' sum, rounded once).
    pub points: Decimal,
    /// The most it can give.
    pub out_of: i32,
}

impl ScorePart {
    /// Every part of a score, heaviest criterion first.
    fn all(parts: &ranking::ScoreParts) -> Vec<Self> {
        let points = |milli: i64| Decimal::new(milli, 3);
        ranking::Criterion::ALL
            .iter()
            .map(|c| Self {
                criterion: (*c).into(),
                points: points(parts.milli(*c)).normalize(),
                out_of: i32::try_from(c.most_milli() / 1000).unwrap_or(i32::MAX),
            })
            .collect()
    }
}

/// A worker measured against a shift.
#[derive(SimpleObject, Debug)]
pub struct WorkerMatch {
    /// The worker (as much as the caller may see).
    pub worker: Worker,
    /// Whether they may work it.
    pub eligible: bool,
    /// Rank score, 0 to 100: worked this ward before, same trust, fewer hours this week,
    /// reliability.
    pub score: i32,
    /// What the score is made of, one part per criterion, heaviest first.
    pub score_parts: Vec<ScorePart>,
    /// Why not, when not eligible.
    pub reasons: Vec<IneligibilityReason>,
}

/// A shift in a worker's feed.
#[derive(SimpleObject, Debug)]
pub struct FeedEntry {
    /// The shift.
    pub shift: Shift,
    /// The tier of its cascade through which it reached the worker.
    pub reached_through: AudienceName,
}

/// One of the signed-in worker's credentials that counts now and expires soon, with what letting
/// it lapse would cost them.
#[derive(SimpleObject, Debug, Clone)]
pub struct ExpiringCredential {
    /// The credential.
    pub credential: Credential,
    /// The first day it no longer counts (it counts up to the day before).
    pub expires_on: NaiveDate,
    /// The plain name of the requirement it meets, e.g. "Basic life support".
    pub requirement_name: String,
    /// How many of the open shifts reaching the worker now they could book but for this
    /// credential lapsing before the shift ends (nothing else stands in the way).
    pub shifts_at_risk: i32,
}

/// The signed-in worker's outlook, for their home page.
#[derive(SimpleObject, Debug, Clone)]
pub struct ShiftOutlook {
    /// How many open shifts the worker may book now: exactly what `myShiftFeed` lists with no
    /// filter, counted over every page.
    pub open_shifts: i32,
    /// The worker's credentials that count now (verified and recognised) and expire within the
    /// days asked, soonest first; one already renewed is left out.
    pub expiring_credentials: Vec<ExpiringCredential>,
}

/// Matching queries.
#[derive(Default)]
pub struct MatchingQuery;

#[Object]
impl MatchingQuery {
    /// The bank's workers for a shift, best first (the trust's bank office, ward managers and
    /// admins): only those eligible by default, or everyone with `includeIneligible`, each with
    /// the reasons they may not work it.
    async fn eligible_workers(
        &self,
        ctx: &Context<'_>,
        shift_id: Uuid,
        #[graphql(default)] include_ineligible: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<WorkerMatch>> {
        let actor = ctx.actor().await?;
        let page = pagination::request(first, after)?;
        let s = ctx.services();
        let result = matching::eligible_workers(
            &s.db,
            actor,
            shift_id,
            include_ineligible,
            &page,
            s.clock.now(),
        )
        .await
        .gql()?;
        Ok(pagination::connection(result, |m| WorkerMatch {
            eligible: m.eligible,
            score: m.score,
            score_parts: ScorePart::all(&m.parts),
            reasons: m.reasons.iter().map(IneligibilityReason::from).collect(),
            worker: Worker::from(m.worker),
        }))
    }

    /// The open shifts the signed-in worker may book at every trust of their collaborative bank,
    /// soonest first. `from`/`to` are London dates; `grade` is the grade a shift asks for.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter")]
    async fn my_shift_feed(
        &self,
        ctx: &Context<'_>,
        trust_id: Option<Uuid>,
        site_id: Option<Uuid>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        #[graphql(desc = "Grade code, e.g. BAND_5 (at most 64 characters).")] grade: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<FeedEntry>> {
        let actor = ctx.actor().await?;
        let page = pagination::request(first, after)?;
        let s = ctx.services();
        let filter = FeedFilter {
            trust_id,
            site_id,
            from,
            to,
            grade,
        };
        let result = feed::my_shift_feed(&s.db, actor, &filter, &page, s.clock.now())
            .await
            .gql()?;
        Ok(pagination::connection(result, |e| FeedEntry {
            shift: Shift::from(e.shift),
            reached_through: e.audience.into(),
        }))
    }

    /// The signed-in worker's outlook (workers only): how many open shifts they may book now, and
    /// their credentials expiring within `withinDays` days (1 to 365) with how many of those
    /// shifts each would cost them.
    async fn my_shift_outlook(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] within_days: i32,
    ) -> Result<ShiftOutlook> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let now = s.clock.now();
        let o = outlook::my_shift_outlook(&s.db, actor, within_days, now)
            .await
            .gql()?;
        let count = |n: u64| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(ShiftOutlook {
            open_shifts: count(o.open_shifts),
            expiring_credentials: o
                .expiring
                .into_iter()
                .map(|e| ExpiringCredential {
                    credential: Credential::new(e.credential, now),
                    expires_on: e.expires_on,
                    requirement_name: e.requirement_name.to_owned(),
                    shifts_at_risk: count(e.shifts_at_risk),
                })
                .collect(),
        })
    }
}
