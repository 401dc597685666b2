//! Demo sites, wards and workers: a realistic spread of staff groups and grades across the trusts,
//! with credentials in every state — most workers fully compliant at their home trust, some with
//! items pending, rejected, revoked, expired or expiring within the month — and one worker login,
//! whom a second trust has asked to engage.

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::DatabaseTransaction;
use staffbank_bank::compliance::{self, Subject};
use staffbank_bank::credentials::{self, NewCredential};
use staffbank_bank::estate::{self, NewWard};
use staffbank_bank::workers::{self, NewWorker};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Email, Grant, NewPassword, Role, accounts};
use uuid::Uuid;

/// The demo worker who can sign in.
pub const WORKER_EMAIL: &str = "nurse@worker.staffbank.example";

const GIVEN: [&str; 24] = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jack", "Kemi",
    "Liam", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Una", "Vik",
    "Wren", "Zara",
];
const FAMILY: [&str; 24] = [
    "Adeyemi",
    "Brown",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hussain",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "Murphy",
    "Nowak",
    "O'Connor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Thomas",
    "Usman",
    "Walsh",
    "Young",
    "Zielinski",
];
const WARDS: [(&str, &str, &[&str]); 6] = [
    ("Ward 10 (acute medicine)", "MED", &[]),
    ("Ward 14 (elderly care)", "ELD", &["ELDERLY_CARE"]),
    ("Intensive Care Unit", "ICU", &["CRITICAL_CARE"]),
    ("Puffin Ward (paediatrics)", "PAE", &["PAEDIATRICS"]),
    ("Emergency Department", "ED", &["EMERGENCY_CARE"]),
    ("Theatres", "THR", &["THEATRES"]),
];
/// (staff group, grades, skills) profiles workers are drawn from.
const PROFILES: [(&str, &[&str], &[&str]); 5] = [
    (
        "NURSING_MIDWIFERY_REGISTERED",
        &["BAND_5", "BAND_5", "BAND_6", "BAND_7"],
        &[
            "CRITICAL_CARE",
            "ELDERLY_CARE",
            "PAEDIATRICS",
            "EMERGENCY_CARE",
            "THEATRES",
        ],
    ),
    (
        "NURSING_MIDWIFERY_REGISTERED",
        &["BAND_5", "BAND_6"],
        &["ELDERLY_CARE"],
    ),
    (
        "ADDITIONAL_CLINICAL_SERVICES",
        &["BAND_2", "BAND_3", "BAND_3", "BAND_4"],
        &["ELDERLY_CARE", "EMERGENCY_CARE"],
    ),
    (
        "MEDICAL_DENTAL",
        &["FY2", "CT1", "ST3", "ST5", "SPECIALTY_DOCTOR"],
        &["EMERGENCY_CARE", "CRITICAL_CARE"],
    ),
    (
        "ALLIED_HEALTH_PROFESSIONALS",
        &["BAND_5", "BAND_6", "BAND_7"],
        &["THEATRES"],
    ),
];

/// How a demo worker's credentials are left.
#[derive(Clone, Copy)]
enum Condition {
    Compliant,
    ExpiringSoon,
    Expired,
    Pending,
    Rejected,
    Revoked,
}

fn ni_number(i: usize) -> String {
    format!("CE{:06}{}", 100_000 + i * 37, ['A', 'B', 'C', 'D'][i % 4])
}

fn registration(group: &str, i: usize) -> (Option<String>, Option<String>) {
    match group {
        "NURSING_MIDWIFERY_REGISTERED" => (
            Some("NMC".into()),
            Some(format!("{:02}A{:04}E", 10 + i % 80, 1000 + i)),
        ),
        "MEDICAL_DENTAL" => (Some("GMC".into()), Some(format!("{}", 7_000_000 + i))),
        "ALLIED_HEALTH_PROFESSIONALS" => {
            (Some("HCPC".into()), Some(format!("PA{:05}", 10_000 + i)))
        }
        _ => (None, None),
    }
}

