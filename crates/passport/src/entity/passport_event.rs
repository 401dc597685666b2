//! `passport_events`: one entry of a passport's append-only history.

use sea_orm::entity::prelude::*;

/// One entry of a passport's append-only history.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "passport_events")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The passport.
    pub passport_id: Uuid,
    /// ISSUED, SHARED, SHARE_WITHDRAWN, ACCEPTED, SUSPENDED, REINSTATED, REVOKED.
    pub event: String,
    /// Who (none for the service).
    pub actor_account_id: Option<Uuid>,
    /// The trust concerned (shared with, accepted by, revoked by).
    pub trust_id: Option<Uuid>,
    /// Why, or what.
    pub reason: Option<String>,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
