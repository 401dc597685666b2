//! Posting a large roster import in the background: the import is queued (who asked, when), a job
//! claims it with a lease (`claimed_by`, `claimed_until`, counting `attempts`) so one replica posts
//! it and a crashed one's claim runs out for another to take, and a post that fails records what
//! went wrong (`failure`, `failed_at`). Imports from before this change have none of these: they
//! are invalid, ready or posted, as they were.

use sea_orm_migration::{prelude::*, schema::*};

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns this change adds, in order.
const COLUMNS: [&str; 7] = [
    "queued_by",
    "queued_at",
    "claimed_by",
    "claimed_until",
    "attempts",
    "failure",
    "failed_at",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for col in [
            uuid_null("queued_by").to_owned(),
            timestamp_with_time_zone_null("queued_at").to_owned(),
            string_null("claimed_by").to_owned(),
            timestamp_with_time_zone_null("claimed_until").to_owned(),
            integer("attempts").default(0).to_owned(),
            text_null("failure").to_owned(),
            timestamp_with_time_zone_null("failed_at").to_owned(),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table("roster_imports")
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        // The posting job looks for queued imports, and posting ones whose claim has run out.
        manager
            .create_index(index(
                "roster_imports",
                "state_claimed_until",
                &["state", "claimed_until"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_roster_imports_state_claimed_until")
                    .table("roster_imports")
                    .to_owned(),
            )
            .await?;
        for c in COLUMNS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table("roster_imports")
                        .drop_column(*c)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
