//! `memberships`: a worker's engagement at a trust.

use sea_orm::entity::prelude::*;

/// A worker's engagement at a trust.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// The trust.
    pub trust_id: Uuid,
    /// ACTIVE, SUSPENDED or DORMANT.
    pub state: crate::membership::MembershipState,
    /// Why, when not active.
    pub state_reason: Option<String>,
    /// When engaged.
    pub created_at: DateTimeUtc,
    /// When the state last changed.
    pub updated_at: DateTimeUtc,
    /// Where the worker's consent stands: PROPOSED, ACCEPTED, DECLINED or ENDED.
    pub consent: crate::membership::Consent,
    /// The account that proposed the engagement (none for the home trust).
    pub proposed_by: Option<Uuid>,
    /// When the worker accepted or declined the latest proposal.
    pub decided_at: Option<DateTimeUtc>,
    /// When the worker ended the engagement.
    pub ended_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
