//! The shift marketplace, part three: a ward's preferred workers (the first tier of its release
//! cascade) and the restrictions a trust places on a worker (blocked; self-booking suspended after
//! repeated short-notice cancellations or no-shows). Restrictions are lifted, never deleted.

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
                    .table("preferred_workers")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(uuid("ward_id"))
                    .col(uuid("worker_id"))
                    .col(uuid_null("added_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("preferred_workers", "trust_id", "trusts"))
                    .foreign_key(&mut fk("preferred_workers", "ward_id", "wards"))
                    .foreign_key(&mut fk("preferred_workers", "worker_id", "workers"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "preferred_workers",
                "ward_worker",
                &["ward_id", "worker_id"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("worker_restrictions")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(uuid("worker_id"))
                    .col(string("kind"))
                    .col(string("reason"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("lifted_at"))
                    .col(uuid_null("lifted_by"))
                    .foreign_key(&mut fk("worker_restrictions", "trust_id", "trusts"))
                    .foreign_key(&mut fk("worker_restrictions", "worker_id", "workers"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "worker_restrictions",
                "trust_worker",
                &["trust_id", "worker_id"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["worker_restrictions", "preferred_workers"]).await
    }
}
