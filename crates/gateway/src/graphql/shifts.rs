//! Shifts in GraphQL: posting one or many, withdrawing, reading one, and the cursor-paginated list a
//! bank office works from. Times go in as Europe/London wall-clock times and come out both as
//! instants and as London wall-clock times.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use staffbank_bank::skills;
use staffbank_core::time::london_local;
use staffbank_core::{ErrorKind, code};
use staffbank_market::cancellation;
use staffbank_market::entity::{shift, shift_tier};
use staffbank_market::posting::{self, NewShift};
use staffbank_market::release_cascade::TierRule;
use staffbank_market::shifts::{self, ShiftFilter};
use uuid::Uuid;

use crate::graphql::bookings::Booking;
use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::estate::{Site, Ward, load_trust};
use crate::graphql::loaders::{
    BookingsOfShift, GradesOf, MyEligibilityOf, PolicyOf, SiteId, TiersOf, WardId,
};
use crate::graphql::organisations::Trust;
use crate::graphql::pagination::{self, Conn};
use crate::graphql::workers::StaffGroupName;

/// Where a shift stands now (derived from the clock, never stored).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "ShiftStatus", remote = "staffbank_market::shifts::ShiftStatus")]
pub enum ShiftStatusName {
    /// Posted; no tier of its cascade is open yet.
    Pending,
    /// Offered to bank workers.
    Open,
    /// Its agency tier has opened and it is still not filled.
    Escalated,
    /// Every position is booked.
    Filled,
    /// It started with positions unfilled.
    Unfilled,
    /// Withdrawn by the trust.
    Cancelled,
}

/// Why a shift is needed.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "ShiftReason",
    remote = "staffbank_market::posting::ShiftReason"
)]
pub enum ShiftReasonName {
    /// A vacant post.
    Vacancy,
    /// Covering sickness.
    Sickness,
    /// Covering annual leave.
    AnnualLeave,
    /// Covering maternity or parental leave.
    ParentalLeave,
    /// Extra staff for acuity or demand.
    Acuity,
    /// Covering training.
    Training,
    /// Anything else.
    Other,
}

/// Which grade bank pay follows.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "PayBasis", remote = "staffbank_market::posting::PayBasis")]
pub enum PayBasisName {
    /// The grade of the shift.
    ShiftGrade,
    /// The grade of the worker who works it.
    WorkerGrade,
}

/// Who a tier of the release cascade reaches (each tier includes the narrower ones).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "CascadeAudience",
    remote = "staffbank_market::release_cascade::Audience"
)]
pub enum AudienceName {
    /// The ward's preferred workers.
    Preferred,
    /// Workers engaged at the trust.
    OwnTrust,
    /// Every worker of the collaborative bank.
    Collaborative,
    /// Escalated to agencies.
    Agency,
}

/// What a tier's opening is measured from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "CascadeAnchor",
    remote = "staffbank_market::release_cascade::Anchor"
)]
pub enum AnchorName {
    /// Minutes after the shift is posted.
    Posting,
    /// Minutes before the shift starts.
    Start,
}

/// One tier of a release cascade, as configured.
#[derive(InputObject, SimpleObject, Debug, Clone, Copy)]
#[graphql(input_name = "CascadeTierInput", name = "CascadeTierRule")]
pub struct CascadeTierRule {
    /// Who it reaches.
    pub audience: AudienceName,
    /// What the offset is measured from.
    pub anchor: AnchorName,
    /// Minutes after posting, or before the start.
    pub offset_minutes: i32,
}

impl From<CascadeTierRule> for TierRule {
    fn from(r: CascadeTierRule) -> Self {
        Self {
            audience: r.audience.into(),
            anchor: r.anchor.into(),
            offset_minutes: r.offset_minutes,
        }
    }
}

impl From<TierRule> for CascadeTierRule {
    fn from(r: TierRule) -> Self {
        Self {
            audience: r.audience.into(),
            anchor: r.anchor.into(),
            offset_minutes: r.offset_minutes,
        }
    }
}

