//! The bank office's board: a trust's shifts over the coming days as a grid of London days ×
//! wards, each cell counting its shifts by where they stand (open, partly filled, filled,
//! escalated to agency, cancelled) and saying which tier of the release cascade is open now and
//! when the next opens. Computed in three queries whatever the size of the grid (the wards, the
//! shifts, their tiers), from the rows and the clock — never stored, so never stale.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::entity::{site, ward};
use staffbank_bank::estate;
use staffbank_core::time::{london_date, start_of_london_day};
use staffbank_core::{Actor, Role, StaffGroup};
use uuid::Uuid;

use crate::entity::{shift, shift_tier};
use crate::error::{Result, validation};
use crate::release_cascade::Audience;

/// Days on a board unless asked otherwise.
pub const DEFAULT_DAYS: u32 = 14;
/// The most days one board shows.
pub const MAX_DAYS: u32 = 31;

/// Which board to draw.
#[derive(Debug, Clone, Default)]
pub struct BoardQuery {
    /// The trust.
    pub trust_id: Uuid,
    /// The first London day (today when not given).
    pub from: Option<NaiveDate>,
    /// How many days ([`DEFAULT_DAYS`] when not given; 1 to [`MAX_DAYS`]).
    pub days: Option<u32>,
    /// Only this site's wards.
    pub site_id: Option<Uuid>,
    /// Only this ward.
    pub ward_id: Option<Uuid>,
    /// Only shifts for this staff group.
    pub staff_group: Option<StaffGroup>,
}

/// Where one shift stands on the board. Each shift counts once, in the first that applies:
/// cancelled, filled, escalated, partly filled, open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Withdrawn by the trust.
    Cancelled,
    /// Every position booked.
    Filled,
    /// Not filled, and its agency tier has opened.
    Escalated,
    /// Some positions booked, some not.
    PartlyFilled,
    /// Nobody booked yet (whether or not its first tier has opened, or it has started unfilled).
    Open,
}

/// Where `s` stands at `now`.
#[must_use]
pub fn standing(s: &ShiftFacts, now: DateTime<Utc>) -> Standing {
    if s.cancelled {
        Standing::Cancelled
    } else if s.filled_positions >= s.positions {
        Standing::Filled
    } else if s.starts_at > now && s.escalates_at.is_some_and(|e| e <= now) {
        Standing::Escalated
    } else if s.filled_positions > 0 {
        Standing::PartlyFilled
    } else {
        Standing::Open
    }
}

/// What the board reads of a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftFacts {
    /// Id.
    pub id: Uuid,
    /// Ward.
    pub ward_id: Uuid,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// Workers needed.
    pub positions: i32,
    /// Positions booked.
    pub filled_positions: i32,
    /// When the agency tier opens.
    pub escalates_at: Option<DateTime<Utc>>,
    /// Withdrawn.
    pub cancelled: bool,
}

/// A cell's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Nobody booked yet.
    pub open: u32,
    /// Some positions booked.
    pub partly_filled: u32,
    /// Every position booked.
    pub filled: u32,
    /// Escalated to agency, not filled.
    pub escalated: u32,
    /// Withdrawn.
    pub cancelled: u32,
}

impl Counts {
    /// Every shift of the cell.
    #[must_use]
    pub fn total(&self) -> u32 {
        self.open + self.partly_filled + self.filled + self.escalated + self.cancelled
    }

    fn add(&mut self, st: Standing) {
        let n = match st {
            Standing::Open => &mut self.open,
            Standing::PartlyFilled => &mut self.partly_filled,
            Standing::Filled => &mut self.filled,
            Standing::Escalated => &mut self.escalated,
            Standing::Cancelled => &mut self.cancelled,
        };
        *n += 1;
    }
}

/// One day of one ward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The London day.
    pub day: NaiveDate,
    /// The ward.
    pub ward_id: Uuid,
    /// Its shifts by where they stand.
    pub counts: Counts,
    /// Of its shifts still looking for workers (not cancelled, filled or started), the tier open
    /// now of the one whose cascade has gone least far — who can book every one of them. None
    /// when none is looking, or the first tier of one has not opened.
    pub open_tier: Option<Audience>,
    /// The soonest tier still to open among those shifts, and when.
    pub next_tier: Option<(Audience, DateTime<Utc>)>,
}

/// A ward on the board.
#[derive(Debug, Clone)]
pub struct BoardWard {
    /// The ward.
    pub ward: ward::Model,
    /// Its site.
    pub site: site::Model,
}

