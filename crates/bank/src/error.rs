//! Errors of the shared bank.

use sea_orm::DbErr;
use staffbank_core::db::RetryHint;
use staffbank_core::{Classify, ErrorKind};

/// What can go wrong in the bank's functions.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A shared-layer error (forbidden, not found, validation...).
    #[error(transparent)]
    Core(#[from] staffbank_core::Error),
    /// The person is already registered in the bank; says which identifiers matched, never
    /// the other record's details.
    #[error("this person is already registered in the bank: the {0} matches an existing worker")]
    DuplicatePerson(&'static str),
    /// A message could not be enqueued.
    #[error(transparent)]
    Notify(#[from] staffbank_notify::Error),
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
                conflict("this conflicts with a record that was just created; reload and try again")
            }
            None => Self::Db(e),
        }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Core(e) => e.kind(),
            Self::DuplicatePerson(_) => ErrorKind::Conflict,
            Self::Notify(e) => e.kind(),
            Self::Db(_) => ErrorKind::Internal,
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            Self::Core(e) => e.details(),
            Self::DuplicatePerson(matched) => Some(serde_json::json!({ "matchedOn": matched })),
            Self::Notify(e) => e.details(),
            Self::Db(_) => None,
        }
    }
}

impl RetryHint for Error {
    fn is_retryable(&self) -> bool {
        match self {
            Self::Core(e) => e.is_retryable(),
            Self::DuplicatePerson(_) => false,
            Self::Notify(e) => e.is_retryable(),
            Self::Db(e) => e.is_retryable(),
        }
    }
}

/// Shorthand for a bank result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shorthand constructors for the shared errors.
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
