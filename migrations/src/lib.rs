//! The database schema of staffbank, as an ordered list of migrations that run the same on SQLite
//! and PostgreSQL. A migration that has landed is never edited: change the schema with a new one.
//! See `README.md` beside this crate.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_organisations;
mod m20261123_000002_create_accounts;
mod m20261123_000003_create_sites_and_wards;
mod m20261123_000004_create_workers;
mod m20261123_000005_create_credentials;
mod m20261123_000006_create_access_log;
mod m20261123_000010_create_outbox;
mod m20261123_000020_create_shifts;
mod m20261123_000021_create_bookings;
mod m20261123_000022_create_worker_standing;
mod m20261123_000023_index_matching;
mod m20261123_000030_create_passports;
mod m20261123_000040_create_pay;
mod m20261124_000001_create_sessions;
mod m20261201_000001_consent_to_engagement;
mod m20261201_000002_record_trust_decisions;
mod m20261201_000003_bank_holidays_per_bank;
mod m20261202_000002_roster_imports;
mod m20261202_000004_timesheet_deadlines;
mod m20261202_000007_queue_roster_posting;
mod m20261202_000008_index_worker_search;
mod support;

/// Runs the migrations in order: the order of their names (sea-orm records which ran by name, so
/// a database migrated in an earlier order is not affected).
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_organisations::Migration),
            Box::new(m20261123_000002_create_accounts::Migration),
            Box::new(m20261123_000003_create_sites_and_wards::Migration),
            Box::new(m20261123_000004_create_workers::Migration),
            Box::new(m20261123_000005_create_credentials::Migration),
            Box::new(m20261123_000006_create_access_log::Migration),
            Box::new(m20261123_000010_create_outbox::Migration),
            Box::new(m20261123_000020_create_shifts::Migration),
            Box::new(m20261123_000021_create_bookings::Migration),
            Box::new(m20261123_000022_create_worker_standing::Migration),
            Box::new(m20261123_000023_index_matching::Migration),
            Box::new(m20261123_000030_create_passports::Migration),
            Box::new(m20261123_000040_create_pay::Migration),
            Box::new(m20261124_000001_create_sessions::Migration),
            Box::new(m20261201_000001_consent_to_engagement::Migration),
            Box::new(m20261201_000002_record_trust_decisions::Migration),
            Box::new(m20261201_000003_bank_holidays_per_bank::Migration),
            Box::new(m20261202_000002_roster_imports::Migration),
            Box::new(m20261202_000004_timesheet_deadlines::Migration),
            Box::new(m20261202_000007_queue_roster_posting::Migration),
            Box::new(m20261202_000008_index_worker_search::Migration),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_in_the_order_of_their_names() {
        let names: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
