//! `shift_grades`: the grades a shift accepts (the grade asked for, then fallbacks).

use sea_orm::entity::prelude::*;

/// One accepted grade.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shift_grades")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The shift.
    pub shift_id: Uuid,
    /// Grade code.
    pub grade: String,
    /// 0 for the grade asked for, then 1, 2... for fallbacks.
    pub preference: i32,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
