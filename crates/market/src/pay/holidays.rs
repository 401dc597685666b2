//! Public (bank) holidays, per collaborative bank. A bank's calendar is its nation's bank holidays
//! ([`national`], generated from the rules below, so every year has them without a seed) changed by
//! the bank's own system admins: a day added (a one-off holiday the rules do not know, or a renamed
//! day) or a default removed. Pay at a trust follows its bank's calendar only, so one bank's edits
//! never change another bank's pay; and another bank's admins cannot see or touch it.
//!
//! The rules (gov.uk "UK bank holidays"):
//! - every nation: New Year's Day, Good Friday, the early May bank holiday (first Monday of May),
//!   the spring bank holiday (last Monday of May), Christmas Day and Boxing Day;
//! - England and Wales, Northern Ireland: Easter Monday; summer bank holiday on the last Monday of
//!   August;
//! - Scotland: 2 January; summer bank holiday on the first Monday of August; St Andrew's Day (30
//!   November); no Easter Monday;
//! - Northern Ireland: St Patrick's Day (17 March) and the Battle of the Boyne (12 July);
//! - a fixed-date holiday falling on a weekend (or on a day that is already a holiday) moves to the
//!   next weekday that is not (a "substitute day");
//! - one-off changes declared by royal proclamation since 2011 are in [`ONE_OFF`]; a later one is
//!   added by each bank's admins.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_bank::organisation::{self, Nation};
use staffbank_core::{Actor, Clock, db, new_id};
use uuid::Uuid;

use crate::entity::bank_holiday;
use crate::error::{Result, conflict, not_found, validation};

/// The years the calendar answers for (the early May bank holiday began in 1978).
pub const YEARS: std::ops::RangeInclusive<i32> = 1978..=2100;

/// Where a day on a bank's calendar comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The nation's bank holidays.
    National,
    /// The bank's own admins added it (or renamed a national day).
    Bank,
}

/// A day on a bank's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// The bank.
    pub system_id: Uuid,
    /// The day.
    pub date: NaiveDate,
    /// Its name.
    pub name: String,
    /// Where it comes from.
    pub source: Source,
}

/// What a one-off proclamation did in a year: moved a holiday from one day to another, or added a
/// day (every nation).
enum OneOff {
    Moved(u32, u32, u32, u32),
    Added(u32, u32, &'static str),
}

/// One-off changes since 2011, for every nation of the UK.
const ONE_OFF: [(i32, OneOff); 8] = [
    (2011, OneOff::Added(4, 29, "Royal wedding")),
    (2012, OneOff::Moved(5, 28, 6, 4)),
    (2012, OneOff::Added(6, 5, "Queen's Diamond Jubilee")),
    (2020, OneOff::Moved(5, 4, 5, 8)),
    (2022, OneOff::Moved(5, 30, 6, 2)),
    (2022, OneOff::Added(6, 3, "Platinum Jubilee bank holiday")),
    (
        2022,
        OneOff::Added(9, 19, "State Funeral of Queen Elizabeth II"),
    ),
    (
        2023,
        OneOff::Added(5, 8, "Bank holiday for the coronation of King Charles III"),
    ),
];

/// Easter Sunday (the anonymous Gregorian algorithm).
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

fn first_monday(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1)
}

fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut d = first_of_next - Duration::days(1);
    while d.weekday() != Weekday::Mon {
        d -= Duration::days(1);
    }
    Some(d)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A nation's bank holidays in a year, by date (empty outside [`YEARS`]).
