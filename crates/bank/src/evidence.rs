//! Evidence documents behind credentials (a DBS certificate scan, a training certificate): PDF,
//! JPEG or PNG only — judged by the file's content, not the name or declared type — up to a size
//! limit, stored content-addressed on disk (`{root}/ab/abcdef…` by SHA-256, so the same file is
//! kept once and a stored file never changes), and readable only by those who may see the worker's
//! credentials.

use std::path::{Path, PathBuf};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use staffbank_core::{Actor, Clock, db, new_id};
use uuid::Uuid;

use crate::credentials;
use crate::entity::{credential, credential_event};
use crate::error::{Error, Result, conflict, forbidden, not_found, validation};
use crate::visibility::{self, Look, Viewed};
use crate::workers;

/// Where evidence files live, and how big they may be.
#[derive(Debug, Clone)]
pub struct EvidenceStore {
    root: PathBuf,
    max_bytes: usize,
}

/// The accepted document types, recognised by their first bytes.
const TYPES: [(&str, &[u8]); 3] = [
    ("application/pdf", b"%PDF-"),
    ("image/jpeg", &[0xFF, 0xD8, 0xFF]),
    (
        "image/png",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
    ),
];

/// The media type of a document, judged from its content.
///
/// # Errors
/// Validation error for anything but PDF, JPEG and PNG.
pub fn sniff(bytes: &[u8]) -> Result<&'static str> {
    TYPES
        .iter()
        .find(|(_, magic)| bytes.starts_with(magic))
        .map(|(t, _)| *t)
        .ok_or_else(|| validation("evidence must be a PDF, JPEG or PNG document"))
}

impl EvidenceStore {
    /// A store under `root` accepting files up to `max_bytes`.
    #[must_use]
    pub fn new(root: impl Into<PathBuf>, max_bytes: usize) -> Self {
        Self {
            root: root.into(),
            max_bytes,
        }
    }

    /// The largest file accepted.
    #[must_use]
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    fn path_of(&self, sha256: &str) -> Result<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(not_found("evidence"));
        }
        Ok(self.root.join(&sha256[..2]).join(sha256))
    }

    /// Stores `bytes` (once per content) and returns its SHA-256 and media type.
    ///
    /// # Errors
    /// Validation (type, size); internal errors for the file system.
    pub async fn put(&self, bytes: &[u8]) -> Result<(String, &'static str)> {
        if bytes.is_empty() {
            return Err(validation("the evidence file is empty"));
        }
        if bytes.len() > self.max_bytes {
            return Err(validation(format!(
                "the evidence file is {} bytes; at most {} are accepted",
                bytes.len(),
                self.max_bytes
            )));
        }
        let media_type = sniff(bytes)?;
        let sha = hex(&Sha256::digest(bytes));
        let path = self.path_of(&sha)?;
        if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
            write_atomically(&path, bytes).await.map_err(internal)?;
        }
        Ok((sha, media_type))
    }

    /// The content stored under `sha256`.
    ///
    /// # Errors
    /// Not found.
    pub async fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path_of(sha256)?;
        tokio::fs::read(&path)
            .await
            .map_err(|_| not_found("evidence"))
    }
}

fn internal(e: std::io::Error) -> Error {
    Error::Core(staffbank_core::Error::Internal(format!(
        "evidence store: {e}"
    )))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let tmp = path.with_extension(format!("{}.tmp", new_id().simple()));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, path).await
}

/// Whether the caller may see this credential's details (and its evidence).
async fn check_full_access(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    c: &credential::Model,
) -> Result<Look> {
    let (w, access) = workers::worker(conn, actor, c.worker_id).await?;
    if !access.is_full() {
        return Err(forbidden(
            "evidence is visible only to the worker and to trusts engaging them",
        ));
    }
    Ok(Look::at(&w, access))
}

/// Attaches an evidence document to a pending credential (the worker, or HR of a trust engaging
/// them), or replaces the one it has. A credential that has been decided (verified, rejected,
/// revoked, expired) keeps its document: a new document belongs to a new version
/// ([`credentials::record_version`]). The file is stored before the database changes; a failure
/// after that leaves only an unreferenced file.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (type, size, file name); conflict for decided credentials.
pub async fn attach(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    store: &EvidenceStore,
    credential_id: Uuid,
    filename: &str,
    bytes: &[u8],
) -> Result<credential::Model> {
    db::write(db, |tx| {
        Box::pin(async move {
            attach_in(&tx, clock, actor, store, credential_id, filename, bytes).await
        })
    })
    .await
}

