//! `status_lists`: one Bitstring Status List of a trust (its revocation and suspension lists share the indexes).

use sea_orm::entity::prelude::*;

/// One Bitstring Status List of a trust (its revocation and suspension lists share the indexes).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "status_lists")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The issuing trust.
    pub trust_id: Uuid,
    /// Entries in the list.
    pub size_bits: i32,
    /// Entries handed out.
    pub allocated: i32,
    /// When created.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
