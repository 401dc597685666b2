//! The shift marketplace, part one: shifts posted by trusts, the grades each accepts, their release
//! cascade tiers, each trust's default cascade, and each trust's marketplace policy (cancellation
//! windows, fees, strikes, dormancy).

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
                    .table("market_policies")
                    .col(pk_uuid("trust_id"))
                    .col(integer("worker_short_notice_minutes"))
                    .col(integer("trust_late_cancellation_minutes"))
                    .col(integer("late_cancellation_fee_minutes"))
                    .col(integer("strike_limit"))
                    .col(integer("strike_window_days"))
                    .col(integer("dormancy_days"))
                    .col(uuid_null("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("market_policies", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("cascade_defaults")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(integer("position"))
                    .col(string("audience"))
                    .col(string("anchor"))
                    .col(integer("offset_minutes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("cascade_defaults", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "cascade_defaults",
                "trust_position",
                &["trust_id", "position"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("shifts")
                    .col(pk_uuid("id"))
                    .col(uuid("system_id"))
                    .col(uuid("trust_id"))
                    .col(uuid("site_id"))
                    .col(uuid("ward_id"))
                    .col(string("staff_group"))
                    .col(string("grade"))
                    .col(json("skills"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(integer("break_minutes"))
                    .col(integer("worked_minutes"))
                    .col(string("reason"))
                    .col(string("pay_basis"))
                    .col(integer("positions"))
                    .col(integer("filled_positions"))
                    .col(string_null("notes"))
                    .col(timestamp_with_time_zone("opens_at"))
                    .col(timestamp_with_time_zone_null("escalates_at"))
                    .col(uuid_null("posted_by"))
                    .col(timestamp_with_time_zone("posted_at"))
                    .col(timestamp_with_time_zone_null("cancelled_at"))
                    .col(uuid_null("cancelled_by"))
                    .col(string_null("cancel_reason"))
                    .foreign_key(&mut fk("shifts", "system_id", "systems"))
                    .foreign_key(&mut fk("shifts", "trust_id", "trusts"))
                    .foreign_key(&mut fk("shifts", "site_id", "sites"))
                    .foreign_key(&mut fk("shifts", "ward_id", "wards"))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("trust_start", &["trust_id", "starts_at", "id"][..]),
            ("ward_start", &["ward_id", "starts_at"][..]),
            ("feed", &["system_id", "staff_group", "starts_at", "id"][..]),
        ] {
            manager
                .create_index(index("shifts", name, cols, false))
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("shift_grades")
                    .col(pk_uuid("id"))
                    .col(uuid("shift_id"))
                    .col(string("grade"))
                    .col(integer("preference"))
                    .foreign_key(&mut fk("shift_grades", "shift_id", "shifts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "shift_grades",
                "shift_grade",
                &["shift_id", "grade"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "shift_grades",
                "grade_shift",
                &["grade", "shift_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("shift_tiers")
                    .col(pk_uuid("id"))
                    .col(uuid("shift_id"))
                    .col(integer("position"))
                    .col(string("audience"))
                    .col(string("anchor"))
                    .col(integer("offset_minutes"))
                    .col(timestamp_with_time_zone("opens_at"))
                    .col(timestamp_with_time_zone_null("announced_at"))
                    .foreign_key(&mut fk("shift_tiers", "shift_id", "shifts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "shift_tiers",
                "shift_position",
                &["shift_id", "position"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "shift_tiers",
                "due",
                &["announced_at", "opens_at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "shift_tiers",
                "shift_grades",
                "shifts",
                "cascade_defaults",
                "market_policies",
            ],
        )
        .await
    }
}
