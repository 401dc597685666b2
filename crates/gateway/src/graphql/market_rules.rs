//! The marketplace's rules in GraphQL: each trust's policy (cancellation windows, fee, strikes,
//! dormancy) and default release cascade, wards' preferred workers, restrictions on workers, and a
//! worker reconfirming their availability.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use staffbank_bank::visibility::Access;
use staffbank_bank::workers;
use staffbank_core::ErrorKind;
use staffbank_market::entity::{preferred_worker, worker_restriction};
use staffbank_market::policy::{self, Policy, PolicyChange};
use staffbank_market::preferred_workers;
use staffbank_market::release_cascade::{self, TierRule};
use staffbank_market::restrictions;
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::loaders::VisibleWorker;
use crate::graphql::shifts::CascadeTierRule;
use crate::graphql::workers::Worker;

/// A trust's marketplace policy.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct MarketPolicy {
    /// A worker cancelling within this many minutes of the start is recorded as short notice.
    pub worker_short_notice_minutes: i32,
    /// The trust cancelling within this many minutes of the start owes a fee.
    pub trust_late_cancellation_minutes: i32,
    /// That fee, in minutes of the booked worker's pay.
    pub late_cancellation_fee_minutes: i32,
    /// This many strikes (short-notice cancellations, no-shows) within the window suspend
    /// self-booking at the trust; 0 never does.
    pub strike_limit: i32,
    /// The window strikes are counted over, in days.
    pub strike_window_days: i32,
    /// No shift and no reconfirmation for this many days makes a worker dormant.
    pub dormancy_days: i32,
}

impl From<Policy> for MarketPolicy {
    fn from(p: Policy) -> Self {
        Self {
            worker_short_notice_minutes: p.worker_short_notice_minutes,
            trust_late_cancellation_minutes: p.trust_late_cancellation_minutes,
            late_cancellation_fee_minutes: p.late_cancellation_fee_minutes,
            strike_limit: p.strike_limit,
            strike_window_days: p.strike_window_days,
            dormancy_days: p.dormancy_days,
        }
    }
}

/// Changes to a trust's policy; fields left out keep their value.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct MarketPolicyInput {
    /// Short-notice window for workers, in minutes.
    pub worker_short_notice_minutes: Option<i32>,
    /// Late-cancellation window for the trust, in minutes.
    pub trust_late_cancellation_minutes: Option<i32>,
    /// Late-cancellation fee, in minutes of pay.
    pub late_cancellation_fee_minutes: Option<i32>,
    /// Strikes that suspend self-booking (0: never).
    pub strike_limit: Option<i32>,
    /// Window strikes are counted over, in days.
    pub strike_window_days: Option<i32>,
    /// Days without a shift or reconfirmation before a worker is dormant.
    pub dormancy_days: Option<i32>,
}

impl From<MarketPolicyInput> for PolicyChange {
    fn from(i: MarketPolicyInput) -> Self {
        Self {
            worker_short_notice_minutes: i.worker_short_notice_minutes,
            trust_late_cancellation_minutes: i.trust_late_cancellation_minutes,
            late_cancellation_fee_minutes: i.late_cancellation_fee_minutes,
            strike_limit: i.strike_limit,
            strike_window_days: i.strike_window_days,
            dormancy_days: i.dormancy_days,
        }
    }
}

/// A worker a ward offers its shifts to first.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct PreferredWorker {
    /// The ward.
    pub ward_id: Uuid,
    /// When added.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub worker_id: Uuid,
}

impl From<preferred_worker::Model> for PreferredWorker {
    fn from(p: preferred_worker::Model) -> Self {
        Self {
            ward_id: p.ward_id,
            created_at: p.created_at,
            worker_id: p.worker_id,
        }
    }
}

async fn visible_worker(ctx: &Context<'_>, id: Uuid) -> Result<Option<Worker>> {
    ctx.actor().await?;
    Ok(ctx
        .loader()
        .load_one(VisibleWorker(id))
        .await?
        .map(|(w, a)| Worker::new(w, a)))
}

#[ComplexObject]
impl PreferredWorker {
    /// The worker.
    async fn worker(&self, ctx: &Context<'_>) -> Result<Option<Worker>> {
        visible_worker(ctx, self.worker_id).await
    }
}

/// What a restriction stops.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "RestrictionKind",
    remote = "staffbank_market::restrictions::RestrictionKind"
)]
pub enum RestrictionKindName {
    /// Any booking at the trust.
    Blocked,
    /// The worker booking themself (placed by policy after repeated strikes).
    SelfBookingSuspended,
}

/// A restriction a trust has placed on a worker.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct WorkerRestriction {
    /// Id.
    pub id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// What it stops.
    pub kind: RestrictionKindName,
    /// Why.
    pub reason: String,
    /// Who placed it (none when placed by policy).
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When lifted.
    pub lifted_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub worker_id: Uuid,
}

impl From<worker_restriction::Model> for WorkerRestriction {
    fn from(r: worker_restriction::Model) -> Self {
        Self {
            id: r.id,
            trust_id: r.trust_id,
            kind: r.kind.into(),
            reason: r.reason,
            created_by: r.created_by,
            created_at: r.created_at,
            lifted_at: r.lifted_at,
            worker_id: r.worker_id,
        }
    }
}

