//! `GET /office/workers/{id}`: exactly what this trust may see of a worker. Until the worker
//! accepts an engagement: the bank-wide summary (name, staff group, grade, skills) and where this
//! trust's request stands; once they have: their contact details, credentials and compliance
//! here too. From here the bank office asks to engage them (a confirmation page, then
//! `engageWorker`), blocks them from this trust's shifts with a reason (and lifts it), and adds
//! them to, or removes them from, a ward's preferred list.

mod block;
mod engage;
mod operations;
mod page;
mod preferred;

pub use block::{block, lift};
pub use engage::{engage_confirm, engage_submit};
pub use page::page;
pub use preferred::preferred;

use crate::schema::schema;

/// Where a trust's request to engage a worker stands (the API's `EngagementConsent`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "EngagementConsent")]
pub enum Consent {
    /// Asked; the worker has not answered.
    Proposed,
    /// The worker accepted.
    Accepted,
    /// The worker said no.
    Declined,
    /// The worker ended it.
    Ended,
}

/// How much of the worker this trust sees (the API's `WorkerAccess`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "WorkerAccess")]
pub enum Access {
    /// The worker themself.
    Own,
    /// Engaged here with their consent.
    Engaged,
    /// The bank-wide summary.
    Summary,
}

/// "Engaged here?" in words, for the search results and the worker's page.
#[must_use]
pub fn here_words(consent: Option<Consent>, trust: &str) -> &'static str {
    let _ = trust;
    match consent {
        Some(Consent::Accepted) => "Engaged",
        Some(Consent::Proposed) => "Asked, waiting for them",
        Some(Consent::Declined) => "Said no",
        Some(Consent::Ended) => "Ended by them",
        None => "Not engaged",
    }
}
