//! Errors of the shared bank.

use sea_orm::DbErr;
use staffbank_core::db::{self, Constraint, Refusal, RetryHint};
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

/// The bank's unique constraints, and what breaking one means to the caller: what the check made
/// before writing says, for a request that raced past it. (A duplicate person is
/// [`Error::DuplicatePerson`], decided where workers are registered.)
const UNIQUE: &[(Constraint, Refusal)] = &[
    (
        Constraint {
            name: "systems_name_key",
            sqlite_columns: "systems.name",
        },
        Refusal::Conflict("a collaborative bank of this name exists"),
    ),
    (
        Constraint {
            name: "trusts_ods_code_key",
            sqlite_columns: "trusts.ods_code",
        },
        Refusal::Conflict("a trust with this ODS code is already a member of a bank"),
    ),
    (
        Constraint {
            name: "ux_trusts_system_name",
            sqlite_columns: "trusts.system_id, trusts.name",
        },
        Refusal::Conflict("this bank already has a trust of this name"),
    ),
    (
        Constraint {
            name: "ux_sites_trust_name",
            sqlite_columns: "sites.trust_id, sites.name",
        },
        Refusal::Conflict("the trust already has a site of this name"),
    ),
    (
        Constraint {
            name: "ux_wards_site_name",
            sqlite_columns: "wards.site_id, wards.name",
        },
        Refusal::Conflict("the site already has a ward of this name"),
    ),
    (
        Constraint {
            name: "ux_memberships_worker_trust",
            sqlite_columns: "memberships.worker_id, memberships.trust_id",
        },
        Refusal::Conflict(
            "the worker's standing at this trust was changed at the same moment; reload and try \
             again",
        ),
    ),
    (
        Constraint {
            name: "ux_credential_recognitions_credential_trust",
            sqlite_columns: "credential_recognitions.credential_id, credential_recognitions.trust_id",
        },
        Refusal::Conflict(
            "this trust's decision about this credential was made at the same moment; reload it",
        ),
    ),
    (
        Constraint {
            name: "accounts_email_key",
            sqlite_columns: "accounts.email",
        },
        Refusal::Conflict("an account with this email already exists"),
    ),
];

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

staffbank_core::shared_error_constructors!(Error);
