//! Searching the bank's workers by grade and by skill, from indexes: `worker_skills` holds one row
//! per skill a worker holds (filled from `workers.skills`, which stays the record), found by skill
//! first; and workers by bank, grade and id, for a grade searched without a staff group (with one,
//! the matching index `ix_workers_matching` serves).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

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
                    .table("worker_skills")
                    .col(uuid("worker_id"))
                    .col(string("skill"))
                    .primary_key(Index::create().col("worker_id").col("skill"))
                    .foreign_key(&mut fk("worker_skills", "worker_id", "workers"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "worker_skills",
                "skill",
                &["skill", "worker_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "workers",
                "grade",
                &["system_id", "grade", "id"],
                false,
            ))
            .await?;
        // The skills workers hold today, from their JSON lists.
        let backfill = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "INSERT INTO worker_skills (worker_id, skill) \
                 SELECT DISTINCT w.id, s.value FROM workers w, \
                 json_array_elements_text(w.skills::json) AS s(value)"
            }
            _ => {
                "INSERT INTO worker_skills (worker_id, skill) \
                 SELECT DISTINCT w.id, s.value FROM workers w, json_each(w.skills) AS s \
                 WHERE s.type = 'text'"
            }
        };
        manager
            .get_connection()
            .execute_unprepared(backfill)
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_workers_grade")
                    .table("workers")
                    .to_owned(),
            )
            .await?;
        drop_tables(manager, &["worker_skills"]).await
    }
}
