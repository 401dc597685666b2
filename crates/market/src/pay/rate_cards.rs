//! Rate cards: a trust's hourly rate per grade, its unsocial-hours enhancements per Agenda for
//! Change band, and its holiday-pay uplift, from a date. The card in force for a shift is the
//! latest one effective on or before the shift's local start date, so a change applies from its
//! date and past shifts keep the rates they were worked under. A trust that has set no card pays
//! by the built-in default, derived from the 2025/26 AfC pay points (entry point of each band,
//! hourly = annual / 52.143 / 37.5, to the penny) and the AfC enhancement table. Medical grades
//! have no default rate (their bank rates are agreed locally) and no AfC enhancements.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, ModelTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_core::text::{self, limits};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Grade, Role, db, new_id};
use uuid::Uuid;

use crate::entity::{rate_card, rate_card_line};
use crate::error::{Result, conflict, validation};
use crate::pay::engine::{Enhancements, to_pence};

/// 2025/26 AfC annual pay at the entry point of each band (DOMAIN: 3.6% uplift).
pub const AFC_ENTRY_ANNUAL: [(&str, i64); 11] = [
    ("BAND_2", 24_465),
    ("BAND_3", 24_937),
    ("BAND_4", 27_485),
    ("BAND_5", 31_049),
    ("BAND_6", 38_682),
    ("BAND_7", 47_810),
    ("BAND_8A", 55_690),
    ("BAND_8B", 64_455),
    ("BAND_8C", 76_965),
    ("BAND_8D", 91_342),
    ("BAND_9", 109_179),
];

/// AfC unsocial-hours enhancements by band: (band, Saturday or weekday night, Sunday or public
/// holiday), as percentages.
pub const AFC_ENHANCEMENTS: [(u8, i64, i64); 9] = [
    (1, 50, 100),
    (2, 41, 83),
    (3, 35, 69),
    (4, 30, 60),
    (5, 30, 60),
    (6, 30, 60),
    (7, 30, 60),
    (8, 30, 60),
    (9, 30, 60),
];

/// Default holiday-pay uplift for bank work: 12.07% (5.6 weeks' leave over 46.4 working weeks).
pub const DEFAULT_HOLIDAY_UPLIFT: Decimal = Decimal::from_parts(1207, 0, 0, false, 4);

/// The date the built-in default applies from (the 2025/26 pay award).
#[must_use]
pub fn default_effective_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 1).unwrap_or_default()
}

/// Hourly rate from an annual salary: annual / 52.143 / 37.5, to the penny.
#[must_use]
pub fn afc_hourly(annual: i64) -> Decimal {
    to_pence(Decimal::from(annual) / Decimal::new(52_143, 3) / Decimal::new(375, 1))
}

/// A rate card as the engine uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateCard {
    /// The stored card, or none for the built-in default.
    pub id: Option<Uuid>,
    /// The trust (none for the built-in default).
    pub trust_id: Option<Uuid>,
    /// First day it applies.
    pub effective_from: NaiveDate,
    /// Hourly rate per grade code.
    pub rates: BTreeMap<String, Decimal>,
    /// Enhancements per AfC band (1-9).
    pub enhancements: BTreeMap<u8, Enhancements>,
    /// Holiday-pay uplift.
    pub holiday_uplift: Decimal,
}

impl RateCard {
    /// The built-in default card.
    #[must_use]
    pub fn default_card() -> Self {
        Self {
            id: None,
            trust_id: None,
            effective_from: default_effective_from(),
            rates: AFC_ENTRY_ANNUAL
                .iter()
                .map(|(g, annual)| ((*g).to_owned(), afc_hourly(*annual)))
                .collect(),
            enhancements: default_enhancements(),
            holiday_uplift: DEFAULT_HOLIDAY_UPLIFT,
        }
    }

    /// The hourly rate of a grade, if the card has one.
    #[must_use]
    pub fn rate(&self, grade: &str) -> Option<Decimal> {
        self.rates.get(grade).copied()
    }

