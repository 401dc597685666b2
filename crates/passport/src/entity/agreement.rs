//! `passporting_agreements`: one version of a collaborative bank's passporting agreement.

use sea_orm::entity::prelude::*;

/// One version of a collaborative bank's passporting agreement.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "passporting_agreements")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The collaborative bank.
    pub system_id: Uuid,
    /// Longest a passport may be valid, in days.
    pub max_passport_days: i32,
    /// The rules per kind (JSON array).
    pub rules: Json,
    /// Account that set it (none for the built-in default).
    pub set_by: Option<Uuid>,
    /// When it took effect.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
