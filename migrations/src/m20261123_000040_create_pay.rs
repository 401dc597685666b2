//! Pay: public holidays (data, seeded for England and Wales), effective-dated rate cards, pay
//! policies (cut-off), timesheets and their history, pay lines, payroll exports.

use sea_orm_migration::{prelude::*, schema::*};

use crate::support::{drop_tables, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// England and Wales bank holidays (gov.uk), with substitute days.
const HOLIDAYS: [(&str, &str); 32] = [
    ("2025-01-01", "New Year's Day"),
    ("2025-04-18", "Good Friday"),
    ("2025-04-21", "Easter Monday"),
    ("2025-05-05", "Early May bank holiday"),
    ("2025-05-26", "Spring bank holiday"),
    ("2025-08-25", "Summer bank holiday"),
    ("2025-12-25", "Christmas Day"),
    ("2025-12-26", "Boxing Day"),
    ("2026-01-01", "New Year's Day"),
    ("2026-04-03", "Good Friday"),
    ("2026-04-06", "Easter Monday"),
    ("2026-05-04", "Early May bank holiday"),
    ("2026-05-25", "Spring bank holiday"),
    ("2026-08-31", "Summer bank holiday"),
    ("2026-12-25", "Christmas Day"),
    ("2026-12-28", "Boxing Day (substitute day)"),
    ("2027-01-01", "New Year's Day"),
    ("2027-03-26", "Good Friday"),
    ("2027-03-29", "Easter Monday"),
    ("2027-05-03", "Early May bank holiday"),
    ("2027-05-31", "Spring bank holiday"),
    ("2027-08-30", "Summer bank holiday"),
    ("2027-12-27", "Christmas Day (substitute day)"),
    ("2027-12-28", "Boxing Day (substitute day)"),
    ("2028-01-03", "New Year's Day (substitute day)"),
    ("2028-04-14", "Good Friday"),
    ("2028-04-17", "Easter Monday"),
    ("2028-05-01", "Early May bank holiday"),
    ("2028-05-29", "Spring bank holiday"),
    ("2028-08-28", "Summer bank holiday"),
    ("2028-12-25", "Christmas Day"),
    ("2028-12-26", "Boxing Day"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("public_holidays")
                    .col(pk_uuid("id"))
                    .col(string("region"))
                    .col(date("date"))
                    .col(string("name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "public_holidays",
                "region_date",
                &["region", "date"],
                true,
            ))
            .await?;
        for (i, (day, name)) in HOLIDAYS.iter().enumerate() {
            // Fixed ids, so the seed is the same on every installation.
            let id = uuid::Uuid::from_u128(
                0x5eed_0000_0000_7000_8000_0000_0000_0000 + u128::try_from(i).unwrap_or_default(),
            );
            let mut insert = Query::insert();
            insert
                .into_table("public_holidays")
                .columns(["id", "region", "date", "name"])
                .values([
                    id.into(),
                    "ENGLAND_AND_WALES".into(),
                    day.parse::<chrono::NaiveDate>()
                        .map_err(|e| DbErr::Migration(e.to_string()))?
                        .into(),
                    (*name).into(),
                ])
                .map_err(|e| DbErr::Migration(e.to_string()))?;
            manager.exec_stmt(insert).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("rate_cards")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(date("effective_from"))
                    .col(string("holiday_uplift"))
                    .col(json("enhancements"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("rate_cards", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "rate_cards",
                "trust_from",
                &["trust_id", "effective_from"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("rate_card_lines")
                    .col(pk_uuid("id"))
                    .col(uuid("rate_card_id"))
                    .col(string("grade"))
                    .col(string("hourly_rate"))
                    .foreign_key(&mut fk("rate_card_lines", "rate_card_id", "rate_cards"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "rate_card_lines",
                "card_grade",
                &["rate_card_id", "grade"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pay_policies")
                    .col(uuid("trust_id").primary_key())
                    .col(integer("cutoff_day"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("pay_policies", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("timesheets")
                    .col(pk_uuid("id"))
                    .col(uuid_uniq("booking_id"))
                    .col(uuid("shift_id"))
                    .col(uuid("trust_id"))
                    .col(uuid("ward_id"))
                    .col(uuid("worker_id"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone("ended_at"))
                    .col(integer("break_minutes"))
                    .col(string("state"))
                    .col(string_null("query_reason"))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .col(timestamp_with_time_zone_null("approved_at"))
                    .col(uuid_null("approved_by"))
                    .col(timestamp_with_time_zone_null("payment_approved_at"))
                    .col(uuid_null("payment_approved_by"))
                    .col(string_null("pay_period"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("timesheets", "booking_id", "bookings"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "timesheets",
                "ward_state",
                &["ward_id", "state"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("timesheet_events")
                    .col(pk_uuid("id"))
                    .col(uuid("timesheet_id"))
                    .col(string("event"))
                    .col(uuid_null("actor_account_id"))
                    .col(string_null("reason"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut fk("timesheet_events", "timesheet_id", "timesheets"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "timesheet_events",
                "timesheet",
                &["timesheet_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("payroll_exports")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(string("pay_period"))
                    .col(integer("line_count"))
                    .col(big_integer("total_pence"))
                    .col(text("csv"))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("payroll_exports", "trust_id", "trusts"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("pay_lines")
                    .col(pk_uuid("id"))
                    .col(uuid("trust_id"))
                    .col(uuid("payroll_trust_id"))
                    .col(uuid("worker_id"))
                    .col(uuid("booking_id"))
                    .col(uuid_null("timesheet_id"))
                    .col(uuid_null("cancellation_id"))
                    .col(uuid("ward_id"))
                    .col(string("cost_centre"))
                    .col(date("work_date"))
                    .col(string("code"))
                    .col(string("grade"))
                    .col(big_integer("seconds"))
                    .col(string("rate"))
                    .col(string("enhancement"))
                    .col(big_integer("amount_pence"))
                    .col(string("pay_period"))
                    .col(uuid_null("export_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("pay_lines", "export_id", "payroll_exports"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "pay_lines",
                "payroll_period",
                &["payroll_trust_id", "pay_period"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "pay_lines",
                "trust_period",
                &["trust_id", "pay_period"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "pay_lines",
                "payroll_exports",
                "timesheet_events",
                "timesheets",
                "pay_policies",
                "rate_card_lines",
                "rate_cards",
                "public_holidays",
            ],
        )
        .await
    }
}
