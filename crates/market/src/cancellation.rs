//! Cancellations and no-shows, with the trust's policy: a worker cancelling inside the short-notice
//! window is recorded as short notice (a strike); a trust cancelling inside its late window owes a
//! fee line (minutes of pay at the grade its pay basis names, priced later by the rate card); a
//! worker reaching the strike limit at a trust loses self-booking there. Cancelling frees the
//! position, and the shift is back on the market at whichever tier of its cascade is open.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QuerySelect, Set,
};
use staffbank_bank::entity::worker;
use staffbank_bank::workers;
use staffbank_core::{Actor, Clock, Role, db, new_id};
use uuid::Uuid;

use crate::booking::{self, BookingState};
use crate::booking_history::{self, BookingEvent};
use crate::entity::{booking as booking_entity, cancellation, shift};
use crate::error::{Result, conflict, not_found};
use crate::market_mail::{self, ShiftWords};
use crate::policy::{self, Policy};
use crate::posting::PayBasis;
use crate::restrictions::{self, RestrictionKind};
use crate::shift_changes::{self, Change};

/// Who cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum CancelledBy {
    /// The worker.
    #[sea_orm(string_value = "WORKER")]
    Worker,
    /// The trust.
    #[sea_orm(string_value = "TRUST")]
    Trust,
}

impl fmt::Display for CancelledBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// What a cancellation did.
#[derive(Debug, Clone)]
pub struct Cancelled {
    /// The booking, now closed.
    pub booking: booking_entity::Model,
    /// The cancellation record (short notice, fee).
    pub cancellation: cancellation::Model,
    /// Whether it cost the worker self-booking at the trust.
    pub self_booking_suspended: bool,
}

/// What cancelling a booking at a moment means under a trust's policy — the one rule behind both
/// [`cancel_booking`] and [`previews`], so a preview cannot disagree with the cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    /// Who would be cancelling.
    pub by: CancelledBy,
    /// Minutes from the moment to the shift's start.
    pub minutes_before_start: i64,
    /// The window that applies to them: the worker's short-notice window, or the trust's late
    /// window, in minutes before the start.
    pub window_minutes: i32,
    /// Inside that window.
    pub short_notice: bool,
    /// The fee's minutes of pay, for a late trust cancellation when the policy charges one.
    pub fee_minutes: Option<i32>,
}

impl Terms {
    /// The terms of `by` cancelling, at `now`, a booking whose shift starts at `starts_at`.
    #[must_use]
    pub fn at(
        policy: &Policy,
        by: CancelledBy,
        starts_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        let before = (starts_at - now).num_minutes();
        let window_minutes = match by {
            CancelledBy::Worker => policy.worker_short_notice_minutes,
            CancelledBy::Trust => policy.trust_late_cancellation_minutes,
        };
        let short_notice = before < i64::from(window_minutes);
        let fee_minutes =
            (by == CancelledBy::Trust && short_notice && policy.late_cancellation_fee_minutes > 0)
                .then_some(policy.late_cancellation_fee_minutes);
        Self {
            by,
            minutes_before_start: before,
            window_minutes,
            short_notice,
            fee_minutes,
        }
    }

    /// Whether it is a strike against the worker (a worker cancelling at short notice).
    #[must_use]
    pub fn strike(&self) -> bool {
        self.by == CancelledBy::Worker && self.short_notice
    }
}

/// Who cancels when `actor` cancels booking `b` of shift `s`: the booked worker their own, or the
/// trust's bank office (or the bank's admins) any at the trust.
fn canceller(actor: &Actor, s: &shift::Model, b: &booking_entity::Model) -> Result<CancelledBy> {
    if actor.worker_id() == Some(b.worker_id) {
        Ok(CancelledBy::Worker)
    } else {
        actor.require_trust_role(&[Role::BankOffice], s.trust_id, s.system_id)?;
        Ok(CancelledBy::Trust)
    }
}

/// Whether a booking can still be cancelled at `now`: it holds its position and its shift has not
/// started.
fn check_cancellable(b: &booking_entity::Model, now: DateTime<Utc>) -> Result<()> {
    if !b.active || b.state != BookingState::Booked {
        return Err(conflict("the booking is not active"));
    }
    if b.starts_at <= now {
        return Err(conflict(
            "the shift has started; a bank office can record a no-show instead",
        ));
    }
    Ok(())
}

