//! `rate_card_lines`: one grade's hourly rate on a rate card.

use sea_orm::entity::prelude::*;

/// One grade's hourly rate on a rate card.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_card_lines")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The card.
    pub rate_card_id: Uuid,
    /// Grade code.
    pub grade: String,
    /// Hourly rate in pounds (decimal text).
    pub hourly_rate: String,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
