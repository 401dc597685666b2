//! `preferred_workers`: workers a ward offers its shifts to first.

use sea_orm::entity::prelude::*;

/// A ward's preferred worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "preferred_workers")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The ward's trust.
    pub trust_id: Uuid,
    /// The ward.
    pub ward_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// Who added them.
    pub added_by: Option<Uuid>,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
