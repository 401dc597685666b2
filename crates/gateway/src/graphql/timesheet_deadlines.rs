//! Timesheet deadlines in GraphQL: a trust's rules (how long its ward managers have, automatic
//! approval of matching timesheets, the pay cut-off they serve), who holds a timesheet now and by
//! when, and deciding several timesheets at once. The bank office lists the timesheets escalated
//! to it with `timesheets(trustId:, state: SUBMITTED, escalated: true)` and decides them with
//! `approveTimesheet` / `queryTimesheet`, as the ward manager does.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use staffbank_market::pay::deadlines::{self, Holder, NewPolicy, Policy};
use staffbank_market::pay::timesheets;
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::GqlResultExt;
use crate::graphql::loaders::DbLoader;
use crate::graphql::pay::Timesheet;

/// A trust's timesheet rules.
#[derive(SimpleObject, Debug, Clone)]
pub struct TimesheetPolicy {
    /// The trust.
    pub trust_id: Uuid,
    /// Hours a ward manager has to approve or query a submitted timesheet (48 unless set);
    /// after that it goes to the bank office.
    pub approval_hours: i32,
    /// Whether a timesheet whose times match the booked shift is approved automatically at its
    /// deadline instead of going to the bank office (off unless set).
    pub auto_approve: bool,
    /// How many minutes each end may be off the booked times (with the booked break) and still
    /// match.
    pub tolerance_minutes: i32,
    /// The pay cut-off day of the month the deadlines serve (`setPayCutoffDay`).
    pub pay_cutoff_day: i32,
}

impl TimesheetPolicy {
    fn of(trust_id: Uuid, p: Policy) -> Self {
        Self {
            trust_id,
            approval_hours: p.approval_hours,
            auto_approve: p.auto_approve,
            tolerance_minutes: p.tolerance_minutes,
            pay_cutoff_day: p.cutoff_day,
        }
    }
}

/// Who holds a timesheet now.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "staffbank_market::pay::deadlines::Holder")]
pub enum TimesheetHolder {
    /// A ward manager of its ward, to approve or query it by its deadline.
    WardManager,
    /// The trust's bank office: past the deadline, to approve or query it; once approved, to
    /// approve it for payment and send it to payroll.
    BankOffice,
    /// The worker, to answer a query.
    Worker,
}

/// Key: the timesheet rules of a trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicyOfTrust(pub Uuid);

impl Loader<PolicyOfTrust> for DbLoader {
    type Value = Policy;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PolicyOfTrust],
    ) -> Result<HashMap<PolicyOfTrust, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(deadlines::policies_of(&self.db, &ids)
            .await
            .gql()?
            .into_iter()
            .map(|(t, p)| (PolicyOfTrust(t), p))
            .collect())
    }
}

/// The rules that apply to timesheet `t`.
pub(crate) async fn policy_for(ctx: &Context<'_>, t: &Timesheet) -> Result<Policy> {
    Ok(ctx
        .loader()
        .load_one(PolicyOfTrust(t.model.trust_id))
        .await?
        .unwrap_or_default())
}

/// A submitted timesheet's deadline (null once decided).
pub(crate) async fn deadline(ctx: &Context<'_>, t: &Timesheet) -> Result<Option<DateTime<Utc>>> {
    if t.model.state != timesheets::TimesheetState::Submitted {
        return Ok(None);
    }
    let p = policy_for(ctx, t).await?;
    Ok(Some(deadlines::deadline_of(&t.model, &p)))
}

/// Who holds the timesheet now, and by when.
pub(crate) async fn holder(
    ctx: &Context<'_>,
    t: &Timesheet,
) -> Result<Option<(Holder, Option<DateTime<Utc>>)>> {
    let p = policy_for(ctx, t).await?;
    Ok(deadlines::holder(&t.model, &p))
}

/// Timesheet deadline queries.
#[derive(Default)]
pub struct TimesheetDeadlineQuery;

#[Object]
impl TimesheetDeadlineQuery {
    /// A trust's timesheet rules (for its trust admins, bank office and ward managers).
    async fn timesheet_policy(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<TimesheetPolicy> {
        let actor = ctx.actor().await?;
        deadlines::visible_policy(&ctx.services().db, actor, trust_id)
            .await
            .map(|p| TimesheetPolicy::of(trust_id, p))
            .gql()
    }
}

/// Timesheet deadline changes.
#[derive(Default)]
pub struct TimesheetDeadlineMutation;

#[Object]
impl TimesheetDeadlineMutation {
    /// Sets a trust's timesheet rules (its trust admins and bank office, as for the pay cut-off);
    /// they apply to timesheets submitted from now on.
    async fn set_timesheet_policy(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        #[graphql(desc = "Hours a ward manager has, 1 to 336.")] approval_hours: i32,
        #[graphql(desc = "Approve matching timesheets automatically at the deadline.")]
        auto_approve: bool,
        #[graphql(desc = "Minutes each end may be off the booked times, 0 to 60 (default 15).")]
        tolerance_minutes: Option<i32>,
    ) -> Result<TimesheetPolicy> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let new = NewPolicy {
            approval_hours,
            auto_approve,
            tolerance_minutes: tolerance_minutes.unwrap_or(deadlines::DEFAULT_TOLERANCE_MINUTES),
        };
        let clock = s.clock.as_ref();
        deadlines::set_policy(&s.db, clock, actor, trust_id, new)
            .await
            .map(|p| TimesheetPolicy::of(trust_id, p))
            .gql()
    }

    /// Approves several submitted timesheets at once (at most 100), all or none: if one cannot
    /// be approved, the error says why and nothing changes.
    async fn approve_timesheets(
        &self,
        ctx: &Context<'_>,
        ids: Vec<Uuid>,
    ) -> Result<Vec<Timesheet>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        timesheets::approve_many(&s.db, clock, actor, &ids)
            .await
            .map(|v| v.into_iter().map(Timesheet::from).collect())
            .gql()
    }

    /// Queries several submitted timesheets at once (at most 100) with one reason, all or none.
    async fn query_timesheets(
        &self,
        ctx: &Context<'_>,
        ids: Vec<Uuid>,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Vec<Timesheet>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        timesheets::query_many(&s.db, clock, actor, &ids, &reason)
            .await
            .map(|v| v.into_iter().map(Timesheet::from).collect())
            .gql()
    }
}
