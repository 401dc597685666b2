//! Demo places and people: each trust's sites and wards, and its bank workers (healthcare
//! assistants and nurses) with the credentials its requirement profile asks for, verified by its
//! HR — a few deliberately not in order, so the marketplace has reasons to show.

use chrono::Duration;
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::ConnectionTrait;
use staffbank_bank::compliance::{self, Subject};
use staffbank_bank::credentials::{self, NewCredential};
use staffbank_bank::entity::ward;
use staffbank_bank::estate::{self, NewWard};
use staffbank_bank::workers::{self, NewWorker};
use staffbank_bank::{catalogue, membership};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, StaffGroup};
use uuid::Uuid;

/// A demo worker.
#[derive(Debug, Clone)]
pub struct DemoWorker {
    /// The worker.
    pub id: Uuid,
    /// Index of their home trust.
    pub home: usize,
    /// Staff group.
    pub group: StaffGroup,
    /// Indexes of the trusts where they are engaged and compliant.
    pub trusts: Vec<usize>,
}

/// What was made.
#[derive(Debug, Clone)]
pub struct Workforce {
    /// Each trust's id and wards, in the order of the trusts given.
    pub trusts: Vec<(Uuid, Vec<ward::Model>)>,
    /// Every worker.
    pub workers: Vec<DemoWorker>,
}

const GIVEN: [&str; 24] = [
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophia", "Ella", "Chloe", "Priya",
    "Fatima", "Zainab", "Oliver", "George", "Noah", "Arthur", "Leo", "Oscar", "Harry", "Mohammed",
    "Jacob", "Kwame", "Tomasz", "Dylan",
];
const FAMILY: [&str; 24] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Khan", "Lewis", "Okafor", "Nowak", "Hughes", "Murphy",
];

/// Wards of each trust: site, ward, skills needed.
const WARDS: [(&str, &str, &[&str]); 4] = [
    (
        "General Hospital",
        "Ash Ward (elderly care)",
        &["ELDERLY_CARE"],
    ),
    ("General Hospital", "Birch Ward (surgery)", &[]),
    (
        "General Hospital",
        "Cedar Unit (critical care)",
        &["CRITICAL_CARE"],
    ),
    ("Community Hospital", "Rowan Ward (rehabilitation)", &[]),
];

/// The workers of each trust: staff group, grade, skills.
const ROSTER: [(StaffGroup, &str, &[&str]); 10] = [
    (
        StaffGroup::AdditionalClinicalServices,
        "BAND_3",
        &["ELDERLY_CARE"],
    ),
    (
        StaffGroup::AdditionalClinicalServices,
        "BAND_3",
        &["ELDERLY_CARE"],
    ),
    (StaffGroup::AdditionalClinicalServices, "BAND_2", &[]),
    (
        StaffGroup::AdditionalClinicalServices,
        "BAND_4",
        &["ELDERLY_CARE"],
    ),
    (StaffGroup::AdditionalClinicalServices, "BAND_3", &[]),
    (
        StaffGroup::NursingMidwiferyRegistered,
        "BAND_5",
        &["ELDERLY_CARE"],
    ),
    (
        StaffGroup::NursingMidwiferyRegistered,
        "BAND_5",
        &["CRITICAL_CARE"],
    ),
    (StaffGroup::NursingMidwiferyRegistered, "BAND_5", &[]),
    (
        StaffGroup::NursingMidwiferyRegistered,
        "BAND_6",
        &["CRITICAL_CARE", "ELDERLY_CARE"],
    ),
    (StaffGroup::NursingMidwiferyRegistered, "BAND_6", &[]),
];

/// Gives a worker every credential `trust` (and `ward`) requires of them, verified by the trust's
/// HR, valid for a good while; `skip` names a kind to leave out.
pub async fn make_compliant(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    worker: Uuid,
    trust: Uuid,
    ward: Option<Uuid>,
    skip: Option<&str>,
) -> anyhow::Result<()> {
    let service = Actor::Service;
    let now = clock.now();
    let w = workers::get(conn, worker).await?;
    let reports = compliance::evaluate_many(conn, trust, ward, now, &[Subject::from(&w)]).await?;
    let today = london_date(now);
    let items = reports
        .get(&worker)
        .map(|r| r.items.clone())
        .unwrap_or_default();
    for item in items {
        if item.status.satisfied() || skip == Some(item.kind.as_str()) {
            continue;
        }
        let kind = catalogue::kind(&item.kind)?;
        let c = credentials::record(
            conn,
            clock,
            &service,
            worker,
            &NewCredential {
                kind: item.kind.clone(),
                level: kind.levels.last().map(|(l, _)| *l),
                issuer: "Lakes and Moors Training Hub".into(),
                reference: None,
                valid_from: today - Duration::days(120),
                expires_on: Some(today + Duration::days(600)),
            },
        )
        .await?;
        credentials::verify(conn, clock, &service, c.id, trust).await?;
    }
    Ok(())
}

