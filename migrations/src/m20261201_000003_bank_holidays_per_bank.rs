//! Public holidays per collaborative bank. A bank names its nation (`systems.nation`: England and
//! Wales, Scotland or Northern Ireland); its calendar is that nation's bank holidays, generated in
//! code from the rules (`staffbank_market::pay::holidays`), changed by its own admins through
//! `bank_holidays` rows: a day added (or renamed), or a default day removed. One bank's edits never
//! touch another's calendar, or its pay.
//!
//! The old national table `public_holidays` goes: its seeded days (England and Wales, 2025-2028)
//! are what the rules give, and every day an admin added to it is copied to every bank that
//! existed, as that bank's own addition (it was everyone's before). Going down puts the old table
//! back with its seed and those additions.

use sea_orm_migration::{prelude::*, schema::*};

use crate::support::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The days `m20261123_000040_create_pay` seeded (to tell them from admins' additions, and to
/// seed the old table again on the way down).
const SEEDED: [(&str, &str); 32] = [
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

fn day(s: &str) -> Result<chrono::NaiveDate, DbErr> {
    s.parse::<chrono::NaiveDate>()
        .map_err(|e| DbErr::Migration(e.to_string()))
}

fn seeded_days() -> Result<Vec<chrono::NaiveDate>, DbErr> {
    SEEDED.iter().map(|(d, _)| day(d)).collect()
}

fn insert_err(e: impl std::fmt::Display) -> DbErr {
    DbErr::Migration(e.to_string())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("systems")
                    .add_column(string("nation").default("ENGLAND_AND_WALES"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("bank_holidays")
                    .col(pk_uuid("id"))
                    .col(uuid("system_id"))
                    .col(date("date"))
                    .col(string("name"))
                    .col(boolean("removed"))
                    .col(uuid_null("changed_by"))
                    .col(timestamp_with_time_zone("changed_at"))
                    .foreign_key(&mut fk("bank_holidays", "system_id", "systems"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "bank_holidays",
                "system_date",
                &["system_id", "date"],
                true,
            ))
            .await?;

        // Admins' additions to the old national list become each existing bank's own.
        let conn = manager.get_connection();
        let seeded = seeded_days()?;
        let added = conn
            .query_all(
                Query::select()
                    .columns(["date", "name"])
                    .from("public_holidays")
                    .and_where(Expr::col("date").is_not_in(seeded)),
            )
            .await?;
        let systems = conn
            .query_all(Query::select().column("id").from("systems"))
            .await?;
        let now = chrono::Utc::now();
        for s in &systems {
            let system_id: uuid::Uuid = s.try_get("", "id")?;
            for h in &added {
                let date: chrono::NaiveDate = h.try_get("", "date")?;
                let name: String = h.try_get("", "name")?;
                let mut insert = Query::insert();
                insert
                    .into_table("bank_holidays")
                    .columns([
                        "id",
                        "system_id",
                        "date",
                        "name",
                        "removed",
                        "changed_by",
                        "changed_at",
                    ])
                    .values([
                        uuid::Uuid::now_v7().into(),
                        system_id.into(),
                        date.into(),
                        name.into(),
                        false.into(),
                        Option::<uuid::Uuid>::None.into(),
                        now.into(),
                    ])
                    .map_err(insert_err)?;
                manager.exec_stmt(insert).await?;
            }
        }
        manager
            .drop_table(Table::drop().table("public_holidays").to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
        let mut days: std::collections::BTreeMap<chrono::NaiveDate, String> = SEEDED
            .iter()
            .map(|(d, n)| day(d).map(|d| (d, (*n).to_owned())))
            .collect::<Result<_, _>>()?;
        let conn = manager.get_connection();
        for h in conn
            .query_all(
                Query::select()
                    .columns(["date", "name"])
                    .from("bank_holidays")
                    .and_where(Expr::col("removed").eq(false)),
            )
            .await?
        {
            let date: chrono::NaiveDate = h.try_get("", "date")?;
            let name: String = h.try_get("", "name")?;
            days.entry(date).or_insert(name);
        }
        for (i, (date, name)) in days.into_iter().enumerate() {
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
                    date.into(),
                    name.into(),
                ])
                .map_err(insert_err)?;
            manager.exec_stmt(insert).await?;
        }
        manager
            .drop_table(Table::drop().table("bank_holidays").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("systems")
                    .drop_column("nation")
                    .to_owned(),
            )
            .await
    }
}
