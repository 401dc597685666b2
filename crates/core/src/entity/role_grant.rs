//! `role_grants`: one role an account holds, for one trust, ward, collaborative bank or worker.

use sea_orm::entity::prelude::*;

/// One grant.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_grants")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The account holding the role.
    pub account_id: Uuid,
    /// The role.
    pub role: crate::Role,
    /// Trust, for trust-scoped roles.
    pub trust_id: Option<Uuid>,
    /// Ward, for a ward manager limited to one ward.
    pub ward_id: Option<Uuid>,
    /// Collaborative bank, for system admins.
    pub system_id: Option<Uuid>,
    /// Worker record, for workers.
    pub worker_id: Option<Uuid>,
    /// Who granted it (none when granted by the service).
    pub granted_by: Option<Uuid>,
    /// When granted.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
