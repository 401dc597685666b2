//! `roster_imports`: a roster file uploaded to post many shifts, its problems and its state.

use sea_orm::entity::prelude::*;

/// A roster file a bank office uploaded (one per trust and file content).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "roster_imports")]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The trust whose shifts it posts.
    pub trust_id: Uuid,
    /// SHA-256 of the file's bytes, in hex.
    pub content_sha256: String,
    /// The file's name as uploaded.
    pub filename: String,
    /// The file, as text.
    pub content: String,
    /// `INVALID`, `READY`, `QUEUED`, `POSTING`, `POSTED` or `FAILED`.
    pub state: crate::roster_import::ImportState,
    /// Shift rows in it.
    pub row_count: i32,
    /// Shifts posted from it.
    pub rows_posted: i32,
    /// Its problems: a JSON list of `{row, column, message}`.
    pub errors: Json,
    /// Who uploaded it.
    pub uploaded_by: Option<Uuid>,
    /// When.
    pub uploaded_at: DateTimeUtc,
    /// Who posted its shifts.
    pub posted_by: Option<Uuid>,
    /// When.
    pub posted_at: Option<DateTimeUtc>,
    /// Who asked for it to be posted in the background.
    pub queued_by: Option<Uuid>,
    /// When.
    pub queued_at: Option<DateTimeUtc>,
    /// The posting job's worker that claimed it last.
    pub claimed_by: Option<String>,
    /// While in the future, that worker holds it (a lease); after it, any worker may take it.
    pub claimed_until: Option<DateTimeUtc>,
    /// How many times a worker has claimed it to post it.
    pub attempts: i32,
    /// What went wrong when posting it last failed, in plain English.
    pub failure: Option<String>,
    /// When.
    pub failed_at: Option<DateTimeUtc>,
}

/// No relations are navigated through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
