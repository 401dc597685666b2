//! `sessions`: one sign-in; a bearer token names its session, and stops working when it ends.

use sea_orm::entity::prelude::*;

/// One sign-in.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// Id (the token's `sid` claim).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Who signed in.
    pub account_id: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
    /// When its token expires.
    pub expires_at: DateTimeUtc,
    /// When it was ended before then.
    pub ended_at: Option<DateTimeUtc>,
    /// Why it was ended: SIGNED_OUT or PASSWORD_CHANGED.
    pub end_reason: Option<crate::sessions::EndReason>,
}

/// A session belongs to an account (read together on every request).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The account signed in.
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
