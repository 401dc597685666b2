//! Demo timesheets: the demo worker's last fortnight — five shifts worked on a ward of their home
//! trust, and their timesheets at every step: approved for payment, approved, queried by the ward
//! manager, waiting for the ward manager (long enough to be reminded about), and one not yet
//! submitted, so the worker, the ward manager and the bank office each have something to do.
//!
//! Every step is taken through the same domain functions as a request, by the demo worker, the
//! demo ward manager and the demo bank office, each with a clock set to when they would have
//! acted.

use chrono::{Duration, NaiveTime};
use rand::rngs::StdRng;
use sea_orm::DatabaseTransaction;
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, ManualClock, Role, code};
use staffbank_market::booking::{self, BookingRequest};
use staffbank_market::pay::timesheets::{self, Worked};
use staffbank_market::posting;

use super::market::{plain_home_ward, row};

/// Where each of the worker's past shifts got to, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    PaymentApproved,
    Approved,
    Queried,
    Submitted,
    NotSubmitted,
}

const STEPS: [(i64, Step); 5] = [
    (-12, Step::PaymentApproved),
    (-10, Step::Approved),
    (-8, Step::Queried),
    (-6, Step::Submitted),
    (-2, Step::NotSubmitted),
];

/// Loads the demo worker's worked shifts and timesheets (nothing when the demo worker, the ward
/// manager or the bank office is missing, or the worker's home trust is not theirs).
///
/// # Errors
/// Domain or database errors.
pub async fn load(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let (Some(worker), Some(manager), Some(office)) = (
        super::actor_of(tx, super::bank::WORKER_EMAIL).await?,
        super::staff_actor(tx, Role::WardManager).await?,
        super::staff_actor(tx, Role::BankOffice).await?,
    ) else {
        return Ok(());
    };
    let Some(me) = worker.worker_id() else {
        return Ok(());
    };
    let w = staffbank_bank::workers::get(tx, me).await?;
    if !manager
        .grants()
        .iter()
        .any(|g| g.trust_id == Some(w.home_trust_id))
    {
        return Ok(());
    }
    let Some(ward) = plain_home_ward(tx, &w).await? else {
        return Ok(());
    };
    let now = clock.now();
    let today = london_date(now);
    let group = code::of(&w.staff_group);
    let ask = (group.as_str(), w.grade.as_str(), &[][..]);
    let rows: Vec<_> = STEPS
        .iter()
        .map(|(day, _)| {
            let start = (today + Duration::days(*day))
                .and_time(NaiveTime::from_hms_opt(7, 30, 0).unwrap_or_default());
            let mut r = row(w.home_trust_id, &ward, start, 8, 30, ask, rng);
            r.positions = 1;
            r
        })
        .collect();
    // Posted three weeks ago, and booked by the worker two hours later, when the trust's own bank
    // was open.
    let three_weeks_ago = ManualClock::new(now - Duration::days(21));
    let booked_at = ManualClock::new(now - Duration::days(21) + Duration::hours(2));
    let posted = posting::post_shifts_in(tx, &three_weeks_ago, &Actor::Service, &rows).await?;
    for (s, (_, step)) in posted.iter().zip(STEPS) {
        let request = BookingRequest {
            shift_id: s.id,
            worker_id: None,
            idempotency_key: None,
        };
        let b = match booking::book_in(tx, &booked_at, &worker, &request, None).await {
            Ok(o) => o.booking,
            Err(staffbank_market::Error::NotEligible(reasons)) => {
                tracing::warn!(?reasons, "the demo worker cannot book a past demo shift");
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if step == Step::NotSubmitted {
            continue;
        }
        // They stayed 15 minutes late, and took the booked break.
        let worked = Worked {
            started_at: b.starts_at,
            ended_at: b.ends_at + Duration::minutes(15),
            break_minutes: 30,
        };
        let next_morning = b.ends_at + Duration::hours(12);
        let t = timesheets::submit_in(tx, &ManualClock::new(next_morning), &worker, b.id, &worked)
            .await?;
        let decided = ManualClock::new(next_morning + Duration::days(1));
        match step {
            Step::Submitted | Step::NotSubmitted => {}
            Step::Queried => {
                timesheets::query_in(
                    tx,
                    &decided,
                    &manager,
                    t.id,
                    "The ward's record shows you left at the booked time; please check the end time.",
                )
                .await?;
            }
            Step::Approved | Step::PaymentApproved => {
                timesheets::approve_in(tx, &decided, &manager, t.id).await?;
                if step == Step::PaymentApproved {
                    let paid = ManualClock::new(next_morning + Duration::days(2));
                    timesheets::approve_payment_in(tx, &paid, &office, t.id).await?;
                }
            }
        }
    }
    Ok(())
}