#[must_use]
pub fn national(nation: Nation, year: i32) -> BTreeMap<NaiveDate, String> {
    let mut days = BTreeMap::new();
    if !YEARS.contains(&year) {
        return days;
    }
    let scotland = nation == Nation::Scotland;
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let mut movable: Vec<(Option<NaiveDate>, &str)> = Vec::new();
    if let Some(e) = easter(year) {
        movable.push((Some(e - Duration::days(2)), "Good Friday"));
        if !scotland {
            movable.push((Some(e + Duration::days(1)), "Easter Monday"));
        }
    }
    movable.push((first_monday(year, 5), "Early May bank holiday"));
    movable.push((last_monday(year, 5), "Spring bank holiday"));
    movable.push((
        if scotland {
            first_monday(year, 8)
        } else {
            last_monday(year, 8)
        },
        "Summer bank holiday",
    ));
    for (d, name) in movable {
        if let Some(d) = d {
            days.insert(d, name.to_owned());
        }
    }
    for (y, change) in &ONE_OFF {
        if *y != year {
            continue;
        }
        match change {
            OneOff::Moved(fm, fd, tm, td) => {
                if let (Some(from), Some(to)) = (ymd(*fm, *fd), ymd(*tm, *td))
                    && let Some(name) = days.remove(&from)
                {
                    days.insert(to, name);
                }
            }
            OneOff::Added(m, d, name) => {
                if let Some(d) = ymd(*m, *d) {
                    days.insert(d, (*name).to_owned());
                }
            }
        }
    }

    let mut fixed: Vec<(Option<NaiveDate>, &str)> = vec![(ymd(1, 1), "New Year's Day")];
    if scotland {
        fixed.push((ymd(1, 2), "2 January"));
    }
    if nation == Nation::NorthernIreland {
        fixed.push((ymd(3, 17), "St Patrick's Day"));
        fixed.push((ymd(7, 12), "Battle of the Boyne (Orangemen's Day)"));
    }
    if scotland {
        fixed.push((ymd(11, 30), "St Andrew's Day"));
    }
    fixed.push((ymd(12, 25), "Christmas Day"));
    fixed.push((ymd(12, 26), "Boxing Day"));
    // First every fixed day that falls on a free weekday keeps its date; then, in date order, each
    // of the others takes the next weekday that is free (so Christmas on a Sunday makes Boxing Day
    // Monday and Christmas's substitute Tuesday, as gov.uk lists them).
    let mut to_move = Vec::new();
    for (d, name) in fixed {
        let Some(d) = d else { continue };
        if is_weekend(d) || days.contains_key(&d) {
            to_move.push((d, name));
        } else {
            days.insert(d, name.to_owned());
        }
    }
    for (d, name) in to_move {
        let mut sub = d + Duration::days(1);
        while is_weekend(sub) || days.contains_key(&sub) {
            sub += Duration::days(1);
        }
        days.insert(sub, format!("{name} (substitute day)"));
    }
    days
}

/// A bank's calendar between two dates (inclusive): its nation's days with its own changes.
fn calendar(
    nation: Nation,
    changes: &[bank_holiday::Model],
    from: NaiveDate,
    to: NaiveDate,
) -> BTreeMap<NaiveDate, (String, Source)> {
    let mut days = BTreeMap::new();
    if to < from {
        return days;
    }
    for year in from.year().max(*YEARS.start())..=to.year().min(*YEARS.end()) {
        for (d, name) in national(nation, year) {
            if d >= from && d <= to {
                days.insert(d, (name, Source::National));
            }
        }
    }
    for c in changes.iter().filter(|c| c.date >= from && c.date <= to) {
        if c.removed {
            days.remove(&c.date);
        } else {
            days.insert(c.date, (c.name.clone(), Source::Bank));
        }
    }
    days
}

