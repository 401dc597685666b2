//! Database helpers shared by every crate: connecting with the right options for SQLite and
//! PostgreSQL, starting write transactions that do not fail spuriously, retrying on serialization
//! failures, and recognising constraint violations so they become user errors.

use std::collections::HashMap;
use std::future::Future;
use std::ops::Deref;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Duration;

use sea_orm::sqlx;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    RuntimeErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use tokio::sync::Semaphore;

/// How long a SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// How much of a SQLite file is read through a memory map.
const SQLITE_MMAP_BYTES: u64 = 1 << 30;
/// The longest a PostgreSQL statement may run before the server cancels it: the future of a
/// request over its time budget is dropped, but a statement already sent would run on.
const POSTGRES_STATEMENT_TIMEOUT: &str = "30s";
/// The longest a unit of work may hold a write transaction (and, on SQLite, the one writer's
/// turn): past it the work is dropped and rolled back, so one slow request cannot stall every
/// writer behind it.
const MAX_WRITE_HOLD: Duration = Duration::from_secs(10);
/// How often a write transaction is retried after a serialization failure or deadlock.
const MAX_ATTEMPTS: u32 = 8;

/// Opens a connection pool. SQLite files are created on first use, run in WAL mode with foreign
/// keys on and a busy timeout; PostgreSQL is used as given.
///
/// # Errors
/// The database's error when it cannot be reached.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                // Reads come straight from the mapped file, shared by every connection, instead
                // of a system call per page into each connection's small page cache. Writes
                // still go through the journal, so durability is unchanged.
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
        })
        .map_sqlx_postgres_opts(|o| o.options([("statement_timeout", POSTGRES_STATEMENT_TIMEOUT)]));
    Database::connect(opts).await
}

/// Whether the pool talks to SQLite.
#[must_use]
pub fn is_sqlite(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DatabaseBackend::Sqlite
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so a transaction that reads before writing waits for other writers instead of
/// failing when it first writes; PostgreSQL uses READ COMMITTED with explicit row locks.
///
/// # Errors
/// The database's error.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let sqlite_mode = is_sqlite(db).then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: sqlite_mode,
    })
    .await
}

/// A unit of work run inside a write transaction by [`write`]; it may borrow from its caller for
/// `'a`.
pub type Work<'a, T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'a>>;

/// Runs `work` in a write transaction and commits it; retries the whole unit (bounded, with a short
/// backoff) when the database reports a serialization failure, deadlock or busy database. The work
/// gets the transaction as an `Arc` so that it may also borrow from the caller:
///
/// ```text
/// db::write(&db, |tx| Box::pin(async move { workers::create_worker_in(&*tx, clock, actor, id, &input).await })).await
/// ```
///
/// # Errors
/// The error of `work`, or the database's error when it cannot commit.
pub async fn write<'a, T, E, F>(db: &DatabaseConnection, work: F) -> Result<T, E>
where
    F: Fn(Arc<DatabaseTransaction>) -> Work<'a, T, E>,
    E: From<DbErr> + RetryHint,
{
    let queue = sqlite_writers(db);
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let result = async {
            // Held until the transaction ends; released before any backoff.
            let _turn = match &queue {
                Some(q) => Some(take_turn(q).await?),
                None => None,
            };
            let tx = Arc::new(begin_write(db).await?);
            // SQLite notifications made by this attempt, sent only if it commits.
            let pending = crate::notifications::Pending::default();
            let value = match tokio::time::timeout(
                MAX_WRITE_HOLD,
                crate::notifications::collecting(pending.clone(), work(tx.clone())),
            )
            .await
            {
                Ok(value) => value,
                Err(_) => {
                    tracing::error!(
                        limit_secs = MAX_WRITE_HOLD.as_secs(),
                        "a write held its transaction too long: rolled back"
                    );
                    Err(E::from(DbErr::Custom(format!(
                        "a write took longer than {} s and was rolled back",
                        MAX_WRITE_HOLD.as_secs()
                    ))))
                }
            };
            let tx = Arc::try_unwrap(tx)
                .map_err(|_| DbErr::Custom("a unit of work kept its transaction".into()))?;
            match value {
                Ok(v) => {
                    tx.commit().await?;
                    if is_sqlite(db) {
                        crate::notifications::deliver_local(sqlite_file(db), &pending);
                    }
                    Ok(v)
                }
                Err(e) => {
                    tx.rollback().await?;
                    Err(e)
                }
            }
        }
        .await;
        match result {
            Err(e) if attempt < MAX_ATTEMPTS && e.is_retryable() => {
                let backoff = 5 * u64::from(attempt * attempt) + rand_jitter();
                tokio::time::sleep(Duration::from_millis(backoff)).await;
            }
            other => return other,
        }
    }
}

/// The queue that this process's writers to a SQLite file wait in, first come first served; none
/// on PostgreSQL.
///
/// SQLite lets one writer in at a time; the others poll the lock with sleeps that grow to 100 ms,
/// so under load a writer whose sleeps are unlucky can wait many turns (a booking's p99 was over a
/// second with 32 clients). Waiting here instead, each writer goes in as soon as the one before
/// it has finished. Other processes, and transactions begun with [`begin_write`] directly, still
/// wait on SQLite's own lock, so correctness never depends on this queue.
fn sqlite_writers(db: &DatabaseConnection) -> Option<Arc<Semaphore>> {
    static QUEUES: LazyLock<Mutex<HashMap<PathBuf, Arc<Semaphore>>>> =
        LazyLock::new(Mutex::default);
    if !is_sqlite(db) {
        return None;
    }
    let file = sqlite_file(db);
    let mut queues = QUEUES.lock().unwrap_or_else(PoisonError::into_inner);
    Some(
        queues
            .entry(file)
            .or_insert_with(|| Arc::new(Semaphore::new(1)))
            .clone(),
    )
}