    /// The enhancements a grade is paid: its AfC band's, or none for medical grades.
    #[must_use]
    pub fn enhancements_for(&self, grade: &str) -> Enhancements {
        Grade::parse(grade)
            .ok()
            .and_then(Grade::afc_band)
            .and_then(|b| self.enhancements.get(&b).copied())
            .unwrap_or(Enhancements::NONE)
    }
}

/// The AfC enhancement table as [`Enhancements`].
#[must_use]
pub fn default_enhancements() -> BTreeMap<u8, Enhancements> {
    AFC_ENHANCEMENTS
        .iter()
        .map(|(band, sat, sun)| {
            (
                *band,
                Enhancements {
                    saturday_or_night: Decimal::new(*sat, 2),
                    sunday_or_public_holiday: Decimal::new(*sun, 2),
                },
            )
        })
        .collect()
}

fn enhancements_to_json(e: &BTreeMap<u8, Enhancements>) -> serde_json::Value {
    serde_json::Value::Object(
        e.iter()
            .map(|(band, x)| {
                (
                    band.to_string(),
                    serde_json::json!([
                        x.saturday_or_night.to_string(),
                        x.sunday_or_public_holiday.to_string()
                    ]),
                )
            })
            .collect(),
    )
}

fn enhancements_from_json(v: &serde_json::Value) -> BTreeMap<u8, Enhancements> {
    let mut out = BTreeMap::new();
    if let Some(map) = v.as_object() {
        for (band, pair) in map {
            let parts: Vec<Option<Decimal>> = pair
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| x.as_str().and_then(|s| s.parse().ok()))
                        .collect()
                })
                .unwrap_or_default();
            if let (Ok(b), [Some(sat), Some(sun)]) = (band.parse::<u8>(), parts.as_slice()) {
                out.insert(
                    b,
                    Enhancements {
                        saturday_or_night: *sat,
                        sunday_or_public_holiday: *sun,
                    },
                );
            }
        }
    }
    out
}

fn from_rows(card: rate_card::Model, lines: Vec<rate_card_line::Model>) -> RateCard {
    RateCard {
        id: Some(card.id),
        trust_id: Some(card.trust_id),
        effective_from: card.effective_from,
        rates: lines
            .into_iter()
            .filter_map(|l| l.hourly_rate.parse().ok().map(|r| (l.grade, r)))
            .collect(),
        enhancements: enhancements_from_json(&card.enhancements),
        holiday_uplift: card
            .holiday_uplift
            .parse()
            .unwrap_or(DEFAULT_HOLIDAY_UPLIFT),
    }
}

/// Every stored card of these trusts, with the built-in default, oldest first per trust (two
/// queries whatever the number of trusts).
///
/// # Errors
/// Database errors.
pub async fn cards_of(conn: &impl ConnectionTrait, trust_ids: &[Uuid]) -> Result<Cards> {
    let cards = rate_card::Entity::find()
        .filter(rate_card::Column::TrustId.is_in(trust_ids.iter().copied()))
        .order_by_asc(rate_card::Column::EffectiveFrom)
        .all(conn)
        .await?;
    let lines = rate_card_line::Entity::find()
        .filter(rate_card_line::Column::RateCardId.is_in(cards.iter().map(|c| c.id)))
        .all(conn)
        .await?;
    let mut by_card: HashMap<Uuid, Vec<rate_card_line::Model>> = HashMap::new();
    for l in lines {
        by_card.entry(l.rate_card_id).or_default().push(l);
    }
    let mut by_trust: HashMap<Uuid, Vec<RateCard>> = HashMap::new();
    for c in cards {
        let lines = by_card.remove(&c.id).unwrap_or_default();
        by_trust
            .entry(c.trust_id)
            .or_default()
            .push(from_rows(c, lines));
    }
    Ok(Cards { by_trust })
}

/// Trusts' cards, to find the one in force on a date.
#[derive(Debug, Clone, Default)]
pub struct Cards {
    by_trust: HashMap<Uuid, Vec<RateCard>>,
}

