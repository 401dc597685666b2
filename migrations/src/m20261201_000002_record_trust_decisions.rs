//! Decisions that belong to one trust, and versions of a credential. A trust that does not accept
//! a credential another trust verified records that as its own decision (`credential_declines`),
//! which counts only in its own compliance and which only it can reverse; the verification stays
//! as its verifier made it. A credential that has been decided never takes another document: the
//! new document starts a new version (`credentials.previous_version_id`), awaiting verification.

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
                    .table("credential_declines")
                    .col(pk_uuid("id"))
                    .col(uuid("credential_id"))
                    .col(uuid("trust_id"))
                    .col(string("reason"))
                    .col(uuid_null("declined_by"))
                    .col(timestamp_with_time_zone("declined_at"))
                    .col(uuid_null("withdrawn_by"))
                    .col(timestamp_with_time_zone_null("withdrawn_at"))
                    .foreign_key(&mut fk(
                        "credential_declines",
                        "credential_id",
                        "credentials",
                    ))
                    .foreign_key(&mut fk("credential_declines", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "credential_declines",
                "credential_trust",
                &["credential_id", "trust_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index("credential_declines", "trust", &["trust_id"], false))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("credentials")
                    .add_column(uuid_null("previous_version_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "credentials",
                "previous_version",
                &["previous_version_id"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_credentials_previous_version")
                    .table("credentials")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("credentials")
                    .drop_column("previous_version_id")
                    .to_owned(),
            )
            .await?;
        drop_tables(manager, &["credential_declines"]).await
    }
}
