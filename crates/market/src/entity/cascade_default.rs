//! `cascade_defaults`: the release cascade a trust's new shifts get unless posted with their own.

use sea_orm::entity::prelude::*;

/// One tier of a trust's default cascade.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cascade_defaults")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// Order in the cascade, from 0.
    pub position: i32,
    /// PREFERRED, OWN_TRUST, COLLABORATIVE or AGENCY.
    pub audience: crate::release_cascade::Audience,
    /// POSTING (minutes after posting) or START (minutes before the start).
    pub anchor: crate::release_cascade::Anchor,
    /// Minutes from the anchor.
    pub offset_minutes: i32,
    /// When set.
    pub created_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
