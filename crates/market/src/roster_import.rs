//! Roster imports: a bank office uploads a roster file ([`crate::roster_file`]); every row is
//! read and validated as [`crate::posting`] would post it, and the file is kept with its
//! problems (row, column, message) for the bank office to see before anything is posted. Posting
//! an import posts every row in one transaction, or none: a small import in the request that asks
//! ([`INLINE_ROWS`]), a large one queued and posted in the background ([`crate::roster_posting`]).
//! An import is one per trust and file content (SHA-256 of its bytes): uploading the same file
//! again gives back the first import, and posting an import twice posts nothing the second time.

use sea_orm::entity::prelude::StringLen;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sea_orm::{DeriveActiveEnum, EnumIter};
use sha2::{Digest, Sha256};
use staffbank_bank::access::authorize_at_trust;
use staffbank_bank::estate;
use staffbank_core::db::{self, violates};
use staffbank_core::{Actor, Classify, Clock, ErrorKind, Role, new_id};
use uuid::Uuid;

use crate::entity::roster_import;
use crate::error::{Error, Result, conflict, not_found, validation};
use crate::posting;
use crate::roster_file::{self, RosterRow, RowProblem};

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ImportState {
    /// Some rows have problems: nothing can be posted from it.
    #[sea_orm(string_value = "INVALID")]
    Invalid,
    /// Every row is good: ready to post.
    #[sea_orm(string_value = "READY")]
    Ready,
    /// Waiting for the posting job to take it.
    #[sea_orm(string_value = "QUEUED")]
    Queued,
    /// The posting job is posting it (nothing is posted until every row is).
    #[sea_orm(string_value = "POSTING")]
    Posting,
    /// Its shifts were posted.
    #[sea_orm(string_value = "POSTED")]
    Posted,
    /// Posting it failed: nothing was posted; [`roster_import::Model::failure`] says why.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

/// An upload's outcome.
#[derive(Debug, Clone)]
pub struct Uploaded {
    /// The import (the first one, when the file was uploaded before).
    pub import: roster_import::Model,
    /// Whether this trust uploaded the same file before.
    pub already_uploaded: bool,
}

/// The unique index of one import per trust and content.
const UNIQUE: (&str, &str) = (
    "ux_roster_imports_trust_content",
    "roster_imports.trust_id, roster_imports.content_sha256",
);

/// SHA-256 of the bytes, in lower-case hex.
#[must_use]
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The problems stored with an import.
#[must_use]
pub fn problems(import: &roster_import::Model) -> Vec<RowProblem> {
    serde_json::from_value(import.errors.clone()).unwrap_or_default()
}

async fn existing(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
    hash: &str,
) -> Result<Option<roster_import::Model>> {
    Ok(roster_import::Entity::find()
        .filter(roster_import::Column::TrustId.eq(trust_id))
        .filter(roster_import::Column::ContentSha256.eq(hash))
        .one(conn)
        .await?)
}

/// Reads and validates the rows: those that read are checked as posting would check them.
async fn validate(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    bytes: &[u8],
) -> Result<(Vec<RosterRow>, Vec<RowProblem>)> {
    let wards = estate::wards_of(conn, trust_id).await?;
    let (rows, mut problems) = roster_file::read(bytes, trust_id, &wards)?;
    let read: Vec<&RosterRow> = rows.iter().filter(|r| r.shift.is_some()).collect();
    let shifts: Vec<posting::NewShift> = read.iter().filter_map(|r| r.shift.clone()).collect();
    for bad in posting::check_rows(conn, clock, actor, &shifts).await? {
        if let Some(r) = read.get(bad.index) {
            problems.push(RowProblem {
                row: r.row,
                column: roster_file::column_of(&bad.message).to_owned(),
                message: sentence(&bad.message),
            });
        }
    }
    problems.sort_by_key(|p| p.row);
    Ok((rows, problems))
}

fn sentence(message: &str) -> String {
    let mut c = message.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Uploads a roster file for a trust (its bank office): read, validated and kept, with its
/// problems; nothing is posted. The same file uploaded again gives back the first import.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation for a file that is not a roster (not CSV text, too large, empty, wrong
/// columns, too many rows).
pub async fn upload(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    filename: &str,
    bytes: &[u8],
) -> Result<Uploaded> {
    db::write(db, |tx| {
        Box::pin(async move { upload_in(&tx, clock, actor, trust_id, filename, bytes).await })
    })
    .await
}

/// The work of [`upload`], in the caller's transaction.
async fn upload_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    filename: &str,
    bytes: &[u8],
) -> Result<Uploaded> {
    authorize_at_trust(tx, actor, trust_id, &[Role::BankOffice]).await?;
    let hash = content_hash(bytes);
    if let Some(import) = existing(tx, trust_id, &hash).await? {
        return Ok(Uploaded {
            import,
            already_uploaded: true,
        });
    }
    let (rows, problems) = validate(tx, clock, actor, trust_id, bytes).await?;
    let content = String::from_utf8_lossy(bytes).into_owned();
    let state = if problems.is_empty() {
        ImportState::Ready
    } else {
        ImportState::Invalid
    };
    let model = roster_import::Model {
        id: new_id(),
        trust_id,
        content_sha256: hash.clone(),
        filename: clean_name(filename),
        content,
        state,
        row_count: i32::try_from(rows.len()).unwrap_or(i32::MAX),
        rows_posted: 0,
        errors: serde_json::to_value(&problems).unwrap_or_default(),
        uploaded_by: actor.account_id(),
        uploaded_at: clock.now(),
        posted_by: None,
        posted_at: None,
        queued_by: None,
        queued_at: None,
        claimed_by: None,
        claimed_until: None,
        attempts: 0,
        failure: None,
        failed_at: None,
    };
    match model.clone().into_active_model().insert(tx).await {
        Ok(import) => Ok(Uploaded {
            import,
            already_uploaded: false,
        }),
        // The same file, uploaded by someone else at the same moment.
        Err(e) if violates(&e, UNIQUE.0, UNIQUE.1) => existing(tx, trust_id, &hash)
            .await?
            .map(|import| Uploaded {
                import,
                already_uploaded: true,
            })
            .ok_or_else(|| Error::Db(e)),
        Err(e) => Err(e.into()),
    }
}

/// The file's name without folders or control characters, at most 120 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !('\u{202a}'..='\u{202e}').contains(c)
                && !('\u{2066}'..='\u{2069}').contains(c)
        })
        .take(120)
        .collect();
    if clean.trim().is_empty() {
        "roster.csv".to_owned()
    } else {
        clean
    }
}

