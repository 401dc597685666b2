//! `passport_shares`: the worker's consent for a trust to see a passport.

use sea_orm::entity::prelude::*;

/// The worker's consent for a trust to see a passport.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "passport_shares")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The passport.
    pub passport_id: Uuid,
    /// The worker who consented.
    pub worker_id: Uuid,
    /// The trust it is shared with.
    pub trust_id: Uuid,
    /// Account that shared it (the worker's).
    pub shared_by: Option<Uuid>,
    /// When consent was given.
    pub shared_at: DateTimeUtc,
    /// When consent was withdrawn.
    pub withdrawn_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
