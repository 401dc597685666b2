//! `worker_restrictions`: a trust blocking a worker, or suspending their self-booking.

use sea_orm::entity::prelude::*;

/// A restriction, in force until lifted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "worker_restrictions")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// BLOCKED or SELF_BOOKING_SUSPENDED.
    pub kind: crate::restrictions::RestrictionKind,
    /// Why.
    pub reason: String,
    /// Who placed it (none when placed by policy).
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: DateTimeUtc,
    /// When lifted.
    pub lifted_at: Option<DateTimeUtc>,
    /// Who lifted it.
    pub lifted_by: Option<Uuid>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
