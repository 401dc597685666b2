//! Indexes for matching workers to shifts. Each is shaped so the query it serves can be answered
//! from the index alone: workers by bank, staff group and grade (the first cut of every match);
//! memberships by trust and state (suspended and dormant workers); who has worked a ward; strikes
//! by time (ranking by reliability); and a trust's shifts for a staff group in start order (a
//! worker's feed).

use sea_orm_migration::prelude::*;

use crate::support::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 5] = [
    (
        "workers",
        "matching",
        &["system_id", "staff_group", "grade", "id", "home_trust_id"],
    ),
    (
        "memberships",
        "trust_state",
        &["trust_id", "state", "worker_id"],
    ),
    (
        "bookings",
        "ward_worked",
        &["ward_id", "active", "ends_at", "worker_id"],
    ),
    ("booking_events", "strikes", &["strike", "at", "worker_id"]),
    (
        "shifts",
        "feed_by_trust",
        &["trust_id", "staff_group", "starts_at", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, columns) in INDEXES {
            manager
                .create_index(index(table, name, columns, false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ix_{table}_{name}"))
                        .table(table)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
