//! `GET /hr/credentials/{id}`: one credential as HR checks it — the worker, the facts recorded,
//! the document shown in the page (an image, or a PDF in a frame, with a download link), its
//! history, and the decisions this trust may make: verify or reject (with a reason) a pending
//! credential, accept another trust's verification, or revoke (with a reason) one this trust
//! verified. The API decides every rule (only this trust's own decisions); the page says what it
//! refused. `GET /hr/credentials/{id}/evidence` serves the document through the service's
//! authorised download path, for the page to show inline.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{check_name, document_words};
use crate::WebState;
use crate::api::{self, ApiError, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Textarea};
use crate::fragments::{CredentialStatus, StaffGroup};
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::shift::parse_id;

#[derive(cynic::QueryVariables)]
struct CredentialVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "CredentialVariables")]
struct CredentialQuery {
    #[arguments(id: $id)]
    credential: Credential,
}

#[derive(cynic::QueryFragment)]
struct Credential {
    id: Uuid,
    worker_id: Uuid,
    kind_name: String,
    level: Option<i32>,
    issuer: String,
    reference: Option<String>,
    valid_from: NaiveDate,
    expires_on: Option<NaiveDate>,
    status: CredentialStatus,
    status_reason: Option<String>,
    created_at: DateTime,
    evidence: Option<Evidence>,
    verified_by_trust: Option<TrustRef>,
    recognised_by: Vec<TrustRef>,
    history: Vec<Event>,
}

#[derive(cynic::QueryFragment)]
struct Evidence {
    filename: String,
    content_type: String,
    size: i32,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "Trust")]
struct TrustRef {
    id: Uuid,
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialEvent")]
struct Event {
    event: String,
    trust_id: Option<Uuid>,
    reason: Option<String>,
    at: DateTime,
}

#[derive(cynic::QueryVariables)]
struct WorkerVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
struct WorkerQuery {
    #[arguments(id: $id)]
    worker: Worker,
}

#[derive(cynic::QueryFragment)]
struct Worker {
    id: Uuid,
    given_name: String,
    family_name: String,
    staff_group: Option<StaffGroup>,
    grade: String,
}

#[derive(cynic::QueryVariables)]
struct DecisionVariables {
    credential_id: Uuid,
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "DecisionVariables")]
struct Verify {
    #[arguments(credentialId: $credential_id, trustId: $trust_id)]
    verify_credential: Decided,
}

#[derive(cynic::QueryVariables)]
struct ReasonedVariables {
    credential_id: Uuid,
    trust_id: Uuid,
    reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ReasonedVariables")]
struct Reject {
    #[arguments(credentialId: $credential_id, trustId: $trust_id, reason: $reason)]
    reject_credential: Decided,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ReasonedVariables")]
struct Revoke {
    #[arguments(credentialId: $credential_id, trustId: $trust_id, reason: $reason)]
    revoke_credential: Decided,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Credential")]
struct Decided {
    status: CredentialStatus,
}

/// What this trust may decide about the credential now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// Pending: verify it, or reject it with a reason.
    VerifyOrReject,
    /// Verified by another trust and not yet counted here: accept their verification.
    Accept,
    /// Verified by this trust: revoke it with a reason.
    Revoke,
    /// Nothing (rejected, revoked, or already counted here on another trust's check).
    None,
}

/// The document, as the page shows it.
struct Document {
    src: String,
    download: String,
    filename: String,
    is_image: bool,
    is_pdf: bool,
    kind: &'static str,
    size: String,
}

/// One line of the history.
struct HistoryRow {
    when: String,
    what: String,
    reason: Option<String>,
}

#[derive(Template)]
#[template(path = "hr/checks/credential.html")]
struct CredentialPage {
    layout: Layout,
    errors: Errors,
    done: &'static str,
    id: Uuid,
    worker_href: String,
    worker_name: String,
    group: String,
    grade: String,
    check: String,
    issuer: String,
    reference: Option<String>,
    valid_from: String,
    expires_on: String,
    status: &'static str,
    status_tag: &'static str,
    status_reason: Option<String>,
    recorded: String,
    verified_by: Option<String>,
    counted_here: bool,
    trust_name: String,
    document: Option<Document>,
    history: Vec<HistoryRow>,
    decision: Decision,
    other_trust: String,
    reason: Textarea,
}

/// The NHS tag colour of a status.
fn status_tag(s: CredentialStatus) -> &'static str {
    match s {
        CredentialStatus::Pending => "nhsuk-tag--yellow",
        CredentialStatus::Verified => "nhsuk-tag--green",
        CredentialStatus::Rejected | CredentialStatus::Revoked => "nhsuk-tag--red",
        CredentialStatus::Expired => "nhsuk-tag--grey",
    }
}

/// HR's words for a status.
fn status_words(s: CredentialStatus) -> &'static str {
    match s {
        CredentialStatus::Pending => "Waiting to be checked",
        CredentialStatus::Verified => "Verified",
        CredentialStatus::Rejected => "Rejected",
        CredentialStatus::Revoked => "Revoked",
        CredentialStatus::Expired => "Expired",
    }
}