/// One import (its trust's bank office and the bank's admins; not found for anyone else).
///
/// # Errors
/// Not found.
pub async fn import(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<roster_import::Model> {
    let import = roster_import::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("roster import"))?;
    // Whoever may not post for its trust is told there is no such import.
    match authorize_at_trust(conn, actor, import.trust_id, &[Role::BankOffice]).await {
        Ok(_) => Ok(import),
        Err(e) if e.kind() == ErrorKind::Forbidden => Err(not_found("roster import")),
        Err(e) => Err(e.into()),
    }
}

/// A trust's imports, newest first (at most 50).
///
/// # Errors
/// Forbidden.
pub async fn imports_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<roster_import::Model>> {
    authorize_at_trust(conn, actor, trust_id, &[Role::BankOffice]).await?;
    Ok(roster_import::Entity::find()
        .filter(roster_import::Column::TrustId.eq(trust_id))
        .order_by_desc(roster_import::Column::UploadedAt)
        .order_by_desc(roster_import::Column::Id)
        .limit(50)
        .all(conn)
        .await?)
}

/// The rows of an import as read against the trust's wards now (for the preview).
///
/// # Errors
/// Only if the stored file no longer reads (it read when it was uploaded), or the database
/// failed.
pub async fn rows(
    conn: &impl ConnectionTrait,
    import: &roster_import::Model,
) -> Result<Vec<RosterRow>> {
    let wards = estate::wards_of(conn, import.trust_id).await?;
    Ok(roster_file::read(import.content.as_bytes(), import.trust_id, &wards)?.0)
}

