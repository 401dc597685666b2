//! How eligible workers are ranked for a shift, best first: someone who has worked this ward
//! before, then someone of the shift's own trust, then someone with fewer hours booked that week,
//! then someone reliable (few short-notice cancellations and no-shows). The score is 0 to 100.
//!
//! The score is whole milli-points added up and rounded once, in integer arithmetic, so that the
//! database can compute exactly the same number: [`best_first`] ranks a shift's candidates in one
//! query and only a page's worth of rows leaves the database. [`RankingFacts`] scores workers
//! already in hand (for the list that includes the ineligible) from three aggregate queries per
//! shift, whatever the number of workers.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Condition, Expr, Func, JoinType, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
};
use staffbank_bank::entity::worker;
use staffbank_core::time::start_of_london_day;
use uuid::Uuid;

use crate::booking_history;
use crate::eligibility::ShiftView;
use crate::entity::{booking, booking_event};
use crate::error::Result;
use crate::working_time::{WEEKLY_LIMIT_MINUTES, week_of};

/// Milli-points for each criterion; they add up to 100 points.
const WORKED_WARD: i64 = 40_000;
const SAME_TRUST: i64 = 25_000;
const FEWER_HOURS: i64 = 20_000;
const RELIABLE: i64 = 15_000;

/// One criterion of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Has worked the shift's ward before.
    WorkedWard,
    /// Registered by the shift's own trust.
    SameTrust,
    /// Fewer hours booked in the shift's week (full marks at none, none at 48 hours).
    FewerHours,
    /// Few short-notice cancellations and no-shows in the trust's strike window.
    Reliability,
}

impl Criterion {
    /// Every criterion, in the order the score weighs them (heaviest first).
    pub const ALL: [Self; 4] = [
        Self::WorkedWard,
        Self::SameTrust,
        Self::FewerHours,
        Self::Reliability,
    ];

    /// The most milli-points it gives.
    #[must_use]
    pub fn most_milli(self) -> i64 {
        match self {
            Self::WorkedWard => WORKED_WARD,
            Self::SameTrust => SAME_TRUST,
            Self::FewerHours => FEWER_HOURS,
            Self::Reliability => RELIABLE,
        }
    }
}

/// What one worker's score for one shift is made of: the facts, and the milli-points each
/// criterion gives for them. The score is their sum, rounded once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreParts {
    /// Has worked the shift's ward before.
    pub worked_ward: bool,
    /// Of the shift's trust.
    pub same_trust: bool,
    /// Minutes booked in the shift's London week.
    pub week_minutes: i64,
    /// Strikes in the trust's strike window (at any trust).
    pub strikes: i64,
    /// The strikes that stop self-booking at the trust (0: no limit).
    pub strike_limit: i32,
}

impl ScoreParts {
    /// The milli-points `criterion` gives for these facts.
    #[must_use]
    pub fn milli(&self, criterion: Criterion) -> i64 {
        match criterion {
            Criterion::WorkedWard => {
                if self.worked_ward {
                    WORKED_WARD
                } else {
                    0
                }
            }
            Criterion::SameTrust => {
                if self.same_trust {
                    SAME_TRUST
                } else {
                    0
                }
            }
            Criterion::FewerHours => {
                let booked = self.week_minutes.clamp(0, WEEKLY_LIMIT_MINUTES);
                FEWER_HOURS * (WEEKLY_LIMIT_MINUTES - booked) / WEEKLY_LIMIT_MINUTES
            }
            Criterion::Reliability => {
                let strikes = self.strikes.max(0);
                if self.strike_limit > 0 {
                    let limit = i64::from(self.strike_limit);
                    RELIABLE * (limit - strikes.min(limit)) / limit
                } else {
                    RELIABLE / (1 + strikes)
                }
            }
        }
    }

    /// The score, 0 to 100: the criteria's milli-points added up and rounded once.
    #[must_use]
    pub fn score(&self) -> i32 {
        let milli: i64 = Criterion::ALL.iter().map(|c| self.milli(*c)).sum();
        i32::try_from((milli + 500) / 1000).unwrap_or(i32::MAX)
    }
}

/// The score, 0 to 100, of a worker who has (or has not) worked the ward before and is (or is not)
/// of the shift's trust, with `week_minutes` booked in the shift's week and `strikes` in the
/// trust's strike window, where `strike_limit` strikes stop self-booking (0: no limit). The SQL of
/// [`best_first`] computes the same.
#[must_use]
pub fn points(
    worked_ward: bool,
    same_trust: bool,
    week_minutes: i64,
    strikes: i64,
    strike_limit: i32,
) -> i32 {
    ScoreParts {
        worked_ward,
        same_trust,
        week_minutes,
        strikes,
        strike_limit,
    }
    .score()
}

/// The three aggregate queries the score of a shift's candidates is computed from, one row per
/// worker each: who has worked the ward before (`worker_id`), minutes booked in the shift's London
/// week (`worker_id`, `minutes`), and strikes in the trust's strike window, at any trust
/// (`worker_id`, `strikes`).
struct FactQueries {
    worked_ward: Select<booking::Entity>,
    week: Select<booking::Entity>,
    strikes: Select<booking_event::Entity>,
}