/// The work of [`attach`], in the caller's transaction.
///
/// # Errors
/// As [`attach`].
pub async fn attach_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    store: &EvidenceStore,
    credential_id: Uuid,
    filename: &str,
    bytes: &[u8],
) -> Result<credential::Model> {
    let c = credentials::get(tx, credential_id).await?;
    let w = workers::get(tx, c.worker_id).await?;
    let own = actor.worker_id() == Some(w.id);
    let hr = {
        let mut any = false;
        for t in actor.trusts_with(&[staffbank_core::Role::Hr]) {
            if crate::membership::find(tx, w.id, t).await?.is_some() {
                any = true;
            }
        }
        any
    };
    if !(own || hr || actor.is_service()) {
        return Err(forbidden(
            "only the worker, or HR of a trust engaging them, can add evidence",
        ));
    }
    // A decision was made on the document it has: that document stays, and a new one is a new
    // version of the credential, pending until it is verified.
    if c.status != credentials::CredentialStatus::Pending {
        return Err(conflict(format!(
            "this credential is {} and keeps the document it was decided on; record a new \
             version of it (recordCredentialVersion) and add the new document to that",
            c.status.to_string().to_lowercase()
        )));
    }
    let filename = staffbank_core::text::file_name(filename);
    let (sha, media_type) = store.put(bytes).await?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    // Only while it is still pending: a decision made meanwhile keeps its document.
    let changed = credential::Entity::update_many()
        .col_expr(credential::Column::EvidenceSha256, Expr::value(Some(sha)))
        .col_expr(
            credential::Column::EvidenceContentType,
            Expr::value(Some(media_type.to_owned())),
        )
        .col_expr(credential::Column::EvidenceSize, Expr::value(Some(size)))
        .col_expr(
            credential::Column::EvidenceFilename,
            Expr::value(Some(filename)),
        )
        .col_expr(credential::Column::UpdatedAt, Expr::value(clock.now()))
        .filter(credential::Column::Id.eq(c.id))
        .filter(credential::Column::Status.eq(credentials::CredentialStatus::Pending))
        .exec(tx)
        .await?;
    if changed.rows_affected == 0 {
        return Err(conflict(
            "this credential was decided meanwhile and keeps the document it was decided on",
        ));
    }
    let c = credentials::get(tx, c.id).await?;
    credential_event::ActiveModel {
        id: Set(new_id()),
        credential_id: Set(c.id),
        event: Set("EVIDENCE_ADDED".to_owned()),
        actor_account_id: Set(actor.account_id()),
        trust_id: Set(None),
        reason: Set(None),
        at: Set(clock.now()),
    }
    .insert(tx)
    .await?;
    Ok(c)
}

/// A credential's evidence document: `(file name, media type, bytes)`, for those who may see the
/// worker's credentials; a look from another trust is logged.
///
/// # Errors
/// Not found (also when there is no evidence); forbidden.
pub async fn download(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    store: &EvidenceStore,
    credential_id: Uuid,
) -> Result<(String, String, Vec<u8>)> {
    let c = credentials::get(conn, credential_id).await?;
    let look = check_full_access(conn, actor, &c).await?;
    let (Some(sha), Some(media_type)) = (
        c.evidence_sha256.as_deref(),
        c.evidence_content_type.clone(),
    ) else {
        return Err(not_found("evidence"));
    };
    let bytes = store.get(sha).await?;
    visibility::log_views(conn, clock, actor, &[look], Viewed::Credentials).await?;
    Ok((
        c.evidence_filename.unwrap_or_else(|| "evidence".into()),
        media_type,
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn judges_type_by_content() {
        assert_eq!(sniff(b"%PDF-1.7 ...").ok(), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).ok(), Some("image/jpeg"));
        assert!(sniff(b"MZ\x90\x00 an executable").is_err());
        assert!(sniff(b"<html>").is_err());
    }
}