/// Whether a worker's strikes at a trust, counting a new one, reach the policy's limit (which
/// suspends their self-booking there).
#[must_use]
pub fn reaches_strike_limit(policy: &Policy, strikes_with_new: i64) -> bool {
    policy.strike_limit > 0 && strikes_with_new >= i64::from(policy.strike_limit)
}

fn reason_text(raw: &str) -> Result<String> {
    Ok(staffbank_core::text::limits::REASON_TEXT.required(raw)?)
}

async fn locked_shift(conn: &impl ConnectionTrait, id: Uuid) -> Result<shift::Model> {
    shift::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| not_found("shift"))
}

/// The booking's shift locked, and the booking as it is once the lock is held.
async fn lock_booking(
    conn: &impl ConnectionTrait,
    booking_id: Uuid,
) -> Result<(shift::Model, booking_entity::Model)> {
    let first = booking::get(conn, booking_id).await?;
    let s = locked_shift(conn, first.shift_id).await?;
    Ok((s, booking::get(conn, booking_id).await?))
}

async fn close(
    conn: &impl ConnectionTrait,
    b: booking_entity::Model,
    state: BookingState,
    now: DateTime<Utc>,
) -> Result<booking_entity::Model> {
    let mut a: booking_entity::ActiveModel = b.into();
    a.active = Set(false);
    a.state = Set(state);
    a.closed_at = Set(Some(now));
    Ok(a.update(conn).await?)
}

async fn set_filled(conn: &impl ConnectionTrait, s: &shift::Model) -> Result<()> {
    let active: Vec<Uuid> = booking_entity::Entity::find()
        .select_only()
        .column(booking_entity::Column::Id)
        .filter(booking_entity::Column::ShiftId.eq(s.id))
        .filter(booking_entity::Column::Active.eq(true))
        .into_tuple()
        .all(conn)
        .await?;
    let mut a: shift::ActiveModel = s.clone().into();
    a.filled_positions = Set(i32::try_from(active.len()).unwrap_or(i32::MAX));
    a.update(conn).await?;
    Ok(())
}

/// Where the policy's strike window starts, counted back from `now`.
fn strike_window_start(policy: &Policy, now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(i64::from(policy.strike_window_days))
}

/// After a strike: suspends self-booking at the trust when the worker has reached the limit.
async fn apply_strike_policy(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    policy: &Policy,
    w: &worker::Model,
    words: &ShiftWords,
) -> Result<bool> {
    let (trust_id, worker_id) = (words.trust_id, w.id);
    if policy.strike_limit <= 0 {
        return Ok(false);
    }
    let since = strike_window_start(policy, clock.now());
    let strikes = booking_history::strikes_since(conn, Some(trust_id), Some(&[worker_id]), since)
        .await?
        .get(&worker_id)
        .copied()
        .unwrap_or(0);
    if !reaches_strike_limit(policy, strikes) {
        return Ok(false);
    }
    let already = restrictions::in_force(conn, Some(trust_id), &[worker_id])
        .await?
        .iter()
        .any(|r| r.kind == RestrictionKind::SelfBookingSuspended);
    if already {
        return Ok(false);
    }
    let why = format!(
        "{strikes} short-notice cancellations or no-shows in {} days (trust policy: {})",
        policy.strike_window_days, policy.strike_limit
    );
    let r = restrictions::place(
        conn,
        clock,
        &Actor::Service,
        trust_id,
        worker_id,
        RestrictionKind::SelfBookingSuspended,
        &why,
    )
    .await?;
    market_mail::self_booking_suspended(conn, clock, w, &words.trust, r.id, &why).await?;
    Ok(true)
}

