//! The benchmark's collaborative bank, written in bulk: trusts with their default requirement
//! profiles, sites and wards; workers of realistic staff groups, grades and skills with the
//! credentials their trusts require (verified, with a few expired, pending or expiring), some
//! engaged at a second trust; weeks of worked history; and open shifts over the next four weeks.
//!
//! Rows are inserted directly, many per statement, because going through the domain functions
//! one worker at a time would take longer than the measurement; what is written is what those
//! functions would write (except credential history events, which nothing measured reads).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveTime, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use sea_orm::{
    ActiveValue, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set,
};
use staffbank_bank::credentials::CredentialStatus;
use staffbank_bank::entity::{credential, credential_recognition, membership, ward, worker};
use staffbank_bank::estate::{self, NewWard};
use staffbank_bank::identity::RegistrationBody;
use staffbank_bank::membership::{Consent, MembershipState};
use staffbank_bank::organisation::{self, SystemModel};
use staffbank_bank::{catalogue, requirements, skills};
use staffbank_core::time::{from_london, london_date};
use staffbank_core::{
    Actor, Clock, Email, Grant, NewPassword, Role, StaffGroup, accounts, db, new_id,
};
use staffbank_market::booking::{BookedVia, BookingState};
use staffbank_market::booking_history::BookingEvent;
use staffbank_market::entity::{booking, booking_event, shift, shift_grade, shift_tier};
use staffbank_market::posting::{PayBasis, ShiftReason};
use staffbank_market::release_cascade::{Anchor, Audience};
use uuid::Uuid;

/// The password of every benchmark login.
pub const PASSWORD: &str = "benchmark-password";
/// The benchmark's system admin.
pub const ADMIN_EMAIL: &str = "admin@bench.staffbank.example";
/// The benchmark's bank office, at the first trust.
pub const OFFICE_EMAIL: &str = "office@bench.staffbank.example";

/// How big a bank to build.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Trusts.
    pub trusts: usize,
    /// Workers.
    pub workers: usize,
    /// Open shifts.
    pub open_shifts: usize,
    /// Weeks of worked history.
    pub history_weeks: i64,
    /// Workers given a login (for the feed).
    pub worker_logins: usize,
}

/// What the measurements need to know about the bank.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Emails of workers who can sign in.
    pub worker_emails: Vec<String>,
    /// The open shifts.
    pub open_shifts: Vec<Uuid>,
    /// The open shifts of the first trust (whose bank office [`OFFICE_EMAIL`] is).
    pub office_shifts: Vec<Uuid>,
    /// (shift, worker) pairs that should book: compliant, engaged at the trust, skilled, each
    /// worker and shift used once.
    pub booking_pairs: Vec<(Uuid, Uuid)>,
    /// Rows written, by table.
    pub rows: BTreeMap<&'static str, usize>,
}

/// Staff groups with their share of the bank and the grades drawn from.
const GROUPS: [(StaffGroup, f64, &[&str]); 4] = [
    (
        StaffGroup::NursingMidwiferyRegistered,
        0.45,
        &["BAND_5", "BAND_5", "BAND_5", "BAND_6", "BAND_6", "BAND_7"],
    ),
    (
        StaffGroup::AdditionalClinicalServices,
        0.35,
        &["BAND_2", "BAND_3", "BAND_3", "BAND_3", "BAND_4"],
    ),
    (
        StaffGroup::AlliedHealthProfessionals,
        0.10,
        &["BAND_5", "BAND_6", "BAND_6", "BAND_7"],
    ),
    (
        StaffGroup::MedicalDental,
        0.10,
        &["FY2", "CT1", "ST3", "ST4", "ST5", "SPECIALTY_DOCTOR"],
    ),
];

