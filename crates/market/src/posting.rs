//! Posting shifts: a bank office posts one shift, or many at once (all or nothing, with an error for
//! each bad row). Times are given as Europe/London wall-clock times and stored in UTC, so a night
//! on the clock-change date is 11 or 13 hours long. Each shift gets its release cascade (the
//! trust's default unless one is given), with the instant each tier opens fixed now.

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::entity::{site, trust, ward};
use staffbank_bank::{estate, skills};
use staffbank_core::text::{self, limits};
use staffbank_core::time::from_london;
use staffbank_core::{Actor, Clock, Grade, Role, StaffGroup, code, db, new_id};
use uuid::Uuid;

use crate::entity::{shift, shift_grade, shift_tier};
use crate::error::{Error, Result, RowError, validation};
use crate::release_cascade::{self, Audience, TierRule};
use crate::shift_changes::{self, Change};
use crate::working_time;

/// The shortest shift that may be posted.
pub const MIN_LENGTH: Duration = Duration::hours(1);
/// The longest shift that may be posted (a 13-hour night on the October clock change fits).
pub const MAX_LENGTH: Duration = Duration::hours(16);
/// How far ahead a shift may be posted.
pub const MAX_AHEAD: Duration = Duration::days(366);
/// Most rows in one bulk posting.
pub const MAX_ROWS: usize = 500;
/// Most fallback grades one shift may list.
pub const MAX_FALLBACK_GRADES: usize = 10;
/// Most positions on one shift.
pub const MAX_POSITIONS: i32 = 20;

/// Why a shift is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ShiftReason {
    /// A vacant post.
    #[sea_orm(string_value = "VACANCY")]
    Vacancy,
    /// Covering sickness.
    #[sea_orm(string_value = "SICKNESS")]
    Sickness,
    /// Covering annual leave.
    #[sea_orm(string_value = "ANNUAL_LEAVE")]
    AnnualLeave,
    /// Covering maternity or parental leave.
    #[sea_orm(string_value = "PARENTAL_LEAVE")]
    ParentalLeave,
    /// Extra staff for acuity or demand.
    #[sea_orm(string_value = "ACUITY")]
    Acuity,
    /// Covering training.
    #[sea_orm(string_value = "TRAINING")]
    Training,
    /// Anything else.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

impl ShiftReason {
    /// Every reason.
    pub const ALL: [ShiftReason; 7] = [
        Self::Vacancy,
        Self::Sickness,
        Self::AnnualLeave,
        Self::ParentalLeave,
        Self::Acuity,
        Self::Training,
        Self::Other,
    ];
}

impl fmt::Display for ShiftReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Which grade bank pay follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum PayBasis {
    /// The grade of the shift.
    #[sea_orm(string_value = "SHIFT_GRADE")]
    ShiftGrade,
    /// The grade of the worker who works it.
    #[sea_orm(string_value = "WORKER_GRADE")]
    WorkerGrade,
}

/// A shift as a bank office enters it.
#[derive(Debug, Clone)]
pub struct NewShift {
    /// The trust.
    pub trust_id: Uuid,
    /// The site (must be the ward's).
    pub site_id: Uuid,
    /// The ward (must be the trust's).
    pub ward_id: Uuid,
    /// ESR staff group code.
    pub staff_group: String,
    /// The grade asked for.
    pub grade: String,
    /// Grades also accepted, in order of preference.
    pub fallback_grades: Vec<String>,
    /// Skills needed beyond the ward's own.
    pub skills: Vec<String>,
    /// Start, London wall-clock time.
    pub starts_local: NaiveDateTime,
    /// End, London wall-clock time.
    pub ends_local: NaiveDateTime,
    /// Unpaid break.
    pub break_minutes: i32,
    /// Why the shift is needed (a [`ShiftReason`] code).
    pub reason: String,
    /// A [`PayBasis`] code.
    pub pay_basis: String,
    /// Workers needed.
    pub positions: i32,
    /// Notes for workers.
    pub notes: Option<String>,
    /// The cascade for this shift; the trust's default when none.
    pub cascade: Option<Vec<TierRule>>,
}

/// The times of a shift given in London wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftTimes {
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Working time: length less the unpaid break.
    pub worked_minutes: i32,
}

