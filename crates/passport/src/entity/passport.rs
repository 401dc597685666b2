//! `passports`: one passport issued to a worker by a trust.

use sea_orm::entity::prelude::*;

/// One passport issued to a worker by a trust.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "passports")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// The collaborative bank.
    pub system_id: Uuid,
    /// The issuing trust.
    pub issuer_trust_id: Uuid,
    /// The key that signed it.
    pub kid: String,
    /// The compact JWS (`vc+jwt`).
    pub token: String,
    /// The items it carries (JSON array, as in the credential).
    pub items: Json,
    /// Valid from.
    pub valid_from: DateTimeUtc,
    /// Valid until.
    pub valid_until: DateTimeUtc,
    /// The status list it has an entry in.
    pub status_list_id: Uuid,
    /// Its index in that list.
    pub status_index: i32,
    /// ACTIVE, SUSPENDED or REVOKED.
    pub status: crate::passports::PassportStatus,
    /// Why suspended or revoked.
    pub status_reason: Option<String>,
    /// Account that issued it.
    pub issued_by: Option<Uuid>,
    /// When issued.
    pub created_at: DateTimeUtc,
    /// When its status last changed.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
