//! `credential_events`: one entry of a credential's append-only history.

use sea_orm::entity::prelude::*;

/// One entry of a credential's append-only history.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credential_events")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The credential.
    pub credential_id: Uuid,
    /// RECORDED, VERIFIED, REJECTED, REVOKED, EXPIRED, EVIDENCE_ADDED, RECOGNISED.
    pub event: String,
    /// Who (none for the service).
    pub actor_account_id: Option<Uuid>,
    /// For which trust.
    pub trust_id: Option<Uuid>,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
