//! The shift marketplace, part two: bookings (with the shift's start and end copied, so the
//! database itself can refuse overlaps), their append-only events, and cancellation records with
//! the fee a late trust cancellation owes.
//!
//! Double booking is refused by the database on both engines: a partial unique index allows one
//! active booking per shift position. On PostgreSQL an exclusion constraint (`btree_gist`) also
//! refuses two active bookings of one worker whose times overlap; SQLite cannot express it, and
//! there the domain re-checks inside a write transaction that SQLite serialises.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
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
                    .table("bookings")
                    .col(pk_uuid("id"))
                    .col(uuid("shift_id"))
                    .col(uuid("trust_id"))
                    .col(uuid("ward_id"))
                    .col(uuid("worker_id"))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(timestamp_with_time_zone("ends_at"))
                    .col(integer("worked_minutes"))
                    .col(boolean("active"))
                    .col(string("state"))
                    .col(string("booked_via"))
                    .col(uuid_null("booked_by"))
                    .col(string_null("idempotency_key"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .foreign_key(&mut fk("bookings", "shift_id", "shifts"))
                    .foreign_key(&mut fk("bookings", "worker_id", "workers"))
                    .foreign_key(&mut fk("bookings", "trust_id", "trusts"))
                    .foreign_key(&mut fk("bookings", "ward_id", "wards"))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            ("worker_start", &["worker_id", "starts_at"][..], false),
            ("ward_worker", &["ward_id", "worker_id"][..], false),
            ("trust_start", &["trust_id", "starts_at", "id"][..], false),
            ("start", &["starts_at"][..], false),
            ("shift", &["shift_id"][..], false),
            // A repeated request (same caller, same key) finds the booking it made.
            ("request", &["booked_by", "idempotency_key"][..], true),
        ] {
            manager
                .create_index(index("bookings", name, cols, unique))
                .await?;
        }
        let conn = manager.get_connection();
        // One active booking per shift position, on both engines.
        conn.execute_unprepared(
            "CREATE UNIQUE INDEX ux_bookings_shift_position ON bookings (shift_id, position) WHERE active",
        )
        .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            conn.execute_unprepared("CREATE EXTENSION IF NOT EXISTS btree_gist")
                .await?;
            conn.execute_unprepared(
                "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_worker_overlap \
                 EXCLUDE USING gist (worker_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (active)",
            )
            .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("booking_events")
                    .col(pk_uuid("id"))
                    .col(uuid("booking_id"))
                    .col(uuid("shift_id"))
                    .col(uuid("trust_id"))
                    .col(uuid("worker_id"))
                    .col(string("event"))
                    .col(boolean("strike"))
                    .col(uuid_null("actor_account_id"))
                    .col(string_null("reason"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut fk("booking_events", "booking_id", "bookings"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("booking_events", "booking", &["booking_id"], false))
            .await?;
        manager
            .create_index(index(
                "booking_events",
                "worker_at",
                &["worker_id", "at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("cancellations")
                    .col(pk_uuid("id"))
                    .col(uuid("booking_id"))
                    .col(uuid("shift_id"))
                    .col(uuid("trust_id"))
                    .col(uuid("worker_id"))
                    .col(string("cancelled_by"))
                    .col(uuid_null("actor_account_id"))
                    .col(string("reason"))
                    .col(integer("minutes_before_start"))
                    .col(boolean("short_notice"))
                    .col(integer_null("fee_minutes"))
                    .col(string_null("fee_grade"))
                    .col(big_integer_null("fee_amount_pence"))
                    .col(timestamp_with_time_zone("at"))
                    .foreign_key(&mut fk("cancellations", "booking_id", "bookings"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("cancellations", "booking", &["booking_id"], true))
            .await?;
        manager
            .create_index(index(
                "cancellations",
                "trust_at",
                &["trust_id", "at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["cancellations", "booking_events", "bookings"]).await
    }
}
