//! `membership_events`: every step of an engagement's consent (append-only).

use sea_orm::entity::prelude::*;

/// One step: PROPOSED, ACCEPTED, DECLINED, ENDED (or HOME, for the home trust's engagement).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "membership_events")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The membership.
    pub membership_id: Uuid,
    /// What happened.
    pub event: String,
    /// Who did it (none for the service).
    pub actor_account_id: Option<Uuid>,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
