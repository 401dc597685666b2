//! `access_log`: one cross-organisation look at a worker's details.

use sea_orm::entity::prelude::*;

/// One look.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Whose details.
    pub worker_id: Uuid,
    /// Who looked.
    pub viewer_account_id: Uuid,
    /// For which trust they looked.
    pub viewer_trust_id: Option<Uuid>,
    /// What they saw (e.g. `CREDENTIALS`, `PASSPORT`).
    pub what: crate::visibility::Viewed,
    /// Why (e.g. `ENGAGED_AT_TRUST`, `PASSPORT_SHARED`, `AUDIT`).
    pub purpose: String,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
