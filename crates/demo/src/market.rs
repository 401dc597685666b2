//! Demo marketplace, on the wards and workers of the bank demo: a few hundred shifts at every
//! trust over the past two weeks and the next four, in every state — pending, open, escalated,
//! filled, unfilled, cancelled — with bookings, cancellations (by a worker, and late by a trust
//! with a fee), no-shows, preferred workers and a block; and shifts the demo worker can book.
//!
//! Past shifts are posted and booked by a clock set back three weeks, and the next three days'
//! shifts by a clock set back three days, so every row went through the same rules as any other.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use staffbank_bank::entity::{ward, worker};
use staffbank_bank::{estate, skills};
use staffbank_core::time::{from_london, london_date, london_local};
use staffbank_core::{Actor, Clock, ManualClock, code};
use staffbank_market::booking::{self, BookingRequest};
use staffbank_market::entity::shift;
use staffbank_market::posting::{self, NewShift};
use staffbank_market::release_cascade::{Anchor, Audience, TierRule};
use staffbank_market::{cancellation, preferred_workers, restrictions};
use uuid::Uuid;

/// Shift patterns: start (London hour, minute), length in hours, unpaid break in minutes.
const PATTERNS: [(u32, u32, i64, i32); 4] = [
    (7, 30, 8, 30),   // early
    (13, 30, 8, 30),  // late
    (7, 30, 13, 60),  // long day
    (19, 30, 12, 60), // night
];

/// What a shift asks for: staff group, grade, fallback grades.
const ASKS: [(&str, &str, &[&str]); 5] = [
    (
        "ADDITIONAL_CLINICAL_SERVICES",
        "BAND_3",
        &["BAND_2", "BAND_4"],
    ),
    ("NURSING_MIDWIFERY_REGISTERED", "BAND_5", &["BAND_6"]),
    (
        "NURSING_MIDWIFERY_REGISTERED",
        "BAND_6",
        &["BAND_7", "BAND_5"],
    ),
    ("MEDICAL_DENTAL", "ST3", &["ST5", "SPECIALTY_DOCTOR", "CT1"]),
    (
        "ALLIED_HEALTH_PROFESSIONALS",
        "BAND_6",
        &["BAND_5", "BAND_7"],
    ),
];

/// One trust's wards and workers.
struct TrustDemo {
    id: Uuid,
    wards: Vec<ward::Model>,
    /// Its workers, but for the demo worker, whose shifts are chosen by hand.
    workers: Vec<worker::Model>,
}

pub(super) fn row(
    trust: Uuid,
    ward: &ward::Model,
    start: NaiveDateTime,
    hours: i64,
    break_minutes: i32,
    ask: (&str, &str, &[&str]),
    rng: &mut StdRng,
) -> NewShift {
    let (group, grade, fallback) = ask;
    NewShift {
        trust_id: trust,
        site_id: ward.site_id,
        ward_id: ward.id,
        staff_group: group.to_owned(),
        grade: grade.to_owned(),
        fallback_grades: fallback.iter().map(|g| (*g).to_owned()).collect(),
        skills: Vec::new(),
        starts_local: start,
        ends_local: start + Duration::hours(hours),
        break_minutes,
        reason: [
            "VACANCY",
            "SICKNESS",
            "ANNUAL_LEAVE",
            "ACUITY",
            "PARENTAL_LEAVE",
        ][rng.random_range(0..5)]
        .to_owned(),
        pay_basis: if rng.random_bool(0.8) {
            "SHIFT_GRADE"
        } else {
            "WORKER_GRADE"
        }
        .to_owned(),
        positions: if rng.random_bool(0.15) { 2 } else { 1 },
        notes: None,
        cascade: None,
    }
}

/// A shift of a random pattern and ask, on a random ward of the trust, on `day`.
fn random_row(t: &TrustDemo, day: NaiveDate, rng: &mut StdRng) -> NewShift {
    let (h, m, hours, break_minutes) = PATTERNS[rng.random_range(0..PATTERNS.len())];
    let ask = ASKS[rng.random_range(0..ASKS.len())];
    let ward = &t.wards[rng.random_range(0..t.wards.len())];
    let start = day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
    row(t.id, ward, start, hours, break_minutes, ask, rng)
}

/// Whether both ends of a row exist in London (not in the hour skipped in March).
fn exists_in_london(r: &NewShift) -> bool {
    from_london(r.starts_local).is_ok() && from_london(r.ends_local).is_ok()
}

