//! Errors of the marketplace, each with its public kind. Database refusals that guard the
//! marketplace's rules (a position taken, an overlapping booking) become the user errors they mean,
//! by constraint name.

use sea_orm::DbErr;
use staffbank_core::db::{RetryHint, violates};
use staffbank_core::{Classify, ErrorKind};

use crate::eligibility::Reason;

/// One bad row of a bulk request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Index of the row in the request, from 0.
    pub index: usize,
    /// What is wrong with it.
    pub message: String,
}

/// What can go wrong in the marketplace.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A shared-layer error (forbidden, not found, validation, conflict...).
    #[error(transparent)]
    Core(#[from] staffbank_core::Error),
    /// An error of the shared bank.
    #[error(transparent)]
    Bank(#[from] staffbank_bank::Error),
    /// A message could not be written to the outbox.
    #[error(transparent)]
    Notify(#[from] staffbank_notify::Error),
    /// The worker may not work this shift; the reasons say why.
    #[error("the worker is not eligible for this shift: {}", summary(.0))]
    NotEligible(Vec<Reason>),
    /// Some rows of a bulk request are invalid; nothing was changed.
    #[error("{} of the rows are invalid; nothing was posted", .0.len())]
    InvalidRows(Vec<RowError>),
    /// The same idempotency key was used by another request racing this one; read its result.
    #[error("a request with this idempotency key is being handled")]
    RepeatedRequest,
    /// The database failed.
    #[error("database error: {0}")]
    Db(DbErr),
}

fn summary(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(Reason::message)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Names of the constraints that guard bookings.
pub(crate) mod constraint {
    /// One active booking per shift position (both engines).
    pub const POSITION: (&str, &str) = (
        "ux_bookings_shift_position",
        "bookings.shift_id, bookings.position",
    );
    /// One booking per caller and idempotency key.
    pub const REQUEST: (&str, &str) = (
        "ux_bookings_request",
        "bookings.booked_by, bookings.idempotency_key",
    );
    /// No overlapping active bookings of one worker (PostgreSQL).
    pub const OVERLAP: &str = "ex_bookings_worker_overlap";
}

impl From<DbErr> for Error {
    fn from(e: DbErr) -> Self {
        if violates(&e, constraint::POSITION.0, constraint::POSITION.1) {
            tracing::info!("booking refused by the one-booking-per-position index");
            return conflict("this shift was just filled by another booking");
        }
        if violates(&e, constraint::REQUEST.0, constraint::REQUEST.1) {
            return Self::RepeatedRequest;
        }
        if violates(&e, constraint::OVERLAP, "") {
            tracing::info!("booking refused by the overlapping-booking exclusion constraint");
            return Self::NotEligible(vec![Reason::OverlappingBooking { booking_id: None }]);
        }
        Self::Db(e)
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Core(e) => e.kind(),
            Self::Bank(e) => e.kind(),
            Self::Notify(e) => e.kind(),
            Self::NotEligible(_) => ErrorKind::NotEligible,
            Self::InvalidRows(_) => ErrorKind::Validation,
            Self::RepeatedRequest => ErrorKind::Conflict,
            Self::Db(_) => ErrorKind::Internal,
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            Self::Core(e) => e.details(),
            Self::Bank(e) => e.details(),
            Self::Notify(e) => e.details(),
            Self::NotEligible(reasons) => Some(serde_json::json!({
                "reasons": reasons.iter().map(Reason::to_json).collect::<Vec<_>>()
            })),
            Self::InvalidRows(rows) => Some(serde_json::json!({
                "rows": rows
                    .iter()
                    .map(|r| serde_json::json!({ "index": r.index, "message": r.message }))
                    .collect::<Vec<_>>()
            })),
            Self::RepeatedRequest | Self::Db(_) => None,
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
            Self::NotEligible(_) | Self::InvalidRows(_) | Self::RepeatedRequest => false,
        }
    }
}

/// Shorthand for a marketplace result.
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
