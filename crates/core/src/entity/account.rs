//! `accounts`: a person who signs in.

use sea_orm::entity::prelude::*;

/// One account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lower-cased, unique email address.
    #[sea_orm(unique)]
    pub email: String,
    /// Name shown in the service.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When disabled; a disabled account cannot sign in.
    pub disabled_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
