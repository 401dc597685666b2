//! Trusts' sites and their wards.

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
                    .table("sites")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(string("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("sites", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("sites", "trust_name", &["trust_id", "name"], true))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("wards")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(uuid("site_id"))
                    .col(string("name"))
                    .col(string("cost_centre"))
                    .col(json("required_skills"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("wards", "trust_id", "trusts"))
                    .foreign_key(&mut fk("wards", "site_id", "sites"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("wards", "site_name", &["site_id", "name"], true))
            .await?;
        manager
            .create_index(index("wards", "trust", &["trust_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["wards", "sites"]).await
    }
}
