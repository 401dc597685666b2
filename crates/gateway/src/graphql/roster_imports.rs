//! Roster imports in GraphQL: the roster file's columns and template, uploading a file (a
//! GraphQL multipart upload, read and validated by the domain, nothing posted), reading an
//! import with its rows, problems and progress, and posting it (all or nothing, once: a large
//! import in the background).

use std::io::Read;

use async_graphql::{ComplexObject, Context, Enum, Object, Result, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use staffbank_core::ErrorKind;
use staffbank_market::entity::roster_import as entity;
use staffbank_market::roster_file::{self, COLUMNS};
use staffbank_market::roster_import::{self, ImportState};
use uuid::Uuid;

use crate::graphql::context::ContextExt;
use crate::graphql::error::{GqlResultExt, gateway_error};

/// Where a roster import stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(
    name = "RosterImportState",
    remote = "staffbank_market::roster_import::ImportState"
)]
pub enum RosterImportStateName {
    /// Some rows have problems: nothing can be posted from it.
    Invalid,
    /// Every row is good: ready to post.
    Ready,
    /// Waiting to be posted in the background.
    Queued,
    /// Being posted in the background, in one transaction: none of its shifts are posted until
    /// all of them are.
    Posting,
    /// Its shifts were posted.
    Posted,
    /// Posting it failed and nothing was posted; `failure` says why.
    Failed,
}

/// A column of the roster file.
#[derive(SimpleObject, Debug, Clone)]
pub struct RosterColumn {
    /// Its header in the first row.
    pub header: String,
    /// Whether every row needs a value.
    pub required: bool,
    /// What goes in it.
    pub description: String,
    /// An example value.
    pub example: String,
}

/// A problem with one row of a roster file.
#[derive(SimpleObject, Debug, Clone)]
pub struct RosterRowProblem {
    /// Row of the file (the header is row 1).
    pub row: i32,
    /// The column's header.
    pub column: String,
    /// What is wrong, in plain English.
    pub message: String,
}

/// One row of a roster file, as typed.
#[derive(SimpleObject, Debug, Clone)]
pub struct RosterRow {
    /// Row of the file (the header is row 1).
    pub row: i32,
    /// The values, in the order of `rosterColumns`.
    pub cells: Vec<String>,
    /// When the shift starts, London time (null when the row does not read).
    pub starts_local: Option<chrono::NaiveDateTime>,
    /// When it ends, London time (null when the row does not read).
    pub ends_local: Option<chrono::NaiveDateTime>,
}

/// A roster file uploaded to post many shifts.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct RosterImport {
    /// Id.
    pub id: Uuid,
    /// The trust whose shifts it posts.
    pub trust_id: Uuid,
    /// The file's name.
    pub filename: String,
    /// SHA-256 of the file, in hex (one import per trust and file).
    pub content_sha256: String,
    /// Where it stands.
    pub state: RosterImportStateName,
    /// Shift rows in the file.
    pub row_count: i32,
    /// Shifts posted from it (all of them, or 0).
    pub rows_posted: i32,
    /// When it was uploaded.
    pub uploaded_at: DateTime<Utc>,
    /// When its shifts were posted.
    pub posted_at: Option<DateTime<Utc>>,
    /// When it was queued to be posted in the background.
    pub queued_at: Option<DateTime<Utc>>,
    /// Why posting it failed, in plain English (when it is `FAILED`).
    pub failure: Option<String>,
    /// When posting it failed.
    pub failed_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    model: entity::Model,
}

impl From<entity::Model> for RosterImport {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            trust_id: m.trust_id,
            filename: m.filename.clone(),
            content_sha256: m.content_sha256.clone(),
            state: m.state.into(),
            row_count: m.row_count,
            rows_posted: m.rows_posted,
            uploaded_at: m.uploaded_at,
            posted_at: m.posted_at,
            queued_at: m.queued_at,
            failure: m.failure.clone(),
            failed_at: m.failed_at,
            model: m,
        }
    }
}

fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[ComplexObject]
impl RosterImport {
    /// Shifts done so far: all of them once `POSTED`; while `POSTING`, roughly how many the
    /// posting transaction has made, none of which are posted until all are (counted by the
    /// replica posting it: 0 when read from another); otherwise 0.
    async fn rows_done(&self) -> i32 {
        match self.state {
            RosterImportStateName::Posted => self.rows_posted,
            RosterImportStateName::Posting => crate::roster_posting::rows_done(self.id)
                .map_or(0, |n| to_i32(n).min(self.row_count)),
            _ => 0,
        }
    }

    /// Its problems, by row (empty when it is ready or posted).
    async fn problems(&self) -> Vec<RosterRowProblem> {
        roster_import::problems(&self.model)
            .into_iter()
            .map(|p| RosterRowProblem {
                row: to_i32(p.row),
                column: p.column,
                message: p.message,
            })
            .collect()
    }