/// The board.
#[derive(Debug, Clone)]
pub struct Board {
    /// Its days, in order.
    pub days: Vec<NaiveDate>,
    /// Its wards, by site then name.
    pub wards: Vec<BoardWard>,
    /// Every day × ward, by day then in the order of `wards`.
    pub cells: Vec<Cell>,
}

/// A trust's board, for its bank office.
///
/// # Errors
/// Not found (the trust, or one of another bank; a site or ward that is not the trust's);
/// forbidden; validation (days out of range, a ward not at the site).
pub async fn board(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    query: &BoardQuery,
    now: DateTime<Utc>,
) -> Result<Board> {
    let trust = authorize_at_trust(conn, actor, query.trust_id, &[Role::BankOffice]).await?;
    let days_wanted = query.days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days_wanted) {
        return Err(validation(format!(
            "a board shows 1 to {MAX_DAYS} days, not {days_wanted}"
        )));
    }
    let from = query.from.unwrap_or_else(|| london_date(now));
    let days: Vec<NaiveDate> = from
        .iter_days()
        .take(usize::try_from(days_wanted).unwrap_or(usize::MAX))
        .collect();
    let last = *days.last().unwrap_or(&from);
    let end = last
        .succ_opt()
        .map_or(DateTime::<Utc>::MAX_UTC, start_of_london_day);
    let wards = wards(conn, trust.id, query).await?;
    let ward_ids: Vec<Uuid> = wards.iter().map(|w| w.ward.id).collect();

    let mut shifts_of = Condition::all()
        .add(shift::Column::TrustId.eq(trust.id))
        .add(shift::Column::StartsAt.gte(start_of_london_day(from)))
        .add(shift::Column::StartsAt.lt(end));
    if query.site_id.is_some() || query.ward_id.is_some() {
        shifts_of = shifts_of.add(shift::Column::WardId.is_in(ward_ids.iter().copied()));
    }
    if let Some(g) = query.staff_group {
        shifts_of = shifts_of.add(shift::Column::StaffGroup.eq(g));
    }
    let shifts = facts(conn, shifts_of.clone()).await?;
    // Only the tiers of shifts still looking for workers matter.
    let looking = shifts_of
        .add(shift::Column::CancelledAt.is_null())
        .add(Expr::col(shift::Column::FilledPositions).lt(Expr::col(shift::Column::Positions)))
        .add(shift::Column::StartsAt.gt(now));
    let tiers = tiers_of(conn, looking).await?;

    let mut cells: HashMap<(NaiveDate, Uuid), Cell> = HashMap::new();
    for s in &shifts {
        let day = london_date(s.starts_at);
        let cell = cells.entry((day, s.ward_id)).or_insert_with(|| Cell {
            day,
            ward_id: s.ward_id,
            counts: Counts::default(),
            open_tier: None,
            next_tier: None,
        });
        cell.counts.add(standing(s, now));
        let Some(cascade) = tiers.get(&s.id) else {
            continue;
        };
        let open = cascade.iter().rev().find(|(_, at)| *at <= now).map(|t| t.0);
        let next = cascade.iter().find(|(_, at)| *at > now).copied();
        // The cell's tier is the narrowest any looking shift is at; "none open yet" is narrowest.
        let first_looking = cell.open_tier.is_none() && cell.next_tier.is_none();
        cell.open_tier = match (first_looking, cell.open_tier, open) {
            (true, _, o) => o,
            (false, Some(a), Some(b)) => Some(std::cmp::min(a, b)),
            _ => None,
        };
        if let Some(n) = next
            && cell.next_tier.is_none_or(|c| n.1 < c.1)
        {
            cell.next_tier = Some(n);
        }
    }
    let mut grid = Vec::with_capacity(days.len() * wards.len());
    for day in &days {
        for w in &wards {
            grid.push(cells.remove(&(*day, w.ward.id)).unwrap_or(Cell {
                day: *day,
                ward_id: w.ward.id,
                counts: Counts::default(),
                open_tier: None,
                next_tier: None,
            }));
        }
    }
    Ok(Board {
        days,
        wards,
        cells: grid,
    })
}

