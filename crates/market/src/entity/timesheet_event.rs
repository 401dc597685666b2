//! `timesheet_events`: one entry of a timesheet's history.

use sea_orm::entity::prelude::*;

/// One entry of a timesheet's history.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "timesheet_events")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The timesheet.
    pub timesheet_id: Uuid,
    /// SUBMITTED, QUERIED, RESUBMITTED, APPROVED, AUTO_APPROVED, ESCALATED, PAYMENT_APPROVED,
    /// EXPORTED.
    pub event: String,
    /// Who.
    pub actor_account_id: Option<Uuid>,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