/// Books one of the trust's workers who may work the shift, trying a few.
async fn book_someone(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    s: &shift::Model,
    t: &TrustDemo,
    rng: &mut StdRng,
) -> anyhow::Result<Option<Uuid>> {
    let needed = skills::from_json(&s.skills);
    let mut candidates: Vec<&worker::Model> = t
        .workers
        .iter()
        .filter(|w| w.staff_group == s.staff_group)
        .filter(|w| {
            let held = skills::from_json(&w.skills);
            needed.iter().all(|k| held.contains(k))
        })
        .collect();
    candidates.shuffle(rng);
    for w in candidates.into_iter().take(8) {
        let request = BookingRequest {
            shift_id: s.id,
            worker_id: Some(w.id),
            idempotency_key: None,
        };
        match booking::book_in(tx, clock, &Actor::Service, &request, None).await {
            Ok(outcome) => return Ok(Some(outcome.booking.id)),
            Err(staffbank_market::Error::NotEligible(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(None)
}

/// Loads the demo marketplace.
///
/// # Errors
/// Domain or database errors.
pub async fn load(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    trusts: &[Uuid],
) -> anyhow::Result<()> {
    let service = Actor::Service;
    let mut rng = StdRng::seed_from_u64(20_261_124);
    let now = clock.now();
    let today = london_date(now);
    let demo_worker = super::actor_of(tx, super::bank::WORKER_EMAIL).await?;
    let mut demo = Vec::new();
    for id in trusts {
        let mut workers = worker::Entity::find()
            .filter(worker::Column::HomeTrustId.eq(*id))
            .order_by_asc(worker::Column::Id)
            .all(tx)
            .await?;
        workers.retain(|w| Some(w.id) != demo_worker.as_ref().and_then(Actor::worker_id));
        demo.push(TrustDemo {
            id: *id,
            wards: estate::wards_of(tx, *id).await?,
            workers,
        });
    }
    if demo.iter().any(|t| t.wards.is_empty()) {
        anyhow::bail!("the marketplace demo needs the bank demo's wards");
    }

    // Preferred workers on a ward of the first trust; a block at the second.
    if let Some(t) = demo.first()
        && let Some(ward) = t.wards.first()
    {
        for w in t.workers.iter().take(3) {
            preferred_workers::add_in(tx, clock, &service, ward.id, w.id).await?;
        }
    }
    if let Some(t) = demo.get(1)
        && let Some(w) = t.workers.get(3)
    {
        restrictions::block_in(
            tx,
            clock,
            &service,
            t.id,
            w.id,
            "concerns raised on Ward 10; under review",
        )
        .await?;
    }

    // The past two weeks, posted and booked three weeks ago; a quarter stayed unfilled.
    let three_weeks_ago = ManualClock::new(now - Duration::days(21));
    let open_to_all = vec![TierRule {
        audience: Audience::Collaborative,
        anchor: Anchor::Posting,
        offset_minutes: 0,
    }];
    let mut worked = Vec::new();
    for t in &demo {
        let mut rows = Vec::new();
        for d in -14..0 {
            for _ in 0..2 {
                let mut r = random_row(t, today + Duration::days(d), &mut rng);
                r.cascade = Some(open_to_all.clone());
                rows.push(r);
            }
        }
        rows.retain(|r| exists_in_london(r) && from_london(r.starts_local).is_ok_and(|s| s < now));
        for s in posting::post_shifts_in(tx, &three_weeks_ago, &service, &rows).await? {
            if rng.random_bool(0.75)
                && let Some(b) = book_someone(tx, &three_weeks_ago, &s, t, &mut rng).await?
            {
                worked.push(b);
            }
        }
    }
    for b in worked.iter().step_by(23) {
        cancellation::record_no_show_in(tx, clock, &service, *b, Some("did not arrive; no call"))
            .await?;
    }

    // The next four weeks. The next three days' shifts were posted three days ago, so their
    // cascades have run on (those still empty a day before the start are escalated to agencies);
    // the rest were posted two hours ago, a tenth of them with a cascade that waits a day to open.
    let three_days_ago = ManualClock::new(now - Duration::days(3));
    let this_morning = ManualClock::new(now - Duration::hours(2));
    let wait_a_day = vec![
        TierRule {
            audience: Audience::OwnTrust,
            anchor: Anchor::Posting,
            offset_minutes: 24 * 60,
        },
        TierRule {
            audience: Audience::Collaborative,
            anchor: Anchor::Start,
            offset_minutes: 3 * 24 * 60,
        },
    ];
    for t in &demo {
        let mut soon = Vec::new();
        let mut later = Vec::new();
        for d in 0..28 {
            for _ in 0..2 {
                let mut r = random_row(t, today + Duration::days(d), &mut rng);
                let Ok(starts) = from_london(r.starts_local) else {
                    continue;
                };
                if !exists_in_london(&r) || starts < now + Duration::hours(1) {
                    continue;
                }
                if starts < now + Duration::days(3) {
                    soon.push(r);
                } else {
                    if rng.random_bool(0.1) {
                        r.cascade = Some(wait_a_day.clone());
                    }
                    later.push(r);
                }
            }
        }
        let mut posted = posting::post_shifts_in(tx, &three_days_ago, &service, &soon).await?;
        posted.extend(posting::post_shifts_in(tx, &this_morning, &service, &later).await?);
        let mut booked = Vec::new();
        for s in &posted {
            let p = if s.starts_at < now + Duration::days(2) {
                0.3
            } else {
                0.5
            };
            if rng.random_bool(p)
                && let Some(b) = book_someone(tx, clock, s, t, &mut rng).await?
            {
                booked.push(b);
            }
        }
        // One shift nobody took, escalated to agencies this morning.
        if let Some(ward) = t.wards.first() {
            let start = london_local(now + Duration::hours(12));
            let r = row(t.id, ward, start, 8, 30, ASKS[1], &mut rng);
            if exists_in_london(&r) {
                posting::post_shifts_in(tx, &three_days_ago, &service, &[r]).await?;
            }
        }
        // The trust cancels a booking and withdraws two shifts.
        if let Some(b) = booked.get(5) {
            cancellation::cancel_booking_in(tx, clock, &service, *b, "shift no longer needed")
                .await?;
        }
        for s in posted.iter().skip(7).step_by(20).take(2) {
            cancellation::cancel_shift_in(
                tx,
                clock,
                &service,
                s.id,
                "bay closed for refurbishment",
            )
            .await?;
        }
        // A late cancellation by the trust: inside its window, so it owes a fee.
        if let Some(ward) = t.wards.first() {
            let start = london_local(now + Duration::hours(3));
            let r = row(t.id, ward, start, 8, 30, ASKS[0], &mut rng);
            if exists_in_london(&r) {
                for s in posting::post_shifts_in(tx, &this_morning, &service, &[r]).await? {
                    if let Some(b) = book_someone(tx, clock, &s, t, &mut rng).await? {
                        cancellation::cancel_booking_in(
                            tx,
                            clock,
                            &service,
                            b,
                            "patients transferred; ward overstaffed",
                        )
                        .await?;
                    }
                }
            }
        }
    }
    match demo_worker {
        Some(actor) => demo_worker_shifts(tx, clock, &actor, &mut rng).await,
        None => Ok(()),
    }
}

/// A ward of the worker's home trust that asks for no special skills, if there is one.
pub(super) async fn plain_home_ward(
    tx: &DatabaseTransaction,
    w: &worker::Model,
) -> anyhow::Result<Option<ward::Model>> {
    Ok(estate::wards_of(tx, w.home_trust_id)
        .await?
        .into_iter()
        .find(|ward| skills::from_json(&ward.required_skills).is_empty()))
}

/// Shifts the demo worker can book on their home trust's ward without special skills: two days
/// open in their feed, one they booked, one they booked and cancelled.
async fn demo_worker_shifts(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let Some(me) = actor.worker_id() else {
        return Ok(());
    };
    let w = staffbank_bank::workers::get(tx, me).await?;
    let Some(ward) = plain_home_ward(tx, &w).await? else {
        return Ok(());
    };
    let today = london_date(clock.now());
    let mut rows = Vec::new();
    for d in 1..=4 {
        let start = (today + Duration::days(d))
            .and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default());
        let group = code::of(&w.staff_group);
        let ask = (group.as_str(), w.grade.as_str(), &[][..]);
        let mut r = row(w.home_trust_id, &ward, start, 8, 30, ask, rng);
        r.positions = 1;
        rows.push(r);
    }
    // Posted this morning: the trust's own bank is open.
    let this_morning = ManualClock::new(clock.now() - Duration::hours(2));
    let posted = posting::post_shifts_in(tx, &this_morning, &Actor::Service, &rows).await?;
    let mut mine = Vec::new();
    for s in posted.iter().take(2) {
        let request = BookingRequest {
            shift_id: s.id,
            worker_id: None,
            idempotency_key: None,
        };
        match booking::book_in(tx, clock, actor, &request, None).await {
            Ok(o) => mine.push(o.booking.id),
            Err(staffbank_market::Error::NotEligible(reasons)) => {
                tracing::warn!(?reasons, "the demo worker cannot book their demo shift");
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(b) = mine.first() {
        cancellation::cancel_booking_in(tx, clock, actor, *b, "family emergency").await?;
    }
    Ok(())
}
