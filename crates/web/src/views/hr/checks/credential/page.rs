//! `GET /hr/credentials/{id}`: the page itself — the worker, the facts recorded, the document,
//! the history in words, and the decision this trust may make now.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::operations::{Event, Loaded, TrustRef, load};
use crate::WebState;
use crate::errors::{PageError, render};
use crate::format;
use crate::forms::{Errors, Textarea};
use crate::fragments::{CredentialStatus, StaffGroup};
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::hr::checks::{check_name, document_words};
use crate::views::office::shift::parse_id;

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
pub(super) struct CredentialPage {
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

/// The credential's page, with `errors` against its forms, the reason as typed, and the banner
/// for `done`.
pub(super) async fn show(
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
    let history = history_rows(&c.history, &trust_name);
    let reason_label = if decision == Decision::Revoke {
        "Why are you revoking it?"
    } else {
        "Why are you rejecting it?"
    };
    Ok(CredentialPage {
        layout: hr
            .layout(visitor, &format!("{check}: {name}"), "/hr")
            .with_errors(!errors.is_empty()),
        done: done_words(done),
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

/// The banner after a decision, for the `?done=` its redirect carries.
fn done_words(done: &str) -> &'static str {
    match done {
        "verified" => "Verified. It now counts at your trust.",
        "accepted" => "Accepted. It now counts at your trust.",
        "rejected" => "Rejected, with your reason. It does not count anywhere.",
        "revoked" => "Revoked. It no longer counts anywhere.",
        _ => "",
    }
}

/// The history in words, with the reasons given for refusals.
fn history_rows(history: &[Event], trust_name: &dyn Fn(Option<Uuid>) -> String) -> Vec<HistoryRow> {
    history
        .iter()
        .map(|e| HistoryRow {
            when: format::when(e.at),
            what: event_words(e, trust_name),
            reason: e
                .reason
                .clone()
                .filter(|_| matches!(e.event.as_str(), "REJECTED" | "REVOKED" | "DECLINED")),
        })
        .collect()
}