impl ShiftTimes {
    /// Converts and checks London times: the end after the start, a sane length, a break that the
    /// working-time rules accept.
    ///
    /// # Errors
    /// Validation (including a time in the hour skipped when the clocks go forward).
    pub fn from_london(
        starts: NaiveDateTime,
        ends: NaiveDateTime,
        break_minutes: i32,
    ) -> Result<Self> {
        let starts_at = from_london(starts)?;
        let ends_at = from_london(ends)?;
        if ends_at <= starts_at {
            return Err(validation(
                "the shift must end after it starts (give the next day's date for a night)",
            ));
        }
        let length = ends_at - starts_at;
        if length < MIN_LENGTH || length > MAX_LENGTH {
            return Err(validation(format!(
                "a shift must last {} to {} hours; this one lasts {} minutes",
                MIN_LENGTH.num_hours(),
                MAX_LENGTH.num_hours(),
                length.num_minutes()
            )));
        }
        if break_minutes < 0 || Duration::minutes(i64::from(break_minutes)) * 2 > length {
            return Err(validation(
                "the unpaid break must be 0 minutes to half the shift",
            ));
        }
        if !working_time::break_is_enough(length, break_minutes) {
            return Err(validation(format!(
                "a shift longer than {} hours needs a break of at least {} minutes",
                working_time::BREAK_NEEDED_AFTER.num_hours(),
                working_time::MIN_BREAK_MINUTES
            )));
        }
        let worked = length.num_minutes() - i64::from(break_minutes);
        Ok(Self {
            starts_at,
            ends_at,
            worked_minutes: i32::try_from(worked).unwrap_or(i32::MAX),
        })
    }
}

/// Everything looked up once for a batch of rows.
struct Lookups {
    trusts: HashMap<Uuid, trust::Model>,
    wards: HashMap<Uuid, ward::Model>,
    sites: HashMap<Uuid, site::Model>,
    cascades: HashMap<Uuid, Vec<TierRule>>,
}

/// A row ready to insert.
struct Prepared {
    shift: shift::Model,
    grades: Vec<shift_grade::Model>,
    tiers: Vec<shift_tier::ActiveModel>,
}

