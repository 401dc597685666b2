//! Bookings in GraphQL: booking a shift (idempotent with a client key), cancelling (with a preview
//! of what cancelling now would do), recording a no-show, and reading bookings with their history,
//! cancellation record and timesheet.

use async_graphql::{ComplexObject, Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use staffbank_core::ErrorKind;
use staffbank_market::booking::{self as bookings, BookingFilter, BookingRequest};
use staffbank_market::cancellation;
use staffbank_market::entity::{booking, booking_event, cancellation as cancellation_entity};
use staffbank_market::pay::timesheets;
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::loaders::{
    CancellationOf, CancellationPreviewOf, HistoryOf, ShiftId, TimesheetOf, VisibleWorker,
};
use crate::graphql::pagination::{self, Conn};
use crate::graphql::pay::Timesheet;
use crate::graphql::shifts::Shift;
use crate::graphql::workers::Worker;

/// Where a booking stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "BookingState",
    remote = "staffbank_market::booking::BookingState"
)]
pub enum BookingStateName {
    /// Holds its position.
    Booked,
    /// The worker cancelled.
    CancelledByWorker,
    /// The trust cancelled.
    CancelledByTrust,
    /// The worker did not come.
    NoShow,
}

/// Who cancelled a booking.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum CancelledBy {
    /// The worker.
    Worker,
    /// The trust.
    Trust,
}

/// A worker booked onto one position of a shift.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Booking {
    /// Id.
    pub id: Uuid,
    /// Which position of the shift, from 1.
    pub position: i32,
    /// The shift's start.
    pub starts_at: DateTime<Utc>,
    /// The shift's end.
    pub ends_at: DateTime<Utc>,
    /// Where it stands.
    pub state: BookingStateName,
    /// Whether it holds its position.
    pub active: bool,
    /// Whether the worker booked themself (false: a bank office booked them).
    pub self_booked: bool,
    /// When booked.
    pub created_at: DateTime<Utc>,
    /// When it stopped holding its position.
    pub closed_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub model: booking::Model,
}

impl From<booking::Model> for Booking {
    fn from(m: booking::Model) -> Self {
        Self {
            id: m.id,
            position: m.position,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            state: m.state.into(),
            active: m.active,
            self_booked: m.booked_via == bookings::BookedVia::SelfBooking,
            created_at: m.created_at,
            closed_at: m.closed_at,
            model: m,
        }
    }
}

