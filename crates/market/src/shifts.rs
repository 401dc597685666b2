//! Reading shifts: one shift, the lists a bank office works from (by trust, ward, London dates and
//! status, cursor-paginated), and a shift's status — derived from its rows and the clock, never
//! stored, so it cannot go stale.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use staffbank_bank::visibility::TRUST_STAFF;
use staffbank_bank::{estate, workers};
use staffbank_core::page::{Page, PageRequest};
use staffbank_core::{Actor, Role};
use uuid::Uuid;

use crate::entity::{shift, shift_grade};
use crate::error::{Error, Result, forbidden, not_found, validation};

/// Where a shift stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShiftStatus {
    /// Posted; no tier of its cascade is open yet.
    Pending,
    /// Offered to bank workers.
    Open,
    /// Its agency tier has opened and it is still not filled.
    Escalated,
    /// Every position is booked.
    Filled,
    /// It started with positions unfilled.
    Unfilled,
    /// Withdrawn by the trust.
    Cancelled,
}

impl ShiftStatus {
    /// Every status.
    pub const ALL: [ShiftStatus; 6] = [
        Self::Pending,
        Self::Open,
        Self::Escalated,
        Self::Filled,
        Self::Unfilled,
        Self::Cancelled,
    ];

    /// As shown in the API.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Open => "OPEN",
            Self::Escalated => "ESCALATED",
            Self::Filled => "FILLED",
            Self::Unfilled => "UNFILLED",
            Self::Cancelled => "CANCELLED",
        }
    }

    /// Whether workers can still book it.
    #[must_use]
    pub fn bookable(self) -> bool {
        matches!(self, Self::Open | Self::Escalated)
    }
}

impl fmt::Display for ShiftStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ShiftStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| validation(format!("unknown shift status '{s}'")))
    }
}

/// The status of `s` at `now`.
#[must_use]
pub fn status(s: &shift::Model, now: DateTime<Utc>) -> ShiftStatus {
    if s.cancelled_at.is_some() {
        ShiftStatus::Cancelled
    } else if s.filled_positions >= s.positions {
        ShiftStatus::Filled
    } else if s.starts_at <= now {
        ShiftStatus::Unfilled
    } else if s.escalates_at.is_some_and(|e| e <= now) {
        ShiftStatus::Escalated
    } else if s.opens_at <= now {
        ShiftStatus::Open
    } else {
        ShiftStatus::Pending
    }
}

/// The same rule as [`status`], as a SQL condition.
#[must_use]
pub fn status_condition(st: ShiftStatus, now: DateTime<Utc>) -> Condition {
    let live = Condition::all()
        .add(shift::Column::CancelledAt.is_null())
        .add(Expr::col(shift::Column::FilledPositions).lt(Expr::col(shift::Column::Positions)));
    match st {
        ShiftStatus::Cancelled => Condition::all().add(shift::Column::CancelledAt.is_not_null()),
        ShiftStatus::Filled => Condition::all()
            .add(shift::Column::CancelledAt.is_null())
            .add(
                Expr::col(shift::Column::FilledPositions).gte(Expr::col(shift::Column::Positions)),
            ),
        ShiftStatus::Unfilled => live.add(shift::Column::StartsAt.lte(now)),
        ShiftStatus::Escalated => live
            .add(shift::Column::StartsAt.gt(now))
            .add(shift::Column::EscalatesAt.lte(now)),
        ShiftStatus::Open => live
            .add(shift::Column::StartsAt.gt(now))
            .add(shift::Column::OpensAt.lte(now))
            .add(
                Condition::any()
                    .add(shift::Column::EscalatesAt.is_null())
                    .add(shift::Column::EscalatesAt.gt(now)),
            ),
        ShiftStatus::Pending => live
            .add(shift::Column::StartsAt.gt(now))
            .add(shift::Column::OpensAt.gt(now)),
    }
}

/// One shift, without checks (for domain functions that check themselves).
///
/// # Errors
/// Not found.
pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<shift::Model> {
    shift::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("shift"))
}

