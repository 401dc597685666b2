//! Posting large roster imports in the background (those over [`roster_import::INLINE_ROWS`]
//! shifts, which [`roster_import::post`] queues). Safe on several replicas at once, and after a
//! crash:
//!
//! - **A claim is a lease.** A worker takes a queued import by changing it to `POSTING` under its
//!   own name until [`LEASE`] from now, in one conditional update: of two workers, one wins. A
//!   worker that dies mid-post leaves the import `POSTING` with nothing posted (its transaction
//!   never committed); once the lease has run out any worker takes it again.
//! - **One transaction posts it all.** The worker locks the import, checks it still holds the
//!   claim and the import is not posted, checks every row again, posts every shift and marks the
//!   import `POSTED` in that one transaction: the state says posted only once the shifts are.
//! - **A failure is recorded and posts nothing.** When the rows no longer post (a shift has
//!   started, the person who asked may no longer post for the trust), the import becomes
//!   `FAILED` with what went wrong, in words the bank office can act on. A failure of the
//!   service itself (the database) is tried again, up to [`MAX_ATTEMPTS`] claims, then recorded.
//!
//! The shifts are posted as the person who asked for them to be posted, with their roles as they
//! are when the job runs.

use chrono::Duration;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use staffbank_core::{Actor, Classify, Clock, ErrorKind, accounts, db, jobs};
use uuid::Uuid;

use crate::entity::roster_import::{self as entity, Column};
use crate::error::Result;
use crate::roster_import::{self, ImportState};

/// The job's name in logs and metrics.
pub const JOB: &str = "roster_posting";
/// How long a claim lasts: far longer than the one posting transaction may hold (ten seconds,
/// retried a few times), so a live worker never loses its claim mid-post.
pub const LEASE: Duration = Duration::minutes(5);
/// Claims of one import before a failure of the service itself is recorded as its failure.
pub const MAX_ATTEMPTS: i32 = 3;
/// Imports taken in one run of the job.
const BATCH: u64 = 10;

/// What one worker's attempt at an import came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every shift was posted.
    Posted(entity::Model),
    /// Nothing was posted; the import says why.
    Failed(entity::Model),
    /// The service failed; nothing was posted and the import waits to be tried again.
    Retry,
    /// Another worker holds it, or it is not waiting to be posted.
    NotTaken,
}

/// What one run of the job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sweep {
    /// Imports posted.
    pub posted: u64,
    /// Imports whose posting failed.
    pub failed: u64,
}

/// Imports a worker may take now: queued, or posting under a claim that has run out (or was given
/// back).
fn claimable(now: chrono::DateTime<chrono::Utc>) -> Condition {
    Condition::any()
        .add(Column::State.eq(ImportState::Queued))
        .add(
            Condition::all()
                .add(Column::State.eq(ImportState::Posting))
                .add(
                    Condition::any()
                        .add(Column::ClaimedUntil.is_null())
                        .add(Column::ClaimedUntil.lt(now)),
                ),
        )
}

/// Claims import `id` for `worker` if it may be taken now; whether it was.
///
/// # Errors
/// Database errors.
pub async fn claim(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    worker: &str,
    id: Uuid,
) -> Result<bool> {
    let now = clock.now();
    let claimed = db::write(db, |tx| {
        Box::pin(async move {
            // The condition is on the update itself: of two workers, one changes the row.
            Ok::<_, crate::Error>(
                entity::Entity::update_many()
                    .col_expr(Column::State, Expr::val(ImportState::Posting))
                    .col_expr(Column::ClaimedBy, Expr::val(worker))
                    .col_expr(Column::ClaimedUntil, Expr::val(now + LEASE))
                    .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
                    .filter(Column::Id.eq(id))
                    .filter(claimable(now))
                    .exec(&*tx)
                    .await?
                    .rows_affected,
            )
        })
    })
    .await?;
    Ok(claimed == 1)
}