fn prepare(
    input: &NewShift,
    look: &Lookups,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Prepared> {
    let t = look
        .trusts
        .get(&input.trust_id)
        .ok_or_else(|| validation("unknown trust"))?;
    let ward = look
        .wards
        .get(&input.ward_id)
        .filter(|w| w.trust_id == t.id)
        .ok_or_else(|| validation("the ward is not a ward of this trust"))?;
    if input.site_id != ward.site_id || !look.sites.contains_key(&input.site_id) {
        return Err(validation("the ward is not at this site"));
    }
    let group: StaffGroup = code::parse(&input.staff_group, "staff group")?;
    let grade = Grade::parse_for(&input.grade, group)?;
    let mut grades = vec![grade.code().to_owned()];
    for g in &input.fallback_grades {
        let code = Grade::parse_for(g, group)?.code().to_owned();
        if grades.contains(&code) {
            return Err(validation(format!("grade {code} is listed twice")));
        }
        grades.push(code);
    }
    let mut skill_codes = skills::normalise(&input.skills)?;
    skill_codes.extend(skills::from_json(&ward.required_skills));
    skill_codes.sort_unstable();
    skill_codes.dedup();
    let times = ShiftTimes::from_london(input.starts_local, input.ends_local, input.break_minutes)?;
    if times.starts_at <= now {
        return Err(validation("the shift must start in the future"));
    }
    if times.starts_at > now + MAX_AHEAD {
        return Err(validation("a shift may be posted at most a year ahead"));
    }
    let reason: ShiftReason = code::parse(&input.reason, "shift reason")?;
    let pay_basis: PayBasis = code::parse(&input.pay_basis, "pay basis")?;
    if !(1..=MAX_POSITIONS).contains(&input.positions) {
        return Err(validation(format!(
            "a shift has 1 to {MAX_POSITIONS} positions"
        )));
    }
    let notes = limits::SHIFT_NOTES.optional(input.notes.as_deref())?;
    let rules = match &input.cascade {
        Some(rules) => rules.clone(),
        None => look
            .cascades
            .get(&t.id)
            .cloned()
            .unwrap_or_else(release_cascade::built_in_default),
    };
    release_cascade::validate(&rules)?;
    let opens = release_cascade::schedule(&rules, now, times.starts_at);
    let escalates_at = rules
        .iter()
        .zip(&opens)
        .find(|(r, _)| r.audience == Audience::Agency)
        .map(|(_, at)| *at);
    let id = new_id();
    let shift = shift::Model {
        id,
        system_id: t.system_id,
        trust_id: t.id,
        site_id: ward.site_id,
        ward_id: ward.id,
        staff_group: group,
        grade: grade.code().to_owned(),
        skills: skills::to_json(&skill_codes),
        starts_at: times.starts_at,
        ends_at: times.ends_at,
        break_minutes: input.break_minutes,
        worked_minutes: times.worked_minutes,
        reason,
        pay_basis,
        positions: input.positions,
        filled_positions: 0,
        notes,
        opens_at: opens.first().copied().unwrap_or(now),
        escalates_at,
        posted_by: actor.account_id(),
        posted_at: now,
        cancelled_at: None,
        cancelled_by: None,
        cancel_reason: None,
    };
    let grades = grades
        .into_iter()
        .enumerate()
        .map(|(i, g)| shift_grade::Model {
            id: new_id(),
            shift_id: id,
            grade: g,
            preference: i32::try_from(i).unwrap_or(i32::MAX),
        })
        .collect();
    Ok(Prepared {
        shift,
        grades,
        tiers: release_cascade::tier_rows(id, &rules, &opens),
    })
}

async fn lookups(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    inputs: &[NewShift],
) -> Result<Lookups> {
    let mut trust_ids: Vec<Uuid> = inputs.iter().map(|i| i.trust_id).collect();
    trust_ids.sort_unstable();
    trust_ids.dedup();
    let mut trusts = HashMap::new();
    let mut cascades = HashMap::new();
    for id in trust_ids {
        let t = authorize_at_trust(conn, actor, id, &[Role::BankOffice]).await?;
        cascades.insert(id, release_cascade::default_for_trust(conn, id).await?);
        trusts.insert(id, t);
    }
    let ward_ids: Vec<Uuid> = inputs.iter().map(|i| i.ward_id).collect();
    let site_ids: Vec<Uuid> = inputs.iter().map(|i| i.site_id).collect();
    Ok(Lookups {
        trusts,
        wards: estate::wards_by_ids(conn, &ward_ids)
            .await?
            .into_iter()
            .map(|w| (w.id, w))
            .collect(),
        sites: estate::sites_by_ids(conn, &site_ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect(),
        cascades,
    })
}

async fn insert(conn: &impl ConnectionTrait, rows: Vec<Prepared>) -> Result<Vec<shift::Model>> {
    let mut shifts = Vec::with_capacity(rows.len());
    let mut grades = Vec::new();
    let mut tiers = Vec::new();
    for p in rows {
        shifts.push(p.shift);
        grades.extend(p.grades);
        tiers.extend(p.tiers);
    }
    // Chunks keep each statement within SQLite's bind-parameter limit.
    for chunk in shifts.chunks(100) {
        shift::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec(conn)
        .await?;
    }
    for chunk in grades.chunks(500) {
        shift_grade::Entity::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec(conn)
        .await?;
    }
    for chunk in tiers.chunks(300) {
        shift_tier::Entity::insert_many(chunk.to_vec())
            .exec(conn)
            .await?;
    }
    Ok(shifts)
}

/// Refuses over-long lists in a shift before any database work.
fn cap_lists(input: &NewShift) -> Result<()> {
    text::cap_list("skills", "a list of skills", &input.skills, limits::LIST)?;
    text::cap_list(
        "fallbackGrades",
        "a list of fallback grades",
        &input.fallback_grades,
        MAX_FALLBACK_GRADES,
    )?;
    if let Some(tiers) = &input.cascade {
        text::cap_list("cascade", "a release cascade", tiers, Audience::ALL.len())?;
    }
    Ok(())
}

/// Posts one shift (the trust's bank office).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; not found; validation.
pub async fn post_shift(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    input: &NewShift,
) -> Result<shift::Model> {
    db::write(db, |tx| {
        Box::pin(async move { post_shift_in(&tx, clock, actor, input).await })
    })
    .await
}

/// The work of [`post_shift`], in the caller's transaction.
async fn post_shift_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    input: &NewShift,
) -> Result<shift::Model> {
    cap_lists(input)?;
    let look = lookups(tx, actor, std::slice::from_ref(input)).await?;
    let prepared = prepare(input, &look, actor, clock.now())?;
    let posted = insert(tx, vec![prepared])
        .await?
        .pop()
        .ok_or_else(|| Error::Db(sea_orm::DbErr::RecordNotInserted))?;
    shift_changes::announce_shift(tx, &posted, Change::Posted).await?;
    Ok(posted)
}

/// Posts many shifts at once, all or nothing: when any row is invalid nothing is posted and the
/// error lists every bad row.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden (any trust of the rows); [`Error::InvalidRows`]; validation (no rows, too many).
pub async fn post_shifts(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    inputs: &[NewShift],
) -> Result<Vec<shift::Model>> {
    db::write(db, |tx| {
        Box::pin(async move { post_shifts_in(&tx, clock, actor, inputs).await })
    })
    .await
}

/// The work of [`post_shifts`], in the caller's transaction.
///
/// # Errors
/// As [`post_shifts`].
pub async fn post_shifts_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    inputs: &[NewShift],
) -> Result<Vec<shift::Model>> {
    if inputs.is_empty() || inputs.len() > MAX_ROWS {
        return Err(validation(format!("post 1 to {MAX_ROWS} shifts at a time")));
    }
    post_all(tx, clock, actor, inputs).await
}

