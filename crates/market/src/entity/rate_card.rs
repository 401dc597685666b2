//! `rate_cards`: a trust's rates from a date: hourly rates per grade, enhancements and holiday uplift.

use sea_orm::entity::prelude::*;

/// A trust's rates from a date: hourly rates per grade, enhancements and holiday uplift.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_cards")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// First day it applies (by the shift's local start date).
    pub effective_from: Date,
    /// Holiday pay accrual as a fraction of pay (decimal text, e.g. 0.1207).
    pub holiday_uplift: String,
    /// Unsocial-hours enhancements per AfC band: {"5": ["0.30", "0.60"], ...} (Saturday or night; Sunday or public holiday).
    pub enhancements: Json,
    /// Who set it.
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