/// What open shifts ask for: staff group, grade, fallbacks, share.
const ASKS: [(StaffGroup, &str, &[&str], f64); 5] = [
    (
        StaffGroup::NursingMidwiferyRegistered,
        "BAND_5",
        &["BAND_6"],
        0.35,
    ),
    (
        StaffGroup::NursingMidwiferyRegistered,
        "BAND_6",
        &["BAND_7"],
        0.10,
    ),
    (
        StaffGroup::AdditionalClinicalServices,
        "BAND_3",
        &["BAND_2", "BAND_4"],
        0.35,
    ),
    (
        StaffGroup::AlliedHealthProfessionals,
        "BAND_6",
        &["BAND_5", "BAND_7"],
        0.10,
    ),
    (
        StaffGroup::MedicalDental,
        "ST3",
        &["ST4", "ST5", "SPECIALTY_DOCTOR"],
        0.10,
    ),
];

const SKILLS: [&str; 4] = ["ELDERLY_CARE", "CRITICAL_CARE", "PAEDIATRICS", "THEATRES"];
/// Each trust's wards: name, skills needed.
const WARDS: [(&str, &[&str]); 10] = [
    ("Ward 1 (acute medicine)", &[]),
    ("Ward 2 (elderly care)", &["ELDERLY_CARE"]),
    ("Ward 3 (surgery)", &[]),
    ("Intensive Care", &["CRITICAL_CARE"]),
    ("Children's Ward", &["PAEDIATRICS"]),
    ("Ward 6 (respiratory)", &[]),
    ("Ward 7 (stroke)", &["ELDERLY_CARE"]),
    ("Theatres", &["THEATRES"]),
    ("Ward 9 (cardiology)", &[]),
    ("Ward 10 (rehabilitation)", &[]),
];
/// Shift patterns: London start hour and minute, length in hours, break in minutes.
const PATTERNS: [(u32, u32, i64, i32); 4] = [
    (7, 30, 8, 30),
    (13, 30, 8, 30),
    (7, 30, 13, 60),
    (19, 30, 12, 60),
];

/// How a worker's credentials stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Condition {
    Compliant,
    ExpiredItem,
    PendingItem,
    ExpiringItem,
}

/// A worker as generated.
struct Made {
    id: Uuid,
    group: StaffGroup,
    grade: &'static str,
    skills: Vec<&'static str>,
    trusts: Vec<usize>,
    condition: Condition,
}

