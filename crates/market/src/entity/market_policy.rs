//! `market_policies`: a trust's marketplace rules, when it has changed the defaults.

use sea_orm::entity::prelude::*;

/// A trust's marketplace rules.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "market_policies")]
pub struct Model {
    /// The trust.
    #[sea_orm(primary_key, auto_increment = false)]
    pub trust_id: Uuid,
    /// A worker cancelling this close to the start is recorded as short notice.
    pub worker_short_notice_minutes: i32,
    /// The trust cancelling this close to the start owes a fee.
    pub trust_late_cancellation_minutes: i32,
    /// The fee, as minutes of the booked worker's pay.
    pub late_cancellation_fee_minutes: i32,
    /// Strikes (short-notice cancellations, no-shows) that suspend self-booking; 0 never does.
    pub strike_limit: i32,
    /// The window strikes are counted over, in days.
    pub strike_window_days: i32,
    /// No shift and no reconfirmation for this many days makes a worker dormant.
    pub dormancy_days: i32,
    /// Who last changed it.
    pub updated_by: Option<Uuid>,
    /// When.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
