//! Telling workers when a tier of a shift's cascade opens. Tiers open by the clock alone; a sweep
//! run every minute by the server (so a tier that opens at posting is announced within a minute)
//! finds tiers that have opened and not been announced, claims each one, and tells the workers it newly reaches — those no earlier tier
//! reached — who are eligible for the shift. Each tier is claimed with a conditional update inside
//! the transaction that writes the messages, so several replicas never announce one tier twice.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use staffbank_bank::entity::worker;
use staffbank_core::{Clock, db, jobs};
use uuid::Uuid;

use crate::eligibility::{self, Mode, ShiftView};
use crate::entity::shift_tier;
use crate::error::Result;
use crate::market_mail;
use crate::release_cascade::{self, Audience, Reach};
use crate::shift_changes::{self, Change};
use crate::shifts;

/// Tiers announced per sweep (the rest wait for the next).
const PER_SWEEP: u64 = 200;
/// Workers judged per batch.
const BATCH: usize = 500;

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Tiers announced.
    pub tiers: usize,
    /// Workers told.
    pub workers_told: usize,
    /// Tiers that could not be announced (logged and counted; the others went on).
    pub failed: usize,
}

/// The job's name in logs and metrics.
pub const JOB: &str = "tier_announcements";

/// Announces every tier that has opened and not been announced yet (up to a limit per sweep),
/// tier by tier: one that fails is logged and counted ([`jobs::row_failed`]), stays unannounced
/// (its claim rolled back, so the next sweep tries it again), and the sweep goes on.
///
/// # Errors
/// Database errors finding the tiers due.
pub async fn announce_due(db: &DatabaseConnection, clock: &dyn Clock) -> Result<Sweep> {
    let now = clock.now();
    let due: Vec<Uuid> = shift_tier::Entity::find()
        .select_only()
        .column(shift_tier::Column::Id)
        .filter(shift_tier::Column::AnnouncedAt.is_null())
        .filter(shift_tier::Column::OpensAt.lte(now))
        .order_by_asc(shift_tier::Column::OpensAt)
        .limit(PER_SWEEP)
        .into_tuple()
        .all(db)
        .await?;
    let mut sweep = Sweep::default();
    for tier_id in due {
        let told = db::write(db, |tx| {
            Box::pin(async move { announce_tier(&*tx, clock, tier_id).await })
        })
        .await;
        match told {
            Ok(Some(told)) => {
                sweep.tiers += 1;
                sweep.workers_told += told.len();
            }
            Ok(None) => {}
            Err(e) => {
                jobs::row_failed(JOB, tier_id, &e);
                sweep.failed += 1;
            }
        }
    }
    Ok(sweep)
}

/// Claims and announces one tier; `None` when another sweep claimed it first. Returns the workers
/// told.
async fn announce_tier(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    tier_id: Uuid,
) -> Result<Option<Vec<Uuid>>> {
    let now = clock.now();
    let claimed = shift_tier::Entity::update_many()
        .col_expr(shift_tier::Column::AnnouncedAt, Expr::value(now))
        .filter(shift_tier::Column::Id.eq(tier_id))
        .filter(shift_tier::Column::AnnouncedAt.is_null())
        .exec(conn)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(None);
    }
    let Some(tier) = shift_tier::Entity::find_by_id(tier_id).one(conn).await? else {
        return Ok(None);
    };
    let s = shifts::get(conn, tier.shift_id).await?;
    let change = if tier.audience == Audience::Agency {
        Change::Escalated
    } else {
        Change::TierOpened
    };
    if shifts::status(&s, now).bookable() || change == Change::Escalated {
        shift_changes::announce_shift(conn, &s, change).await?;
    }
    if !shifts::status(&s, now).bookable() {
        return Ok(Some(Vec::new()));
    }
    let Some(view) = eligibility::views(conn, vec![s]).await?.pop() else {
        return Ok(Some(Vec::new()));
    };
    let reached = newly_reached(conn, &view, &tier, now).await?;
    if !reached.is_empty() {
        let words = market_mail::ShiftWords::of(conn, &view.shift).await?;
        for w in &reached {
            market_mail::shift_offered(conn, clock, w, &words, tier.id).await?;
        }
    }
    Ok(Some(reached.into_iter().map(|w| w.id).collect()))
}

/// The eligible workers this tier reaches that no earlier tier of the cascade reached.
async fn newly_reached(
    conn: &impl ConnectionTrait,
    view: &ShiftView,
    tier: &shift_tier::Model,
    now: DateTime<Utc>,
) -> Result<Vec<worker::Model>> {
    // A tier whose audience cannot be read is a broken row: it fails to load (logged and counted
    // by the sweep, left unannounced) rather than being marked announced to no one.
    let audience = tier.audience;
    if audience == Audience::Agency {
        return Ok(Vec::new());
    }
    let s = &view.shift;
    let pool = worker::Entity::find()
        .filter(worker::Column::SystemId.eq(s.system_id))
        .filter(worker::Column::StaffGroup.eq(s.staff_group))
        .filter(worker::Column::Grade.is_in(view.grades.iter().cloned()))
        .all(conn)
        .await?;
    let preferred = eligibility::preferred_of_ward(conn, s.ward_id).await?;
    let ids: Vec<Uuid> = pool.iter().map(|w| w.id).collect();
    let standings = eligibility::standings_at(conn, s.trust_id, &ids).await?;
    let earlier: Vec<&shift_tier::Model> = view
        .tiers
        .iter()
        .filter(|t| t.position < tier.position)
        .collect();
    let fresh: Vec<worker::Model> = pool
        .into_iter()
        .filter(|w| {
            let reach = Reach {
                preferred: preferred.contains(&w.id),
                engaged: standings.get(&w.id).is_some_and(|st| st.engaged),
                same_bank: true,
            };
            release_cascade::reaches(audience, reach)
                && !earlier
                    .iter()
                    .any(|t| release_cascade::reaches(t.audience, reach))
        })
        .collect();
    let mut eligible = Vec::new();
    for batch in fresh.chunks(BATCH) {
        let verdicts = eligibility::judge_many(
            conn,
            view,
            eligibility::Candidates::Workers(batch),
            Mode::SelfBooking,
            eligibility::Reader::Service,
            now,
        )
        .await?;
        for (w, reasons) in verdicts {
            if reasons.is_empty() {
                eligible.push(w);
            }
        }
    }
    Ok(eligible)
}

/// The shifts whose tiers are waiting to be announced (for monitoring).
///
/// # Errors
/// Database errors.
pub async fn waiting(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(shift_tier::Entity::find()
        .filter(shift_tier::Column::AnnouncedAt.is_null())
        .filter(shift_tier::Column::OpensAt.lte(now))
        .count(conn)
        .await?)
}