/// The trust's wards the filters keep, by site name then ward name.
async fn wards(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    query: &BoardQuery,
) -> Result<Vec<BoardWard>> {
    let sites: HashMap<Uuid, site::Model> = estate::sites_of(conn, trust_id)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    if let Some(site_id) = query.site_id
        && !sites.contains_key(&site_id)
    {
        return Err(crate::error::not_found("site"));
    }
    let all = estate::wards_of(conn, trust_id).await?;
    if let Some(ward_id) = query.ward_id {
        let Some(w) = all.iter().find(|w| w.id == ward_id) else {
            return Err(crate::error::not_found("ward"));
        };
        if query.site_id.is_some_and(|s| s != w.site_id) {
            return Err(validation("the ward is not at that site"));
        }
    }
    let mut wards: Vec<BoardWard> = all
        .into_iter()
        .filter(|w| query.ward_id.is_none_or(|id| id == w.id))
        .filter(|w| query.site_id.is_none_or(|id| id == w.site_id))
        .filter_map(|w| {
            let site = sites.get(&w.site_id)?.clone();
            Some(BoardWard { ward: w, site })
        })
        .collect();
    wards.sort_by(|a, b| {
        (a.site.name.as_str(), a.ward.name.as_str())
            .cmp(&(b.site.name.as_str(), b.ward.name.as_str()))
    });
    Ok(wards)
}

type FactsRow = (
    Uuid,
    Uuid,
    DateTime<Utc>,
    i32,
    i32,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

async fn facts(conn: &impl ConnectionTrait, condition: Condition) -> Result<Vec<ShiftFacts>> {
    let rows: Vec<FactsRow> = shift::Entity::find()
        .select_only()
        .column(shift::Column::Id)
        .column(shift::Column::WardId)
        .column(shift::Column::StartsAt)
        .column(shift::Column::Positions)
        .column(shift::Column::FilledPositions)
        .column(shift::Column::EscalatesAt)
        .column(shift::Column::CancelledAt)
        .filter(condition)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, ward_id, starts_at, positions, filled_positions, escalates_at, cancelled_at)| {
                ShiftFacts {
                    id,
                    ward_id,
                    starts_at,
                    positions,
                    filled_positions,
                    escalates_at,
                    cancelled: cancelled_at.is_some(),
                }
            },
        )
        .collect())
}

/// The cascades (audience, opening) of the shifts matching `condition`, each in order.
async fn tiers_of(
    conn: &impl ConnectionTrait,
    condition: Condition,
) -> Result<HashMap<Uuid, Vec<(Audience, DateTime<Utc>)>>> {
    let ids = shift::Entity::find()
        .select_only()
        .column(shift::Column::Id)
        .filter(condition)
        .into_query();
    let rows: Vec<(Uuid, Audience, DateTime<Utc>)> = shift_tier::Entity::find()
        .select_only()
        .column(shift_tier::Column::ShiftId)
        .column(shift_tier::Column::Audience)
        .column(shift_tier::Column::OpensAt)
        .filter(shift_tier::Column::ShiftId.in_subquery(ids))
        .order_by_asc(shift_tier::Column::ShiftId)
        .order_by_asc(shift_tier::Column::Position)
        .into_tuple()
        .all(conn)
        .await?;
    let mut out: HashMap<Uuid, Vec<(Audience, DateTime<Utc>)>> = HashMap::new();
    for (shift_id, audience, opens_at) in rows {
        out.entry(shift_id).or_default().push((audience, opens_at));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn at(h: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::hours(h)
    }

    fn facts(positions: i32, filled: i32, escalates: Option<i64>, cancelled: bool) -> ShiftFacts {
        ShiftFacts {
            id: Uuid::nil(),
            ward_id: Uuid::nil(),
            starts_at: at(100),
            positions,
            filled_positions: filled,
            escalates_at: escalates.map(at),
            cancelled,
        }
    }

    #[test]
    fn each_shift_counts_once_in_the_first_standing_that_applies() {
        let now = at(50);
        assert_eq!(standing(&facts(2, 0, None, false), now), Standing::Open);
        assert_eq!(
            standing(&facts(2, 1, None, false), now),
            Standing::PartlyFilled
        );
        assert_eq!(
            standing(&facts(2, 2, Some(10), false), now),
            Standing::Filled
        );
        assert_eq!(
            standing(&facts(2, 1, Some(10), false), now),
            Standing::Escalated
        );
        assert_eq!(standing(&facts(2, 0, Some(60), false), now), Standing::Open);
        assert_eq!(standing(&facts(2, 2, None, true), now), Standing::Cancelled);
    }
}