/// One change of a booking.
#[derive(SimpleObject, Debug, Clone)]
pub struct BookingEvent {
    /// BOOKED, CANCELLED_BY_WORKER, CANCELLED_BY_TRUST or NO_SHOW.
    pub event: String,
    /// Whether it counts against the worker's reliability.
    pub strike: bool,
    /// Who did it.
    pub actor_account_id: Option<Uuid>,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<booking_event::Model> for BookingEvent {
    fn from(e: booking_event::Model) -> Self {
        Self {
            event: staffbank_core::code::of(&e.event),
            strike: e.strike,
            actor_account_id: e.actor_account_id,
            reason: e.reason,
            at: e.at,
        }
    }
}

/// A fee a trust owes for cancelling late: minutes of pay at a grade. The rate card turns it into
/// money; until then `amountPence` is empty.
#[derive(SimpleObject, Debug, Clone)]
pub struct CancellationFee {
    /// Minutes of pay owed.
    pub minutes: i32,
    /// The grade they are paid at (the shift's or the worker's, by the shift's pay basis).
    pub grade: String,
    /// The amount in pence, once priced.
    pub amount_pence: Option<i64>,
}

/// Who cancelled a booking, how close to the start, and any fee.
#[derive(SimpleObject, Debug, Clone)]
pub struct Cancellation {
    /// Who cancelled.
    pub cancelled_by: CancelledBy,
    /// Why.
    pub reason: String,
    /// Minutes before the start.
    pub minutes_before_start: i32,
    /// Inside the worker's short-notice window, or the trust's late window.
    pub short_notice: bool,
    /// The fee a late trust cancellation owes.
    pub fee: Option<CancellationFee>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<cancellation_entity::Model> for Cancellation {
    fn from(c: cancellation_entity::Model) -> Self {
        let fee = match (c.fee_minutes, c.fee_grade) {
            (Some(minutes), Some(grade)) => Some(CancellationFee {
                minutes,
                grade,
                amount_pence: c.fee_amount_pence,
            }),
            _ => None,
        };
        Self {
            cancelled_by: if c.cancelled_by == cancellation::CancelledBy::Worker {
                CancelledBy::Worker
            } else {
                CancelledBy::Trust
            },
            reason: c.reason,
            minutes_before_start: c.minutes_before_start,
            short_notice: c.short_notice,
            fee,
            at: c.at,
        }
    }
}

/// What cancelling a booking now would do, for the caller who would cancel it — worked out by the
/// same rules `cancelBooking` applies, so the cancellation will be exactly this if made now.
#[derive(SimpleObject, Debug, Clone)]
pub struct CancellationPreview {
    /// Who the cancellation would be recorded as: the worker (their own booking) or the trust.
    pub cancelled_by: CancelledBy,
    /// Inside the window below: for a worker, the trust's short-notice window (a strike); for
    /// the trust's bank office, its late-cancellation window (a fee when the policy sets one).
    pub short_notice: bool,
    /// That window, in minutes before the start.
    pub window_minutes: i32,
    /// Minutes from now to the start.
    pub minutes_before_start: i32,
    /// The worker's strikes at this trust now (short-notice cancellations and no-shows within the
    /// trust's strike window).
    pub strikes_in_window: i32,
    /// The strikes that suspend self-booking at this trust (0: never).
    pub strike_limit: i32,
    /// Whether cancelling now would reach the limit and suspend the worker's self-booking at this
    /// trust.
    pub suspends_self_booking: bool,
    /// For a late trust cancellation, the fee's minutes of pay (null otherwise).
    pub fee_minutes: Option<i32>,
}

impl From<cancellation::Preview> for CancellationPreview {
    fn from(p: cancellation::Preview) -> Self {
        let t = p.terms;
        Self {
            cancelled_by: match t.by {
                cancellation::CancelledBy::Worker => CancelledBy::Worker,
                cancellation::CancelledBy::Trust => CancelledBy::Trust,
            },
            short_notice: t.short_notice,
            window_minutes: t.window_minutes,
            minutes_before_start: i32::try_from(t.minutes_before_start).unwrap_or(i32::MAX),
            strikes_in_window: i32::try_from(p.strikes_in_window).unwrap_or(i32::MAX),
            strike_limit: p.strike_limit,
            suspends_self_booking: p.suspends_self_booking,
            fee_minutes: t.fee_minutes,
        }
    }
}

#[ComplexObject]
impl Booking {
    /// The shift.
    async fn shift(&self, ctx: &Context<'_>) -> Result<Shift> {
        ctx.loader()
            .load_one(ShiftId(self.model.shift_id))
            .await?
            .map(Shift::from)
            .ok_or_else(|| gateway_error(ErrorKind::NotFound, "shift not found"))
    }

    /// The worker, as much as the caller may see.
    async fn worker(&self, ctx: &Context<'_>) -> Result<Option<Worker>> {
        ctx.actor().await?;
        Ok(ctx
            .loader()
            .load_one(VisibleWorker(self.model.worker_id))
            .await?
            .map(|(w, a)| Worker::new(w, a)))
    }

    /// Every change, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<BookingEvent>> {
        Ok(ctx
            .loader()
            .load_one(HistoryOf(self.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(BookingEvent::from)
            .collect())
    }

    /// The cancellation record, when cancelled.
    async fn cancellation(&self, ctx: &Context<'_>) -> Result<Option<Cancellation>> {
        Ok(ctx
            .loader()
            .load_one(CancellationOf(self.id))
            .await?
            .map(Cancellation::from))
    }

    /// What cancelling it now would do, for the caller: null when the caller may not cancel it
    /// (only its worker, the trust's bank office and the bank's admins may) or it cannot be
    /// cancelled any more (cancelled, or the shift has started).
    async fn cancellation_preview(&self, ctx: &Context<'_>) -> Result<Option<CancellationPreview>> {
        ctx.actor().await?;
        Ok(ctx
            .loader()
            .load_one(CancellationPreviewOf(self.id))
            .await?
            .map(CancellationPreview::from))
    }

    /// Its timesheet, once the worker has submitted one (null before, and for callers who may
    /// not see it: only its worker, ward managers of its ward and the trust's bank office and
    /// admins may).
    async fn timesheet(&self, ctx: &Context<'_>) -> Result<Option<Timesheet>> {
        let actor = ctx.actor().await?;
        Ok(ctx
            .loader()
            .load_one(TimesheetOf(self.id))
            .await?
            .filter(|t| timesheets::may_see(actor, t))
            .map(Timesheet::from))
    }

    /// Whether the worker owes a timesheet for it now: the booking still stands (BOOKED), the
    /// shift has ended, and there is no timesheet yet or its timesheet was queried.
    async fn timesheet_due(&self, ctx: &Context<'_>) -> Result<bool> {
        let t = ctx.loader().load_one(TimesheetOf(self.id)).await?;
        Ok(timesheets::due(
            &self.model,
            t.as_ref(),
            ctx.services().clock.now(),
        ))
    }
}

/// The result of a booking request.
#[derive(SimpleObject, Debug)]
pub struct BookShiftPayload {
    /// The booking.
    pub booking: Booking,
    /// Whether an earlier request with the same idempotency key made it.
    pub repeated: bool,
}

/// Queries about bookings.
#[derive(Default)]
pub struct BookingQuery;

#[Object]
impl BookingQuery {
    /// One booking (its worker, staff of its trust, admins of its bank).
    async fn booking(&self, ctx: &Context<'_>, id: Uuid) -> Result<Booking> {
        let actor = ctx.actor().await?;
        bookings::booking(&ctx.services().db, actor, id)
            .await
            .map(Booking::from)
            .gql()
    }

