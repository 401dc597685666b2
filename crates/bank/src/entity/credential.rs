//! `credentials`: a check or training record of a worker.

use sea_orm::entity::prelude::*;

/// A check or training record of a worker.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credentials")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// Kind code (see catalogue).
    pub kind: String,
    /// Level, where the kind has levels.
    pub level: Option<i32>,
    /// Who issued it.
    pub issuer: String,
    /// Certificate or document reference.
    pub reference: Option<String>,
    /// Issued / completed on.
    pub valid_from: Date,
    /// Expires on (not valid from this date).
    pub expires_on: Option<Date>,
    /// PENDING, VERIFIED, REJECTED, REVOKED or EXPIRED.
    pub status: crate::credentials::CredentialStatus,
    /// Reason for rejection or revocation.
    pub status_reason: Option<String>,
    /// Account that verified.
    pub verified_by: Option<Uuid>,
    /// Trust that verified.
    pub verified_trust_id: Option<Uuid>,
    /// When verified.
    pub verified_at: Option<DateTimeUtc>,
    /// Account that recorded it.
    pub recorded_by: Option<Uuid>,
    /// Content address of the evidence document.
    pub evidence_sha256: Option<String>,
    /// Evidence media type.
    pub evidence_content_type: Option<String>,
    /// Evidence size in bytes.
    pub evidence_size: Option<i64>,
    /// Evidence file name as uploaded.
    pub evidence_filename: Option<String>,
    /// When recorded.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
    /// The credential this one is a new version of (a new document for a decided credential).
    pub previous_version_id: Option<Uuid>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