impl FactQueries {
    /// The queries for everyone, or only for the workers `only` names.
    fn of(view: &ShiftView, now: DateTime<Utc>, only: Option<&[Uuid]>) -> Self {
        let s = &view.shift;
        let of_workers = |q: Select<booking::Entity>| match only {
            Some(ids) => q.filter(booking::Column::WorkerId.is_in(ids.iter().copied())),
            None => q,
        };
        let monday = week_of(s.starts_at);
        let since = now - Duration::days(i64::from(view.policy.strike_window_days));
        Self {
            // Grouped rather than DISTINCT: SQLite then indexes the result to join it.
            worked_ward: of_workers(booking::Entity::find())
                .select_only()
                .column(booking::Column::WorkerId)
                .filter(booking::Column::WardId.eq(s.ward_id))
                .filter(booking::Column::Active.eq(true))
                .filter(booking::Column::EndsAt.lte(now))
                .group_by(booking::Column::WorkerId),
            week: of_workers(booking::Entity::find())
                .select_only()
                .column(booking::Column::WorkerId)
                .expr_as(
                    Func::sum(Expr::col(booking::Column::WorkedMinutes)),
                    "minutes",
                )
                .filter(booking::Column::Active.eq(true))
                .filter(booking::Column::StartsAt.gte(start_of_london_day(monday)))
                .filter(
                    booking::Column::StartsAt.lt(start_of_london_day(monday + Duration::days(7))),
                )
                .group_by(booking::Column::WorkerId),
            strikes: booking_history::strikes_query(None, only, since),
        }
    }
}

/// The workers `candidates` selects (a query over workers), best first — higher score, then id —
/// after `after` (a score and an id), at most `limit` of them, with their scores. The database
/// scores them by the rule of [`points`], so the candidates are ranked in one query and only those
/// asked for are read.
///
/// # Errors
/// Database errors.
pub async fn best_first(
    conn: &impl ConnectionTrait,
    view: &ShiftView,
    now: DateTime<Utc>,
    candidates: Select<worker::Entity>,
    after: Option<(i32, Uuid)>,
    limit: u64,
) -> Result<Vec<(Uuid, i32)>> {
    let q = FactQueries::of(view, now, None);
    use sea_orm::sea_query::ExprTrait;
    let worker_id = |alias: &'static str| Expr::col((alias, booking::Column::WorkerId));
    let mut scored = candidates
        .select_only()
        .column(worker::Column::Id)
        .into_query();
    for (alias, sub) in [
        ("worked_ward", q.worked_ward.into_query()),
        ("week", q.week.into_query()),
        ("strikes", q.strikes.into_query()),
    ] {
        scored.join_subquery(
            JoinType::LeftJoin,
            sub,
            alias,
            worker_id(alias).equals((worker::Entity, worker::Column::Id)),
        );
    }
    scored.expr_as(score_sql(view), "score");
    let mut ranked = Query::select();
    ranked
        .columns([("ranked", "id"), ("ranked", "score")])
        .from_subquery(scored, "ranked");
    if let Some((score, id)) = after {
        ranked.cond_where(
            Condition::any()
                .add(Expr::col(("ranked", "score")).lt(i64::from(score)))
                .add(
                    Condition::all()
                        .add(Expr::col(("ranked", "score")).eq(i64::from(score)))
                        .add(Expr::col(("ranked", "id")).gt(id)),
                ),
        );
    }
    ranked
        .order_by(("ranked", "score"), Order::Desc)
        .order_by(("ranked", "id"), Order::Asc)
        .limit(limit);
    conn.query_all(&ranked)
        .await?
        .iter()
        .map(|row| {
            let id: Uuid = row.try_get("", "id")?;
            let score: i64 = row.try_get("", "score")?;
            Ok((id, i32::try_from(score).unwrap_or(i32::MAX)))
        })
        .collect()
}

/// [`points`] in SQL, over the columns [`best_first`] joins.
fn score_sql(view: &ShiftView) -> Expr {
    use sea_orm::sea_query::ExprTrait;
    let limit = WEEKLY_LIMIT_MINUTES;
    let capped =
        |e: Expr, cap: i64| -> Expr { Expr::case(e.clone().gt(cap), cap).finally(e).into() };
    let or_zero = |alias: &'static str, column: &'static str| -> Expr {
        Func::coalesce([Expr::col((alias, column)), Expr::val(0i64)]).into()
    };
    let worked: Expr = Expr::case(
        Expr::col(("worked_ward", booking::Column::WorkerId)).is_null(),
        0i64,
    )
    .finally(WORKED_WARD)
    .into();
    let same_trust: Expr = Expr::case(
        Expr::col((worker::Entity, worker::Column::HomeTrustId)).eq(view.shift.trust_id),
        SAME_TRUST,
    )
    .finally(0i64)
    .into();
    let booked = capped(or_zero("week", "minutes"), limit);
    let fewer = Expr::val(FEWER_HOURS)
        .mul(Expr::val(limit).sub(booked))
        .div(limit);
    let strikes = or_zero("strikes", "strikes");
    let reliable = if view.policy.strike_limit > 0 {
        let cap = i64::from(view.policy.strike_limit);
        Expr::val(RELIABLE)
            .mul(Expr::val(cap).sub(capped(strikes, cap)))
            .div(cap)
    } else {
        Expr::val(RELIABLE).div(Expr::val(1i64).add(strikes))
    };
    worked
        .add(same_trust)
        .add(fewer)
        .add(reliable)
        .add(500i64)
        .div(1000i64)
}

