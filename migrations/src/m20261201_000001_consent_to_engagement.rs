//! Consent to engagement: a trust other than the worker's home trust proposes to engage them, and
//! only once the worker accepts does it see their full record. The membership row keeps where the
//! engagement stands now (`consent`) and who proposed it; `membership_events` keeps every step
//! (proposed, accepted, declined, ended), never overwritten. Engagements made before this change
//! were made without asking and are kept as accepted, so nothing anyone relies on disappears.

use sea_orm_migration::{prelude::*, schema::*};

use crate::support::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for col in [
            string("consent").default("ACCEPTED").to_owned(),
            uuid_null("proposed_by").to_owned(),
            timestamp_with_time_zone_null("decided_at").to_owned(),
            timestamp_with_time_zone_null("ended_at").to_owned(),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table("memberships")
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("membership_events")
                    .col(pk_uuid("id"))
                    .col(uuid("membership_id"))
                    .col(string("event"))
                    .col(uuid_null("actor_account_id"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut fk("membership_events", "membership_id", "memberships"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "membership_events",
                "membership",
                &["membership_id"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["membership_events"]).await?;
        for c in ["ended_at", "decided_at", "proposed_by", "consent"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("memberships")
                        .drop_column(c)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
