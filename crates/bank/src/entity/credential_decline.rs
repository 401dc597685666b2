//! `credential_declines`: a trust's own decision not to accept a credential (one verified by
//! another trust, or reaching it through a passport). It counts only in that trust's compliance.

use sea_orm::entity::prelude::*;

/// A trust's decision not to accept a credential.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credential_declines")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The credential.
    pub credential_id: Uuid,
    /// The trust that does not accept it.
    pub trust_id: Uuid,
    /// Why.
    pub reason: String,
    /// The account that decided.
    pub declined_by: Option<Uuid>,
    /// When.
    pub declined_at: DateTimeUtc,
    /// The account of that trust that reversed the decision.
    pub withdrawn_by: Option<Uuid>,
    /// When reversed (the trust accepted the credential after all).
    pub withdrawn_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
