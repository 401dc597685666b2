//! `shift_tiers`: a shift's release cascade, each tier with the instant it opens.

use sea_orm::entity::prelude::*;

/// One tier of a shift's cascade.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shift_tiers")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The shift.
    pub shift_id: Uuid,
    /// Order, from 0.
    pub position: i32,
    /// PREFERRED, OWN_TRUST, COLLABORATIVE or AGENCY.
    pub audience: crate::release_cascade::Audience,
    /// POSTING or START.
    pub anchor: crate::release_cascade::Anchor,
    /// Minutes from the anchor.
    pub offset_minutes: i32,
    /// The instant it opens (fixed at posting; whether it is open is asked of the clock).
    pub opens_at: DateTimeUtc,
    /// When the workers it newly reached were told.
    pub announced_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
