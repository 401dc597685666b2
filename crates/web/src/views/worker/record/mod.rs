//! The worker's record: their details, the trusts they work for, their checks and training with
//! where each stands (`show`), adding a credential with its document, or a document to a
//! credential (`credential`), the working-time opt-out (`working_time`), and answering a trust's
//! request to engage them or ending an engagement (`engagement`).

mod credential;
mod engagement;
mod show;
mod working_time;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::WebState;
use crate::schema::schema;

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/worker/record", get(show::page))
        .route(
            "/worker/record/credentials/new",
            get(credential::new_form)
                .post(credential::create)
                // The CSRF check has already read the body, bounded by the upload limit.
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/worker/record/credentials/{id}/evidence",
            get(credential::evidence_form)
                .post(credential::attach_form)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/worker/record/engagements/{trust_id}/{step}",
            get(engagement::confirm).post(engagement::submit),
        )
        .route(
            "/worker/record/working-time",
            get(working_time::form).post(working_time::save),
        )
}

/// A credential's status (the API's `CredentialStatus`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialStatus {
    /// Waiting for HR.
    Pending,
    /// Verified.
    Verified,
    /// Rejected.
    Rejected,
    /// Withdrawn after verification.
    Revoked,
    /// Past its expiry date.
    Expired,
}

impl CredentialStatus {
    /// Its tag: words and colour.
    #[must_use]
    pub fn tag(self) -> super::timesheets::Tag {
        let (text, class) = match self {
            Self::Pending => ("Waiting for checks", "nhsuk-tag--blue"),
            Self::Verified => ("Verified", "nhsuk-tag--green"),
            Self::Rejected => ("Rejected", "nhsuk-tag--red"),
            Self::Revoked => ("Withdrawn", "nhsuk-tag--orange"),
            Self::Expired => ("Expired", "nhsuk-tag--grey"),
        };
        super::timesheets::Tag { text, class }
    }
}