    /// Its rows as typed, from row `from` (default the first), at most `first` (default 100,
    /// at most 1000).
    async fn rows(
        &self,
        ctx: &Context<'_>,
        from: Option<i32>,
        first: Option<i32>,
    ) -> Result<Vec<RosterRow>> {
        let first = usize::try_from(first.unwrap_or(100).clamp(0, 1000)).unwrap_or(0);
        let from = usize::try_from(from.unwrap_or(0)).unwrap_or(0);
        Ok(roster_import::rows(&ctx.services().db, &self.model)
            .await
            .gql()?
            .into_iter()
            .filter(|r| r.row >= from)
            .take(first)
            .map(|r| RosterRow {
                row: to_i32(r.row),
                starts_local: r.shift.as_ref().map(|s| s.starts_local),
                ends_local: r.shift.as_ref().map(|s| s.ends_local),
                cells: r.cells,
            })
            .collect())
    }
}

/// The outcome of an upload.
#[derive(SimpleObject, Debug, Clone)]
pub struct RosterUpload {
    /// The import: the first one, when this trust uploaded the same file before.
    pub import: RosterImport,
    /// Whether this trust uploaded the same file before (nothing new was made).
    pub already_uploaded: bool,
}

/// Queries about roster imports.
#[derive(Default)]
pub struct RosterImportQuery;

#[Object]
impl RosterImportQuery {
    /// The columns a roster file has, in the template's order (any signed-in user).
    async fn roster_columns(&self, ctx: &Context<'_>) -> Result<Vec<RosterColumn>> {
        ctx.actor().await?;
        Ok(COLUMNS
            .iter()
            .map(|c| RosterColumn {
                header: c.header.to_owned(),
                required: c.required,
                description: c.description.to_owned(),
                example: c.example.to_owned(),
            })
            .collect())
    }

    /// The roster file template (CSV: the header row and an example row).
    async fn roster_template(&self, ctx: &Context<'_>) -> Result<String> {
        ctx.actor().await?;
        Ok(roster_file::template())
    }

    /// One roster import (its trust's bank office and the bank's admins).
    async fn roster_import(&self, ctx: &Context<'_>, id: Uuid) -> Result<RosterImport> {
        let actor = ctx.actor().await?;
        roster_import::import(&ctx.services().db, actor, id)
            .await
            .map(RosterImport::from)
            .gql()
    }

    /// A trust's roster imports, newest first, at most 50 (its bank office and the bank's admins).
    async fn roster_imports(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Vec<RosterImport>> {
        let actor = ctx.actor().await?;
        Ok(
            roster_import::imports_of(&ctx.services().db, actor, trust_id)
                .await
                .gql()?
                .into_iter()
                .map(RosterImport::from)
                .collect(),
        )
    }
}

/// Uploading and posting roster files.
#[derive(Default)]
pub struct RosterImportMutation;

#[Object]
impl RosterImportMutation {
    /// Uploads a roster file (CSV, UTF-8, at most 2 MB and 5,000 shifts, the columns of
    /// `rosterColumns`) for a trust (its bank office or the bank's admins), as a GraphQL multipart upload. Every row is
    /// validated as posting would; the import keeps each row's problems; nothing is posted.
    /// `VALIDATION` for a file that is not a roster file at all. The same file uploaded again
    /// gives back the first import, with `alreadyUploaded`.
    async fn upload_roster(
        &self,
        ctx: &Context<'_>,
        trust_id: Uuid,
        file: Upload,
    ) -> Result<RosterUpload> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let upload = file.value(ctx)?;
        let filename = upload.filename.clone();
        let mut content = Vec::new();
        upload
            .into_read()
            .take(u64::try_from(roster_file::MAX_BYTES).unwrap_or(u64::MAX) + 1)
            .read_to_end(&mut content)
            .map_err(|e| {
                gateway_error(
                    ErrorKind::Validation,
                    format!("could not read the upload: {e}"),
                )
            })?;
        let done = roster_import::upload(
            &s.db,
            s.clock.as_ref(),
            actor,
            trust_id,
            &filename,
            &content,
        )
        .await
        .gql()?;
        Ok(RosterUpload {
            import: done.import.into(),
            already_uploaded: done.already_uploaded,
        })
    }

    /// Posts every shift of a ready roster import in one transaction, or none. An import of at
    /// most 200 shifts is posted now and given back `POSTED` (`VALIDATION` for an import with
    /// problems, `CONFLICT` when rows have become invalid since the upload); a larger one is
    /// given back `QUEUED` and posted in the background: read the import again for its state and
    /// `rowsDone`, until it is `POSTED`, or `FAILED` with the `failure` (nothing posted). An import
    /// already posted, queued or being posted is given back unchanged: nothing is posted twice. A
    /// `FAILED` one is queued again.
    async fn post_roster_import(&self, ctx: &Context<'_>, id: Uuid) -> Result<RosterImport> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let import = roster_import::post(&s.db, s.clock.as_ref(), actor, id)
            .await
            .gql()?;
        if import.state == ImportState::Queued {
            crate::roster_posting::start(s.db.clone(), s.clock.clone(), import.id);
        }
        Ok(import.into())
    }
}