/// Every row's problem, as [`post_shifts`] would find it, without posting anything.
///
/// # Errors
/// Forbidden (any trust of the rows); validation of the lists' lengths.
pub async fn check_rows(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    inputs: &[NewShift],
) -> Result<Vec<RowError>> {
    Ok(prepare_all(conn, clock, actor, inputs)
        .await?
        .err()
        .unwrap_or_default())
}

async fn prepare_all(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    inputs: &[NewShift],
) -> Result<std::result::Result<Vec<Prepared>, Vec<RowError>>> {
    for input in inputs {
        cap_lists(input)?;
    }
    let look = lookups(conn, actor, inputs).await?;
    let now = clock.now();
    let mut ready = Vec::with_capacity(inputs.len());
    let mut bad = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        match prepare(input, &look, actor, now) {
            Ok(p) => ready.push(p),
            Err(e) => bad.push(RowError {
                index,
                message: e.to_string(),
            }),
        }
    }
    Ok(if bad.is_empty() { Ok(ready) } else { Err(bad) })
}

/// Posts every row or none, however many (the caller bounds the count). Run inside a write
/// transaction.
///
/// # Errors
/// As [`post_shifts`].
pub(crate) async fn post_all(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    inputs: &[NewShift],
) -> Result<Vec<shift::Model>> {
    match prepare_all(conn, clock, actor, inputs).await? {
        Ok(ready) => {
            let posted = insert(conn, ready).await?;
            shift_changes::announce_posted(conn, &posted).await?;
            Ok(posted)
        }
        Err(bad) => Err(Error::InvalidRows(bad)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn clock_change_nights_are_eleven_and_thirteen_hours() -> Result<()> {
        let spring =
            ShiftTimes::from_london(local("2026-03-28 20:00"), local("2026-03-29 08:00"), 60)?;
        assert_eq!((spring.ends_at - spring.starts_at).num_hours(), 11);
        assert_eq!(spring.worked_minutes, 10 * 60);
        let autumn =
            ShiftTimes::from_london(local("2026-10-24 20:00"), local("2026-10-25 08:00"), 60)?;
        assert_eq!((autumn.ends_at - autumn.starts_at).num_hours(), 13);
        assert_eq!(autumn.worked_minutes, 12 * 60);
        Ok(())
    }

    #[test]
    fn bad_times_are_refused() {
        assert!(
            ShiftTimes::from_london(local("2026-05-01 20:00"), local("2026-05-01 08:00"), 0)
                .is_err()
        );
        assert!(
            ShiftTimes::from_london(local("2026-05-01 08:00"), local("2026-05-02 08:00"), 60)
                .is_err()
        );
        assert!(
            ShiftTimes::from_london(local("2026-05-01 08:00"), local("2026-05-01 08:30"), 0)
                .is_err()
        );
        assert!(
            ShiftTimes::from_london(local("2026-05-01 08:00"), local("2026-05-01 20:00"), 0)
                .is_err(),
            "no break"
        );
        assert!(
            ShiftTimes::from_london(local("2026-03-29 01:30"), local("2026-03-29 09:00"), 30)
                .is_err(),
            "skipped hour"
        );
    }
}
