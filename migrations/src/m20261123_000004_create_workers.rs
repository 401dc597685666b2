//! Workers of the shared bank, their memberships at trusts, and invitations to join.

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
                    .table("workers")
                    .col(pk_uuid("id"))
                    .col(uuid("system_id"))
                    .col(uuid("home_trust_id"))
                    .col(string("given_name"))
                    .col(string("family_name"))
                    .col(string("family_name_key"))
                    .col(date("date_of_birth"))
                    .col(string("ni_number"))
                    .col(string("email"))
                    .col(string_null("phone"))
                    .col(string("staff_group"))
                    .col(string("grade"))
                    .col(string_null("registration_body"))
                    .col(string_null("registration_number"))
                    .col(json("skills"))
                    .col(timestamp_with_time_zone_null("wtr_opt_out_at"))
                    .col(timestamp_with_time_zone_null("reconfirmed_at"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("workers", "system_id", "systems"))
                    .foreign_key(&mut fk("workers", "home_trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        // No duplicate people: the Inter Authority Transfer match (NI number + date of birth +
        // surname, exact) and the professional registration are each unique.
        manager
            .create_index(index(
                "workers",
                "identity",
                &["ni_number", "date_of_birth", "family_name_key"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "workers",
                "registration",
                &["registration_body", "registration_number"],
                true,
            ))
            .await?;
        manager
            .create_index(index("workers", "system", &["system_id", "id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("memberships")
                    .col(pk_uuid("id"))
                    .col(uuid("worker_id"))
                    .col(uuid("trust_id"))
                    .col(string("state"))
                    .col(string_null("state_reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("memberships", "worker_id", "workers"))
                    .foreign_key(&mut fk("memberships", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "memberships",
                "worker_trust",
                &["worker_id", "trust_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index("memberships", "trust", &["trust_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitations")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(uuid_null("worker_id"))
                    .col(string("email"))
                    .col(string_uniq("token_hash"))
                    .col(uuid_null("invited_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("accepted_at"))
                    .col(uuid_null("account_id"))
                    .foreign_key(&mut fk("invitations", "trust_id", "trusts"))
                    .foreign_key(&mut fk("invitations", "worker_id", "workers"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["invitations", "memberships", "workers"]).await
    }
}
