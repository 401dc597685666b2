//! `requirements`: one item of a trust's requirement profile.

use sea_orm::entity::prelude::*;

/// One item of a trust's requirement profile.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "requirements")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// Credential kind required.
    pub kind: String,
    /// Minimum level.
    pub min_level: Option<i32>,
    /// How old the credential may be (renewal period), in days.
    pub max_age_days: Option<i32>,
    /// Applies only to this staff group (all when empty).
    pub staff_group: Option<staffbank_core::StaffGroup>,
    /// Applies only on this ward (all when empty).
    pub ward_id: Option<Uuid>,
    /// When added.
    pub created_at: DateTimeUtc,
    /// When retired (no longer applies).
    pub retired_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