/// What the score of one shift's candidates is computed from.
#[derive(Debug, Clone, Default)]
pub struct RankingFacts {
    /// Workers who have worked the shift's ward before.
    pub worked_ward: HashSet<Uuid>,
    /// Minutes booked in the London week of the shift, per worker.
    pub week_minutes: HashMap<Uuid, i64>,
    /// Strikes within the trust's strike window, per worker (at any trust).
    pub strikes: HashMap<Uuid, i64>,
    trust_id: Uuid,
    strike_limit: i32,
}

impl RankingFacts {
    /// Loads the facts for a shift (three queries, at once on a pool).
    ///
    /// # Errors
    /// Database errors.
    pub async fn load(
        conn: &impl ConnectionTrait,
        view: &ShiftView,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        Self::load_of(conn, view, now, None).await
    }

    /// Loads the facts for a shift about the workers `ids` only (for a page of them).
    ///
    /// # Errors
    /// Database errors.
    pub async fn load_for(
        conn: &impl ConnectionTrait,
        view: &ShiftView,
        now: DateTime<Utc>,
        ids: &[Uuid],
    ) -> Result<Self> {
        Self::load_of(conn, view, now, Some(ids)).await
    }

    async fn load_of(
        conn: &impl ConnectionTrait,
        view: &ShiftView,
        now: DateTime<Utc>,
        only: Option<&[Uuid]>,
    ) -> Result<Self> {
        let q = FactQueries::of(view, now, only);
        let (worked_ward, week, strikes) = futures::try_join!(
            async {
                let rows: Vec<Uuid> = q.worked_ward.into_tuple().all(conn).await?;
                Ok::<_, crate::Error>(rows)
            },
            async {
                let rows: Vec<(Uuid, i64)> = q.week.into_tuple().all(conn).await?;
                Ok(rows)
            },
            async {
                let rows: Vec<(Uuid, i64)> = q.strikes.into_tuple().all(conn).await?;
                Ok(rows)
            },
        )?;
        Ok(Self {
            worked_ward: worked_ward.into_iter().collect(),
            week_minutes: week.into_iter().collect(),
            strikes: strikes.into_iter().collect(),
            trust_id: view.shift.trust_id,
            strike_limit: view.policy.strike_limit,
        })
    }

    /// The score of the worker `worker_id` whose home trust is `home_trust_id`.
    #[must_use]
    pub fn score_of(&self, worker_id: Uuid, home_trust_id: Uuid) -> i32 {
        self.parts_of(worker_id, home_trust_id).score()
    }

    /// What the score of the worker `worker_id` whose home trust is `home_trust_id` is made of.
    #[must_use]
    pub fn parts_of(&self, worker_id: Uuid, home_trust_id: Uuid) -> ScoreParts {
        ScoreParts {
            worked_ward: self.worked_ward.contains(&worker_id),
            same_trust: home_trust_id == self.trust_id,
            week_minutes: self.week_minutes.get(&worker_id).copied().unwrap_or(0),
            strikes: self.strikes.get(&worker_id).copied().unwrap_or(0),
            strike_limit: self.strike_limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Criterion, ScoreParts};

    #[test]
    fn the_parts_add_up_to_the_score() {
        let p = ScoreParts {
            worked_ward: true,
            same_trust: false,
            week_minutes: 16 * 60,
            strikes: 1,
            strike_limit: 3,
        };
        let parts: Vec<i64> = Criterion::ALL.iter().map(|c| p.milli(*c)).collect();
        assert_eq!(parts, vec![40_000, 0, 13_333, 10_000]);
        assert_eq!(p.score(), 63);
        assert_eq!(super::points(true, false, 16 * 60, 1, 3), 63);
    }

    #[test]
    fn nobody_scores_past_a_criterion_s_most() {
        let busy = ScoreParts {
            week_minutes: 90 * 60,
            strikes: 9,
            strike_limit: 3,
            ..ScoreParts::default()
        };
        assert_eq!(busy.milli(Criterion::FewerHours), 0);
        assert_eq!(busy.milli(Criterion::Reliability), 0);
        let fresh = ScoreParts::default();
        for c in Criterion::ALL {
            assert!(fresh.milli(c) <= c.most_milli());
        }
        assert_eq!(fresh.score(), 35);
    }
}
