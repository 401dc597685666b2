//! Enqueueing: a message becomes an `outbox` row written through the caller's connection, so when
//! the caller passes the transaction of the change that causes the message, the two commit
//! together or not at all. Nothing is sent here; the delivery worker sends after commit.

use std::fmt;

use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{ConnectionTrait, EntityTrait, Set, TryInsertResult};
use staffbank_core::{Clock, new_id};

use crate::entity::outbox;
use crate::error::{Error, Result};
use crate::message::Message;

/// Where a message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum State {
    /// Waiting to be sent (first time, or again after a failure).
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// Accepted by the transport.
    #[sea_orm(string_value = "SENT")]
    Sent,
    /// Given up after the most attempts allowed; `last_error` says why.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Adds `message` to the outbox, due at once. Pass the transaction of the change that causes the
/// message. With a `dedupe_key`, a message already enqueued under the same key (in any state) makes
/// this a no-op that returns `false`: producers that may run more than once (a reminder sweep) name
/// the logical message, e.g. `credential-expiry:{id}:30d`, and it is sent once.
///
/// The duplicate is skipped with `ON CONFLICT DO NOTHING` rather than caught as an error, because
/// on PostgreSQL a failed statement would abort the caller's whole transaction.
///
/// # Errors
/// [`Error::InvalidMessage`]; database errors.
#[tracing::instrument(skip_all, fields(kind = %message.kind))]
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    message: &Message,
    dedupe_key: Option<&str>,
) -> Result<bool> {
    message.validate()?;
    if dedupe_key.is_some_and(|k| k.trim().is_empty()) {
        return Err(Error::InvalidMessage(
            "a dedupe key must not be blank".into(),
        ));
    }
    let now = clock.now();
    let row = outbox::ActiveModel {
        id: Set(new_id()),
        kind: Set(message.kind.clone()),
        recipient: Set(message.to.as_str().to_owned()),
        subject: Set(message.subject.trim().to_owned()),
        body_text: Set(message.text.clone()),
        body_html: Set(message.html.clone()),
        state: Set(State::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        claimed_by: Set(None),
        last_error: Set(None),
        dedupe_key: Set(dedupe_key.map(str::to_owned)),
        created_at: Set(now),
        sent_at: Set(None),
    };
    let written = outbox::Entity::insert(row)
        .on_conflict_do_nothing_on([outbox::Column::DedupeKey])
        .exec_without_returning(conn)
        .await?;
    let inserted = matches!(written, TryInsertResult::Inserted(n) if n > 0);
    if !inserted {
        tracing::debug!(dedupe_key, "already enqueued; skipped");
    }
    Ok(inserted)
}
