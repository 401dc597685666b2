//! Errors of the marketplace, each with its public kind. Database refusals that guard the
//! marketplace's rules (a position taken, an overlapping booking) become the user errors they mean,
//! by constraint name.

use sea_orm::DbErr;
use staffbank_core::db::{self, Constraint, Refusal, RetryHint};
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

/// The constraints that guard the marketplace's rules with a meaning of their own.
pub(crate) mod constraint {
    use staffbank_core::db::Constraint;

    /// One booking per caller and idempotency key: a request repeated while the first is handled.
    pub const REQUEST: Constraint = Constraint {
        name: "ux_bookings_request",
        sqlite_columns: "bookings.booked_by, bookings.idempotency_key",
    };
    /// No overlapping active bookings of one worker (PostgreSQL only; SQLite's writers are
    /// serialised, and the booking transaction's own check suffices there).
    pub const OVERLAP: Constraint = Constraint {
        name: "ex_bookings_worker_overlap",
        sqlite_columns: "",
    };
}

/// The marketplace's unique constraints, and what breaking one means to the caller: what the check
/// made before writing says, for a request that raced past it.
const UNIQUE: &[(Constraint, Refusal)] = &[
    (
        // One active booking per shift position (both engines).
        Constraint {
            name: "ux_bookings_shift_position",
            sqlite_columns: "bookings.shift_id, bookings.position",
        },
        Refusal::Conflict("this shift was just filled by another booking"),
    ),
    (
        Constraint {
            name: "ux_cancellations_booking",
            sqlite_columns: "cancellations.booking_id",
        },
        Refusal::Conflict("the booking is not active"),
    ),
    (
        Constraint {
            name: "ux_preferred_workers_ward_worker",
            sqlite_columns: "preferred_workers.ward_id, preferred_workers.worker_id",
        },
        Refusal::Conflict("the worker is already preferred on this ward"),
    ),
    (
        Constraint {
            name: "ux_shift_grades_shift_grade",
            sqlite_columns: "shift_grades.shift_id, shift_grades.grade",
        },
        Refusal::Validation("a grade is listed twice"),
    ),
    (
        Constraint {
            name: "ux_rate_card_lines_card_grade",
            sqlite_columns: "rate_card_lines.rate_card_id, rate_card_lines.grade",
        },
        Refusal::Validation("a grade is given twice"),
    ),
    (
        Constraint {
            name: "ux_rate_cards_trust_from",
            sqlite_columns: "rate_cards.trust_id, rate_cards.effective_from",
        },
        Refusal::Conflict(
            "a rate card from this date was saved at the same moment; reload and try again",
        ),
    ),
    (
        Constraint {
            name: "ux_public_holidays_region_date",
            sqlite_columns: "public_holidays.region, public_holidays.date",
        },
        Refusal::Conflict("this date is already a public holiday"),
    ),
    (
        Constraint {
            name: "ux_bank_holidays_system_date",
            sqlite_columns: "bank_holidays.system_id, bank_holidays.date",
        },
        Refusal::Conflict(
            "the bank's holiday on this date was changed at the same moment; reload and try again",
        ),
    ),
    (
        Constraint {
            name: "timesheets_booking_id_key",
            sqlite_columns: "timesheets.booking_id",
        },
        Refusal::Conflict("this timesheet was submitted at the same moment; reload it"),
    ),
];

impl From<DbErr> for Error {
    /// A constraint that slipped past the checks made before writing (two requests racing) is a
    /// user error, by name: a repeated request, an overlapping booking, or the refusal [`UNIQUE`]
    /// gives it.
    fn from(e: DbErr) -> Self {
        if constraint::REQUEST.is_broken_by(&e) {
            return Self::RepeatedRequest;
        }
        if constraint::OVERLAP.is_broken_by(&e) {
            tracing::info!("booking refused by the overlapping-booking exclusion constraint");
            return Self::NotEligible(vec![Reason::OverlappingBooking { booking_id: None }]);
        }
        if let Some((constraint, refusal)) = db::refusal(&e, UNIQUE) {
            tracing::info!(
                constraint = constraint.name,
                "write refused by a unique constraint"
            );
            return Self::Core(refusal.into());
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

staffbank_core::shared_error_constructors!(Error);
