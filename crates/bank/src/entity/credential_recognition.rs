//! `credential_recognitions`: a trust's acceptance of a credential as meeting its requirements.

use sea_orm::entity::prelude::*;

/// A trust's acceptance of a credential as meeting its requirements.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credential_recognitions")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The credential.
    pub credential_id: Uuid,
    /// The trust recognising it.
    pub trust_id: Uuid,
    /// LOCAL_VERIFICATION or PASSPORT.
    pub source: String,
    /// The passport it came through.
    pub passport_id: Option<Uuid>,
    /// The trust that issued that passport.
    pub issuer_trust_id: Option<Uuid>,
    /// Account that accepted it.
    pub recognised_by: Option<Uuid>,
    /// When.
    pub recognised_at: DateTimeUtc,
    /// When withdrawn (e.g. passport revoked).
    pub withdrawn_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
