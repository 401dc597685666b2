//! Notifications between everything that shares one database, sent **in the transaction** of
//! the change they announce and delivered only once it commits — so a change that rolls back is
//! never announced.
//!
//! On PostgreSQL this is the database's own `NOTIFY`/`LISTEN`: [`notify`] runs `pg_notify` inside
//! the transaction (PostgreSQL holds it until commit and drops it on rollback) and every replica
//! [`listen`]s on its own connection. On SQLite (one process owns the file) the payload is kept
//! with the unit of work that [`crate::db::write`] runs and handed to this process's listeners
//! after that unit commits; a rolled-back unit's notifications are dropped with it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement};
use tokio::sync::broadcast;

/// How many notifications a slow SQLite listener may fall behind before it misses some.
const LOCAL_BACKLOG: usize = 1024;

/// One notification: its channel and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The channel (a PostgreSQL identifier: lower case letters, digits, `_`).
    pub channel: String,
    /// What it says (PostgreSQL limits it to under 8000 bytes).
    pub payload: String,
}

/// The notifications of the unit of work running in this task, sent after it commits (SQLite).
pub(crate) type Pending = Arc<Mutex<Vec<Notification>>>;

tokio::task_local! {
    static PENDING: Pending;
}

/// Runs `work` collecting the SQLite notifications it makes into `pending`.
pub(crate) async fn collecting<F: std::future::Future>(pending: Pending, work: F) -> F::Output {
    PENDING.scope(pending, work).await
}

/// Hands the notifications of a committed unit of work to this process's listeners of `file`.
pub(crate) fn deliver_local(file: PathBuf, pending: &Pending) {
    let sent: Vec<Notification> =
        std::mem::take(&mut *pending.lock().unwrap_or_else(PoisonError::into_inner));
    if sent.is_empty() {
        return;
    }
    let channel = local_channel(file);
    for n in sent {
        // No listener is not an error: nobody is watching.
        let _ = channel.send(n);
    }
}

fn local_channel(file: PathBuf) -> broadcast::Sender<Notification> {
    static CHANNELS: LazyLock<Mutex<HashMap<PathBuf, broadcast::Sender<Notification>>>> =
        LazyLock::new(Mutex::default);
    CHANNELS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(file)
        .or_insert_with(|| broadcast::channel(LOCAL_BACKLOG).0)
        .clone()
}

/// Sends `payload` on `channel` once the transaction `conn` belongs to commits.
///
/// On SQLite only units of work run by [`crate::db::write`] can know when they commit; a
/// notification made outside one (seeding scripts) is dropped, and logged at debug level.
///
/// # Errors
/// The database's error (PostgreSQL).
pub async fn notify(
    conn: &impl ConnectionTrait,
    channel: &str,
    payload: String,
) -> Result<(), DbErr> {
    match conn.get_database_backend() {
        DatabaseBackend::Postgres => {
            conn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [channel.into(), payload.into()],
            ))
            .await?;
        }
        _ => {
            let kept = PENDING.try_with(|p| {
                p.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Notification {
                        channel: channel.to_owned(),
                        payload: payload.clone(),
                    });
            });
            if kept.is_err() {
                tracing::debug!(
                    channel,
                    "a notification outside a unit of work on SQLite was dropped"
                );
            }
        }
    }
    Ok(())
}

/// A subscription to one channel of one database.
pub enum Listener {
    /// A `LISTEN`ing PostgreSQL connection.
    Postgres(Box<PgListener>),
    /// This process's notifications of a SQLite file.
    Sqlite {
        /// The channel listened to.
        channel: String,
        /// Every notification of the file.
        receiver: broadcast::Receiver<Notification>,
    },
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Postgres(_) => f.write_str("Listener::Postgres"),
            Self::Sqlite { channel, .. } => write!(f, "Listener::Sqlite({channel})"),
        }
    }
}

/// Starts listening on `channel`: every notification committed after this returns is received.
///
/// # Errors
/// The database's error when the listening connection cannot be opened.
pub async fn listen(db: &DatabaseConnection, channel: &str) -> Result<Listener, DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let mut l = PgListener::connect_with(db.get_postgres_connection_pool())
                .await
                .map_err(|e| DbErr::Custom(format!("cannot open a listening connection: {e}")))?;
            l.listen(channel)
                .await
                .map_err(|e| DbErr::Custom(format!("cannot LISTEN on {channel}: {e}")))?;
            Ok(Listener::Postgres(Box::new(l)))
        }
        _ => {
            let file = db
                .get_sqlite_connection_pool()
                .connect_options()
                .get_filename()
                .to_path_buf();
            Ok(Listener::Sqlite {
                channel: channel.to_owned(),
                receiver: local_channel(file).subscribe(),
            })
        }
    }
}

impl Listener {
    /// The next notification's payload. A listener that fell behind (SQLite) skips what it missed
    /// and says so in the log; a dropped PostgreSQL connection is reopened by sqlx (what was sent
    /// meanwhile is missed).
    ///
    /// # Errors
    /// The connection is gone for good, or the channel closed.
    pub async fn recv(&mut self) -> Result<String, DbErr> {
        match self {
            Self::Postgres(l) => l
                .recv()
                .await
                .map(|n| n.payload().to_owned())
                .map_err(|e| DbErr::Custom(format!("listening connection failed: {e}"))),
            Self::Sqlite { channel, receiver } => loop {
                match receiver.recv().await {
                    Ok(n) if n.channel == *channel => return Ok(n.payload),
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "a notification listener fell behind");
                    }
                    Err(broadcast::error::RecvError::Closed) => {
                        return Err(DbErr::Custom("the notification channel closed".into()));
                    }
                }
            },
        }
    }
}