impl Cards {
    /// The card in force at `trust` on `date`: its latest effective on or before the date, else
    /// the built-in default.
    #[must_use]
    pub fn in_force(&self, trust: Uuid, date: NaiveDate) -> RateCard {
        self.by_trust
            .get(&trust)
            .and_then(|cards| cards.iter().rev().find(|c| c.effective_from <= date))
            .cloned()
            .unwrap_or_else(RateCard::default_card)
    }

    /// Every stored card of a trust, oldest first.
    #[must_use]
    pub fn of(&self, trust: Uuid) -> &[RateCard] {
        self.by_trust
            .get(&trust)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// The card in force at a trust on a date.
///
/// # Errors
/// Database errors.
pub async fn in_force(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    date: NaiveDate,
) -> Result<RateCard> {
    Ok(cards_of(conn, &[trust_id]).await?.in_force(trust_id, date))
}

/// Every card a trust has set, for the people of its collaborative bank (a worker compares
/// trusts' rates up front; another bank sees nothing).
///
/// # Errors
/// Not found (the trust; also when the caller is not of its bank).
pub async fn visible_cards_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Cards> {
    let t = staffbank_bank::organisation::visible_trust(conn, actor, trust_id).await?;
    cards_of(conn, &[t.id]).await
}

/// The card in force at a trust on a date, for the people of its collaborative bank.
///
/// # Errors
/// Not found (the trust; also when the caller is not of its bank).
pub async fn visible_in_force(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
    date: NaiveDate,
) -> Result<RateCard> {
    let t = staffbank_bank::organisation::visible_trust(conn, actor, trust_id).await?;
    in_force(conn, t.id, date).await
}

/// A new card.
#[derive(Debug, Clone)]
pub struct NewRateCard {
    /// First day it applies: today or later (the past keeps its rates).
    pub effective_from: NaiveDate,
    /// Hourly rate per grade.
    pub rates: Vec<(String, Decimal)>,
    /// Enhancements per AfC band; bands not given keep the AfC defaults.
    pub enhancements: Vec<(u8, Enhancements)>,
    /// Holiday-pay uplift (default 12.07%).
    pub holiday_uplift: Option<Decimal>,
}

/// A new card checked by every rule `set_card` applies, as the engine would use it (not saved):
/// what `set_card` stores, and what the pay preview prices with.
///
/// # Errors
/// Validation (past date, unknown grades, rates, enhancements, uplift).
pub fn check(today: NaiveDate, input: &NewRateCard) -> Result<RateCard> {
    text::cap_list("rates", "a rate card", &input.rates, limits::LIST)?;
    text::cap_list(
        "enhancements",
        "a list of enhancements",
        &input.enhancements,
        9,
    )?;
    staffbank_core::time::storable_day(input.effective_from, "effectiveFrom")?;
    if input.effective_from < today {
        return Err(validation(
            "a rate card applies from today or a later date; past shifts keep the rates they were worked under",
        ));
    }
    if input.rates.is_empty() {
        return Err(validation("a rate card needs at least one grade's rate"));
    }
    let mut rates = BTreeMap::new();
    for (grade, rate) in &input.rates {
        let g = Grade::parse(grade)?;
        if *rate <= Decimal::ZERO || *rate > Decimal::from(1000) || rate.scale() > 4 {
            return Err(validation(format!(
                "the rate for {g} must be more than £0 and at most £1000 an hour, to at most 4 decimal places"
            )));
        }
        if rates.insert(g.code().to_owned(), *rate).is_some() {
            return Err(validation(format!("{g} is given twice")));
        }
    }
    let mut enhancements = default_enhancements();
    for (band, e) in &input.enhancements {
        let ok = |x: Decimal| x >= Decimal::ZERO && x <= Decimal::from(2);
        if !(1..=9).contains(band) || !ok(e.saturday_or_night) || !ok(e.sunday_or_public_holiday) {
            return Err(validation(
                "enhancements are for bands 1 to 9, each 0 to 2 (0.30 = +30%)",
            ));
        }
        enhancements.insert(*band, *e);
    }
    let uplift = input.holiday_uplift.unwrap_or(DEFAULT_HOLIDAY_UPLIFT);
    if uplift < Decimal::ZERO || uplift > Decimal::new(5, 1) {
        return Err(validation(
            "the holiday uplift must be 0 to 0.5 (0.1207 = 12.07%)",
        ));
    }
    Ok(RateCard {
        id: None,
        trust_id: None,
        effective_from: input.effective_from,
        rates,
        enhancements,
        holiday_uplift: uplift,
    })
}

/// Sets a trust's card from a date (its trust admins). A card not yet in force may be replaced;
/// one in force may not (make a new one from a later date).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation (past date, unknown grades, rates, enhancements, uplift); conflict.
pub async fn set_card(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    input: &NewRateCard,
) -> Result<RateCard> {
    db::write(db, |tx| {
        Box::pin(async move { set_card_in(&tx, clock, actor, trust_id, input).await })
    })
    .await
}

/// The work of [`set_card`], in the caller's transaction.
async fn set_card_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    input: &NewRateCard,
) -> Result<RateCard> {
    // Lists are capped before any database work: a rate per grade, an enhancement per band.
    text::cap_list("rates", "a rate card", &input.rates, limits::LIST)?;
    text::cap_list(
        "enhancements",
        "a list of enhancements",
        &input.enhancements,
        9,
    )?;
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin]).await?;
    let today = london_date(clock.now());
    let checked = check(today, input)?;
    let (rates, enhancements, uplift) =
        (checked.rates, checked.enhancements, checked.holiday_uplift);
    if let Some(existing) = rate_card::Entity::find()
        .filter(rate_card::Column::TrustId.eq(trust_id))
        .filter(rate_card::Column::EffectiveFrom.eq(input.effective_from))
        .one(tx)
        .await?
    {
        if existing.effective_from <= today {
            return Err(conflict(
                "a rate card already in force cannot be changed; make a new one from a later date",
            ));
        }
        rate_card_line::Entity::delete_many()
            .filter(rate_card_line::Column::RateCardId.eq(existing.id))
            .exec(tx)
            .await?;
        existing.delete(tx).await?;
    }
    let card = rate_card::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(trust_id),
        effective_from: Set(input.effective_from),
        holiday_uplift: Set(uplift.to_string()),
        enhancements: Set(enhancements_to_json(&enhancements)),
        created_by: Set(actor.account_id()),
        created_at: Set(clock.now()),
    }
    .insert(tx)
    .await?;
    let mut lines = Vec::new();
    for (grade, rate) in &rates {
        lines.push(
            rate_card_line::ActiveModel {
                id: Set(new_id()),
                rate_card_id: Set(card.id),
                grade: Set(grade.clone()),
                hourly_rate: Set(rate.to_string()),
            }
            .insert(tx)
            .await?,
        );
    }
    Ok(from_rows(card, lines))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn defaults_follow_the_afc_pay_points() {
        let card = RateCard::default_card();
        // 31,049 / 52.143 / 37.5 = 15.8787... -> £15.88
        assert_eq!(card.rate("BAND_5"), Some(dec!(15.88)));
        // 24,465 / 52.143 / 37.5 = 12.5117... -> £12.51
        assert_eq!(card.rate("BAND_2"), Some(dec!(12.51)));
        assert_eq!(card.rate("ST3"), None);
        assert_eq!(
            card.enhancements_for("BAND_2").sunday_or_public_holiday,
            dec!(0.83)
        );
        assert_eq!(
            card.enhancements_for("BAND_8C").saturday_or_night,
            dec!(0.30)
        );
        assert_eq!(card.enhancements_for("ST3"), Enhancements::NONE);
        assert_eq!(DEFAULT_HOLIDAY_UPLIFT, dec!(0.1207));
    }

    #[test]
    fn enhancements_round_trip_through_json() {
        let e = default_enhancements();
        assert_eq!(enhancements_from_json(&enhancements_to_json(&e)), e);
    }
}
