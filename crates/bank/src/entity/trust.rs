//! `trusts`: an NHS trust that is a member of one collaborative bank.

use sea_orm::entity::prelude::*;

/// One trust.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trusts")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The collaborative bank it belongs to.
    pub system_id: Uuid,
    /// Name, unique within the system.
    pub name: String,
    /// NHS ODS organisation code, unique.
    pub ods_code: String,
    /// When admitted.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
