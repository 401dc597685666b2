//! What a scheduled job does when one of its rows fails: it records the failure — a log line
//! naming the job and the row, and `staffbank_job_row_failures_total{job}` — and goes on with the
//! next row, so one bad row never stops the job for everyone else. Every job (credential expiry,
//! tier announcements, timesheet reminders, mail delivery) reports through [`row_failed`].

use std::fmt::Display;

/// The counter of rows a scheduled job could not process.
pub const ROW_FAILURES: &str = "staffbank_job_row_failures_total";

/// Records that `job` could not process the row `row` because of `error`; the caller goes on.
pub fn row_failed(job: &'static str, row: impl Display, error: &dyn Display) {
    tracing::error!(job, row = %row, error = %error, "a scheduled job could not process a row; it went on with the others");
    metrics::counter!(ROW_FAILURES, "job" => job).increment(1);
}
