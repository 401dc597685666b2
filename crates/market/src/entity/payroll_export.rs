//! `payroll_exports`: one payroll export: the lines of a trust's pay period not exported before.

use sea_orm::entity::prelude::*;

/// One payroll export: the lines of a trust's pay period not exported before.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payroll_exports")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The paying trust.
    pub trust_id: Uuid,
    /// Pay period (YYYY-MM).
    pub pay_period: String,
    /// Lines in it.
    pub line_count: i32,
    /// Their total, in pence.
    pub total_pence: i64,
    /// The file, exactly as first produced.
    pub csv: String,
    /// Who.
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
