//! The cross-organisation access log: who, from which trust, looked at a worker's credential or
//! passport details, when and why. The worker can list it.

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
        manager
            .create_table(
                Table::create()
                    .table("access_log")
                    .col(pk_uuid("id"))
                    .col(uuid("worker_id"))
                    .col(uuid("viewer_account_id"))
                    .col(uuid_null("viewer_trust_id"))
                    .col(string("what"))
                    .col(string("purpose"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut fk("access_log", "worker_id", "workers"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "access_log",
                "worker_at",
                &["worker_id", "at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["access_log"]).await
    }
}
