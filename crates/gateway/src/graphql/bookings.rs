//! Bookings in GraphQL: booking a shift (idempotent with a client key), cancelling, recording a
//! no-show, and reading bookings with their history and cancellation record.

use async_graphql::{ComplexObject, Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use staffbank_core::{ErrorKind, db};
use staffbank_market::booking::{self as bookings, BookingFilter, BookingRequest, BookingState};
use staffbank_market::cancellation;
use staffbank_market::entity::{booking, booking_event, cancellation as cancellation_entity};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::loaders::{CancellationOf, HistoryOf, ShiftId, VisibleWorker};
use crate::graphql::pagination::{self, Conn};
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
            state: m
                .state
                .parse::<BookingState>()
                .unwrap_or(BookingState::Booked)
                .into(),
            active: m.active,
            self_booked: m.booked_via == bookings::BookedVia::SelfBooking.as_str(),
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
            event: e.event,
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
            cancelled_by: if c.cancelled_by == cancellation::CancelledBy::Worker.as_str() {
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
        };
        let result = bookings::list(&ctx.services().db, actor, &filter, &page)
            .await
            .gql()?;
        Ok(pagination::connection(result, Booking::from))
    }

    /// The signed-in worker's bookings at every trust, soonest first.
    async fn my_bookings(
        &self,
        ctx: &Context<'_>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        #[graphql(default)] active_only: bool,
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
        };
        let result = bookings::list(&ctx.services().db, actor, &filter, &page)
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
        reason: String,
    ) -> Result<Booking> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let reason = &reason;
        db::write(&s.db, |tx| {
            Box::pin(async move {
                cancellation::cancel_booking(&*tx, clock, actor, booking_id, reason).await
            })
        })
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
        reason: Option<String>,
    ) -> Result<Booking> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        let reason = reason.as_deref();
        db::write(&s.db, |tx| {
            Box::pin(async move {
                cancellation::record_no_show(&*tx, clock, actor, booking_id, reason).await
            })
        })
        .await
        .map(Booking::from)
        .gql()
    }
}