/// The largest import posted in the request that asks for it; a larger one is queued and posted
/// in the background by [`crate::roster_posting`].
///
/// Why 200: checking and posting 200 shifts takes well under a second, so the bank office gets
/// the confirmation at once and the one write transaction (on SQLite, the only writer) is short.
/// A file can hold up to [`roster_file::MAX_ROWS`] shifts; posting those takes seconds, long
/// enough that a request would keep every other writer waiting and the person staring at a
/// page that may time out. In the background it survives a closed tab or a crashed replica, and
/// the import's page shows how far it has got.
pub const INLINE_ROWS: i32 = 200;

/// Rows posted per step inside the one posting transaction, so progress can be told between steps.
const STEP_ROWS: usize = 250;

/// Posts every shift of a ready import, or none. An import of at most [`INLINE_ROWS`] shifts is
/// posted in this transaction; a larger one is queued for the posting job (state `QUEUED`) and
/// given back as it is. An import already posted, queued or being posted is given back as it is:
/// nothing is posted twice. One whose posting failed is queued again.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation when the import has problems, or when rows have become
/// invalid since it was uploaded (e.g. a shift that has now started): nothing is posted.
pub async fn post(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
) -> Result<roster_import::Model> {
    db::write(db, |tx| {
        Box::pin(async move { post_in(&tx, clock, actor, id).await })
    })
    .await
}

/// The work of [`post`], in the caller's transaction.
async fn post_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    id: Uuid,
) -> Result<roster_import::Model> {
    import(tx, actor, id).await?;
    // Lock the import, so two posts at once cannot both post it.
    let locked = lock(tx, id).await?;
    match locked.state {
        ImportState::Posted | ImportState::Queued | ImportState::Posting => return Ok(locked),
        ImportState::Invalid => {
            return Err(validation(
                "this roster file has problems, so none of its shifts can be posted: correct \
                 the rows shown and upload the file again",
            ));
        }
        ImportState::Ready | ImportState::Failed => {}
    }
    if locked.row_count > INLINE_ROWS {
        let mut active = locked.into_active_model();
        active.state = Set(ImportState::Queued);
        active.queued_by = Set(actor.account_id());
        active.queued_at = Set(Some(clock.now()));
        active.claimed_by = Set(None);
        active.claimed_until = Set(None);
        return Ok(active.update(tx).await?);
    }
    post_rows(tx, clock, actor, locked, &|_| {}).await
}

/// The import, locked for this transaction.
pub(crate) async fn lock(conn: &impl ConnectionTrait, id: Uuid) -> Result<roster_import::Model> {
    roster_import::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| not_found("roster import"))
}

/// Checks every row of the (locked) import again and posts them all in this transaction, in
/// steps, telling `progress` how many are done after each; marks it posted. Nothing is posted
/// unless the transaction commits, so progress counts rows made, not rows posted.
///
/// # Errors
/// Forbidden; conflict when rows have become invalid since the upload.
pub(crate) async fn post_rows(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    locked: roster_import::Model,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<roster_import::Model> {
    let (rows, problems) = validate(
        conn,
        clock,
        actor,
        locked.trust_id,
        locked.content.as_bytes(),
    )
    .await?;
    if let Some(first) = problems.first() {
        return Err(conflict(format!(
            "{} of the rows are no longer valid (row {}: {}), so nothing was posted; upload \
             the corrected file",
            problems.len(),
            first.row,
            first.message
        )));
    }
    let shifts: Vec<posting::NewShift> = rows.into_iter().filter_map(|r| r.shift).collect();
    let mut posted = 0;
    for step in shifts.chunks(STEP_ROWS) {
        posted += posting::post_all(conn, clock, actor, step).await?.len();
        progress(posted);
    }
    let mut active = locked.into_active_model();
    active.state = Set(ImportState::Posted);
    active.rows_posted = Set(i32::try_from(posted).unwrap_or(i32::MAX));
    active.posted_by = Set(actor.account_id());
    active.posted_at = Set(Some(clock.now()));
    active.claimed_by = Set(None);
    active.claimed_until = Set(None);
    active.failure = Set(None);
    active.failed_at = Set(None);
    Ok(active.update(conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_of_the_bytes() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn names_lose_their_folders() {
        assert_eq!(clean_name("C:\\rota\\week 50.csv"), "week 50.csv");
        assert_eq!(clean_name("../../x\u{202e}.csv"), "x.csv");
        assert_eq!(clean_name(""), "roster.csv");
    }
}
