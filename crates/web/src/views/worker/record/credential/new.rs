//! The new-credential form (`GET|POST /worker/record/credentials/new`): what it is, who issued it,
//! its dates and its document, read and checked, then recorded and the document sent.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::evidence::evidence_page;
use super::operations::{
    CredentialKind, KindsQuery, RecordCredential, RecordCredentialInput, RecordVariables, kinds,
};
use super::upload::{attach, chosen, date_field, evidence_upload};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::{CsrfField, DateInput, DateValue, Errors, FileUpload, Input, Select};
use crate::layout::Layout;
use crate::multipart;
use crate::session::Visitor;
use crate::views::worker::layout;

/// The new-credential form as typed.
#[derive(Debug, Default, Clone)]
struct Typed {
    kind: String,
    issuer: String,
    reference: String,
    valid_from: DateValue,
    expires: DateValue,
}

#[derive(Template)]
#[template(path = "worker/record/credential_new.html")]
struct NewPage {
    layout: Layout,
    errors: Errors,
    kind: Select,
    issuer: Input,
    reference: Input,
    valid_from: DateInput,
    expires: DateInput,
    evidence: FileUpload,
}

fn kind_options(kinds: &[CredentialKind]) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Choose one".to_owned())];
    for k in kinds {
        if k.levels.is_empty() {
            options.push((k.code.clone(), k.name.clone()));
        } else {
            for l in &k.levels {
                options.push((
                    format!("{}:{}", k.code, l.level),
                    format!("{}: {}", k.name, l.name),
                ));
            }
        }
    }
    options
}

fn new_page(
    visitor: &Visitor,
    data: &KindsQuery,
    typed: &Typed,
    errors: Errors,
    max: u64,
) -> NewPage {
    NewPage {
        layout: layout(
            visitor,
            &data.me,
            "Add a check or training certificate",
            "/worker/record",
        )
        .with_errors(!errors.is_empty()),
        kind: Select::new("kind", "What is it?", kind_options(&data.credential_kinds))
            .selected(typed.kind.clone())
            .error_from(&errors),
        issuer: Input::new("issuer", "Who issued it")
            .hint("For example, the Disclosure and Barring Service, or the training provider")
            .value(typed.issuer.clone())
            .error_from(&errors),
        reference: Input::new("reference", "Certificate or reference number (optional)")
            .value(typed.reference.clone())
            .error_from(&errors),
        valid_from: DateInput::new("valid-from", "Date it was issued or completed")
            .hint("For example, 15 3 2026")
            .value(&typed.valid_from)
            .error_from(&errors),
        expires: DateInput::new("expires", "Date it expires (optional)")
            .hint("Leave this blank if it does not expire")
            .value(&typed.expires)
            .error_from(&errors),
        evidence: evidence_upload(max, &errors),
        errors,
    }
}

/// `GET /worker/record/credentials/new`.
pub async fn new_form(
    State(state): State<WebState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let data = kinds(&state, &visitor).await?;
    render(&new_page(
        &visitor,
        &data,
        &Typed::default(),
        Errors::new(),
        state.settings.max_upload_bytes,
    ))
}

/// Where an API refusal of the credential's details belongs, and what to say.
fn credential_error(message: &str) -> (&'static str, String) {
    if message.contains("validFrom cannot be in the future") {
        (
            "valid-from-day",
            "The date it was issued must be today or in the past".to_owned(),
        )
    } else if message.contains("expiresOn must be after validFrom") {
        (
            "expires-day",
            "The date it expires must be after the date it was issued".to_owned(),
        )
    } else if message.contains("issuer") {
        (
            "issuer",
            "Who issued it must be 200 characters or fewer".to_owned(),
        )
    } else if message.contains("reference") {
        (
            "reference",
            "The reference must be 200 characters or fewer".to_owned(),
        )
    } else {
        ("kind", crate::format::error_message(message))
    }
}

/// `POST /worker/record/credentials/new` (multipart).
pub async fn create(
    State(state): State<WebState>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let max = state.settings.max_upload_bytes;
    let sent = multipart::read(multipart, "evidence").await?;
    let typed = Typed {
        kind: sent.field("kind"),
        issuer: sent.field("issuer"),
        reference: sent.field("reference"),
        valid_from: date_field(&sent, "valid-from"),
        expires: date_field(&sent, "expires"),
    };
    let data = kinds(&state, &visitor).await?;
    let mut errors = Errors::new();
    let (kind, level) = match typed.kind.split_once(':') {
        Some((k, l)) => (k.to_owned(), l.parse::<i32>().ok()),
        None => (typed.kind.clone(), None),
    };
    if kind.is_empty() {
        errors.add("kind", "Select what kind of check or training it is");
    }
    if typed.issuer.trim().is_empty() {
        errors.add("issuer", "Enter who issued it");
    }
    let valid_from = typed
        .valid_from
        .parse("the date it was issued or completed")
        .map_err(|m| errors.add("valid-from-day", m))
        .ok();
    let expires_on = if typed.expires.is_blank() {
        None
    } else {
        typed
            .expires
            .parse("the date it expires")
            .map_err(|m| errors.add("expires-day", m))
            .ok()
    };
    let file = chosen(sent.file, max, &mut errors);
    let (Some(valid_from), Some(file)) = (valid_from, file) else {
        return render_invalid(&new_page(&visitor, &data, &typed, errors, max));
    };
    if !errors.is_empty() {
        return render_invalid(&new_page(&visitor, &data, &typed, errors, max));
    }
    let reference = Some(typed.reference.trim().to_owned()).filter(|r| !r.is_empty());
    let op = RecordCredential::build(RecordVariables {
        input: RecordCredentialInput {
            worker_id: data.my_worker.id,
            kind,
            level,
            issuer: typed.issuer.trim().to_owned(),
            reference,
            valid_from,
            expires_on,
        },
    });
    let id = match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => done.record_credential.id,
        Err(e) if e.code == Code::Validation => {
            let (field, message) = credential_error(&e.message);
            errors.add(field, message);
            return render_invalid(&new_page(&visitor, &data, &typed, errors, max));
        }
        Err(e) => return Err(e.into()),
    };
    match attach(&state, &visitor, id, file).await? {
        None => Ok(Redirect::to("/worker/record?done=credential#credentials").into_response()),
        Some(message) => {
            let mut errors = Errors::new();
            errors.add("evidence", message);
            evidence_page(&state, &visitor, id, errors, true).await
        }
    }
}
