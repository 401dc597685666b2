//! What can go wrong, in the words the API speaks. Every domain crate has its own error enum and
//! says, through [`Classify`], which [`ErrorKind`] each variant is; the gateway turns the kind into a
//! public `extensions.code` in one place and never shows the text of an [`ErrorKind::Internal`].

use sea_orm::DbErr;

/// The public classes of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No valid credentials were presented.
    Unauthenticated,
    /// The caller is known but may not do this.
    Forbidden,
    /// The thing asked for does not exist (or the caller may not know it exists).
    NotFound,
    /// The input is malformed or breaks a rule.
    Validation,
    /// The request conflicts with the current state (duplicate, already booked...).
    Conflict,
    /// A worker is not eligible for a shift; the details list why.
    NotEligible,
    /// Too many attempts; try again later.
    RateLimited,
    /// Something failed inside; the details are logged, not shown.
    Internal,
}

impl ErrorKind {
    /// The code put in `extensions.code` of a GraphQL error.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::Validation => "VALIDATION",
            Self::Conflict => "CONFLICT",
            Self::NotEligible => "NOT_ELIGIBLE",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal => "INTERNAL",
        }
    }
}

/// Implemented by every domain error so the gateway can translate it without knowing its variants.
pub trait Classify: std::error::Error + Send + Sync + 'static {
    /// The public class of this error.
    fn kind(&self) -> ErrorKind;

    /// Structured detail safe to show the caller (e.g. the reasons a worker is not eligible).
    fn details(&self) -> Option<serde_json::Value> {
        None
    }
}

/// Errors of the shared layer: accounts, validation of shared values, the database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Sign-in failed; deliberately does not say whether the email or the password was wrong.
    #[error("sign-in failed: the email or password is not correct")]
    BadCredentials,
    /// Too many recent failed attempts (sign-in, invitation) for this account or address.
    #[error("too many failed attempts; try again in {retry_after_secs} seconds")]
    TooManyAttempts {
        /// Seconds until another attempt is allowed.
        retry_after_secs: i64,
    },
    /// No (valid) token.
    #[error("sign in first: this needs a valid bearer token")]
    Unauthenticated,
    /// The token's session has ended (signed out, or the password was changed elsewhere).
    #[error("{}", .0.message())]
    SessionEnded(crate::sessions::EndReason),
    /// Not allowed; the message says what role is needed.
    #[error("{0}")]
    Forbidden(String),
    /// The named thing does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Bad input; the message says what and why.
    #[error("{0}")]
    Validation(String),
    /// A text input breaks its field's rule (too long, blank, or a character it refuses); the
    /// details name the field and its maximum.
    #[error("{message}")]
    InvalidText {
        /// The input's name in the API.
        field: &'static str,
        /// The field's maximum length (or a list's most items).
        max: usize,
        /// What is wrong, in words.
        message: String,
    },
    /// Conflicts with existing state.
    #[error("{0}")]
    Conflict(String),
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// Another internal failure (the message is logged, never shown).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::BadCredentials | Self::Unauthenticated | Self::SessionEnded(_) => {
                ErrorKind::Unauthenticated
            }
            Self::TooManyAttempts { .. } => ErrorKind::RateLimited,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Validation(_) | Self::InvalidText { .. } => ErrorKind::Validation,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::Db(_) | Self::Internal(_) => ErrorKind::Internal,
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            Self::TooManyAttempts { retry_after_secs } => {
                Some(serde_json::json!({ "retryAfterSeconds": retry_after_secs }))
            }
            Self::InvalidText { field, max, .. } => {
                Some(serde_json::json!({ "field": field, "maxLength": max }))
            }
            _ => None,
        }
    }
}

/// Shorthand for a result of the shared layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Defines, in the module it is invoked in, the shorthand constructors of the shared errors for a
/// domain crate's error type `$error` (which wraps [`Error`] through `From`): `validation`,
/// `not_found`, `forbidden`, `conflict` and `internal`. One definition for every crate, so each
/// crate's shared errors are built by the same code. (Functions generic over the error type would
/// not do: after `?` nothing says which error to build.)
#[macro_export]
macro_rules! shared_error_constructors {
    ($error:ty) => {
        /// Bad input (`staffbank_core::Error::Validation`); the message says what and why.
        #[allow(dead_code, reason = "defined alike in every crate, used where needed")]
        pub(crate) fn validation(msg: impl Into<String>) -> $error {
            <$error>::from($crate::Error::Validation(msg.into()))
        }

        /// The named thing does not exist, or the caller may not know it does
        /// (`staffbank_core::Error::NotFound`).
        #[allow(dead_code, reason = "defined alike in every crate, used where needed")]
        pub(crate) fn not_found(what: &'static str) -> $error {
            <$error>::from($crate::Error::NotFound(what))
        }

        /// Not allowed; the message says what is needed (`staffbank_core::Error::Forbidden`).
        #[allow(dead_code, reason = "defined alike in every crate, used where needed")]
        pub(crate) fn forbidden(msg: impl Into<String>) -> $error {
            <$error>::from($crate::Error::Forbidden(msg.into()))
        }

        /// Conflicts with the current state (`staffbank_core::Error::Conflict`).
        #[allow(dead_code, reason = "defined alike in every crate, used where needed")]
        pub(crate) fn conflict(msg: impl Into<String>) -> $error {
            <$error>::from($crate::Error::Conflict(msg.into()))
        }

        /// An internal failure, logged and never shown (`staffbank_core::Error::Internal`).
        #[allow(dead_code, reason = "defined alike in every crate, used where needed")]
        pub(crate) fn internal(msg: impl Into<String>) -> $error {
            <$error>::from($crate::Error::Internal(msg.into()))
        }
    };
}