async fn changes_of(
    conn: &impl ConnectionTrait,
    system_ids: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<bank_holiday::Model>> {
    Ok(bank_holiday::Entity::find()
        .filter(bank_holiday::Column::SystemId.is_in(system_ids.iter().copied()))
        .filter(bank_holiday::Column::Date.gte(from))
        .filter(bank_holiday::Column::Date.lte(to))
        .order_by_asc(bank_holiday::Column::Date)
        .all(conn)
        .await?)
}

/// The public holidays of the banks of these trusts between two dates (inclusive), by trust, for
/// pay (no checks: pay functions check their callers). Three queries whatever the number of
/// trusts.
///
/// # Errors
/// Database errors.
pub async fn of_trusts_between(
    conn: &impl ConnectionTrait,
    trust_ids: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<Uuid, BTreeSet<NaiveDate>>> {
    let trusts = organisation::trusts_by_ids(conn, trust_ids).await?;
    let mut system_ids: Vec<Uuid> = trusts.iter().map(|t| t.system_id).collect();
    system_ids.sort_unstable();
    system_ids.dedup();
    let systems = organisation::systems_by_ids(conn, &system_ids).await?;
    let changes = changes_of(conn, &system_ids, from, to).await?;
    let by_system: HashMap<Uuid, BTreeSet<NaiveDate>> = systems
        .iter()
        .map(|s| {
            let own: Vec<bank_holiday::Model> = changes
                .iter()
                .filter(|c| c.system_id == s.id)
                .cloned()
                .collect();
            let days = calendar(s.nation, &own, from, to).into_keys().collect();
            (s.id, days)
        })
        .collect();
    Ok(trusts
        .into_iter()
        .map(|t| {
            let days = by_system.get(&t.system_id).cloned().unwrap_or_default();
            (t.id, days)
        })
        .collect())
}

/// The public holidays of a trust's bank between two dates (inclusive), for pay (no checks).
///
/// # Errors
/// Database errors.
pub async fn of_trust_between(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeSet<NaiveDate>> {
    Ok(of_trusts_between(conn, &[trust_id], from, to)
        .await?
        .remove(&trust_id)
        .unwrap_or_default())
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    if !YEARS.contains(&year) {
        return Err(validation(format!(
            "public holidays are known for the years {} to {}",
            YEARS.start(),
            YEARS.end()
        )));
    }
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(validation("no such year")),
    }
}

/// A bank's public holidays in a year, by date, for the people of that bank.
///
/// # Errors
/// Not found (the bank; also when the caller is not of it); validation (year).
pub async fn of_year(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
    year: i32,
) -> Result<Vec<Holiday>> {
    let sys = organisation::visible_system(conn, actor, system_id).await?;
    let (from, to) = year_bounds(year)?;
    let changes = changes_of(conn, &[sys.id], from, to).await?;
    Ok(calendar(sys.nation, &changes, from, to)
        .into_iter()
        .map(|(date, (name, source))| Holiday {
            system_id: sys.id,
            date,
            name,
            source,
        })
        .collect())
}

fn clean_name(raw: &str) -> Result<String> {
    Ok(staffbank_core::text::limits::HOLIDAY.required(raw)?)
}

async fn admin_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    system_id: Uuid,
) -> Result<staffbank_bank::entity::system::Model> {
    let sys = organisation::visible_system(conn, actor, system_id).await?;
    actor.require_system_admin(sys.id)?;
    Ok(sys)
}

async fn save(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    date: NaiveDate,
    name: &str,
    removed: bool,
) -> Result<()> {
    let existing = bank_holiday::Entity::find()
        .filter(bank_holiday::Column::SystemId.eq(system_id))
        .filter(bank_holiday::Column::Date.eq(date))
        .one(conn)
        .await?;
    match existing {
        Some(row) => {
            let mut a: bank_holiday::ActiveModel = row.into();
            a.name = Set(name.to_owned());
            a.removed = Set(removed);
            a.changed_by = Set(actor.account_id());
            a.changed_at = Set(clock.now());
            a.update(conn).await?;
        }
        None => {
            bank_holiday::ActiveModel {
                id: Set(new_id()),
                system_id: Set(system_id),
                date: Set(date),
                name: Set(name.to_owned()),
                removed: Set(removed),
                changed_by: Set(actor.account_id()),
                changed_at: Set(clock.now()),
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

/// Adds a public holiday to a bank's calendar (its system admins). Run it in a write transaction.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found (the bank; also for another bank's admins); forbidden; validation (name, year);
/// conflict (already a holiday).
pub async fn add(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    date: NaiveDate,
    name: &str,
) -> Result<Holiday> {
    db::write(db, |tx| {
        Box::pin(async move { add_in(&tx, clock, actor, system_id, date, name).await })
    })
    .await
}

/// The work of [`add`], in the caller's transaction.
async fn add_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    date: NaiveDate,
    name: &str,
) -> Result<Holiday> {
    let sys = admin_of(tx, actor, system_id).await?;
    let name = clean_name(name)?;
    year_bounds(date.year())?;
    let changes = changes_of(tx, &[sys.id], date, date).await?;
    if calendar(sys.nation, &changes, date, date).contains_key(&date) {
        return Err(conflict(format!("{date} is already a public holiday")));
    }
    save(tx, clock, actor, sys.id, date, &name, false).await?;
    Ok(Holiday {
        system_id: sys.id,
        date,
        name,
        source: Source::Bank,
    })
}

/// Takes a day off a bank's calendar (its system admins): a national day the bank does not keep,
/// or one it added. Run it in a write transaction.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found (the bank, also for another bank's admins; or the day is not a holiday); forbidden;
/// validation (year).
pub async fn remove(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    date: NaiveDate,
) -> Result<Holiday> {
    db::write(db, |tx| {
        Box::pin(async move { remove_in(&tx, clock, actor, system_id, date).await })
    })
    .await
}

/// The work of [`remove`], in the caller's transaction.
async fn remove_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    date: NaiveDate,
) -> Result<Holiday> {
    let sys = admin_of(tx, actor, system_id).await?;
    year_bounds(date.year())?;
    let changes = changes_of(tx, &[sys.id], date, date).await?;
    let Some((name, source)) = calendar(sys.nation, &changes, date, date).remove(&date) else {
        return Err(not_found("public holiday"));
    };
    save(tx, clock, actor, sys.id, date, &name, true).await?;
    Ok(Holiday {
        system_id: sys.id,
        date,
        name,
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(nation: Nation, year: i32) -> Vec<String> {
        national(nation, year)
            .keys()
            .map(|d| d.format("%m-%d").to_string())
            .collect()
    }

    #[test]
    fn england_and_wales_as_gov_uk_lists_them() {
        // The seed the first pay migration carried (gov.uk, 2025-2028).
        assert_eq!(
            dates(Nation::EnglandAndWales, 2025),
            [
                "01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"
            ]
        );
        assert_eq!(
            dates(Nation::EnglandAndWales, 2026),
            [
                "01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"
            ]
        );
        assert_eq!(
            dates(Nation::EnglandAndWales, 2027),
            [
                "01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"
            ]
        );
        assert_eq!(
            dates(Nation::EnglandAndWales, 2028),
            [
                "01-03", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"
            ]
        );
        // Christmas on a Sunday: Boxing Day Monday, Christmas's substitute Tuesday.
        let y2022 = national(Nation::EnglandAndWales, 2022);
        assert_eq!(
            y2022.get(&NaiveDate::from_ymd_opt(2022, 12, 27).unwrap_or_default()),
            Some(&"Christmas Day (substitute day)".to_owned())
        );
        // The one-offs: 2022's jubilee and funeral, 2023's coronation, 2020's VE Day move.
        assert_eq!(
            dates(Nation::EnglandAndWales, 2022),
            [
                "01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26",
                "12-27"
            ]
        );
        assert!(dates(Nation::EnglandAndWales, 2023).contains(&"05-08".to_owned()));
        assert!(dates(Nation::EnglandAndWales, 2020).contains(&"05-08".to_owned()));
        assert!(!dates(Nation::EnglandAndWales, 2020).contains(&"05-04".to_owned()));
    }

    #[test]
    fn scotland_as_gov_uk_lists_them() {
        assert_eq!(
            dates(Nation::Scotland, 2025),
            [
                "01-01", "01-02", "04-18", "05-05", "05-26", "08-04", "12-01", "12-25", "12-26"
            ]
        );
        assert_eq!(
            dates(Nation::Scotland, 2026),
            [
                "01-01", "01-02", "04-03", "05-04", "05-25", "08-03", "11-30", "12-25", "12-28"
            ]
        );
        // 1 January on a Saturday: Monday 3 and Tuesday 4 January.
        assert_eq!(&dates(Nation::Scotland, 2022)[..2], ["01-03", "01-04"]);
        // 1 January on a Sunday: Monday 2 and Tuesday 3 January.
        assert_eq!(&dates(Nation::Scotland, 2023)[..2], ["01-02", "01-03"]);
        // St Andrew's Day on a Saturday: Monday 2 December.
        assert!(dates(Nation::Scotland, 2024).contains(&"12-02".to_owned()));
    }

    #[test]
    fn northern_ireland_as_gov_uk_lists_them() {
        assert_eq!(
            dates(Nation::NorthernIreland, 2025),
            [
                "01-01", "03-17", "04-18", "04-21", "05-05", "05-26", "07-14", "08-25", "12-25",
                "12-26"
            ]
        );
        assert_eq!(
            dates(Nation::NorthernIreland, 2026),
            [
                "01-01", "03-17", "04-03", "04-06", "05-04", "05-25", "07-13", "08-31", "12-25",
                "12-28"
            ]
        );
        // St Patrick's Day on a Sunday: Monday 18 March.
        assert!(dates(Nation::NorthernIreland, 2024).contains(&"03-18".to_owned()));
    }

    #[test]
    fn easter_dates() {
        for (y, m, d) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter(y), NaiveDate::from_ymd_opt(y, m, d), "{y}");
        }
    }

    #[test]
    fn a_banks_changes_apply_to_its_calendar() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let change = |date, removed| bank_holiday::Model {
            id: Uuid::nil(),
            system_id: Uuid::nil(),
            date,
            name: "Local day".into(),
            removed,
            changed_by: None,
            changed_at: chrono::DateTime::default(),
        };
        let cal = calendar(
            Nation::EnglandAndWales,
            &[change(d(6, 1), false), change(d(12, 25), true)],
            d(1, 1),
            d(12, 31),
        );
        assert!(cal.contains_key(&d(6, 1)));
        assert!(!cal.contains_key(&d(12, 25)));
        assert_eq!(cal.len(), 8);
    }
}
