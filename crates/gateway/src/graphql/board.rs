//! The bank office's board in GraphQL: `shiftBoard` (days × wards with counts and tier facts) and
//! the `shiftChanges` subscription that tells a board what to redraw.

use async_graphql::{Context, Enum, Object, Result, SimpleObject, Subscription};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use futures::Stream;
use staffbank_core::ErrorKind;
use staffbank_core::time::london_local;
use staffbank_market::board::{self, BoardQuery};
use staffbank_market::shift_changes::{self, ShiftChange};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::estate::{Site, Ward};
use crate::graphql::shifts::AudienceName;
use crate::graphql::workers::StaffGroupName;

/// A trust's shifts over some London days, as a grid of days × wards.
#[derive(SimpleObject, Debug, Clone)]
pub struct ShiftBoard {
    /// Its days, in order.
    pub days: Vec<NaiveDate>,
    /// Its wards, by site then name.
    pub wards: Vec<BoardWard>,
    /// Every day × ward, by day, then in the order of `wards`.
    pub cells: Vec<BoardCell>,
}

/// A ward on the board, with its site.
#[derive(SimpleObject, Debug, Clone)]
pub struct BoardWard {
    /// The ward.
    pub ward: Ward,
    /// Its site.
    pub site: Site,
}

/// One ward on one day. Each shift counts once, in the first that applies: cancelled, filled,
/// escalated, partly filled, open.
#[derive(SimpleObject, Debug, Clone)]
pub struct BoardCell {
    /// The London day shifts start on.
    pub day: NaiveDate,
    /// The ward.
    pub ward_id: Uuid,
    /// Shifts nobody is booked on yet (including those whose first tier has not opened).
    pub open: i32,
    /// Shifts with some positions booked and some not.
    pub partly_filled: i32,
    /// Shifts with every position booked.
    pub filled: i32,
    /// Shifts not filled whose agency tier has opened.
    pub escalated: i32,
    /// Shifts the trust withdrew.
    pub cancelled: i32,
    /// Every shift of the cell.
    pub total: i32,
    /// Of the shifts still looking for workers, the tier open now of the one whose cascade has
    /// gone least far (none before its first tier opens, or when none is looking).
    pub open_tier: Option<AudienceName>,
    /// The soonest tier still to open among those shifts.
    pub next_tier: Option<AudienceName>,
    /// When it opens.
    pub next_tier_opens_at: Option<DateTime<Utc>>,
    /// When it opens, London wall-clock time.
    pub next_tier_opens_local: Option<NaiveDateTime>,
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<board::Cell> for BoardCell {
    fn from(c: board::Cell) -> Self {
        Self {
            day: c.day,
            ward_id: c.ward_id,
            open: count(c.counts.open),
            partly_filled: count(c.counts.partly_filled),
            filled: count(c.counts.filled),
            escalated: count(c.counts.escalated),
            cancelled: count(c.counts.cancelled),
            total: count(c.counts.total()),
            open_tier: c.open_tier.map(Into::into),
            next_tier: c.next_tier.map(|(a, _)| a.into()),
            next_tier_opens_at: c.next_tier.map(|(_, at)| at),
            next_tier_opens_local: c.next_tier.map(|(_, at)| london_local(at)),
        }
    }
}

/// The board.
#[derive(Default)]
pub struct BoardQueryRoot;

#[Object]
impl BoardQueryRoot {
    /// A trust's board (its bank office): each ward of the trust (or of `siteId`, or `wardId`
    /// alone) on each of `days` London days from `from` (today when not given), counting the
    /// shifts that start then (for `staffGroup` only, when given).
    #[expect(clippy::too_many_arguments, reason = "one argument per filter")]
    async fn shift_board(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        from: Option<NaiveDate>,
        #[graphql(desc = "How many days (1 to 31; 14 when not given).")] days: Option<i32>,
        site_id: Option<Uuid>,
        ward_id: Option<Uuid>,
        staff_group: Option<StaffGroupName>,
    ) -> Result<ShiftBoard> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let query = BoardQuery {
            trust_id,
            from,
            // Out of range (negative too) is refused by the domain.
            days: days.map(|d| u32::try_from(d).unwrap_or(0)),
            site_id,
            ward_id,
            staff_group: staff_group.map(Into::into),
        };
        let b = board::board(&s.db, actor, &query, s.clock.now())
            .await
            .gql()?;
        Ok(ShiftBoard {
            days: b.days,
            wards: b
                .wards
                .into_iter()
                .map(|w| BoardWard {
                    ward: w.ward.into(),
                    site: w.site.into(),
                })
                .collect(),
            cells: b.cells.into_iter().map(Into::into).collect(),
        })
    }
}

/// What happened to a shift.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "ShiftChangeKind",
    remote = "staffbank_market::shift_changes::Change"
)]
pub enum ChangeName {
    /// It was posted.
    Posted,
    /// A worker was booked onto it.
    Booked,
    /// A booking of it was cancelled (by the worker or the trust).
    BookingCancelled,
    /// A booked worker did not come.
    NoShow,
    /// The trust withdrew it.
    Cancelled,
    /// A tier of its release cascade opened to more workers.
    TierOpened,
    /// Its agency tier opened: escalated to agencies.
    Escalated,
}

/// A change to one of a trust's shifts (redraw the board's cell of `wardId` on `day`).
#[derive(SimpleObject, Debug, Clone)]
pub struct ShiftChangeEvent {
    /// The shift; none when several shifts of the ward and day changed at once (a bulk posting).
    pub shift_id: Option<Uuid>,
    /// Its trust.
    pub trust_id: Uuid,
    /// Its ward.
    pub ward_id: Uuid,
    /// The London day it starts on.
    pub day: NaiveDate,
    /// What happened.
    pub change: ChangeName,
}

impl From<ShiftChange> for ShiftChangeEvent {
    fn from(c: ShiftChange) -> Self {
        Self {
            shift_id: c.shift_id,
            trust_id: c.trust_id,
            ward_id: c.ward_id,
            day: c.day,
            change: c.change.into(),
        }
    }
}

/// Live updates.
#[derive(Default)]
pub struct BoardSubscription;

#[Subscription]
impl BoardSubscription {
    /// Each change to the trust's shifts (its bank office), from now on, once the change has
    /// committed: posted, booked, a booking cancelled, a no-show, cancelled, a tier opened,
    /// escalated. Over the graphql-ws protocol at `/graphql/ws`, signed in by `token` in the
    /// `connection_init` payload (or, from the web app's pages, by its session).
    async fn shift_changes(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
    ) -> Result<impl Stream<Item = ShiftChangeEvent> + use<>> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        shift_changes::authorize_watch(&s.db, actor, trust_id)
            .await
            .gql()?;
        let receiver = s.shift_feed.subscribe().await.map_err(|e| {
            tracing::error!(error = %e, "cannot subscribe to shift changes");
            gateway_error(
                ErrorKind::Internal,
                "live updates are not available just now",
            )
        })?;
        Ok(futures::stream::unfold(
            receiver,
            move |mut rx| async move {
                loop {
                    match rx.recv().await {
                        Ok(c) if c.trust_id == trust_id => return Some((c.into(), rx)),
                        Ok(_) => {}
                        Err(broadcast::error::RecvError::Lagged(missed)) => {
                            tracing::warn!(missed, "a shift change subscriber fell behind");
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}