fn pick<'a, T>(items: &'a [T], rng: &mut StdRng) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn weighted<T: Copy>(items: &[(T, f64)], rng: &mut StdRng) -> T {
    let mut x: f64 = rng.random();
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// Credential kinds required, each with the level held and the maximum age in days.
type Required = Vec<(String, Option<i32>, Option<i32>)>;

/// The credential kinds (with level and maximum age) each staff group must hold at a trust with
/// the default profile.
fn required_kinds(group: StaffGroup) -> Required {
    let mut merged: BTreeMap<String, (Option<i32>, Option<i32>)> = BTreeMap::new();
    for r in requirements::default_profile() {
        if r.staff_group.is_some_and(|g| g != group) || r.ward_id.is_some() {
            continue;
        }
        let e = merged
            .entry(r.kind.clone())
            .or_insert((r.min_level, r.max_age_days));
        e.0 = e.0.max(r.min_level);
        e.1 = match (e.1, r.max_age_days) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    merged
        .into_iter()
        .map(|(kind, (_, age))| {
            let level = catalogue::kind(&kind)
                .ok()
                .and_then(|k| k.levels.last().map(|(l, _)| *l));
            (kind, level, age)
        })
        .collect()
}

async fn insert_chunked<E, A>(
    conn: &impl ConnectionTrait,
    rows: Vec<A>,
    per_statement: usize,
) -> anyhow::Result<usize>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send + Clone,
{
    let n = rows.len();
    for chunk in rows.chunks(per_statement) {
        E::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(n)
}

/// Builds the bank. Returns what the measurements need.
///
/// # Errors
/// Database errors.
pub async fn build(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    size: Size,
    rng: &mut StdRng,
) -> anyhow::Result<Dataset> {
    let now = clock.now();
    let today = london_date(now);
    let service = Actor::Service;
    let mut out = Dataset::default();

    // Organisations, with each trust's default requirement profile.
    let tx = db::begin_write(db).await?;
    let sys = organisation::create_system(
        &tx,
        clock,
        &service,
        "Benchmark Collaborative Bank",
        SystemModel::OwnPools,
    )
    .await?;
    let mut trusts = Vec::new();
    let mut wards: Vec<Vec<ward::Model>> = Vec::new();
    for t in 0..size.trusts {
        let trust = organisation::admit_trust_in(
            &tx,
            clock,
            &service,
            sys.id,
            &format!("Benchmark Trust {t}"),
            &format!("BT{t:02}"),
        )
        .await?;
        let mut mine = Vec::new();
        for (s, site_name) in ["General Hospital", "Community Hospital"]
            .iter()
            .enumerate()
        {
            let site = estate::create_site_in(&tx, clock, &service, trust.id, site_name).await?;
            for (name, needs) in WARDS.iter().skip(s * 5).take(5) {
                mine.push(
                    estate::create_ward_in(
                        &tx,
                        clock,
                        &service,
                        &NewWard {
                            site_id: site.id,
                            name: (*name).to_owned(),
                            cost_centre: format!("CC{t}{:02}", mine.len()),
                            required_skills: needs.iter().map(|s| (*s).to_owned()).collect(),
                        },
                    )
                    .await?,
                );
            }
        }
        trusts.push(trust.id);
        wards.push(mine);
    }
    let password = NewPassword::parse(PASSWORD)?;
    let admin = accounts::create(
        &tx,
        clock,
        &Email::parse(ADMIN_EMAIL)?,
        "Bench Admin",
        &password,
    )
    .await?;
    accounts::insert_grant(
        &tx,
        clock,
        admin.id,
        &Grant {
            role: Role::SystemAdmin,
            trust_id: None,
            ward_id: None,
            system_id: Some(sys.id),
            worker_id: None,
        },
        None,
    )
    .await?;
    let office = accounts::create(
        &tx,
        clock,
        &Email::parse(OFFICE_EMAIL)?,
        "Bench Bank Office",
        &password,
    )
    .await?;
    accounts::insert_grant(
        &tx,
        clock,
        office.id,
        &Grant {
            role: Role::BankOffice,
            trust_id: trusts.first().copied(),
            ward_id: None,
            system_id: None,
            worker_id: None,
        },
        None,
    )
    .await?;
    // The admin is also each trust's bank office, so the bench can read each trust's board.
    for t in &trusts {
        accounts::insert_grant(
            &tx,
            clock,
            admin.id,
            &Grant {
                role: Role::BankOffice,
                trust_id: Some(*t),
                ward_id: None,
                system_id: Some(sys.id),
                worker_id: None,
            },
            None,
        )
        .await?;
    }
    tx.commit().await?;

    // Workers, memberships, credentials and their recognition, a thousand workers at a time.
    let required: HashMap<StaffGroup, Required> = GROUPS
        .iter()
        .map(|(g, _, _)| (*g, required_kinds(*g)))
        .collect();
    let group_weights: Vec<(usize, f64)> = GROUPS
        .iter()
        .enumerate()
        .map(|(i, (_, w, _))| (i, *w))
        .collect();
    let mut made: Vec<Made> = Vec::with_capacity(size.workers);
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for chunk_start in (0..size.workers).step_by(1000) {
        let chunk_end = (chunk_start + 1000).min(size.workers);
        let mut ws = Vec::new();
        let mut ms = Vec::new();
        let mut cs = Vec::new();
        let mut rs = Vec::new();
        let mut ks = Vec::new();
        for n in chunk_start..chunk_end {
            let (group, _, grades) = GROUPS[weighted(&group_weights, rng)];
            let grade = *pick(grades, rng);
            let home = n % size.trusts;
            let mut trusts_of = vec![home];
            if rng.random_bool(0.2) && size.trusts > 1 {
                trusts_of.push((home + 1 + rng.random_range(0..size.trusts - 1)) % size.trusts);
            }
            let mut sk: Vec<&'static str> = SKILLS
                .iter()
                .copied()
                .filter(|_| rng.random_bool(0.4))
                .collect();
            sk.sort_unstable();
            let condition = weighted(
                &[
                    (Condition::Compliant, 0.88),
                    (Condition::ExpiredItem, 0.04),
                    (Condition::PendingItem, 0.04),
                    (Condition::ExpiringItem, 0.04),
                ],
                rng,
            );
            let id = new_id();
            let (body, number) = match group {
                StaffGroup::NursingMidwiferyRegistered => (
                    Some(RegistrationBody::Nmc),
                    Some(format!("{:02}B{:04}E", n / 10_000 + 10, n % 10_000)),
                ),
                StaffGroup::MedicalDental => (
                    Some(RegistrationBody::Gmc),
                    Some(format!("{}", 6_000_000 + n)),
                ),
                StaffGroup::AlliedHealthProfessionals => (
                    Some(RegistrationBody::Hcpc),
                    Some(format!("PA{:06}", 100_000 + n)),
                ),
                _ => (None, None),
            };
            let family = format!("Bench{n}");
            ws.push(worker::ActiveModel {
                id: Set(id),
                system_id: Set(sys.id),
                home_trust_id: Set(trusts[home]),
                given_name: Set(format!("Worker{n}")),
                family_name_key: Set(staffbank_bank::workers::family_name_key(&family)),
                family_name: Set(family),
                date_of_birth: Set(today - Duration::days(365 * 25 + (n % 9000) as i64)),
                ni_number: Set(format!("JA{n:06}{}", ["A", "B", "C", "D"][n % 4])),
                email: Set(format!("worker{n}@bench.staffbank.example")),
                phone: Set(None),
                staff_group: Set(group),
                grade: Set(grade.to_owned()),
                registration_body: Set(body),
                registration_number: Set(number),
                skills: Set(skills::to_json(
                    &sk.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
                )),
                wtr_opt_out_at: Set(rng.random_bool(0.1).then_some(now - Duration::days(200))),
                reconfirmed_at: Set(Some(now - Duration::days(rng.random_range(1..60)))),
                created_by: Set(None),
                created_at: Set(now - Duration::days(400)),
            });
            for t in &trusts_of {
                ms.push(membership::ActiveModel {
                    id: Set(new_id()),
                    worker_id: Set(id),
                    trust_id: Set(trusts[*t]),
                    state: Set(MembershipState::Active),
                    state_reason: Set(None),
                    created_at: Set(now - Duration::days(400)),
                    updated_at: Set(now - Duration::days(400)),
                    // Engagements the workers accepted long ago (the bench measures matching, not
                    // consent).
                    consent: Set(Consent::Accepted),
                    proposed_by: Set(None),
                    decided_at: Set(Some(now - Duration::days(400))),
                    ended_at: Set(None),
                });
            }
            let items = &required[&group];
            let odd_one = rng.random_range(0..items.len().max(1));
            for (i, (kind, level, age)) in items.iter().enumerate() {
                let oldest = age.map_or(900, |a| i64::from(a) - 60).max(11);
                let completed = today - Duration::days(rng.random_range(10..oldest));
                let mut expires = age.map(|a| completed + Duration::days(i64::from(a)));
                let mut status = CredentialStatus::Verified;
                if i == odd_one {
                    match condition {
                        Condition::ExpiredItem => expires = Some(today - Duration::days(10)),
                        Condition::ExpiringItem => expires = Some(today + Duration::days(10)),
                        Condition::PendingItem => status = CredentialStatus::Pending,
                        Condition::Compliant => {}
                    }
                }
                let cid = new_id();
                cs.push(credential::ActiveModel {
                    id: Set(cid),
                    worker_id: Set(id),
                    kind: Set(kind.clone()),
                    level: Set(*level),
                    issuer: Set("NHS e-Learning for Healthcare".into()),
                    reference: Set(None),
                    valid_from: Set(completed),
                    expires_on: Set(expires),
                    status: Set(status),
                    status_reason: Set(None),
                    verified_by: Set(None),
                    verified_trust_id: Set(
                        (status == CredentialStatus::Verified).then_some(trusts[home])
                    ),
                    verified_at: Set(
                        (status == CredentialStatus::Verified).then_some(now - Duration::days(5))
                    ),
                    recorded_by: Set(None),
                    evidence_sha256: Set(None),
                    evidence_content_type: Set(None),
                    evidence_size: Set(None),
                    evidence_filename: Set(None),
                    previous_version_id: Set(None),
                    created_at: Set(now - Duration::days(30)),
                    updated_at: Set(now - Duration::days(5)),
                });
                if status == CredentialStatus::Verified {
                    for t in &trusts_of {
                        rs.push(credential_recognition::ActiveModel {
                            id: Set(new_id()),
                            credential_id: Set(cid),
                            trust_id: Set(trusts[*t]),
                            source: Set("LOCAL_VERIFICATION".into()),
                            passport_id: Set(None),
                            issuer_trust_id: Set(None),
                            recognised_by: Set(None),
                            recognised_at: Set(now - Duration::days(5)),
                            withdrawn_at: Set(None),
                        });
                    }
                }
            }
            ks.extend(skills::index_rows(
                id,
                &sk.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            ));
            made.push(Made {
                id,
                group,
                grade,
                skills: sk,
                trusts: trusts_of,
                condition,
            });
        }
        let tx = db::begin_write(db).await?;
        *counts.entry("workers").or_default() += insert_chunked(&tx, ws, 500).await?;
        *counts.entry("worker_skills").or_default() += insert_chunked(&tx, ks, 2000).await?;
        *counts.entry("memberships").or_default() += insert_chunked(&tx, ms, 2000).await?;
        *counts.entry("credentials").or_default() += insert_chunked(&tx, cs, 500).await?;
        *counts.entry("credential_recognitions").or_default() +=
            insert_chunked(&tx, rs, 1000).await?;
        tx.commit().await?;
    }

    // Worked history: about one shift every other week per worker, at one of their trusts, on a
    // ward they have the skills for; 2% were no-shows.
    let skilled_wards = |w: &Made, t: usize| -> Vec<&ward::Model> {
        wards[t]
            .iter()
            .filter(|wd| {
                skills::from_json(&wd.required_skills)
                    .iter()
                    .all(|k| w.skills.contains(&k.as_str()))
            })
            .collect()
    };
    let mut history = Vec::new();
    for w in &made {
        for week in 1..=size.history_weeks {
            if !rng.random_bool(0.5) {
                continue;
            }
            let t = *pick(&w.trusts, rng);
            let options = skilled_wards(w, t);
            let Some(ward) = options.choose(rng) else {
                continue;
            };
            // Tuesday to Thursday of that week: one shift a week never breaks the rest rules.
            let day = today - Duration::weeks(week) + Duration::days(rng.random_range(0..3));
            history.push((w.id, w.group, w.grade, trusts[t], (*ward).clone(), day));
        }
    }
    for chunk in history.chunks(2000) {
        let mut ss = Vec::new();
        let mut gs = Vec::new();
        let mut ts = Vec::new();
        let mut bs = Vec::new();
        let mut es = Vec::new();
        for (worker_id, group, grade, trust, ward, day) in chunk {
            let (h, m, hours, brk) = *pick(&PATTERNS, rng);
            let Ok(starts) =
                from_london(day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()))
            else {
                continue;
            };
            if starts + Duration::hours(hours) > now - Duration::hours(12) {
                continue;
            }
            let posted = starts - Duration::days(10);
            let s = shift_row(
                sys.id, *trust, ward, *group, grade, starts, hours, brk, posted, 1,
            );
            let no_show = rng.random_bool(0.02);
            let b = booking::Model {
                id: new_id(),
                shift_id: s.id,
                trust_id: *trust,
                ward_id: ward.id,
                worker_id: *worker_id,
                position: 1,
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                worked_minutes: s.worked_minutes,
                active: !no_show,
                state: if no_show {
                    BookingState::NoShow
                } else {
                    BookingState::Booked
                },
                booked_via: BookedVia::SelfBooking,
                booked_by: None,
                idempotency_key: None,
                created_at: posted + Duration::days(1),
                closed_at: no_show.then_some(s.starts_at + Duration::hours(1)),
            };
            es.push(event_row(&b, BookingEvent::Booked, false, b.created_at));
            if no_show {
                es.push(event_row(
                    &b,
                    BookingEvent::NoShow,
                    true,
                    s.starts_at + Duration::hours(1),
                ));
            }
            let mut filled = s.clone();
            filled.filled_positions = i32::from(!no_show);
            gs.extend(grade_rows(&filled, grade, &[]));
            ts.extend(tier_rows(&filled));
            ss.push(filled.into_active_model());
            bs.push(b.into_active_model());
        }
        let tx = db::begin_write(db).await?;
        *counts.entry("shifts").or_default() += insert_chunked(&tx, ss, 500).await?;
        *counts.entry("shift_grades").or_default() += insert_chunked(&tx, gs, 2000).await?;
        *counts.entry("shift_tiers").or_default() += insert_chunked(&tx, ts, 1000).await?;
        *counts.entry("bookings").or_default() += insert_chunked(&tx, bs, 500).await?;
        *counts.entry("booking_events").or_default() += insert_chunked(&tx, es, 1000).await?;
        tx.commit().await?;
    }

    // Open shifts over the next four weeks, posted two days ago, open to the whole bank.
    let ask_weights: Vec<(usize, f64)> = ASKS.iter().enumerate().map(|(i, a)| (i, a.3)).collect();
    let mut open = Vec::new();
    while open.len() < size.open_shifts {
        let t = rng.random_range(0..size.trusts);
        let ward = pick(&wards[t], rng);
        let (group, grade, fallback, _) = ASKS[weighted(&ask_weights, rng)];
        let (h, m, hours, brk) = *pick(&PATTERNS, rng);
        let day = today + Duration::days(rng.random_range(0..28));
        let Ok(starts) =
            from_london(day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()))
        else {
            continue;
        };
        if starts < now + Duration::hours(2) {
            continue;
        }
        let positions = if rng.random_bool(0.1) { 2 } else { 1 };
        open.push((
            shift_row(
                sys.id,
                trusts[t],
                ward,
                group,
                grade,
                starts,
                hours,
                brk,
                now - Duration::days(2),
                positions,
            ),
            fallback,
        ));
    }
    for chunk in open.chunks(2000) {
        let mut ss = Vec::new();
        let mut gs = Vec::new();
        let mut ts = Vec::new();
        for (s, fallback) in chunk {
            gs.extend(grade_rows(s, &s.grade, fallback));
            ts.extend(tier_rows(s));
            ss.push(s.clone().into_active_model());
        }
        let tx = db::begin_write(db).await?;
        *counts.entry("shifts").or_default() += insert_chunked(&tx, ss, 500).await?;
        *counts.entry("shift_grades").or_default() += insert_chunked(&tx, gs, 2000).await?;
        *counts.entry("shift_tiers").or_default() += insert_chunked(&tx, ts, 1000).await?;
        tx.commit().await?;
    }
    out.open_shifts = open.iter().map(|(s, _)| s.id).collect();
    out.office_shifts = open
        .iter()
        .filter(|(s, _)| Some(&s.trust_id) == trusts.first())
        .map(|(s, _)| s.id)
        .collect();

    // Pairs that should book: a compliant worker engaged at the trust, of an accepted grade, with
    // the ward's skills; each worker once.
    let mut pool: HashMap<(usize, StaffGroup, &'static str), Vec<usize>> = HashMap::new();
    for (i, w) in made.iter().enumerate() {
        if w.condition != Condition::Compliant {
            continue;
        }
        for t in &w.trusts {
            pool.entry((*t, w.group, w.grade)).or_default().push(i);
        }
    }
    for v in pool.values_mut() {
        v.shuffle(rng);
    }
    let mut used = vec![false; made.len()];
    let trust_index: HashMap<Uuid, usize> =
        trusts.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let mut order: Vec<&(shift::Model, &[&str])> = open.iter().collect();
    order.shuffle(rng);
    for (s, fallback) in order {
        let t = trust_index[&s.trust_id];
        let group = s.staff_group;
        let needs = skills::from_json(&s.skills);
        let grades = std::iter::once(s.grade.as_str()).chain(fallback.iter().copied());
        'grades: for g in grades {
            let Some(candidates) = pool.get(&(t, group, grade_static(g))) else {
                continue;
            };
            for i in candidates {
                let w = &made[*i];
                if used[*i] || !needs.iter().all(|k| w.skills.contains(&k.as_str())) {
                    continue;
                }
                used[*i] = true;
                out.booking_pairs.push((s.id, w.id));
                break 'grades;
            }
        }
    }

    // Logins for the feed.
    let tx = db::begin_write(db).await?;
    for w in made
        .iter()
        .filter(|w| w.condition == Condition::Compliant)
        .take(size.worker_logins)
    {
        let email = format!("login.{}@bench.staffbank.example", w.id.simple());
        let acc = accounts::create(
            &tx,
            clock,
            &Email::parse(&email)?,
            "Bench Worker",
            &password,
        )
        .await?;
        accounts::insert_grant(
            &tx,
            clock,
            acc.id,
            &Grant {
                role: Role::Worker,
                trust_id: None,
                ward_id: None,
                system_id: None,
                worker_id: Some(w.id),
            },
            None,
        )
        .await?;
        out.worker_emails.push(email);
    }
    tx.commit().await?;
    out.rows = counts;
    Ok(out)
}

/// The grade codes as `'static` (they come from the tables above).
fn grade_static(code: &str) -> &'static str {
    GROUPS
        .iter()
        .flat_map(|(_, _, grades)| grades.iter())
        .find(|g| **g == code)
        .copied()
        .unwrap_or("UNKNOWN")
}

