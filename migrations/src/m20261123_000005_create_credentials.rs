//! Credentials (checks and training) of workers, their append-only history, their recognition at
//! trusts, and the requirement profiles they are measured against.

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
                    .table("credentials")
                    .col(pk_uuid("id"))
                    .col(uuid("worker_id"))
                    .col(string("kind"))
                    .col(integer_null("level"))
                    .col(string("issuer"))
                    .col(string_null("reference"))
                    .col(date("valid_from"))
                    .col(date_null("expires_on"))
                    .col(string("status"))
                    .col(string_null("status_reason"))
                    .col(uuid_null("verified_by"))
                    .col(uuid_null("verified_trust_id"))
                    .col(timestamp_with_time_zone_null("verified_at"))
                    .col(uuid_null("recorded_by"))
                    .col(string_null("evidence_sha256"))
                    .col(string_null("evidence_content_type"))
                    .col(big_integer_null("evidence_size"))
                    .col(string_null("evidence_filename"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("credentials", "worker_id", "workers"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "credentials",
                "worker_kind",
                &["worker_id", "kind"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "credentials",
                "expiry",
                &["status", "expires_on"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("credential_events")
                    .col(pk_uuid("id"))
                    .col(uuid("credential_id"))
                    .col(string("event"))
                    .col(uuid_null("actor_account_id"))
                    .col(uuid_null("trust_id"))
                    .col(string_null("reason"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut fk("credential_events", "credential_id", "credentials"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "credential_events",
                "credential",
                &["credential_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("credential_recognitions")
                    .col(pk_uuid("id"))
                    .col(uuid("credential_id"))
                    .col(uuid("trust_id"))
                    .col(string("source"))
                    .col(uuid_null("passport_id"))
                    .col(uuid_null("issuer_trust_id"))
                    .col(uuid_null("recognised_by"))
                    .col(timestamp_with_time_zone("recognised_at"))
                    .col(timestamp_with_time_zone_null("withdrawn_at"))
                    .foreign_key(&mut fk(
                        "credential_recognitions",
                        "credential_id",
                        "credentials",
                    ))
                    .foreign_key(&mut fk("credential_recognitions", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "credential_recognitions",
                "credential_trust",
                &["credential_id", "trust_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "credential_recognitions",
                "trust",
                &["trust_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("requirements")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(string("kind"))
                    .col(integer_null("min_level"))
                    .col(integer_null("max_age_days"))
                    .col(string_null("staff_group"))
                    .col(uuid_null("ward_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("retired_at"))
                    .foreign_key(&mut fk("requirements", "trust_id", "trusts"))
                    .foreign_key(&mut fk("requirements", "ward_id", "wards"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("requirements", "trust", &["trust_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "requirements",
                "credential_recognitions",
                "credential_events",
                "credentials",
            ],
        )
        .await
    }
}