/// "12 KB", "1.4 MB".
fn size_words(bytes: i32) -> String {
    let b = f64::from(bytes.max(0));
    if b < 1024.0 * 1024.0 {
        format!("{} KB", (b / 1024.0).ceil())
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

/// One history event in words, naming the trust it was for.
fn event_words(e: &Event, trust_name: &dyn Fn(Option<Uuid>) -> String) -> String {
    let who = trust_name(e.trust_id);
    match e.event.as_str() {
        "RECORDED" => "Sent to be checked".to_owned(),
        "EVIDENCE_ADDED" => "Document added".to_owned(),
        "VERIFIED" => format!("Verified by {who}"),
        "REJECTED" => format!("Rejected by {who}"),
        "REVOKED" => format!("Revoked by {who}"),
        "EXPIRED" => "Expired".to_owned(),
        "RECOGNISED" => match e.reason.as_deref() {
            Some("PASSPORT") => format!("Counted at {who} through a passport"),
            _ => format!("Counted at {who}"),
        },
        "DECLINED" => format!("Not accepted by {who}"),
        "DECLINE_WITHDRAWN" => format!("Accepted by {who} after all"),
        "NEW_VERSION" => "A newer version was sent".to_owned(),
        other => format::capitalised(&format::code_words(other)),
    }
}

struct Loaded {
    c: Credential,
    w: Worker,
}

async fn load(state: &WebState, visitor: &Visitor, id: Uuid) -> Result<Loaded, PageError> {
    use cynic::QueryBuilder;
    let c = api::run(
        state.api.as_ref(),
        &visitor.caller,
        CredentialQuery::build(CredentialVariables { id }),
    )
    .await?
    .credential;
    let w = api::run(
        state.api.as_ref(),
        &visitor.caller,
        WorkerQuery::build(WorkerVariables { id: c.worker_id }),
    )
    .await?
    .worker;
    Ok(Loaded { c, w })
}

async fn show(
    state: &WebState,
    visitor: &Visitor,
    hr: &Hr,
    id: Uuid,
    errors: Errors,
    reason: &str,
    done: &str,
) -> Result<CredentialPage, PageError> {
    let Loaded { c, w } = load(state, visitor, id).await?;
    let mine = hr.trust.id;
    let mut known: Vec<TrustRef> = c.recognised_by.clone();
    known.extend(c.verified_by_trust.clone());
    let trust_name = |t: Option<Uuid>| -> String {
        match t {
            Some(t) if t == mine => hr.trust.name.clone(),
            Some(t) => known
                .iter()
                .find(|k| k.id == t)
                .map_or_else(|| "another trust".to_owned(), |k| k.name.clone()),
            None => "the bank".to_owned(),
        }
    };
    let counted_here = c.recognised_by.iter().any(|t| t.id == mine);
    let verified_here = c.verified_by_trust.as_ref().is_some_and(|t| t.id == mine);
    let decision = match c.status {
        CredentialStatus::Pending => Decision::VerifyOrReject,
        CredentialStatus::Verified | CredentialStatus::Expired if verified_here => Decision::Revoke,
        CredentialStatus::Verified if !counted_here => Decision::Accept,
        _ => Decision::None,
    };
    let name = format!("{} {}", w.given_name, w.family_name);
    let check = check_name(&c.kind_name, c.level);
    let document = c.evidence.as_ref().map(|e| Document {
        src: format!("/hr/credentials/{}/evidence", c.id),
        download: format!("/hr/credentials/{}/evidence?download=1", c.id),
        filename: e.filename.clone(),
        is_image: e.content_type.starts_with("image/"),
        is_pdf: e.content_type == "application/pdf",
        kind: document_words(Some(&e.content_type)),
        size: size_words(e.size),
    });
    let history = c
        .history
        .iter()
        .map(|e| HistoryRow {
            when: format::when(e.at),
            what: event_words(e, &trust_name),
            reason: e
                .reason
                .clone()
                .filter(|_| matches!(e.event.as_str(), "REJECTED" | "REVOKED" | "DECLINED")),
        })
        .collect();
    let reason_label = if decision == Decision::Revoke {
        "Why are you revoking it?"
    } else {
        "Why are you rejecting it?"
    };
    Ok(CredentialPage {
        layout: hr
            .layout(visitor, &format!("{check}: {name}"), "/hr")
            .with_errors(!errors.is_empty()),
        done: match done {
            "verified" => "Verified. It now counts at your trust.",
            "accepted" => "Accepted. It now counts at your trust.",
            "rejected" => "Rejected, with your reason. It does not count anywhere.",
            "revoked" => "Revoked. It no longer counts anywhere.",
            _ => "",
        },
        id: c.id,
        worker_href: format!("/hr/workers/{}", w.id),
        worker_name: name,
        group: w.staff_group.map_or("", StaffGroup::name).to_owned(),
        grade: crate::views::worker::shifts::grade_name(&w.grade),
        check,
        issuer: c.issuer,
        reference: c.reference,
        valid_from: format::date(c.valid_from),
        expires_on: c
            .expires_on
            .map_or_else(|| "Does not expire".to_owned(), format::date),
        status: status_words(c.status),
        status_tag: status_tag(c.status),
        status_reason: c.status_reason,
        recorded: format::date(format::london(c.created_at).date()),
        verified_by: c.verified_by_trust.as_ref().map(|t| t.name.clone()),
        counted_here,
        trust_name: hr.trust.name.clone(),
        document,
        history,
        decision,
        other_trust: c
            .verified_by_trust
            .map(|t| t.name)
            .unwrap_or_else(|| "another trust".to_owned()),
        reason: Textarea::new("reason", reason_label)
            .hint("The worker will see this. Up to 500 characters.")
            .value(reason)
            .error_from(&errors),
        errors,
    })
}

/// The `?done=` a decision's redirect carries.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /hr/credentials/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    render(
        &show(
            &state,
            &visitor,
            &hr,
            id,
            Errors::new(),
            "",
            done.done.trim(),
        )
        .await?,
    )
}