#[expect(clippy::too_many_arguments, reason = "a shift has many fields")]
fn shift_row(
    system_id: Uuid,
    trust_id: Uuid,
    ward: &ward::Model,
    group: StaffGroup,
    grade: &str,
    starts: DateTime<Utc>,
    hours: i64,
    break_minutes: i32,
    posted: DateTime<Utc>,
    positions: i32,
) -> shift::Model {
    let ends = starts + Duration::hours(hours);
    shift::Model {
        id: new_id(),
        system_id,
        trust_id,
        site_id: ward.site_id,
        ward_id: ward.id,
        staff_group: group,
        grade: grade.to_owned(),
        skills: ward.required_skills.clone(),
        starts_at: starts,
        ends_at: ends,
        break_minutes,
        worked_minutes: i32::try_from(hours * 60).unwrap_or(0) - break_minutes,
        reason: ShiftReason::Vacancy,
        pay_basis: PayBasis::ShiftGrade,
        positions,
        filled_positions: 0,
        notes: None,
        opens_at: posted,
        escalates_at: None,
        posted_by: None,
        posted_at: posted,
        cancelled_at: None,
        cancelled_by: None,
        cancel_reason: None,
    }
}

fn grade_rows(s: &shift::Model, grade: &str, fallback: &[&str]) -> Vec<shift_grade::ActiveModel> {
    std::iter::once(grade)
        .chain(fallback.iter().copied())
        .enumerate()
        .map(|(i, g)| shift_grade::ActiveModel {
            id: Set(new_id()),
            shift_id: Set(s.id),
            grade: Set(g.to_owned()),
            preference: Set(i32::try_from(i).unwrap_or(0)),
        })
        .collect()
}

