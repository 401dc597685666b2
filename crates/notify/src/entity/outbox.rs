//! `outbox`: one email to send, written in the transaction of the change that caused it.

use sea_orm::entity::prelude::*;

/// One message and its delivery state.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    /// Id; also the email's `Message-ID` (`<{id}@staffbank>`) and the mailbox file name.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What the message is about, e.g. `account.created` (for operators and tests).
    pub kind: String,
    /// The one recipient's address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    #[sea_orm(column_type = "Text")]
    pub body_text: String,
    /// HTML body.
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    /// `PENDING`, `SENT` or `FAILED`, as [`crate::outbox::State`].
    pub state: crate::outbox::State,
    /// Delivery attempts made so far.
    pub attempts: i32,
    /// Not to be tried before this instant (backoff after a failure).
    pub next_attempt_at: DateTimeUtc,
    /// While in the future, a worker holds the message (a lease); after it, any worker may.
    pub claimed_until: Option<DateTimeUtc>,
    /// The worker that claimed it last.
    pub claimed_by: Option<String>,
    /// What went wrong on the last failed attempt, for operators.
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// Names the logical message so that enqueueing it again does nothing.
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    /// When enqueued.
    pub created_at: DateTimeUtc,
    /// When the transport accepted it.
    pub sent_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
