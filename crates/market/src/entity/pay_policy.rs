//! `pay_policies`: a trust's payroll cut-off.

use sea_orm::entity::prelude::*;

/// A trust's payroll cut-off.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pay_policies")]
pub struct Model {
    /// The trust.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trust_id: Uuid,
    /// Day of the month after which approvals go into next month's pay period.
    pub cutoff_day: i32,
    /// When changed.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