/// Cancels one active booking of a locked shift, recording short notice or the fee.
async fn cancel_locked(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    s: &shift::Model,
    b: booking_entity::Model,
    by: CancelledBy,
    reason: &str,
) -> Result<Cancelled> {
    let now = clock.now();
    let policy = &policy::of_trust(conn, s.trust_id).await?;
    check_cancellable(&b, now)?;
    let terms = Terms::at(policy, by, b.starts_at, now);
    let fee_grade = match terms.fee_minutes {
        Some(_) => Some(match s.pay_basis {
            PayBasis::WorkerGrade => workers::get(conn, b.worker_id).await?.grade,
            PayBasis::ShiftGrade => s.grade.clone(),
        }),
        None => None,
    };
    let (state, event) = match by {
        CancelledBy::Worker => (
            BookingState::CancelledByWorker,
            BookingEvent::CancelledByWorker,
        ),
        CancelledBy::Trust => (
            BookingState::CancelledByTrust,
            BookingEvent::CancelledByTrust,
        ),
    };
    let strike = terms.strike();
    let b = close(conn, b, state, now).await?;
    booking_history::record(conn, now, actor, &b, event, strike, Some(reason)).await?;
    let c = cancellation::ActiveModel {
        id: Set(new_id()),
        booking_id: Set(b.id),
        shift_id: Set(b.shift_id),
        trust_id: Set(b.trust_id),
        worker_id: Set(b.worker_id),
        cancelled_by: Set(by),
        actor_account_id: Set(actor.account_id()),
        reason: Set(reason.to_owned()),
        minutes_before_start: Set(i32::try_from(terms.minutes_before_start).unwrap_or(i32::MAX)),
        short_notice: Set(terms.short_notice),
        fee_minutes: Set(terms.fee_minutes),
        fee_grade: Set(fee_grade),
        fee_amount_pence: Set(None),
        at: Set(now),
    }
    .insert(conn)
    .await?;
    // A fee is priced at once and paid as a pay line (same transaction).
    let c = crate::pay::fees::price(conn, clock, s, c).await?;
    let w = workers::get(conn, b.worker_id).await?;
    let words = market_mail::ShiftWords::of(conn, s).await?;
    match by {
        CancelledBy::Trust => {
            market_mail::cancelled_by_trust(conn, clock, &w, &b, &words, reason).await?;
        }
        CancelledBy::Worker => {
            market_mail::cancelled_by_worker(conn, clock, &w, &b, &words, terms.short_notice)
                .await?;
        }
    }
    let suspended = if strike {
        apply_strike_policy(conn, clock, policy, &w, &words).await?
    } else {
        false
    };
    Ok(Cancelled {
        booking: b,
        cancellation: c,
        self_booking_suspended: suspended,
    })
}

/// Cancels a booking: the worker their own, or the trust's bank office any at its trust.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (reason); conflict (not active, already started).
pub async fn cancel_booking(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    booking_id: Uuid,
    reason: &str,
) -> Result<Cancelled> {
    db::write(db, |tx| {
        Box::pin(async move { cancel_booking_in(&tx, clock, actor, booking_id, reason).await })
    })
    .await
}

/// The work of [`cancel_booking`], in the caller's transaction.
///
/// # Errors
/// As [`cancel_booking`].
pub async fn cancel_booking_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    booking_id: Uuid,
    reason: &str,
) -> Result<Cancelled> {
    let (s, b) = lock_booking(tx, booking_id).await?;
    let by = canceller(actor, &s, &b)?;
    let reason = reason_text(reason)?;
    let done = cancel_locked(tx, clock, actor, &s, b, by, &reason).await?;
    set_filled(tx, &s).await?;
    shift_changes::announce_shift(tx, &s, Change::BookingCancelled).await?;
    Ok(done)
}

/// Records that a booked worker did not come (the trust's bank office or ward managers, once the
/// shift has started): a strike, which may cost the worker self-booking there.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; conflict (not active, not started yet).
pub async fn record_no_show(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    booking_id: Uuid,
    reason: Option<&str>,
) -> Result<booking_entity::Model> {
    db::write(db, |tx| {
        Box::pin(async move { record_no_show_in(&tx, clock, actor, booking_id, reason).await })
    })
    .await
}

/// The work of [`record_no_show`], in the caller's transaction.
///
/// # Errors
/// As [`record_no_show`].
pub async fn record_no_show_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    booking_id: Uuid,
    reason: Option<&str>,
) -> Result<booking_entity::Model> {
    let (s, b) = lock_booking(tx, booking_id).await?;
    actor.require_trust_role(
        &[Role::BankOffice, Role::WardManager],
        s.trust_id,
        s.system_id,
    )?;
    let reason = reason.map(reason_text).transpose()?;
    let now = clock.now();
    if !b.active || b.state != BookingState::Booked {
        return Err(conflict("the booking is not active"));
    }
    if b.starts_at > now {
        return Err(conflict(
            "a no-show can be recorded once the shift has started",
        ));
    }
    let b = close(tx, b, BookingState::NoShow, now).await?;
    booking_history::record(
        tx,
        now,
        actor,
        &b,
        BookingEvent::NoShow,
        true,
        reason.as_deref(),
    )
    .await?;
    set_filled(tx, &s).await?;
    shift_changes::announce_shift(tx, &s, Change::NoShow).await?;
    let w = workers::get(tx, b.worker_id).await?;
    let words = market_mail::ShiftWords::of(tx, &s).await?;
    market_mail::no_show(tx, clock, &w, &b, &words).await?;
    let policy = policy::of_trust(tx, s.trust_id).await?;
    apply_strike_policy(tx, clock, &policy, &w, &words).await?;
    Ok(b)
}

