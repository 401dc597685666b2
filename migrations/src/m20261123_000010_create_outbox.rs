//! The outbox: messages written in the same transaction as the change that causes them, delivered
//! after commit by the notify worker (see `crates/notify`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::support::{drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(pk_uuid("id"))
                    .col(string("kind"))
                    .col(string("recipient"))
                    .col(string("subject"))
                    .col(text("body_text"))
                    .col(text("body_html"))
                    .col(string("state"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(string_null("claimed_by"))
                    .col(text_null("last_error"))
                    .col(string_null("dedupe_key"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        // Several NULL keys are allowed (both databases treat NULLs as distinct); a key that is
        // given makes re-enqueueing the same logical message a no-op.
        manager
            .create_index(index("outbox", "dedupe_key", &["dedupe_key"], true))
            .await?;
        // What the delivery worker scans: due messages of one state, oldest first.
        manager
            .create_index(index(
                "outbox",
                "state_next_attempt",
                &["state", "next_attempt_at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["outbox"]).await
    }
}
