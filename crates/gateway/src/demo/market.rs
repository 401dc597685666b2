//! Demo marketplace: a few hundred shifts at every trust over the past two weeks and the next four,
//! in every state — pending, open, escalated, filled, unfilled, cancelled — with bookings,
//! cancellations (short notice, late with a fee), no-shows, preferred workers and a block.
//!
//! Past shifts are posted and booked by a clock set back three weeks, so they went through the same
//! rules as any other.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use sea_orm::ConnectionTrait;
use staffbank_core::time::{from_london, london_date, london_local};
use staffbank_core::{Actor, Clock, ManualClock, StaffGroup};
use staffbank_market::booking::{self, BookingRequest};
use staffbank_market::entity::shift;
use staffbank_market::posting::{self, NewShift};
use staffbank_market::release_cascade::{Anchor, Audience, TierRule};
use staffbank_market::{cancellation, preferred_workers, restrictions};
use uuid::Uuid;

use super::workforce::{DemoWorker, Workforce};

/// Shift patterns: start (London), length in hours, unpaid break in minutes.
const PATTERNS: [(u32, u32, i64, i32); 4] = [
    (7, 30, 8, 30),   // early
    (13, 30, 8, 30),  // late
    (7, 30, 13, 60),  // long day
    (19, 30, 12, 60), // night
];

/// What a shift asks for: staff group, grade, fallback grades.
const ASKS: [(StaffGroup, &str, &[&str]); 3] = [
    (
        StaffGroup::AdditionalClinicalServices,
        "BAND_3",
        &["BAND_4"],
    ),
    (
        StaffGroup::NursingMidwiferyRegistered,
        "BAND_5",
        &["BAND_6"],
    ),
    (StaffGroup::NursingMidwiferyRegistered, "BAND_6", &[]),
];

fn new_shift(
    trust: Uuid,
    ward: &staffbank_bank::entity::ward::Model,
    day: chrono::NaiveDate,
    rng: &mut StdRng,
    cascade: Option<Vec<TierRule>>,
) -> NewShift {
    let (h, m, hours, break_minutes) = PATTERNS[rng.random_range(0..PATTERNS.len())];
    let (group, grade, fallback) = ASKS[rng.random_range(0..ASKS.len())];
    let start = day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default());
    NewShift {
        trust_id: trust,
        site_id: ward.site_id,
        ward_id: ward.id,
        staff_group: group.as_str().to_owned(),
        grade: grade.to_owned(),
        fallback_grades: fallback.iter().map(|g| (*g).to_owned()).collect(),
        skills: Vec::new(),
        starts_local: start,
        ends_local: start + Duration::hours(hours),
        break_minutes,
        reason: ["VACANCY", "SICKNESS", "ANNUAL_LEAVE", "ACUITY"][rng.random_range(0..4)]
            .to_owned(),
        pay_basis: if rng.random_bool(0.8) {
            "SHIFT_GRADE"
        } else {
            "WORKER_GRADE"
        }
        .to_owned(),
        positions: if rng.random_bool(0.15) { 2 } else { 1 },
        notes: None,
        cascade,
    }
}

