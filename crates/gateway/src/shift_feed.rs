//! This replica's feed of shift changes: one listener on the database's notification channel
//! (PostgreSQL `LISTEN` on one connection, or this process's SQLite notifications), started by the
//! first subscription and fanned out to every subscriber of this replica. Events reach it only
//! after the transaction that announced them commits (see `staffbank_core::notifications`).

use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};
use staffbank_core::notifications;
use staffbank_market::shift_changes::{CHANNEL, ShiftChange};
use tokio::sync::{OnceCell, broadcast};

/// How many events a slow subscriber may fall behind before it misses some.
const BACKLOG: usize = 1024;
/// How often an idle listener checks whether its server has gone.
const IDLE_CHECK: Duration = Duration::from_secs(1);

/// The feed (cheap to clone; clones share one listener).
#[derive(Clone)]
pub struct ShiftFeed {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    sender: broadcast::Sender<ShiftChange>,
    started: OnceCell<()>,
}

impl std::fmt::Debug for ShiftFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShiftFeed")
            .field("subscribers", &self.inner.sender.receiver_count())
            .finish()
    }
}

impl ShiftFeed {
    /// A feed over `db`; nothing listens until the first [`ShiftFeed::subscribe`].
    #[must_use]
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            inner: Arc::new(Inner {
                db,
                sender: broadcast::channel(BACKLOG).0,
                started: OnceCell::new(),
            }),
        }
    }

    /// Every change committed from now on.
    ///
    /// # Errors
    /// The listening connection cannot be opened.
    pub async fn subscribe(&self) -> Result<broadcast::Receiver<ShiftChange>, DbErr> {
        let inner = &self.inner;
        // Subscribed before the listener starts, so nothing it hears is missed.
        let receiver = inner.sender.subscribe();
        inner
            .started
            .get_or_try_init(|| async {
                let listener = notifications::listen(&inner.db, CHANNEL).await?;
                tokio::spawn(forward(listener, Arc::downgrade(inner)));
                Ok::<(), DbErr>(())
            })
            .await?;
        Ok(receiver)
    }
}

/// Hands each event heard to the subscribers, until the feed is dropped (its server stopped).
async fn forward(mut listener: notifications::Listener, feed: Weak<Inner>) {
    loop {
        let heard = tokio::time::timeout(IDLE_CHECK, listener.recv()).await;
        let Some(inner) = feed.upgrade() else {
            return;
        };
        match heard {
            Err(_idle) => {}
            Ok(Ok(payload)) => match ShiftChange::parse(&payload) {
                // No subscriber is not an error.
                Some(change) => {
                    let _ = inner.sender.send(change);
                }
                None => tracing::warn!("an unreadable shift change notification was ignored"),
            },
            Ok(Err(e)) => {
                tracing::error!(error = %e, "the shift change listener failed; listening again");
                tokio::time::sleep(IDLE_CHECK).await;
                match notifications::listen(&inner.db, CHANNEL).await {
                    Ok(l) => listener = l,
                    Err(e) => tracing::error!(error = %e, "cannot listen for shift changes"),
                }
            }
        }
    }
}
