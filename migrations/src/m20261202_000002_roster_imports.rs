//! Roster imports: a roster file a bank office uploaded to post many shifts at once, kept with
//! what was wrong with it (row by row) and whether it was posted. One import per trust and file
//! content (`ux_roster_imports_trust_content`), so the same file uploaded twice is the same import
//! and can never post its shifts twice.

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
                    .table("roster_imports")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(string("content_sha256"))
                    .col(string("filename"))
                    .col(text("content"))
                    .col(string("state"))
                    .col(integer("row_count"))
                    .col(integer("rows_posted"))
                    .col(json("errors"))
                    .col(uuid_null("uploaded_by"))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .col(uuid_null("posted_by"))
                    .col(timestamp_with_time_zone_null("posted_at"))
                    .foreign_key(&mut fk("roster_imports", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "roster_imports",
                "trust_content",
                &["trust_id", "content_sha256"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["roster_imports"]).await
    }
}