#[ComplexObject]
impl WorkerRestriction {
    /// The worker.
    async fn worker(&self, ctx: &Context<'_>) -> Result<Option<Worker>> {
        visible_worker(ctx, self.worker_id).await
    }
}

/// Queries about the marketplace's rules.
#[derive(Default)]
pub struct MarketRulesQuery;

#[Object]
impl MarketRulesQuery {
    /// A trust's marketplace policy (the defaults until its admins change them): its terms for
    /// cancellations, strikes and dormancy. For the people of its collaborative bank: its
    /// workers, the staff of its trusts and its admins.
    async fn market_policy(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<MarketPolicy> {
        let actor = ctx.actor().await?;
        policy::read(&ctx.services().db, actor, trust_id)
            .await
            .map(MarketPolicy::from)
            .gql()
    }

    /// The release cascade a trust's new shifts get by default (for the people of its bank).
    async fn default_cascade(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
    ) -> Result<Vec<CascadeTierRule>> {
        let actor = ctx.actor().await?;
        Ok(
            release_cascade::visible_default_for_trust(&ctx.services().db, actor, trust_id)
                .await
                .gql()?
                .into_iter()
                .map(CascadeTierRule::from)
                .collect(),
        )
    }

    /// A ward's preferred workers (its trust's bank office, ward managers and admins).
    async fn preferred_workers(
        &self,
        ctx: &Context<'_>,
        ward_id: Uuid,
    ) -> Result<Vec<PreferredWorker>> {
        let actor = ctx.actor().await?;
        Ok(
            preferred_workers::of_ward(&ctx.services().db, actor, ward_id)
                .await
                .gql()?
                .into_iter()
                .map(PreferredWorker::from)
                .collect(),
        )
    }

    /// A trust's restrictions on workers, newest first (in force only, unless `includeLifted`).
    async fn worker_restrictions(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        #[graphql(default)] include_lifted: bool,
    ) -> Result<Vec<WorkerRestriction>> {
        let actor = ctx.actor().await?;
        Ok(
            restrictions::of_trust(&ctx.services().db, actor, trust_id, include_lifted)
                .await
                .gql()?
                .into_iter()
                .map(WorkerRestriction::from)
                .collect(),
        )
    }
}

/// Changes to the marketplace's rules.
#[derive(Default)]
pub struct MarketRulesMutation;

#[Object]
impl MarketRulesMutation {
    /// Changes a trust's marketplace policy (its trust admins).
    async fn set_market_policy(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        input: MarketPolicyInput,
    ) -> Result<MarketPolicy> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        policy::change(&s.db, s.clock.as_ref(), actor, trust_id, &input.into())
            .await
            .map(MarketPolicy::from)
            .gql()
    }

    /// Sets the release cascade a trust's new shifts get (its bank office or admins); shifts
    /// already posted keep theirs.
    async fn set_default_cascade(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        tiers: Vec<CascadeTierRule>,
    ) -> Result<Vec<CascadeTierRule>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let rules: Vec<TierRule> = tiers.into_iter().map(TierRule::from).collect();
        Ok(
            release_cascade::set_default(&s.db, clock, actor, trust_id, &rules)
                .await
                .gql()?
                .into_iter()
                .map(CascadeTierRule::from)
                .collect(),
        )
    }

    /// Adds a worker to a ward's preferred list.
    async fn add_preferred_worker(
        &self,
        ctx: &Context<'_>,
        ward_id: Uuid,
        worker_id: Uuid,
    ) -> Result<PreferredWorker> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        preferred_workers::add(&s.db, clock, actor, ward_id, worker_id)
            .await
            .map(PreferredWorker::from)
            .gql()
    }

    /// Removes a worker from a ward's preferred list.
    async fn remove_preferred_worker(
        &self,
        ctx: &Context<'_>,
        ward_id: Uuid,
        worker_id: Uuid,
    ) -> Result<bool> {
        let actor = ctx.actor().await?;
        preferred_workers::remove(&ctx.services().db, actor, ward_id, worker_id)
            .await
            .gql()?;
        Ok(true)
    }

    /// Blocks a worker from a trust's shifts (its bank office, HR or admins), with a reason.
    async fn block_worker(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        worker_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<WorkerRestriction> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        restrictions::block(&s.db, clock, actor, trust_id, worker_id, &reason)
            .await
            .map(WorkerRestriction::from)
            .gql()
    }

    /// Lifts a restriction (a block, or a self-booking suspension).
    async fn lift_restriction(
        &self,
        ctx: &Context<'_>,
        restriction_id: Uuid,
    ) -> Result<WorkerRestriction> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        restrictions::lift(&s.db, s.clock.as_ref(), actor, restriction_id)
            .await
            .map(WorkerRestriction::from)
            .gql()
    }

    /// The signed-in worker reconfirms they are available, ending dormancy.
    async fn reconfirm_availability(&self, ctx: &Context<'_>) -> Result<Worker> {
        let actor = ctx.actor().await?;
        let id = actor
            .worker_id()
            .ok_or_else(|| gateway_error(ErrorKind::Forbidden, "only a worker can reconfirm"))?;
        let s = ctx.services();
        let w = workers::reconfirm(&s.db, s.clock.as_ref(), actor, id)
            .await
            .gql()?;
        Ok(Worker::new(w, Access::Own))
    }
}
