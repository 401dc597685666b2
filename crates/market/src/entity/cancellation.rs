//! `cancellations`: who cancelled a booking, how close to the start, and any fee owed.

use sea_orm::entity::prelude::*;

/// A cancelled booking.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cancellations")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The booking.
    pub booking_id: Uuid,
    /// Its shift.
    pub shift_id: Uuid,
    /// Its trust.
    pub trust_id: Uuid,
    /// Its worker.
    pub worker_id: Uuid,
    /// WORKER or TRUST.
    pub cancelled_by: crate::cancellation::CancelledBy,
    /// The account that cancelled.
    pub actor_account_id: Option<Uuid>,
    /// Why.
    pub reason: String,
    /// How long before the start (negative: after it).
    pub minutes_before_start: i32,
    /// Inside the worker's short-notice window, or the trust's late window.
    pub short_notice: bool,
    /// The fee a late trust cancellation owes, in minutes of pay.
    pub fee_minutes: Option<i32>,
    /// The grade that fee is paid at (the trust's pay basis).
    pub fee_grade: Option<String>,
    /// The fee in pence, once a rate card prices it (integer pence: exact on both databases).
    pub fee_amount_pence: Option<i64>,
    /// When.
    pub at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
