//! Errors of the passport service. Verification failures are not errors: a passport that fails
//! verification is an answer ([`crate::verify::Verification`]) listing why.

use sea_orm::DbErr;
use staffbank_core::db::RetryHint;
use staffbank_core::{Classify, ErrorKind};

/// What can go wrong in the passport functions.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A shared-layer error (forbidden, not found, validation, conflict...).
    #[error(transparent)]
    Core(#[from] staffbank_core::Error),
    /// An error of the bank's functions called from here.
    #[error(transparent)]
    Bank(#[from] staffbank_bank::Error),
    /// An email could not be queued.
    #[error(transparent)]
    Notify(#[from] staffbank_notify::Error),
    /// The passport presented failed verification; the reasons are in the details.
    #[error("the passport failed verification: {}", .0.iter().map(|f| f.detail.as_str()).collect::<Vec<_>>().join("; "))]
    NotVerified(Vec<crate::verify::Failure>),
    /// A trust's private key could not be opened (wrong key-encryption key, damaged row). The
    /// message is logged, never shown.
    #[error("key material error: {0}")]
    KeyMaterial(String),
    /// The database failed.
    #[error("database error: {0}")]
    Db(DbErr),
}

impl From<DbErr> for Error {
    /// A unique-constraint violation that slipped past the checks made before writing (two
    /// requests racing) is a conflict for the caller, not an internal error.
    fn from(e: DbErr) -> Self {
        match staffbank_core::db::violated_constraint(&e) {
            Some(constraint) => {
                tracing::info!(%constraint, "write refused by a unique constraint");
                conflict("this conflicts with a change made at the same moment; try again")
            }
            None => Self::Db(e),
        }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Core(e) => e.kind(),
            Self::Bank(e) => e.kind(),
            Self::Notify(e) => e.kind(),
            Self::NotVerified(_) => ErrorKind::Validation,
            Self::KeyMaterial(_) | Self::Db(_) => ErrorKind::Internal,
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            Self::Core(e) => e.details(),
            Self::Bank(e) => e.details(),
            Self::Notify(e) => e.details(),
            Self::NotVerified(failures) => Some(serde_json::json!({
                "reasons": failures.iter().map(|f| f.reason.as_str()).collect::<Vec<_>>()
            })),
            _ => None,
        }
    }
}

impl RetryHint for Error {
    fn is_retryable(&self) -> bool {
        match self {
            Self::Core(e) => e.is_retryable(),
            Self::Bank(e) => e.is_retryable(),
            Self::Notify(e) => e.is_retryable(),
            Self::Db(e) => e.is_retryable(),
            Self::NotVerified(_) | Self::KeyMaterial(_) => false,
        }
    }
}

/// Shorthand for a passport result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn validation(msg: impl Into<String>) -> Error {
    Error::Core(staffbank_core::Error::Validation(msg.into()))
}

pub(crate) fn not_found(what: &'static str) -> Error {
    Error::Core(staffbank_core::Error::NotFound(what))
}

pub(crate) fn forbidden(msg: impl Into<String>) -> Error {
    Error::Core(staffbank_core::Error::Forbidden(msg.into()))
}

pub(crate) fn conflict(msg: impl Into<String>) -> Error {
    Error::Core(staffbank_core::Error::Conflict(msg.into()))
}

pub(crate) fn internal(msg: impl Into<String>) -> Error {
    Error::Core(staffbank_core::Error::Internal(msg.into()))
}
