//! Accounts, their scoped role grants, and sign-in attempts.

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
                    .table("accounts")
                    .col(pk_uuid("id"))
                    .col(string_uniq("email"))
                    .col(string("display_name"))
                    .col(string("password_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("disabled_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("role_grants")
                    .col(pk_uuid("id"))
                    .col(uuid("account_id"))
                    .col(string("role"))
                    .col(uuid_null("trust_id"))
                    .col(uuid_null("ward_id"))
                    .col(uuid_null("system_id"))
                    .col(uuid_null("worker_id"))
                    .col(uuid_null("granted_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        &mut fk("role_grants", "account_id", "accounts")
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .foreign_key(&mut fk("role_grants", "trust_id", "trusts"))
                    .foreign_key(&mut fk("role_grants", "system_id", "systems"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("role_grants", "account", &["account_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_attempts")
                    .col(pk_uuid("id"))
                    .col(string("email"))
                    .col(string("ip"))
                    .col(boolean("succeeded"))
                    .col(timestamp_with_time_zone("at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("login_attempts", "email_at", &["email", "at"], false))
            .await?;
        manager
            .create_index(index("login_attempts", "ip_at", &["ip", "at"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["login_attempts", "role_grants", "accounts"]).await
    }
}
