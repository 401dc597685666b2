//! How eligible workers are ranked for a shift, best first: someone who has worked this ward
//! before, then someone of the shift's own trust, then someone with fewer hours booked that week,
//! then someone reliable (few short-notice cancellations and no-shows). The score is 0 to 100.
//!
//! The facts behind the score are three aggregate queries per shift, whatever the number of
//! workers, so every candidate can be scored before any of them is judged in full.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use staffbank_bank::entity::worker;
use staffbank_core::time::start_of_london_day;
use uuid::Uuid;

use crate::booking_history;
use crate::eligibility::ShiftView;
use crate::entity::booking;
use crate::error::Result;
use crate::working_time::{WEEKLY_LIMIT_MINUTES, week_of};

/// Points for each criterion; they add up to 100.
const WORKED_WARD: f64 = 40.0;
const SAME_TRUST: f64 = 25.0;
const FEWER_HOURS: f64 = 20.0;
const RELIABLE: f64 = 15.0;

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
    /// Loads the facts for a shift (three queries).
    ///
    /// # Errors
    /// Database errors.
    pub async fn load(
        conn: &impl ConnectionTrait,
        view: &ShiftView,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let s = &view.shift;
        let monday = week_of(s.starts_at);
        let since = now - Duration::days(i64::from(view.policy.strike_window_days));
        let (worked_ward, week, strikes) = futures::try_join!(
            async {
                let rows: Vec<Uuid> = booking::Entity::find()
                    .select_only()
                    .column(booking::Column::WorkerId)
                    .distinct()
                    .filter(booking::Column::WardId.eq(s.ward_id))
                    .filter(booking::Column::Active.eq(true))
                    .filter(booking::Column::EndsAt.lte(now))
                    .into_tuple()
                    .all(conn)
                    .await?;
                Ok::<_, crate::Error>(rows)
            },
            async {
                let rows: Vec<(Uuid, i64)> = booking::Entity::find()
                    .select_only()
                    .column(booking::Column::WorkerId)
                    .expr(Func::sum(Expr::col(booking::Column::WorkedMinutes)))
                    .filter(booking::Column::Active.eq(true))
                    .filter(booking::Column::StartsAt.gte(start_of_london_day(monday)))
                    .filter(
                        booking::Column::StartsAt
                            .lt(start_of_london_day(monday + Duration::days(7))),
                    )
                    .group_by(booking::Column::WorkerId)
                    .into_tuple()
                    .all(conn)
                    .await?;
                Ok(rows)
            },
            booking_history::strikes_since(conn, None, None, since),
        )?;
        Ok(Self {
            worked_ward: worked_ward.into_iter().collect(),
            week_minutes: week.into_iter().collect(),
            strikes,
            trust_id: s.trust_id,
            strike_limit: view.policy.strike_limit,
        })
    }

    /// A worker's score, 0 to 100.
    #[must_use]
    pub fn score(&self, w: &worker::Model) -> i32 {
        self.score_of(w.id, w.home_trust_id)
    }

    /// The score of the worker `worker_id` whose home trust is `home_trust_id`.
    #[must_use]
    pub fn score_of(&self, worker_id: Uuid, home_trust_id: Uuid) -> i32 {
        let mut score = 0.0;
        if self.worked_ward.contains(&worker_id) {
            score += WORKED_WARD;
        }
        if home_trust_id == self.trust_id {
            score += SAME_TRUST;
        }
        let limit = WEEKLY_LIMIT_MINUTES as f64;
        let booked = self.week_minutes.get(&worker_id).copied().unwrap_or(0) as f64;
        score += FEWER_HOURS * (limit - booked.min(limit)) / limit;
        let strikes = self.strikes.get(&worker_id).copied().unwrap_or(0) as f64;
        score += if self.strike_limit > 0 {
            let limit = f64::from(self.strike_limit);
            RELIABLE * (limit - strikes.min(limit)) / limit
        } else {
            RELIABLE / (1.0 + strikes)
        };
        score.round() as i32
    }
}
