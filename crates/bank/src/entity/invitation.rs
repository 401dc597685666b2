//! `invitations`: an invitation to set up a worker account.

use sea_orm::entity::prelude::*;

/// An invitation to set up a worker account.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The inviting trust.
    pub trust_id: Uuid,
    /// The worker record, when created by a bank office.
    pub worker_id: Option<Uuid>,
    /// Who was invited.
    pub email: String,
    /// SHA-256 of the secret token (the token itself is only emailed).
    pub token_hash: String,
    /// Account that invited.
    pub invited_by: Option<Uuid>,
    /// When sent.
    pub created_at: DateTimeUtc,
    /// When it stops working.
    pub expires_at: DateTimeUtc,
    /// When accepted.
    pub accepted_at: Option<DateTimeUtc>,
    /// The account created on acceptance.
    pub account_id: Option<Uuid>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