/// Books one of the workers who may work the shift, trying a few; the booking's id if one could.
async fn book_someone(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    s: &shift::Model,
    wf: &Workforce,
    rng: &mut StdRng,
) -> anyhow::Result<Option<Uuid>> {
    let trust = wf.trusts.iter().position(|(t, _)| *t == s.trust_id);
    let mut candidates: Vec<&DemoWorker> = wf
        .workers
        .iter()
        .filter(|w| w.group.as_str() == s.staff_group)
        .filter(|w| trust.is_some_and(|t| w.trusts.contains(&t)))
        .collect();
    candidates.shuffle(rng);
    for w in candidates.into_iter().take(8) {
        let request = BookingRequest {
            shift_id: s.id,
            worker_id: Some(w.id),
            idempotency_key: None,
        };
        match booking::book_in(conn, clock, &Actor::Service, &request, None).await {
            Ok(outcome) => return Ok(Some(outcome.booking.id)),
            Err(staffbank_market::Error::NotEligible(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(None)
}

/// Whether both ends of a row exist in London (not in the hour skipped in March).
fn exists_in_london(row: &NewShift) -> bool {
    from_london(row.starts_local).is_ok() && from_london(row.ends_local).is_ok()
}

fn days(from: DateTime<Utc>, range: std::ops::Range<i64>) -> Vec<chrono::NaiveDate> {
    range
        .map(|d| london_date(from) + Duration::days(d))
        .collect()
}

/// Loads the demo marketplace.
///
/// # Errors
/// Database errors.
pub async fn load(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    wf: &Workforce,
    demo_worker: &Actor,
    rng: &mut StdRng,
) -> anyhow::Result<()> {
    let service = Actor::Service;
    let now = clock.now();

    // Preferred workers on the first trust's elderly-care ward; a block at the second trust.
    if let Some(ash) = wf.trusts.first().and_then(|(_, wards)| wards.first()) {
        for w in wf.workers.iter().filter(|w| w.home == 0).take(2) {
            preferred_workers::add(conn, clock, &service, ash.id, w.id).await?;
        }
    }
    if let (Some((second, _)), Some(w)) =
        (wf.trusts.get(1), wf.workers.iter().find(|w| w.home == 1))
    {
        restrictions::block(
            conn,
            clock,
            &service,
            *second,
            w.id,
            "concerns raised on Birch Ward; under review",
        )
        .await?;
    }

    // The past two weeks, posted and booked three weeks ago.
    let past = ManualClock::new(now - Duration::days(21));
    let mut past_rows = Vec::new();
    let open_to_all = vec![TierRule {
        audience: Audience::Collaborative,
        anchor: Anchor::Posting,
        offset_minutes: 0,
    }];
    for day in days(now, -14..0) {
        for (trust, wards) in &wf.trusts {
            for _ in 0..2 {
                let ward = &wards[rng.random_range(0..wards.len())];
                past_rows.push(new_shift(*trust, ward, day, rng, Some(open_to_all.clone())));
            }
        }
    }
    let past_shifts = posting::post_shifts(conn, &past, &service, &past_rows).await?;
    let mut worked = Vec::new();
    for s in &past_shifts {
        if s.starts_at < now
            && rng.random_bool(0.75)
            && let Some(b) = book_someone(conn, &past, s, wf, rng).await?
        {
            worked.push(b);
        }
    }
    // Two of them did not come.
    for b in worked.iter().take(2) {
        cancellation::record_no_show(conn, clock, &service, *b, Some("did not arrive; no call"))
            .await?;
    }

    // The next four weeks, posted now with each trust's default cascade; some wait a day to open.
    let later = vec![
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
    let earlier = ManualClock::new(now - Duration::days(3));
    let mut rows = Vec::new();
    let mut soon_rows = Vec::new();
    for day in days(now, 0..28) {
        for (trust, wards) in &wf.trusts {
            for _ in 0..2 {
                let ward = &wards[rng.random_range(0..wards.len())];
                let cascade = rng.random_bool(0.1).then(|| later.clone());
                let row = new_shift(*trust, ward, day, rng, cascade);
                match from_london(row.starts_local) {
                    Ok(t) if t < now + Duration::hours(1) => {}
                    Ok(t) if t < now + Duration::days(3) => soon_rows.push(row),
                    _ => rows.push(row),
                }
            }
        }
    }
    // The next three days' shifts were posted three days ago: their cascades have run on, and
    // those still empty a day before they start are escalated to agencies.
    let mut future = posting::post_shifts(conn, &earlier, &service, &soon_rows).await?;
    future.extend(posting::post_shifts(conn, clock, &service, &rows).await?);
    let mut booked = Vec::new();
    for s in &future {
        let soon = s.starts_at < now + Duration::days(2);
        // Fill about half; leave the next two days emptier, so some are escalated to agencies.
        if rng.random_bool(if soon { 0.3 } else { 0.5 })
            && let Some(b) = book_someone(conn, clock, s, wf, rng).await?
        {
            booked.push((b, s.clone()));
        }
    }
    // The demo worker's own shifts: book two they may work, and cancel one of them.
    let mut mine = Vec::new();
    for s in future
        .iter()
        .filter(|s| s.staff_group == StaffGroup::AdditionalClinicalServices.as_str())
    {
        if mine.len() == 2 {
            break;
        }
        let request = BookingRequest {
            shift_id: s.id,
            worker_id: demo_worker.worker_id(),
            idempotency_key: None,
        };
        match booking::book_in(conn, clock, demo_worker, &request, None).await {
            Ok(o) => mine.push(o.booking.id),
            Err(staffbank_market::Error::NotEligible(_) | staffbank_market::Error::Core(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(b) = mine.first() {
        cancellation::cancel_booking(conn, clock, demo_worker, *b, "family emergency").await?;
    }
    // The trusts cancel a few bookings (late ones owe a fee) and withdraw a few shifts.
    for (b, s) in booked.iter().step_by(17) {
        let reason = if s.starts_at < now + Duration::hours(4) {
            "ward overstaffed after admissions fell"
        } else {
            "shift no longer needed"
        };
        cancellation::cancel_booking(conn, clock, &service, *b, reason).await?;
    }
    // Each trust withdraws a couple of shifts, and has one shift nobody took that was escalated
    // to agencies this morning.
    for (trust, wards) in &wf.trusts {
        for s in future
            .iter()
            .filter(|s| s.trust_id == *trust)
            .skip(4)
            .step_by(25)
        {
            cancellation::cancel_shift(conn, clock, &service, s.id, "bay closed for refurbishment")
                .await?;
        }
        if let Some(ward) = wards.last() {
            let start = london_local(now + Duration::hours(12));
            let mut row = new_shift(*trust, ward, start.date(), rng, None);
            row.starts_local = start;
            row.ends_local = start + Duration::hours(8);
            row.break_minutes = 30;
            if exists_in_london(&row) {
                posting::post_shifts(conn, &earlier, &service, &[row]).await?;
            }
        }
    }
    // A late cancellation by a trust: inside its window, so it owes a fee.
    if let Some((trust, wards)) = wf.trusts.first()
        && let Some(ward) = wards.get(1)
    {
        let start = london_local(now + Duration::hours(3));
        let mut row = new_shift(*trust, ward, start.date(), rng, Some(open_to_all.clone()));
        row.starts_local = start;
        row.ends_local = start + Duration::hours(8);
        row.break_minutes = 30;
        let late = if exists_in_london(&row) {
            posting::post_shifts(conn, clock, &service, &[row]).await?
        } else {
            Vec::new()
        };
        if let Some(s) = late.first()
            && let Some(b) = book_someone(conn, clock, s, wf, rng).await?
        {
            cancellation::cancel_booking(
                conn,
                clock,
                &service,
                b,
                "patients transferred; ward overstaffed",
            )
            .await?;
        }
    }
    Ok(())
}
