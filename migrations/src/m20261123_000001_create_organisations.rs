//! Collaborative banks (systems) and their member trusts.

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
                    .table("systems")
                    .col(pk_uuid("id"))
                    .col(string_uniq("name"))
                    .col(string("model"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("trusts")
                    .col(pk_uuid("id"))
                    .col(uuid("system_id"))
                    .col(string("name"))
                    .col(string_uniq("ods_code"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("trusts", "system_id", "systems"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("trusts", "system_name", &["system_id", "name"], true))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["trusts", "systems"]).await
    }
}