/// Withdraws a shift that has not started (its trust's bank office): every active booking is
/// cancelled by the trust, with fees where late.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (reason); conflict (already cancelled, started).
pub async fn cancel_shift(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    shift_id: Uuid,
    reason: &str,
) -> Result<(shift::Model, Vec<Cancelled>)> {
    db::write(db, |tx| {
        Box::pin(async move { cancel_shift_in(&tx, clock, actor, shift_id, reason).await })
    })
    .await
}

/// The work of [`cancel_shift`], in the caller's transaction.
///
/// # Errors
/// As [`cancel_shift`].
pub async fn cancel_shift_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    shift_id: Uuid,
    reason: &str,
) -> Result<(shift::Model, Vec<Cancelled>)> {
    let s = locked_shift(tx, shift_id).await?;
    actor.require_trust_role(&[Role::BankOffice], s.trust_id, s.system_id)?;
    let reason = reason_text(reason)?;
    let now = clock.now();
    if s.cancelled_at.is_some() {
        return Err(conflict("the shift was cancelled already"));
    }
    if s.starts_at <= now {
        return Err(conflict("the shift has started"));
    }
    let active = booking_entity::Entity::find()
        .filter(booking_entity::Column::ShiftId.eq(s.id))
        .filter(booking_entity::Column::Active.eq(true))
        .all(tx)
        .await?;
    let mut done = Vec::with_capacity(active.len());
    for b in active {
        done.push(cancel_locked(tx, clock, actor, &s, b, CancelledBy::Trust, &reason).await?);
    }
    shift_changes::announce_shift(tx, &s, Change::Cancelled).await?;
    let mut a: shift::ActiveModel = s.into();
    a.filled_positions = Set(0);
    a.cancelled_at = Set(Some(now));
    a.cancelled_by = Set(actor.account_id());
    a.cancel_reason = Set(Some(reason));
    Ok((a.update(tx).await?, done))
}

/// What cancelling a booking now would do, for the caller who would cancel it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preview {
    /// Who, how close to the start, which window, and any fee.
    pub terms: Terms,
    /// The worker's strikes at the trust now (short-notice cancellations and no-shows within the
    /// policy's strike window).
    pub strikes_in_window: i64,
    /// The strikes that suspend self-booking at the trust (0: never).
    pub strike_limit: i32,
    /// Whether cancelling now would reach the limit and suspend the worker's self-booking there.
    pub suspends_self_booking: bool,
}

