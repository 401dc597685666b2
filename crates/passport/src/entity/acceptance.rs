//! `passport_acceptances`: a trust's decision on a passport, item by item.

use sea_orm::entity::prelude::*;

/// A trust's decision on a passport, item by item.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "passport_acceptances")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The passport.
    pub passport_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// The accepting trust.
    pub trust_id: Uuid,
    /// The issuing trust.
    pub issuer_trust_id: Uuid,
    /// Account that decided.
    pub decided_by: Option<Uuid>,
    /// When.
    pub decided_at: DateTimeUtc,
    /// The decision per item (JSON array).
    pub items: Json,
    /// Items accepted (checks not redone).
    pub accepted_count: i32,
    /// Items needing a local check.
    pub local_check_count: i32,
    /// Items rejected.
    pub rejected_count: i32,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