/// One tier of a shift's cascade.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct ShiftTier {
    /// Order, from 0.
    pub position: i32,
    /// Who it reaches.
    pub audience: AudienceName,
    /// What its opening was measured from.
    pub anchor: AnchorName,
    /// Minutes from the anchor.
    pub offset_minutes: i32,
    /// When it opens.
    pub opens_at: DateTime<Utc>,
    /// When the workers it newly reached were told.
    pub announced_at: Option<DateTime<Utc>>,
}

impl From<shift_tier::Model> for ShiftTier {
    fn from(t: shift_tier::Model) -> Self {
        Self {
            position: t.position,
            audience: t.audience.into(),
            anchor: t.anchor.into(),
            offset_minutes: t.offset_minutes,
            opens_at: t.opens_at,
            announced_at: t.announced_at,
        }
    }
}

#[ComplexObject]
impl ShiftTier {
    /// Whether it is open now.
    async fn open(&self, ctx: &Context<'_>) -> bool {
        self.opens_at <= ctx.services().clock.now()
    }
}

/// A shift posted to the bank.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Shift {
    /// Id.
    pub id: Uuid,
    /// Staff group.
    pub staff_group: Option<StaffGroupName>,
    /// The grade asked for.
    pub grade: String,
    /// Skills needed (the ward's and the shift's own).
    pub skills: Vec<String>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Start, Europe/London wall-clock time.
    pub starts_local: NaiveDateTime,
    /// End, Europe/London wall-clock time.
    pub ends_local: NaiveDateTime,
    /// Length in minutes (11 or 13 hours for a 20:00-08:00 night on a clock-change date).
    pub length_minutes: i32,
    /// Unpaid break.
    pub break_minutes: i32,
    /// Length less the break.
    pub worked_minutes: i32,
    /// Why it is needed.
    pub reason: Option<ShiftReasonName>,
    /// Which grade pay follows.
    pub pay_basis: Option<PayBasisName>,
    /// Workers needed.
    pub positions: i32,
    /// Positions booked.
    pub filled_positions: i32,
    /// Notes for workers: at most 1000 characters; line breaks allowed.
    pub notes: Option<String>,
    /// When posted.
    pub posted_at: DateTime<Utc>,
    /// When withdrawn.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Why withdrawn.
    pub cancel_reason: Option<String>,
    #[graphql(skip)]
    pub model: shift::Model,
}

impl From<shift::Model> for Shift {
    fn from(m: shift::Model) -> Self {
        Self {
            id: m.id,
            staff_group: Some(m.staff_group.into()),
            grade: m.grade.clone(),
            skills: skills::from_json(&m.skills),
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            starts_local: london_local(m.starts_at),
            ends_local: london_local(m.ends_at),
            length_minutes: i32::try_from((m.ends_at - m.starts_at).num_minutes())
                .unwrap_or(i32::MAX),
            break_minutes: m.break_minutes,
            worked_minutes: m.worked_minutes,
            reason: Some(m.reason.into()),
            pay_basis: Some(m.pay_basis.into()),
            positions: m.positions,
            filled_positions: m.filled_positions,
            notes: m.notes.clone(),
            posted_at: m.posted_at,
            cancelled_at: m.cancelled_at,
            cancel_reason: m.cancel_reason.clone(),
            model: m,
        }
    }
}

#[ComplexObject]
impl Shift {
    /// What this shift would pay the signed-in worker: at the grade its pay basis names, under
    /// the trust's rate card (null for other callers, or when the card has no rate).
    async fn my_pay(&self, ctx: &Context<'_>) -> Result<Option<crate::graphql::pay::PayQuote>> {
        crate::graphql::pay::my_pay(ctx, &self.model).await
    }

    /// What this shift would pay someone of `grade` (when the pay basis is the worker's grade), or
    /// at its own grade.
    async fn pay_at_grade(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Grade code, e.g. BAND_5 (at most 64 characters).")] grade: String,
    ) -> Result<Option<crate::graphql::pay::PayQuote>> {
        ctx.actor().await?;
        let grade = staffbank_core::Grade::parse(&grade).gql()?;
        let request =
            staffbank_market::pay::quote::QuoteRequest::for_shift(&self.model, grade.code());
        crate::graphql::pay::pay_at(ctx, request).await
    }

