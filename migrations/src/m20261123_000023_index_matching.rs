//! Indexes for matching workers to shifts: workers by bank, staff group and grade (the first cut of
//! every match), and strikes by time (ranking by reliability).

use sea_orm_migration::prelude::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index(
                "workers",
                "matching",
                &["system_id", "staff_group", "grade"],
                false,
            ))
            .await?;
        manager
            .create_index(index("booking_events", "strikes", &["strike", "at"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_booking_events_strikes")
                    .table("booking_events")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_workers_matching")
                    .table("workers")
                    .to_owned(),
            )
            .await
    }
}
