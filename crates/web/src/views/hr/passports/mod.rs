//! HR's passport pages: a worker's passports (issue, revoke, suspend, reinstate) and receiving a
//! passport from another trust (paste a token, upload the file, or scan the worker's QR code), its
//! verification and item-by-item evaluation, and accepting its checks.

mod receive;
mod status;
mod workers;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::format;
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::worker::passports::{Item, PassportStatus, TrustRef, items_in_words, status_tag};

/// The section these pages belong to in HR's navigation.
const SECTION: &str = "/hr/passports";

/// The passport pages' routes.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(SECTION, get(workers::search))
        .route("/hr/passports/workers/{id}", get(workers::worker))
        .route(
            "/hr/passports/workers/{id}/issue",
            get(workers::issue_confirm).post(workers::issue),
        )
        .route(
            "/hr/passports/{id}/{action}",
            get(status::confirm).post(status::submit),
        )
        .route(
            "/hr/passports/receive",
            get(receive::form).post(receive::submit),
        )
        .route("/hr/passports/received/{id}", get(receive::result))
        .route("/hr/passports/received/{id}/accept", post(receive::accept))
        .route("/hr/passports/accepted/{id}", get(receive::accepted))
}

/// A passport as HR's pages show it.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "Passport")]
pub struct HrPassport {
    /// Id.
    pub id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// Valid from.
    pub valid_from: DateTime,
    /// Valid until.
    pub valid_until: DateTime,
    /// Status.
    pub status: PassportStatus,
    /// Why suspended or revoked.
    pub status_reason: Option<String>,
    /// When issued.
    pub created_at: DateTime,
    /// The issuing trust.
    pub issuer_trust: TrustRef,
    /// The items.
    pub items: Vec<Item>,
}

/// A passport, in words.
#[derive(Debug, Clone)]
pub struct PassportRow {
    /// Issuing trust.
    pub issuer: String,
    /// "Issued on 2 March 2026".
    pub issued: String,
    /// "2 March 2026 to 2 March 2027".
    pub valid: String,
    /// The tag's text.
    pub status: &'static str,
    /// The tag's colour.
    pub status_class: &'static str,
    /// Why suspended or revoked.
    pub status_reason: Option<String>,
    /// "17 checks and training items".
    pub items: String,
    /// Whether this trust issued it (so may suspend, reinstate, revoke it).
    pub ours: bool,
    /// What this trust may do to it: (link text, address).
    pub actions: Vec<(&'static str, String)>,
}

impl PassportRow {
    /// The words for `p`, seen by HR of `trust`.
    #[must_use]
    pub fn of(p: &HrPassport, trust: Uuid) -> Self {
        let (status, status_class) = status_tag(p.status);
        let ours = p.issuer_trust.id == trust;
        let mut actions = Vec::new();
        if ours {
            let at = |action: &str| format!("/hr/passports/{}/{action}", p.id);
            match p.status {
                PassportStatus::Active => {
                    actions.push(("Suspend", at("suspend")));
                    actions.push(("Revoke", at("revoke")));
                }
                PassportStatus::Suspended => {
                    actions.push(("Reinstate", at("reinstate")));
                    actions.push(("Revoke", at("revoke")));
                }
                PassportStatus::Revoked => {}
            }
        }
        Self {
            issuer: p.issuer_trust.name.clone(),
            issued: format::date_short(format::london(p.created_at).date()),
            valid: format!(
                "{} to {}",
                format::date_short(format::london(p.valid_from).date()),
                format::date_short(format::london(p.valid_until).date())
            ),
            status,
            status_class,
            status_reason: p.status_reason.clone(),
            items: items_in_words(p.items.len()),
            ours,
            actions,
        }
    }
}

#[derive(cynic::QueryVariables)]
struct WorkerVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
struct WorkerNameQuery {
    #[arguments(id: $id)]
    worker: WorkerName,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct WorkerName {
    given_name: String,
    family_name: String,
}

/// A worker's name, "Amara Davies".
///
/// # Errors
/// The API's.
pub async fn worker_name(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<String, PageError> {
    use cynic::QueryBuilder;
    let w = api::run(
        state.api.as_ref(),
        &visitor.caller,
        WorkerNameQuery::build(WorkerVariables { id }),
    )
    .await?
    .worker;
    Ok(format!("{} {}", w.given_name, w.family_name))
}
