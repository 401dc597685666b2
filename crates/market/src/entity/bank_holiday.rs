//! `bank_holidays`: a collaborative bank's change to its nation's bank holidays — a day added (or
//! renamed), or a default day removed.

use sea_orm::entity::prelude::*;

/// One bank's change to its calendar on one day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bank_holidays")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The collaborative bank.
    pub system_id: Uuid,
    /// The day.
    pub date: Date,
    /// Its name (for a removed day, the name it had).
    pub name: String,
    /// Whether the day is taken off the calendar (a default the bank does not keep).
    pub removed: bool,
    /// Who changed it last (none: the service).
    pub changed_by: Option<Uuid>,
    /// When.
    pub changed_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
