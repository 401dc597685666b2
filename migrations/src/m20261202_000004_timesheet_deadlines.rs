//! Timesheet deadlines: each trust says how many hours a ward manager has to approve or query a
//! submitted timesheet, and whether one whose times match the booked shift (within a tolerance,
//! same break) is approved automatically at the deadline (`timesheet_policies`; a trust without a
//! row has the defaults). Each timesheet keeps the deadline it was given when (re)submitted and
//! when it escalated to the bank office. Timesheets submitted before this change have no stored
//! deadline; the domain gives them one from their submission time and the trust's policy.

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
                    .table("timesheet_policies")
                    .col(uuid("trust_id").primary_key())
                    .col(integer("approval_hours"))
                    .col(boolean("auto_approve"))
                    .col(integer("tolerance_minutes"))
                    .col(uuid_null("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("timesheet_policies", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite alters one thing at a time.
        for col in [
            timestamp_with_time_zone_null("deadline_at").to_owned(),
            timestamp_with_time_zone_null("escalated_at").to_owned(),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table("timesheets")
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        // The escalation job looks for submitted timesheets by deadline.
        manager
            .create_index(index(
                "timesheets",
                "state_deadline",
                &["state", "deadline_at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_timesheets_state_deadline")
                    .table("timesheets")
                    .to_owned(),
            )
            .await?;
        for c in ["escalated_at", "deadline_at"] {
            manager
                .alter_table(Table::alter().table("timesheets").drop_column(c).to_owned())
                .await?;
        }
        drop_tables(manager, &["timesheet_policies"]).await
    }
}