/// Makes the demo's places and people.
///
/// # Errors
/// Database errors.
pub async fn load(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    trusts: &[Uuid],
    rng: &mut StdRng,
) -> anyhow::Result<Workforce> {
    let service = Actor::Service;
    let mut places = Vec::new();
    for t in trusts {
        let mut sites: Vec<(&str, Uuid)> = Vec::new();
        let mut wards = Vec::new();
        for (site_name, ward_name, skills) in WARDS {
            let site = match sites.iter().find(|(n, _)| *n == site_name) {
                Some((_, id)) => *id,
                None => {
                    let s = estate::create_site(conn, clock, &service, *t, site_name).await?;
                    sites.push((site_name, s.id));
                    s.id
                }
            };
            let cost_centre = format!("CC{}", 100 + wards.len());
            wards.push(
                estate::create_ward(
                    conn,
                    clock,
                    &service,
                    &NewWard {
                        site_id: site,
                        name: ward_name.to_owned(),
                        cost_centre,
                        required_skills: skills.iter().map(|s| (*s).to_owned()).collect(),
                    },
                )
                .await?,
            );
        }
        places.push((*t, wards));
    }
    let mut people = Vec::new();
    let mut n: usize = 0;
    for (home, (trust, _)) in places.iter().enumerate() {
        for (group, grade, skills) in ROSTER {
            n += 1;
            let given = GIVEN[rng.random_range(0..GIVEN.len())];
            let family = FAMILY[rng.random_range(0..FAMILY.len())];
            let registration = (group == StaffGroup::NursingMidwiferyRegistered)
                .then(|| format!("{:02}A{:04}E", n / 10_000 + 10, n % 10_000));
            let email = if n == 1 {
                super::WORKER_EMAIL.to_owned()
            } else {
                format!(
                    "{}.{}{n}@bank.staffbank.example",
                    given.to_lowercase(),
                    family.to_lowercase()
                )
            };
            let w = workers::create_worker(
                conn,
                clock,
                &service,
                *trust,
                &NewWorker {
                    given_name: given.to_owned(),
                    family_name: family.to_owned(),
                    date_of_birth: chrono::NaiveDate::from_ymd_opt(
                        1965 + rng.random_range(0..38),
                        rng.random_range(1..=12),
                        rng.random_range(1..=28),
                    )
                    .unwrap_or_default(),
                    ni_number: format!("CE{n:06}{}", ["A", "B", "C", "D"][n % 4]),
                    email,
                    phone: None,
                    staff_group: group.as_str().to_owned(),
                    grade: grade.to_owned(),
                    registration_body: None,
                    registration_number: registration,
                    skills: skills.iter().map(|s| (*s).to_owned()).collect(),
                },
            )
            .await?;
            people.push(DemoWorker {
                id: w.id,
                home,
                group,
                trusts: vec![home],
            });
        }
    }
    let count = places.len();
    for (i, p) in people.iter_mut().enumerate() {
        let (trust, _) = &places[p.home];
        // One not in order: a healthcare assistant of the first trust without a DBS check.
        let skip = (p.home == 0 && i % 10 == 4).then_some("DBS");
        make_compliant(conn, clock, p.id, *trust, None, skip).await?;
        // Every third worker also works at the next trust.
        if i % 3 == 0 {
            let next = (p.home + 1) % count;
            let (other, _) = &places[next];
            membership::engage(conn, clock, &service, p.id, *other).await?;
            make_compliant(conn, clock, p.id, *other, None, None).await?;
            p.trusts.push(next);
        }
    }
    Ok(Workforce {
        trusts: places,
        workers: people,
    })
}