    /// Whether the signed-in worker may book this shift themself now, and if not every reason why
    /// (null for callers who are not workers). It is the judgement `bookShift` re-checks with, so
    /// its reasons are those of the `NOT_ELIGIBLE` error booking would give. Whether the shift can
    /// still be booked at all (withdrawn, full, started) is its `status`, not a reason.
    async fn my_eligibility(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::matching::ShiftEligibility>> {
        ctx.actor().await?;
        Ok(ctx
            .loader()
            .load_one(MyEligibilityOf(self.id))
            .await?
            .map(|reasons| crate::graphql::matching::ShiftEligibility::of(&reasons)))
    }

    /// Where it stands now.
    async fn status(&self, ctx: &Context<'_>) -> ShiftStatusName {
        shifts::status(&self.model, ctx.services().clock.now()).into()
    }

    /// The trust.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Trust> {
        load_trust(ctx, self.model.trust_id).await
    }

    /// The trust's marketplace policy, the terms the shift is booked under: when cancelling is
    /// short notice, the trust's late-cancellation fee, the strikes that suspend self-booking.
    async fn market_policy(
        &self,
        ctx: &Context<'_>,
    ) -> Result<crate::graphql::market_rules::MarketPolicy> {
        Ok(ctx
            .loader()
            .load_one(PolicyOf(self.model.trust_id))
            .await?
            .unwrap_or_default()
            .into())
    }

    /// The site.
    async fn site(&self, ctx: &Context<'_>) -> Result<Site> {
        ctx.loader()
            .load_one(SiteId(self.model.site_id))
            .await?
            .map(Site::from)
            .ok_or_else(|| gateway_error(ErrorKind::NotFound, "site not found"))
    }

    /// The ward.
    async fn ward(&self, ctx: &Context<'_>) -> Result<Ward> {
        ctx.loader()
            .load_one(WardId(self.model.ward_id))
            .await?
            .map(Ward::from)
            .ok_or_else(|| gateway_error(ErrorKind::NotFound, "ward not found"))
    }

    /// Grades also accepted, in order of preference (at most 10).
    async fn fallback_grades(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(ctx
            .loader()
            .load_one(GradesOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|g| g.preference > 0)
            .map(|g| g.grade)
            .collect())
    }

    /// Its release cascade, in order, with when each tier opens.
    async fn cascade(&self, ctx: &Context<'_>) -> Result<Vec<ShiftTier>> {
        Ok(ctx
            .loader()
            .load_one(TiersOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ShiftTier::from)
            .collect())
    }

    /// The widest tier open now (none before the first opens).
    async fn open_tier(&self, ctx: &Context<'_>) -> Result<Option<AudienceName>> {
        let now = ctx.services().clock.now();
        let tiers = ctx
            .loader()
            .load_one(TiersOf(self.id))
            .await?
            .unwrap_or_default();
        Ok(staffbank_market::release_cascade::open_tier(&tiers, now).map(|t| t.audience.into()))
    }

