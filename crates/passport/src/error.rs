//! Errors of the passport service. Verification failures are not errors: a passport that fails
//! verification is an answer ([`crate::verify::Verification`]) listing why.

use sea_orm::DbErr;
use staffbank_core::db::{self, Constraint, Refusal, RetryHint};
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

/// The passport service's unique constraints, and what breaking one means to the caller. Both
/// guard values the service chooses itself (a key id, a place in a status list), so a violation is
/// a race with another change made at the same moment.
const UNIQUE: &[(Constraint, Refusal)] = &[
    (
        Constraint {
            name: "ux_trust_keys_kid",
            sqlite_columns: "trust_keys.kid",
        },
        Refusal::Conflict(SAME_MOMENT),
    ),
    (
        Constraint {
            name: "ux_passports_status_entry",
            sqlite_columns: "passports.status_list_id, passports.status_index",
        },
        Refusal::Conflict(SAME_MOMENT),
    ),
];

/// What a caller is told when their write raced another.
const SAME_MOMENT: &str = "this conflicts with a change made at the same moment; try again";

impl From<DbErr> for Error {
    /// A unique-constraint violation that slipped past the checks made before writing (two
    /// requests racing) is a user error, by constraint name ([`UNIQUE`]); one not listed there is
    /// still a conflict for the caller, not an internal error.
    fn from(e: DbErr) -> Self {
        if let Some((constraint, refusal)) = db::refusal(&e, UNIQUE) {
            tracing::info!(
                constraint = constraint.name,
                "write refused by a unique constraint"
            );
            return Self::Core(refusal.into());
        }
        match db::violated_constraint(&e) {
            Some(constraint) => {
                tracing::info!(%constraint, "write refused by a unique constraint");
                conflict(SAME_MOMENT)
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

staffbank_core::shared_error_constructors!(Error);
