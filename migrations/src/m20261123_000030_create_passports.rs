//! Passports: trust signing keys, passports and their history, the worker's consent to share, the
//! trusts' status lists (revocation and suspension), acceptances by other trusts, and each
//! collaborative bank's passporting agreement.

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
                    .table("trust_keys")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(string("kid"))
                    .col(string("public_key"))
                    .col(text("sealed_private_key"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("rotated_at"))
                    .col(timestamp_with_time_zone_null("retired_at"))
                    .foreign_key(&mut fk("trust_keys", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("trust_keys", "kid", &["kid"], true))
            .await?;
        manager
            .create_index(index("trust_keys", "trust", &["trust_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("status_lists")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(integer("size_bits"))
                    .col(integer("allocated"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("status_lists", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("status_lists", "trust", &["trust_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("passports")
                    .col(pk_uuid("id"))
                    .col(uuid("worker_id"))
                    .col(uuid("system_id"))
                    .col(uuid("issuer_trust_id"))
                    .col(string("kid"))
                    .col(text("token"))
                    .col(json("items"))
                    .col(timestamp_with_time_zone("valid_from"))
                    .col(timestamp_with_time_zone("valid_until"))
                    .col(uuid("status_list_id"))
                    .col(integer("status_index"))
                    .col(string("status"))
                    .col(string_null("status_reason"))
                    .col(uuid_null("issued_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("passports", "worker_id", "workers"))
                    .foreign_key(&mut fk("passports", "system_id", "systems"))
                    .foreign_key(&mut fk("passports", "issuer_trust_id", "trusts"))
                    .foreign_key(&mut fk("passports", "status_list_id", "status_lists"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "passports",
                "status_entry",
                &["status_list_id", "status_index"],
                true,
            ))
            .await?;
        manager
            .create_index(index("passports", "worker", &["worker_id"], false))
            .await?;
        manager
            .create_index(index(
                "passports",
                "list_status",
                &["status_list_id", "status"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("passport_events")
                    .col(pk_uuid("id"))
                    .col(uuid("passport_id"))
                    .col(string("event"))
                    .col(uuid_null("actor_account_id"))
                    .col(uuid_null("trust_id"))
                    .col(string_null("reason"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut fk("passport_events", "passport_id", "passports"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "passport_events",
                "passport",
                &["passport_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("passport_shares")
                    .col(pk_uuid("id"))
                    .col(uuid("passport_id"))
                    .col(uuid("worker_id"))
                    .col(uuid("trust_id"))
                    .col(uuid_null("shared_by"))
                    .col(timestamp_with_time_zone("shared_at"))
                    .col(timestamp_with_time_zone_null("withdrawn_at"))
                    .foreign_key(&mut fk("passport_shares", "passport_id", "passports"))
                    .foreign_key(&mut fk("passport_shares", "worker_id", "workers"))
                    .foreign_key(&mut fk("passport_shares", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "passport_shares",
                "passport_trust",
                &["passport_id", "trust_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("passport_acceptances")
                    .col(pk_uuid("id"))
                    .col(uuid("passport_id"))
                    .col(uuid("worker_id"))
                    .col(uuid("trust_id"))
                    .col(uuid("issuer_trust_id"))
                    .col(uuid_null("decided_by"))
                    .col(timestamp_with_time_zone("decided_at"))
                    .col(json("items"))
                    .col(integer("accepted_count"))
                    .col(integer("local_check_count"))
                    .col(integer("rejected_count"))
                    .foreign_key(&mut fk("passport_acceptances", "passport_id", "passports"))
                    .foreign_key(&mut fk("passport_acceptances", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "passport_acceptances",
                "passport",
                &["passport_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index("passport_acceptances", "trust", &["trust_id"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("passporting_agreements")
                    .col(pk_uuid("id"))
                    .col(uuid("system_id"))
                    .col(integer("max_passport_days"))
                    .col(json("rules"))
                    .col(uuid_null("set_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("passporting_agreements", "system_id", "systems"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "passporting_agreements",
                "system",
                &["system_id"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "passporting_agreements",
                "passport_acceptances",
                "passport_shares",
                "passport_events",
                "passports",
                "status_lists",
                "trust_keys",
            ],
        )
        .await
    }
}