/// Posts import `id`, claimed by `worker`, in one transaction, telling `progress` how many shifts
/// are done so far (of the transaction, not yet committed); records a failure.
///
/// # Errors
/// Database errors recording the outcome.
pub async fn post_claimed(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    worker: &str,
    id: Uuid,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<Outcome> {
    let posted = db::write(db, |tx| {
        Box::pin(async move {
            let locked = roster_import::lock(&*tx, id).await?;
            if locked.state != ImportState::Posting || locked.claimed_by.as_deref() != Some(worker)
            {
                return Ok(None);
            }
            let actor = match locked.queued_by {
                Some(account) => accounts::actor_for(&*tx, account).await?,
                None => Actor::Service,
            };
            roster_import::post_rows(&*tx, clock, &actor, locked, progress)
                .await
                .map(Some)
        })
    })
    .await;
    match posted {
        Ok(Some(import)) => Ok(Outcome::Posted(import)),
        Ok(None) => Ok(Outcome::NotTaken),
        Err(e) if e.kind() == ErrorKind::Internal => {
            tracing::error!(job = JOB, import = %id, error = %e, "posting a roster import failed");
            let attempts = entity::Entity::find_by_id(id)
                .one(db)
                .await?
                .map_or(0, |i| i.attempts);
            if attempts >= MAX_ATTEMPTS {
                let failure = format!(
                    "The service could not post the shifts ({attempts} tries). Nothing was \
                     posted. Try again later, or ask your system administrator."
                );
                return finish_failed(db, clock, worker, id, failure).await;
            }
            // Given back at once, for the next run of the job to try again.
            db::write(db, |tx| {
                Box::pin(async move {
                    entity::Entity::update_many()
                        .col_expr(
                            Column::ClaimedUntil,
                            Expr::val(Option::<chrono::DateTime<chrono::Utc>>::None),
                        )
                        .filter(Column::Id.eq(id))
                        .filter(Column::ClaimedBy.eq(worker))
                        .filter(Column::State.eq(ImportState::Posting))
                        .exec(&*tx)
                        .await
                })
            })
            .await?;
            Ok(Outcome::Retry)
        }
        Err(e) if e.kind() == ErrorKind::Forbidden => {
            let failure = "The person who asked for them to be posted can no longer post shifts \
                           at this trust. Someone who can should try again."
                .to_owned();
            finish_failed(db, clock, worker, id, failure).await
        }
        Err(e) => finish_failed(db, clock, worker, id, sentence(&e.to_string())).await,
    }
}

/// Records that posting failed (if `worker` still holds the claim).
async fn finish_failed(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    worker: &str,
    id: Uuid,
    failure: String,
) -> Result<Outcome> {
    let now = clock.now();
    let failure = &failure;
    let changed = db::write(db, |tx| {
        Box::pin(async move {
            entity::Entity::update_many()
                .col_expr(Column::State, Expr::val(ImportState::Failed))
                .col_expr(Column::Failure, Expr::val(failure.clone()))
                .col_expr(Column::FailedAt, Expr::val(now))
                .col_expr(Column::ClaimedBy, Expr::val(Option::<String>::None))
                .col_expr(
                    Column::ClaimedUntil,
                    Expr::val(Option::<chrono::DateTime<chrono::Utc>>::None),
                )
                .filter(Column::Id.eq(id))
                .filter(Column::ClaimedBy.eq(worker))
                .filter(Column::State.eq(ImportState::Posting))
                .exec(&*tx)
                .await
        })
    })
    .await?;
    if changed.rows_affected == 0 {
        return Ok(Outcome::NotTaken);
    }
    Ok(entity::Entity::find_by_id(id)
        .one(db)
        .await?
        .map_or(Outcome::NotTaken, Outcome::Failed))
}

/// Claims and posts import `id` now, if it may be taken (e.g. straight after it was queued).
///
/// # Errors
/// Database errors.
pub async fn post_now(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    worker: &str,
    id: Uuid,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<Outcome> {
    if !claim(db, clock, worker, id).await? {
        return Ok(Outcome::NotTaken);
    }
    post_claimed(db, clock, worker, id, progress).await
}

/// The scheduled job: takes the imports waiting to be posted (queued, or left by a worker whose
/// claim ran out) and posts each; one that cannot be handled is logged and counted with
/// [`jobs::row_failed`], and the others go on. `progress` hears each import's id and shifts done.
///
/// # Errors
/// Database errors finding the imports.
pub async fn run(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    worker: &str,
    progress: &(dyn Fn(Uuid, usize) + Send + Sync),
) -> Result<Sweep> {
    let due: Vec<Uuid> = entity::Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(claimable(clock.now()))
        .order_by_asc(Column::QueuedAt)
        .order_by_asc(Column::Id)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?;
    let mut sweep = Sweep::default();
    for id in due {
        match post_now(db, clock, worker, id, &|done| progress(id, done)).await {
            Ok(Outcome::Posted(_)) => sweep.posted += 1,
            Ok(Outcome::Failed(_)) => sweep.failed += 1,
            Ok(Outcome::Retry | Outcome::NotTaken) => {}
            Err(e) => jobs::row_failed(JOB, id, &e),
        }
    }
    Ok(sweep)
}

/// An error's message as a sentence: a capital first and a full stop last.
fn sentence(message: &str) -> String {
    let mut c = message.chars();
    let mut s = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default();
    if !s.is_empty() && !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}
