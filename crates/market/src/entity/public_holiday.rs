//! `public_holidays`: a public (bank) holiday.

use sea_orm::entity::prelude::*;

/// A public (bank) holiday.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "public_holidays")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Region, e.g. ENGLAND_AND_WALES.
    pub region: String,
    /// The day.
    pub date: Date,
    /// Its name.
    pub name: String,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