/// Loads sites, wards, workers and their credentials. Returns the worker login's email.
///
/// # Errors
/// Domain or database errors.
pub async fn load(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    trusts: &[Uuid],
    password: &NewPassword,
) -> anyhow::Result<Vec<(Role, String)>> {
    let service = Actor::Service;
    let mut rng = StdRng::seed_from_u64(20_261_123);
    let now = clock.now();
    let today = london_date(now);
    for (t, trust) in trusts.iter().enumerate() {
        for (s, site_name) in ["General Hospital", "Community Hospital"]
            .iter()
            .enumerate()
        {
            let site = estate::create_site_in(tx, clock, &service, *trust, site_name).await?;
            for (name, code, skills) in WARDS.iter().skip(s * 3).take(3) {
                estate::create_ward_in(
                    tx,
                    clock,
                    &service,
                    &NewWard {
                        site_id: site.id,
                        name: (*name).to_owned(),
                        cost_centre: format!("{code}{:03}", 100 + t * 10 + s),
                        required_skills: skills.iter().map(|s| (*s).to_owned()).collect(),
                    },
                )
                .await?;
            }
        }
    }
    let conditions = [
        Condition::Compliant,
        Condition::Compliant,
        Condition::Compliant,
        Condition::Compliant,
        Condition::ExpiringSoon,
        Condition::Compliant,
        Condition::Expired,
        Condition::Pending,
        Condition::Compliant,
        Condition::Rejected,
        Condition::Compliant,
        Condition::Revoked,
    ];
    let mut login_worker = None;
    for i in 0..96 {
        let trust = trusts[i % trusts.len()];
        // The demo login (worker 0) is a registered nurse, as its email says.
        let profile = rng.random_range(0..PROFILES.len());
        let (group, grades, skills) = PROFILES[if i == 0 { 0 } else { profile }];
        let (body, number) = registration(group, i);
        let given = GIVEN[i % GIVEN.len()];
        let family = FAMILY[(i * 7 + 3) % FAMILY.len()];
        let skill_count = rng.random_range(0..=2).min(skills.len());
        let w = workers::create_worker_in(
            tx,
            clock,
            &service,
            trust,
            &NewWorker {
                given_name: given.to_owned(),
                family_name: family.to_owned(),
                date_of_birth: today
                    - Duration::days(365 * rng.random_range(22..60) + rng.random_range(0..365)),
                ni_number: ni_number(i),
                email: format!(
                    "{}.{}{}@worker.staffbank.example",
                    given.to_lowercase(),
                    family.to_lowercase().replace('\'', ""),
                    i
                ),
                phone: Some(format!("07700 900{:03}", i)),
                staff_group: group.to_owned(),
                grade: grades[rng.random_range(0..grades.len())].to_owned(),
                registration_body: body,
                registration_number: number,
                skills: skills[..skill_count]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            },
        )
        .await?;
        let condition = if i == 0 {
            Condition::ExpiringSoon
        } else {
            conditions[i % conditions.len()]
        };
        give_credentials(tx, clock, &mut rng, &w, trust, condition).await?;
        if i == 0 {
            login_worker = Some(w.id);
        }
    }
    let mut logins = Vec::new();
    if let Some(worker_id) = login_worker {
        let acc = accounts::create(
            tx,
            clock,
            &Email::parse(WORKER_EMAIL)?,
            "Amara (demo worker)",
            password,
        )
        .await?;
        let grant = Grant {
            role: Role::Worker,
            trust_id: None,
            ward_id: None,
            system_id: None,
            worker_id: Some(worker_id),
        };
        accounts::insert_grant(tx, clock, acc.id, &grant, None).await?;
        logins.push((Role::Worker, WORKER_EMAIL.to_owned()));
        // A second trust has asked to engage the demo worker: a request waiting on their record
        // for them to accept or decline (until then that trust sees only the bank-wide summary).
        if let Some(other) = trusts.get(1) {
            staffbank_bank::membership::engage_in(tx, clock, &service, worker_id, *other, "")
                .await?;
        }
    }
    Ok(logins)
}

/// Records every credential the home trust requires, verified, then leaves one item in the
/// worker's demo condition.
async fn give_credentials(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    rng: &mut StdRng,
    w: &staffbank_bank::entity::worker::Model,
    trust: Uuid,
    condition: Condition,
) -> anyhow::Result<()> {
    let service = Actor::Service;
    let today = london_date(clock.now());
    let report =
        compliance::evaluate_many(tx, trust, None, clock.now(), &[Subject::from(w)]).await?;
    let items = report
        .get(&w.id)
        .map(|r| r.items.clone())
        .unwrap_or_default();
    for (n, item) in items.iter().enumerate() {
        let kind = staffbank_bank::catalogue::kind(&item.kind)?;
        let completed = today - Duration::days(rng.random_range(20..300));
        let mut expires = item
            .max_age_days
            .map(|d| completed + Duration::days(i64::from(d)));
        let last = n + 1 == items.len();
        if last && matches!(condition, Condition::ExpiringSoon) {
            expires = Some(today + Duration::days(rng.random_range(5..25)));
        }
        if last && matches!(condition, Condition::Expired) {
            expires = Some(today - Duration::days(rng.random_range(1..20)));
        }
        let valid_from = expires.map_or(completed, |e| completed.min(e - Duration::days(1)));
        let c = credentials::record_in(
            tx,
            clock,
            &service,
            w.id,
            &NewCredential {
                kind: item.kind.clone(),
                level: kind.levels.last().map(|(l, _)| *l),
                issuer: if kind.code == "DBS" {
                    "Disclosure and Barring Service".into()
                } else {
                    "NHS e-Learning for Healthcare".into()
                },
                reference: Some(format!(
                    "{}-{}",
                    &item.kind[..3],
                    rng.random_range(100_000..999_999)
                )),
                valid_from,
                expires_on: expires.map(|e| e.max(valid_from + Duration::days(1))),
            },
        )
        .await?;
        match (last, condition) {
            (true, Condition::Pending) => {}
            (true, Condition::Rejected) => {
                credentials::reject_in(
                    tx,
                    clock,
                    &service,
                    c.id,
                    trust,
                    "the certificate is for a different course",
                )
                .await?;
            }
            (true, Condition::Expired) => {
                // Verified before it lapsed: shows as expired from its date.
                credentials::verify_in(tx, clock, &service, c.id, trust)
                    .await
                    .ok();
            }
            (true, Condition::Revoked) => {
                credentials::verify_in(tx, clock, &service, c.id, trust).await?;
                credentials::revoke_in(
                    tx,
                    clock,
                    &service,
                    c.id,
                    trust,
                    "the issuer withdrew the certificate",
                )
                .await?;
            }
            _ => {
                credentials::verify_in(tx, clock, &service, c.id, trust).await?;
            }
        }
    }
    Ok(())
}
