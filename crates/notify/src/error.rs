//! Errors of the notify crate.

use sea_orm::DbErr;
use staffbank_core::db::RetryHint;
use staffbank_core::{Classify, ErrorKind};

/// What can go wrong when enqueueing or delivering a message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The message itself is not acceptable (an empty subject, a line break in it...).
    #[error("invalid message: {0}")]
    InvalidMessage(String),
    /// The mail settings cannot work (an unparsable sender, an SMTP host lettre refuses).
    #[error("mail configuration: {0}")]
    Config(String),
    /// The transport did not accept the message; it will be tried again.
    #[error("sending failed: {0}")]
    Send(String),
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidMessage(_) => ErrorKind::Validation,
            Self::Config(_) | Self::Send(_) | Self::Db(_) => ErrorKind::Internal,
        }
    }
}

impl RetryHint for Error {
    fn is_retryable(&self) -> bool {
        matches!(self, Self::Db(e) if e.is_retryable())
    }
}

/// Shorthand for a notify result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