/// The trust's own bank at posting, the whole bank an hour later.
fn tier_rows(s: &shift::Model) -> Vec<shift_tier::ActiveModel> {
    [(Audience::OwnTrust, 0), (Audience::Collaborative, 60)]
        .iter()
        .enumerate()
        .map(|(i, (audience, offset))| shift_tier::ActiveModel {
            id: Set(new_id()),
            shift_id: Set(s.id),
            position: Set(i32::try_from(i).unwrap_or(0)),
            audience: Set(*audience),
            anchor: Set(Anchor::Posting),
            offset_minutes: Set(*offset),
            opens_at: Set(s.posted_at + Duration::minutes(i64::from(*offset))),
            announced_at: Set(Some(s.posted_at + Duration::minutes(i64::from(*offset)))),
        })
        .collect()
}

fn event_row(
    b: &booking::Model,
    event: BookingEvent,
    strike: bool,
    at: DateTime<Utc>,
) -> booking_event::ActiveModel {
    booking_event::ActiveModel {
        id: Set(new_id()),
        booking_id: Set(b.id),
        shift_id: Set(b.shift_id),
        trust_id: Set(b.trust_id),
        worker_id: Set(b.worker_id),
        event: Set(event),
        strike: Set(strike),
        actor_account_id: ActiveValue::Set(None),
        reason: Set(None),
        at: Set(at),
    }
}

