//! `systems`: a collaborative bank.

use sea_orm::entity::prelude::*;

/// One collaborative bank.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "systems")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name, unique.
    pub name: String,
    /// How it engages workers: `LEAD_EMPLOYER` or `OWN_POOLS`.
    pub model: crate::organisation::SystemModel,
    /// The nation whose bank holidays are its default calendar (ENGLAND_AND_WALES, SCOTLAND,
    /// NORTHERN_IRELAND).
    pub nation: crate::organisation::Nation,
    /// When created.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