/// One shift, for staff of its trust, admins of its bank, or workers of its bank.
///
/// # Errors
/// Not found (also when the caller may not see it).
pub async fn shift(conn: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> Result<shift::Model> {
    let s = get(conn, id).await?;
    if may_see(conn, actor, &s).await? {
        Ok(s)
    } else {
        Err(not_found("shift"))
    }
}

async fn may_see(conn: &impl ConnectionTrait, actor: &Actor, s: &shift::Model) -> Result<bool> {
    if actor.has_any_trust_role(&TRUST_STAFF, s.trust_id) || actor.is_system_admin(s.system_id) {
        return Ok(true);
    }
    match actor.worker_id() {
        Some(w) => Ok(workers::get(conn, w).await?.system_id == s.system_id),
        None => Ok(false),
    }
}

/// The shifts with these ids (for batched loading; no checks).
///
/// # Errors
/// Database errors.
pub async fn by_ids(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<shift::Model>> {
    Ok(shift::Entity::find()
        .filter(shift::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// The accepted grades of these shifts, the grade asked for first.
///
/// # Errors
/// Database errors.
pub async fn grades_of(
    conn: &impl ConnectionTrait,
    shift_ids: &[Uuid],
) -> Result<Vec<shift_grade::Model>> {
    Ok(shift_grade::Entity::find()
        .filter(shift_grade::Column::ShiftId.is_in(shift_ids.iter().copied()))
        .order_by_asc(shift_grade::Column::ShiftId)
        .order_by_asc(shift_grade::Column::Preference)
        .all(conn)
        .await?)
}

/// Which shifts to list.
#[derive(Debug, Clone, Default)]
pub struct ShiftFilter {
    /// Only this trust's.
    pub trust_id: Option<Uuid>,
    /// Only this ward's.
    pub ward_id: Option<Uuid>,
    /// Starting on or after this London date.
    pub from: Option<NaiveDate>,
    /// Starting on or before this London date.
    pub to: Option<NaiveDate>,
    /// Only in this status.
    pub status: Option<ShiftStatus>,
}

/// Sort key of the lists: start, then id.
pub(crate) fn cursor_key(s: &shift::Model) -> String {
    format!("{}|{}", s.starts_at.timestamp_micros(), s.id)
}

/// Decodes a key made by [`cursor_key`].
pub(crate) fn parse_cursor(page: &PageRequest) -> Result<Option<(DateTime<Utc>, Uuid)>> {
    let Some(key) = page.after_key()? else {
        return Ok(None);
    };
    let bad = || validation("invalid pagination cursor");
    let (micros, id) = key.split_once('|').ok_or_else(bad)?;
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(DateTime::from_timestamp_micros)
        .ok_or_else(bad)?;
    Ok(Some((at, id.parse().map_err(|_| bad())?)))
}

/// The condition "after this cursor" in start-then-id order.
pub(crate) fn after(at: DateTime<Utc>, id: Uuid) -> Condition {
    Condition::any().add(shift::Column::StartsAt.gt(at)).add(
        Condition::all()
            .add(shift::Column::StartsAt.eq(at))
            .add(shift::Column::Id.gt(id)),
    )
}

/// The London-date bounds of a filter as instants.
pub(crate) fn date_condition(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Condition {
    bounds_condition(shift::Column::StartsAt, from, to)
}

/// `column` within the London days `from` to `to` (either open), as every database can compare
/// it: days past those the service stores are no bound, or match nothing.
pub(crate) fn bounds_condition(
    column: impl sea_orm::ColumnTrait,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Condition {
    let Some((lower, upper)) = staffbank_core::time::day_bounds(from, to) else {
        return Condition::all().add(sea_orm::sea_query::Expr::value(false));
    };
    let mut c = Condition::all();
    if let Some(at) = lower {
        c = c.add(column.gte(at));
    }
    if let Some(at) = upper {
        c = c.add(column.lt(at));
    }
    c
}

/// A page of shifts, soonest first: a trust's or ward's for its staff; with neither given, those
/// of every trust where the caller is staff (or of the banks they administer).
///
/// # Errors
/// Forbidden; not found (ward); validation (cursor, dates).
pub async fn list(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    filter: &ShiftFilter,
    page: &PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<shift::Model>> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        return Err(validation("`to` must not be before `from`"));
    }
    let mut q = shift::Entity::find();
    if let Some(ward_id) = filter.ward_id {
        let ward = estate::ward(conn, ward_id).await?;
        if filter.trust_id.is_some_and(|t| t != ward.trust_id) {
            return Err(validation("the ward belongs to another trust"));
        }
        staffbank_bank::access::authorize_at_trust(conn, actor, ward.trust_id, &TRUST_STAFF)
            .await?;
        q = q.filter(shift::Column::WardId.eq(ward_id));
    } else if let Some(trust_id) = filter.trust_id {
        staffbank_bank::access::authorize_at_trust(conn, actor, trust_id, &TRUST_STAFF).await?;
        q = q.filter(shift::Column::TrustId.eq(trust_id));
    } else if !actor.is_service() {
        let trusts = actor.trusts_with(&TRUST_STAFF);
        let systems: Vec<Uuid> = actor
            .grants()
            .iter()
            .filter(|g| g.role == Role::SystemAdmin)
            .filter_map(|g| g.system_id)
            .collect();
        if trusts.is_empty() && systems.is_empty() {
            return Err(forbidden(
                "listing shifts needs a staff role at a trust (workers: use myShiftFeed)",
            ));
        }
        q = q.filter(
            Condition::any()
                .add(shift::Column::TrustId.is_in(trusts))
                .add(shift::Column::SystemId.is_in(systems)),
        );
    }
    q = q.filter(date_condition(filter.from, filter.to));
    if let Some(st) = filter.status {
        q = q.filter(status_condition(st, now));
    }
    if let Some((at, id)) = parse_cursor(page)? {
        q = q.filter(after(at, id));
    }
    let rows = q
        .order_by_asc(shift::Column::StartsAt)
        .order_by_asc(shift::Column::Id)
        .limit(page.first + 1)
        .all(conn)
        .await?;
    Ok(Page::from_rows(rows, page.first, cursor_key))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::date_condition;

    /// Found by the `newtypes` fuzz target: `to` as the last date chrono knows (a client can send
    /// `shifts(to: "+262142-12-31")`) panicked ("`NaiveDate + TimeDelta` overflowed") working out
    /// the day after; the shift and booking lists now take it as no upper bound.
    #[test]
    fn the_last_date_as_to_is_no_upper_bound_not_a_panic() {
        let open = format!("{:?}", date_condition(None, None));
        assert_eq!(
            format!("{:?}", date_condition(None, Some(NaiveDate::MAX))),
            open
        );
        assert_eq!(
            format!(
                "{:?}",
                crate::booking::date_condition(None, Some(NaiveDate::MAX))
            ),
            format!("{:?}", crate::booking::date_condition(None, None))
        );
        let _ = date_condition(Some(NaiveDate::MIN), Some(NaiveDate::MIN));
        // An ordinary `to` still bounds the list.
        let bounded = date_condition(None, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_ne!(format!("{bounded:?}"), open);
    }
}