/// What the measurements need, read back from a bank a previous run built (no booking pairs).
///
/// # Errors
/// Database errors.
pub async fn existing(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<Dataset> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    use staffbank_core::entity::{account, role_grant};
    let open_shifts: Vec<Uuid> = shift::Entity::find()
        .select_only()
        .column(shift::Column::Id)
        .filter(shift::Column::StartsAt.gt(now))
        .filter(shift::Column::FilledPositions.eq(0))
        .into_tuple()
        .all(db)
        .await?;
    let worker_emails: Vec<String> = account::Entity::find()
        .select_only()
        .column(account::Column::Email)
        .filter(account::Column::Email.starts_with("login."))
        .into_tuple()
        .all(db)
        .await?;
    // The bench's bank office works for one trust: its open shifts are the shift pages measured.
    let office: Vec<Uuid> = account::Entity::find()
        .select_only()
        .column(account::Column::Id)
        .filter(account::Column::Email.eq(OFFICE_EMAIL))
        .into_tuple()
        .all(db)
        .await?;
    let office_trusts: Vec<Option<Uuid>> = role_grant::Entity::find()
        .select_only()
        .column(role_grant::Column::TrustId)
        .filter(role_grant::Column::AccountId.is_in(office))
        .into_tuple()
        .all(db)
        .await?;
    let office_shifts = match office_trusts.into_iter().flatten().next() {
        Some(trust) => {
            shift::Entity::find()
                .select_only()
                .column(shift::Column::Id)
                .filter(shift::Column::TrustId.eq(trust))
                .filter(shift::Column::StartsAt.gt(now))
                .filter(shift::Column::FilledPositions.eq(0))
                .into_tuple()
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    Ok(Dataset {
        worker_emails,
        open_shifts,
        office_shifts,
        ..Dataset::default()
    })
}