    /// A trust's bookings, soonest first (its staff); optionally one worker's.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter")]
    async fn bookings(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        worker_id: Option<Uuid>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        #[graphql(default)] active_only: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Booking>> {
        let actor = ctx.actor().await?;
        let page = pagination::request(first, after)?;
        let filter = BookingFilter {
            trust_id: Some(trust_id),
            worker_id,
            from,
            to,
            active_only,
            timesheet_due: None,
        };
        let s = ctx.services();
        let result = bookings::list(&s.db, actor, &filter, &page, s.clock.now())
            .await
            .gql()?;
        Ok(pagination::connection(result, Booking::from))
    }

    /// The signed-in worker's bookings at every trust, soonest first. `timesheetDue: true` keeps
    /// only those owing a timesheet now (see `Booking.timesheetDue`), `false` only the others.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter")]
    async fn my_bookings(
        &self,
        ctx: &Context<'_>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        #[graphql(default)] active_only: bool,
        timesheet_due: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Conn<Booking>> {
        let actor = ctx.actor().await?;
        let me = actor
            .worker_id()
            .ok_or_else(|| gateway_error(ErrorKind::Forbidden, "this account is not a worker"))?;
        let page = pagination::request(first, after)?;
        let filter = BookingFilter {
            trust_id: None,
            worker_id: Some(me),
            from,
            to,
            active_only,
            timesheet_due,
        };
        let s = ctx.services();
        let result = bookings::list(&s.db, actor, &filter, &page, s.clock.now())
            .await
            .gql()?;
        Ok(pagination::connection(result, Booking::from))
    }
}

/// Booking and cancelling.
#[derive(Default)]
pub struct BookingMutation;

#[Object]
impl BookingMutation {
    /// Books a shift: a worker books themself (leave `workerId` out), or the trust's bank office
    /// books a named worker. Every rule is re-checked; a worker who may not work it gets
    /// `NOT_ELIGIBLE` with the reasons in `extensions.details.reasons`. Repeating a request with
    /// the same `idempotencyKey` returns the booking the first one made.
    async fn book_shift(
        &self,
        ctx: &Context<'_>,
        shift_id: Uuid,
        worker_id: Option<Uuid>,
        #[graphql(
            desc = "Any string of 1 to 200 characters (one line) naming this request: repeating it makes no second booking."
        )]
        idempotency_key: Option<String>,
    ) -> Result<BookShiftPayload> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let request = BookingRequest {
            shift_id,
            worker_id,
            idempotency_key,
        };
        let outcome = bookings::book(&s.db, s.clock.as_ref(), actor, &request)
            .await
            .gql()?;
        Ok(BookShiftPayload {
            booking: Booking::from(outcome.booking),
            repeated: outcome.repeated,
        })
    }

    /// Cancels a booking: the worker their own (inside the trust's short-notice window it is
    /// recorded as short notice), or the trust's bank office (inside its late window a fee line is
    /// recorded). The position reopens.
    async fn cancel_booking(
        &self,
        ctx: &Context<'_>,
        booking_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: String,
    ) -> Result<Booking> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        cancellation::cancel_booking(&s.db, s.clock.as_ref(), actor, booking_id, &reason)
            .await
            .map(|c| Booking::from(c.booking))
            .gql()
    }

    /// Records that a booked worker did not come (the trust's bank office or ward managers, once
    /// the shift has started).
    async fn record_no_show(
        &self,
        ctx: &Context<'_>,
        booking_id: Uuid,
        #[graphql(
            desc = "Why (1 to 500 characters; line breaks allowed, no other control characters)."
        )]
        reason: Option<String>,
    ) -> Result<Booking> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let reason = reason.as_deref();
        cancellation::record_no_show(&s.db, s.clock.as_ref(), actor, booking_id, reason)
            .await
            .map(Booking::from)
            .gql()
    }
}