/// Where a refused decision's message goes: a reason's problem beside the reason, anything else
/// beside the buttons.
fn refused(e: &ApiError, errors: &mut Errors) {
    let field = if e.code == Code::Validation && e.message.to_lowercase().contains("reason") {
        "reason"
    } else {
        "decision"
    };
    errors.add(field, format::error_message(&e.message));
}

/// `POST /hr/credentials/{id}/verify`: verify a pending credential, or accept another trust's
/// verification.
pub async fn verify(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let before = load(&state, &visitor, id).await?.c.status;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        Verify::build(DecisionVariables {
            credential_id: id,
            trust_id: hr.trust.id,
        }),
    )
    .await
    {
        Ok(done) => {
            let word = if before == CredentialStatus::Pending {
                "verified"
            } else {
                "accepted"
            };
            tracing::debug!(status = ?done.verify_credential.status, "credential verified");
            Ok(Redirect::to(&format!("/hr/credentials/{id}?done={word}")).into_response())
        }
        Err(e) if matches!(e.code, Code::Conflict | Code::Forbidden | Code::Validation) => {
            let mut errors = Errors::new();
            refused(&e, &mut errors);
            render_invalid(&show(&state, &visitor, &hr, id, errors, "", "").await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The reject and revoke forms.
#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// Runs a decision that needs a reason: checks the reason is there, asks the API, and either
/// redirects to the confirmation or shows the page again with what was wrong.
async fn decide_with_reason(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    form: ReasonForm,
    revoking: bool,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let hr = Hr::of(state, visitor).await?;
    let reason = form.reason.trim().to_owned();
    let verb = if revoking { "revoking" } else { "rejecting" };
    let mut errors = Errors::new();
    if reason.is_empty() {
        errors.add("reason", format!("Enter why you are {verb} it"));
    } else if reason.chars().count() > 500 {
        errors.add(
            "reason",
            format!("Why you are {verb} it must be 500 characters or fewer"),
        );
    } else {
        let vars = ReasonedVariables {
            credential_id: id,
            trust_id: hr.trust.id,
            reason: reason.clone(),
        };
        let result = if revoking {
            api::run(state.api.as_ref(), &visitor.caller, Revoke::build(vars))
                .await
                .map(|d| d.revoke_credential.status)
        } else {
            api::run(state.api.as_ref(), &visitor.caller, Reject::build(vars))
                .await
                .map(|d| d.reject_credential.status)
        };
        match result {
            Ok(status) => {
                tracing::debug!(?status, "credential decided");
                let word = if revoking { "revoked" } else { "rejected" };
                return Ok(
                    Redirect::to(&format!("/hr/credentials/{id}?done={word}")).into_response()
                );
            }
            Err(e) if matches!(e.code, Code::Conflict | Code::Forbidden | Code::Validation) => {
                refused(&e, &mut errors);
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_invalid(&show(state, visitor, &hr, id, errors, &reason, "").await?)
}

/// `POST /hr/credentials/{id}/reject`.
pub async fn reject(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    decide_with_reason(&state, &visitor, id, form, false).await
}

/// `POST /hr/credentials/{id}/revoke`.
pub async fn revoke(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    decide_with_reason(&state, &visitor, id, form, true).await
}

/// `?download=1` asks for the document as a file to keep, rather than to show in the page.
#[derive(Debug, Deserialize, Default)]
pub struct DownloadParams {
    #[serde(default)]
    download: String,
}

/// `GET /hr/credentials/{id}/evidence`: the document, fetched as the signed-in person through the
/// service's authorised download path (the same access check and access log as any download),
/// shown inline (framed only by this site's own pages) or, with `?download=1`, as a download.
pub async fn evidence(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
    Query(params): Query<DownloadParams>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    Hr::of(&state, &visitor).await?;
    let mut response = state.api.evidence(id, &visitor.caller).await;
    match response.status() {
        StatusCode::OK => {}
        StatusCode::UNAUTHORIZED => {
            return Err(PageError::Api(ApiError {
                code: Code::Unauthenticated,
                message: "sign in first".to_owned(),
                details: None,
            }));
        }
        StatusCode::FORBIDDEN => {
            return Err(PageError::forbidden(
                "the document is for those who may see the worker's checks",
            ));
        }
        StatusCode::NOT_FOUND => return Err(PageError::NotFound),
        status => {
            return Err(PageError::Api(ApiError {
                code: Code::Internal,
                message: format!("the evidence download answered {status}"),
                details: None,
            }));
        }
    }
    let h = response.headers_mut();
    if params.download.trim() != "1" {
        let disposition = h
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.replacen("attachment", "inline", 1));
        if let Some(v) = disposition.and_then(|d| HeaderValue::from_str(&d).ok()) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    // The document is shown inside our own page: only this site may frame it, and it may load
    // nothing itself.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'self'"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    Ok(response)
}
