//! `trust_keys`: one Ed25519 signing key of a trust.

use sea_orm::entity::prelude::*;

/// One Ed25519 signing key of a trust.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trust_keys")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// Key id: the RFC 7638 thumbprint of the public key.
    pub kid: String,
    /// Public key, base64url (32 bytes).
    pub public_key: String,
    /// Private key sealed with the key-encryption key (never shown, never logged).
    pub sealed_private_key: String,
    /// When it became the signing key (valid for passports issued from then).
    pub created_at: DateTimeUtc,
    /// When a newer key took over signing (still valid for passports issued before).
    pub rotated_at: Option<DateTimeUtc>,
    /// When it was retired: no passport signed with it verifies any more.
    pub retired_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