/// The file of a SQLite pool.
fn sqlite_file(db: &DatabaseConnection) -> PathBuf {
    db.get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf()
}

/// Waits for a writer's turn, no longer than SQLite itself would wait for its lock, so a stuck
/// writer gives the others an error rather than an endless wait.
async fn take_turn(queue: &Semaphore) -> Result<tokio::sync::SemaphorePermit<'_>, DbErr> {
    match tokio::time::timeout(SQLITE_BUSY_TIMEOUT, queue.acquire()).await {
        Ok(Ok(turn)) => Ok(turn),
        Ok(Err(_)) => Err(DbErr::Custom(
            "the queue of SQLite writers was closed".into(),
        )),
        Err(_) => Err(DbErr::Custom(format!(
            "waited over {} s for another write to the SQLite database to finish",
            SQLITE_BUSY_TIMEOUT.as_secs()
        ))),
    }
}

fn rand_jitter() -> u64 {
    rand::random::<u64>() % 10
}

/// Lets [`write`] ask a domain error whether it came from a transient database conflict.
pub trait RetryHint {
    /// Whether retrying the whole transaction may succeed.
    fn is_retryable(&self) -> bool;
}

impl RetryHint for DbErr {
    fn is_retryable(&self) -> bool {
        is_retryable(self)
    }
}

impl RetryHint for crate::Error {
    fn is_retryable(&self) -> bool {
        matches!(self, crate::Error::Db(e) if is_retryable(e))
    }
}

/// The database's own error behind a sea-orm error, if any.
fn database_error(err: &DbErr) -> Option<&(dyn sqlx::error::DatabaseError + 'static)> {
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => match e.deref() {
            sqlx::Error::Database(d) => Some(d.as_ref()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the error is a transient conflict worth retrying: PostgreSQL serialization failure
/// (40001) or deadlock (40P01), SQLite busy or locked.
#[must_use]
pub fn is_retryable(err: &DbErr) -> bool {
    database_error(err)
        .and_then(|d| d.code())
        .is_some_and(|code| {
            matches!(
                code.as_ref(),
                "40001" | "40P01" | "5" | "6" | "261" | "262" | "517"
            )
        })
}

/// The constraint a unique or exclusion violation broke: PostgreSQL names it; SQLite lists the
/// columns (`"table.column, table.column"`), so callers match on either.
#[must_use]
pub fn violated_constraint(err: &DbErr) -> Option<String> {
    let d = database_error(err)?;
    let code = d.code()?;
    match code.as_ref() {
        // PostgreSQL unique_violation, exclusion_violation
        "23505" | "23P01" => Some(d.constraint().unwrap_or_default().to_owned()),
        // SQLite SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
        "2067" | "1555" => Some(
            d.message()
                .trim_start_matches("UNIQUE constraint failed: ")
                .to_owned(),
        ),
        _ => None,
    }
}

/// Whether `err` broke the named constraint: `pg_name` on PostgreSQL, or on SQLite a unique index
/// over exactly `sqlite_columns` (as `"table.column, table.column"`).
#[must_use]
pub fn violates(err: &DbErr, pg_name: &str, sqlite_columns: &str) -> bool {
    violated_constraint(err).is_some_and(|c| c == pg_name || c == sqlite_columns)
}

/// A unique (or exclusion) constraint, as each engine reports it when a write breaks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Constraint {
    /// Its name, which PostgreSQL reports (`ux_…` for the indexes the migrations name;
    /// `{table}_{column}_key` for a unique column).
    pub name: &'static str,
    /// The columns of its unique index, which SQLite reports instead, as
    /// `"table.column, table.column"` (empty for a constraint only PostgreSQL has).
    pub sqlite_columns: &'static str,
}

impl Constraint {
    /// Whether `err` broke this constraint, on either engine.
    #[must_use]
    pub fn is_broken_by(self, err: &DbErr) -> bool {
        violated_constraint(err).is_some_and(|broken| self.is(&broken))
    }

    /// Whether `broken`, as [`violated_constraint`] reports it, is this constraint.
    fn is(self, broken: &str) -> bool {
        broken == self.name || (!self.sqlite_columns.is_empty() && broken == self.sqlite_columns)
    }
}

/// The user error a broken constraint means: what the checks made before writing would have said,
/// for the write that raced past them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A conflict with the current state (a duplicate), with this message.
    Conflict(&'static str),
    /// Bad input, with this message.
    Validation(&'static str),
}

impl From<Refusal> for crate::Error {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Conflict(m) => Self::Conflict(m.to_owned()),
            Refusal::Validation(m) => Self::Validation(m.to_owned()),
        }
    }
}

/// The meaning, in `table` (a crate's constraints and what breaking each means), of the constraint
/// `err` broke; none when it broke none of them (or none at all).
#[must_use]
pub fn refusal<T: Copy>(err: &DbErr, table: &[(Constraint, T)]) -> Option<(Constraint, T)> {
    let broken = violated_constraint(err)?;
    table.iter().find(|(c, _)| c.is(&broken)).copied()
}