    /// Its bookings, cancelled ones too: all of them for staff of the trust, a worker's own for a
    /// worker.
    // Decided by the market (`booking::visible_of_shifts`, through the loader): admins of the
    // shift's bank see them all too.
    async fn bookings(&self, ctx: &Context<'_>) -> Result<Vec<Booking>> {
        Ok(ctx
            .loader()
            .load_one(BookingsOfShift(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Booking::from)
            .collect())
    }
}

/// A shift to post. Times are Europe/London wall-clock times (`2026-10-24T20:00:00`); a night ends
/// on the next day's date.
#[derive(InputObject, Debug, Clone)]
pub struct PostShiftInput {
    /// The trust.
    pub trust_id: Uuid,
    /// The site.
    pub site_id: Uuid,
    /// The ward.
    pub ward_id: Uuid,
    /// Staff group.
    pub staff_group: StaffGroupName,
    /// The grade asked for, e.g. BAND_5, ST3 (at most 64 characters).
    pub grade: String,
    /// Grades also accepted, in order of preference (at most 10).
    #[graphql(default)]
    pub fallback_grades: Vec<String>,
    /// Skills needed beyond the ward's own (at most 50).
    #[graphql(default)]
    pub skills: Vec<String>,
    /// Start, London time.
    pub starts_local: NaiveDateTime,
    /// End, London time.
    pub ends_local: NaiveDateTime,
    /// Unpaid break in minutes.
    #[graphql(default)]
    pub break_minutes: i32,
    /// Why the shift is needed.
    pub reason: ShiftReasonName,
    /// Which grade pay follows.
    #[graphql(default_with = "PayBasisName::ShiftGrade")]
    pub pay_basis: PayBasisName,
    /// Workers needed.
    #[graphql(default = 1)]
    pub positions: i32,
    /// Notes for workers: at most 1000 characters; line breaks allowed.
    pub notes: Option<String>,
    /// The release cascade for this shift (default: the trust's).
    pub cascade: Option<Vec<CascadeTierRule>>,
}

impl From<PostShiftInput> for NewShift {
    fn from(i: PostShiftInput) -> Self {
        Self {
            trust_id: i.trust_id,
            site_id: i.site_id,
            ward_id: i.ward_id,
            staff_group: code::of(&staffbank_core::StaffGroup::from(i.staff_group)),
            grade: i.grade,
            fallback_grades: i.fallback_grades,
            skills: i.skills,
            starts_local: i.starts_local,
            ends_local: i.ends_local,
            break_minutes: i.break_minutes,
            reason: code::of(&posting::ShiftReason::from(i.reason)),
            pay_basis: code::of(&posting::PayBasis::from(i.pay_basis)),
            positions: i.positions,
            notes: i.notes,
            cascade: i
                .cascade
                .map(|rules| rules.into_iter().map(TierRule::from).collect()),
        }
    }
}

/// Queries about shifts.
#[derive(Default)]
pub struct ShiftQuery;

#[Object]
impl ShiftQuery {
    /// One shift (staff of its trust, admins and workers of its bank).
    async fn shift(&self, ctx: &Context<'_>, id: Uuid) -> Result<Shift> {
        let actor = ctx.actor().await?;
        shifts::shift(&ctx.services().db, actor, id)
            .await
            .map(Shift::from)
            .gql()
    }

    /// Shifts, soonest first: a trust's or a ward's (for its staff), or with neither every trust
    /// where the caller is staff. `from`/`to` are London dates of the start.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter")]
    async fn shifts(
        &self,
        ctx: &Context<'_>,
        trust_id: Option<Uuid>,
        ward_id: Option<Uuid>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        status: Option<ShiftStatusName>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Shift>> {
        let actor = ctx.actor().await?;
        let page = pagination::request(first, after)?;
        let s = ctx.services();
        let filter = ShiftFilter {
            trust_id,
            ward_id,
            from,
            to,
            status: status.map(Into::into),
        };
        let result = shifts::list(&s.db, actor, &filter, &page, s.clock.now())
            .await
            .gql()?;
        Ok(pagination::connection(result, Shift::from))
    }
}

/// Posting and withdrawing shifts.
#[derive(Default)]
pub struct ShiftMutation;

#[Object]
impl ShiftMutation {
    /// Posts a shift (the trust's bank office).
    async fn post_shift(&self, ctx: &Context<'_>, input: PostShiftInput) -> Result<Shift> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let new = NewShift::from(input);
        posting::post_shift(&s.db, s.clock.as_ref(), actor, &new)
            .await
            .map(Shift::from)
            .gql()
    }

    /// Posts many shifts at once, all or nothing: when any row is invalid nothing is posted and the
    /// `VALIDATION` error lists every bad row in `extensions.details.rows` (`index`, `message`).
    async fn post_shifts(
        &self,
        ctx: &Context<'_>,
        inputs: Vec<PostShiftInput>,
    ) -> Result<Vec<Shift>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let rows: Vec<NewShift> = inputs.into_iter().map(NewShift::from).collect();
        let posted = posting::post_shifts(&s.db, s.clock.as_ref(), actor, &rows)
            .await
            .gql()?;
        Ok(posted.into_iter().map(Shift::from).collect())
    }

    /// Withdraws a shift that has not started (the trust's bank office). Its bookings are
    /// cancelled by the trust, with a fee line where inside the late window.
    async fn cancel_shift(
        &self,
        ctx: &Context<'_>,
        shift_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Shift> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let (shift, _) =
            cancellation::cancel_shift(&s.db, s.clock.as_ref(), actor, shift_id, &reason)
                .await
                .gql()?;
        Ok(Shift::from(shift))
    }
}
