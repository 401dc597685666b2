//! `wards`: a ward or unit at a site.

use sea_orm::entity::prelude::*;

/// A ward or unit at a site.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "wards")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// The site.
    pub site_id: Uuid,
    /// Name, unique within the site.
    pub name: String,
    /// Cost centre code for payroll and recharges.
    pub cost_centre: String,
    /// Skills a worker needs here (JSON array of strings).
    pub required_skills: Json,
    /// When created.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