/// For each of these bookings that `actor` may cancel, and that can still be cancelled, what
/// cancelling it at `now` would do — by the rules [`cancel_booking`] applies ([`Terms::at`], the
/// same canceller, the same strike limit), so the preview and the outcome cannot disagree. The
/// others are left out. Batched: a fixed number of queries, plus one per trust for strikes.
///
/// # Errors
/// Database errors.
pub async fn previews(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    bookings: &[booking_entity::Model],
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, Preview>> {
    let live: Vec<&booking_entity::Model> = bookings
        .iter()
        .filter(|b| check_cancellable(b, now).is_ok())
        .collect();
    if live.is_empty() {
        return Ok(HashMap::new());
    }
    let shift_ids: Vec<Uuid> = live.iter().map(|b| b.shift_id).collect();
    let shifts: HashMap<Uuid, shift::Model> = crate::shifts::by_ids(conn, &shift_ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mine: Vec<(&booking_entity::Model, CancelledBy)> = live
        .into_iter()
        .filter_map(|b| {
            let s = shifts.get(&b.shift_id)?;
            canceller(actor, s, b).ok().map(|by| (b, by))
        })
        .collect();
    if mine.is_empty() {
        return Ok(HashMap::new());
    }
    let mut trusts: Vec<Uuid> = mine.iter().map(|(b, _)| b.trust_id).collect();
    trusts.sort_unstable();
    trusts.dedup();
    let mut workers: Vec<Uuid> = mine.iter().map(|(b, _)| b.worker_id).collect();
    workers.sort_unstable();
    workers.dedup();
    let (policies, restrictions) = futures::try_join!(
        policy::of_trusts(conn, &trusts),
        restrictions::in_force(conn, None, &workers),
    )?;
    let suspended: HashSet<(Uuid, Uuid)> = restrictions
        .iter()
        .filter(|r| r.kind == RestrictionKind::SelfBookingSuspended)
        .map(|r| (r.trust_id, r.worker_id))
        .collect();
    let strikes = futures::future::try_join_all(trusts.iter().map(|t| {
        let policy = policies.get(t).copied().unwrap_or_default();
        let workers = &workers;
        async move {
            let since = strike_window_start(&policy, now);
            let counts =
                booking_history::strikes_since(conn, Some(*t), Some(workers), since).await?;
            Ok::<_, crate::Error>((*t, counts))
        }
    }))
    .await?
    .into_iter()
    .collect::<HashMap<Uuid, HashMap<Uuid, i64>>>();
    Ok(mine
        .into_iter()
        .map(|(b, by)| {
            let policy = policies.get(&b.trust_id).copied().unwrap_or_default();
            let terms = Terms::at(&policy, by, b.starts_at, now);
            let strikes_in_window = strikes
                .get(&b.trust_id)
                .and_then(|c| c.get(&b.worker_id))
                .copied()
                .unwrap_or(0);
            let suspends_self_booking = terms.strike()
                && reaches_strike_limit(&policy, strikes_in_window + 1)
                && !suspended.contains(&(b.trust_id, b.worker_id));
            (
                b.id,
                Preview {
                    terms,
                    strikes_in_window,
                    strike_limit: policy.strike_limit,
                    suspends_self_booking,
                },
            )
        })
        .collect())
}

/// The cancellation records of these bookings (for batched loading; no checks).
///
/// # Errors
/// Database errors.
pub async fn of_bookings(
    conn: &impl ConnectionTrait,
    booking_ids: &[Uuid],
) -> Result<Vec<cancellation::Model>> {
    Ok(cancellation::Entity::find()
        .filter(cancellation::Column::BookingId.is_in(booking_ids.iter().copied()))
        .all(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes_before: i64) -> (DateTime<Utc>, DateTime<Utc>) {
        let now = Utc::now();
        (now + Duration::minutes(minutes_before), now)
    }

    #[test]
    fn a_worker_inside_the_short_notice_window_strikes_and_pays_nothing() {
        let p = Policy::default();
        let (start, now) = at(8 * 60 - 1);
        let t = Terms::at(&p, CancelledBy::Worker, start, now);
        assert!(t.short_notice && t.strike());
        assert_eq!((t.window_minutes, t.fee_minutes), (8 * 60, None));
        let (start, now) = at(8 * 60);
        assert!(!Terms::at(&p, CancelledBy::Worker, start, now).short_notice);
    }

    #[test]
    fn a_trust_inside_its_late_window_owes_the_fee_and_strikes_nobody() {
        let p = Policy::default();
        let (start, now) = at(4 * 60 - 1);
        let t = Terms::at(&p, CancelledBy::Trust, start, now);
        assert!(t.short_notice && !t.strike());
        assert_eq!((t.window_minutes, t.fee_minutes), (4 * 60, Some(2 * 60)));
        let free = Policy {
            late_cancellation_fee_minutes: 0,
            ..p
        };
        assert_eq!(
            Terms::at(&free, CancelledBy::Trust, start, now).fee_minutes,
            None
        );
        let (start, now) = at(4 * 60);
        assert_eq!(
            Terms::at(&p, CancelledBy::Trust, start, now).fee_minutes,
            None
        );
    }

    #[test]
    fn the_strike_limit_is_reached_at_the_limit_and_never_at_zero() {
        let p = Policy::default();
        assert!(!reaches_strike_limit(&p, 2));
        assert!(reaches_strike_limit(&p, 3));
        let never = Policy {
            strike_limit: 0,
            ..p
        };
        assert!(!reaches_strike_limit(&never, 10));
    }
}
