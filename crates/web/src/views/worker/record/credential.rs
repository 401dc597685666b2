//! Adding a check or training certificate with its document, in one form
//! (`/worker/record/credentials/new`): `recordCredential`, then `attachEvidence` with the file.
//! The API judges the document (type by its content, and size); when it refuses the document
//! after the credential was recorded, the worker lands on the credential's "add a document" page
//! saying exactly that — the credential is kept and shown, and the document can be sent again.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::WebState;
use crate::api::{self, ApiError, Code, Upload};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{CsrfField, DateInput, DateValue, Errors, FileUpload, Input, Select};
use crate::layout::Layout;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct KindsQuery {
    me: Viewer,
    credential_kinds: Vec<CredentialKind>,
    my_worker: WorkerId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct WorkerId {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
struct CredentialKind {
    code: String,
    name: String,
    levels: Vec<CredentialLevel>,
}

#[derive(cynic::QueryFragment)]
struct CredentialLevel {
    level: i32,
    name: String,
}

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "RecordCredentialInput")]
struct RecordCredentialInput {
    worker_id: Uuid,
    kind: String,
    level: Option<i32>,
    issuer: String,
    reference: Option<String>,
    valid_from: NaiveDate,
    expires_on: Option<NaiveDate>,
}

#[derive(cynic::QueryVariables)]
struct RecordVariables {
    input: RecordCredentialInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RecordVariables")]
struct RecordCredential {
    #[arguments(input: $input)]
    record_credential: Recorded,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Credential")]
struct Recorded {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct AttachVariables {
    credential_id: Uuid,
    file: crate::schema::Upload,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "AttachVariables")]
struct AttachEvidence {
    #[arguments(credentialId: $credential_id, file: $file)]
    attach_evidence: Recorded,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct CredentialsQuery {
    me: Viewer,
    my_worker: Credentials,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct Credentials {
    credentials: Vec<Credential>,
}

#[derive(cynic::QueryFragment)]
struct Credential {
    id: Uuid,
    kind_name: String,
    level: Option<i32>,
    issuer: String,
    reference: Option<String>,
    valid_from: NaiveDate,
    expires_on: Option<NaiveDate>,
    evidence: Option<Evidence>,
}

#[derive(cynic::QueryFragment)]
struct Evidence {
    filename: String,
}

/// The new-credential form as typed.
#[derive(Debug, Default, Clone)]
struct Typed {
    kind: String,
    issuer: String,
    reference: String,
    valid_from: DateValue,
    expires: DateValue,
}

/// A file as the browser sent it.
struct File {
    filename: String,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl File {
    fn is_missing(&self) -> bool {
        self.filename.is_empty() && self.bytes.is_empty()
    }
}

/// "10MB" (or "512KB") for a limit in bytes.
fn size_words(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{}MB", bytes.div_ceil(MB))
    } else {
        format!("{}KB", bytes.div_ceil(1024).max(1))
    }
}

/// What to say when the API refused a document.
fn evidence_error(e: &ApiError, max: u64) -> String {
    if e.message.contains("PDF, JPEG or PNG") {
        "The selected file must be a PDF, JPG or PNG".to_owned()
    } else if e.message.contains("at most") {
        format!("The selected file must be smaller than {}", size_words(max))
    } else if e.message.contains("empty") {
        "The selected file is empty".to_owned()
    } else {
        crate::format::error_message(&e.message)
    }
}

/// Reads a multipart form's text fields and its one file.
async fn read_multipart(
    mut multipart: Multipart,
) -> Result<(Vec<(String, String)>, Option<File>), PageError> {
    let mut fields = Vec::new();
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "unreadable form");
                return Err(PageError::NotFound);
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "evidence" {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let content_type = field
                .content_type()
                .map(str::to_owned)
                .filter(|t| !t.is_empty());
            let bytes = field.bytes().await.map_err(|e| {
                tracing::warn!(error = %e, "unreadable upload");
                PageError::NotFound
            })?;
            file = Some(File {
                filename,
                content_type,
                bytes: bytes.to_vec(),
            });
        } else {
            let text = field.text().await.unwrap_or_default();
            fields.push((name, text));
        }
    }
    Ok((fields, file))
}

fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn date_field(fields: &[(String, String)], id: &str) -> DateValue {
    DateValue {
        day: field(fields, &format!("{id}-day")),
        month: field(fields, &format!("{id}-month")),
        year: field(fields, &format!("{id}-year")),
    }
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
        layout: super::super::layout(
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

fn evidence_upload(max: u64, errors: &Errors) -> FileUpload {
    FileUpload::new("evidence", "Upload a copy of the certificate or document")
        .native()
        .hint(format!(
            "A PDF, or a photo or scan as a JPG or PNG, smaller than {}",
            size_words(max)
        ))
        .accept(ACCEPT)
        .error_from(errors)
}

async fn kinds(state: &WebState, visitor: &Visitor) -> Result<KindsQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(state.api.as_ref(), &visitor.caller, KindsQuery::build(())).await?)
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
    let (fields, file) = read_multipart(multipart).await?;
    let typed = Typed {
        kind: field(&fields, "kind"),
        issuer: field(&fields, "issuer"),
        reference: field(&fields, "reference"),
        valid_from: date_field(&fields, "valid-from"),
        expires: date_field(&fields, "expires"),
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
    let file = match file {
        Some(f) if !f.is_missing() => {
            if u64::try_from(f.bytes.len()).unwrap_or(u64::MAX) > max {
                errors.add(
                    "evidence",
                    format!("The selected file must be smaller than {}", size_words(max)),
                );
            }
            Some(f)
        }
        _ => {
            errors.add("evidence", "Select a copy of the certificate or document");
            None
        }
    };
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

/// Sends the document; the refusal to show, if the API refused it.
async fn attach(
    state: &WebState,
    visitor: &Visitor,
    credential_id: Uuid,
    file: File,
) -> Result<Option<String>, PageError> {
    use cynic::MutationBuilder;
    let op = AttachEvidence::build(AttachVariables {
        credential_id,
        file: crate::schema::Upload,
    });
    let upload = Upload {
        path: "variables.file".into(),
        filename: file.filename,
        content_type: file.content_type,
        bytes: file.bytes,
    };
    match api::run_with_upload(state.api.as_ref(), &visitor.caller, op, Some(upload)).await {
        Ok(done) => {
            tracing::debug!(credential = %done.attach_evidence.id, "evidence added");
            Ok(None)
        }
        Err(e) if e.code == Code::Validation => {
            Ok(Some(evidence_error(&e, state.settings.max_upload_bytes)))
        }
        // The credential has been decided: it keeps the document it was decided on.
        Err(e) if e.code == Code::Conflict => Ok(Some(
            "This has already been checked, so its document cannot be changed".to_owned(),
        )),
        Err(e) => Err(e.into()),
    }
}

struct Saved {
    key: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "worker/record/evidence.html")]
struct EvidencePage {
    layout: Layout,
    errors: Errors,
    just_recorded: bool,
    name: String,
    saved: Vec<Saved>,
    document: Option<String>,
    action: String,
    evidence: FileUpload,
}

async fn evidence_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    errors: Errors,
    just_recorded: bool,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        CredentialsQuery::build(()),
    )
    .await?;
    let c = data
        .my_worker
        .credentials
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(PageError::NotFound)?;
    let name = match c.level {
        Some(l) => format!("{} (level {l})", c.kind_name),
        None => c.kind_name,
    };
    let mut saved = vec![
        Saved {
            key: "What it is",
            value: name.clone(),
        },
        Saved {
            key: "Issued by",
            value: c.issuer,
        },
    ];
    if let Some(r) = c.reference {
        saved.push(Saved {
            key: "Reference",
            value: r,
        });
    }
    saved.push(Saved {
        key: "Valid from",
        value: format::date_short(c.valid_from),
    });
    saved.push(Saved {
        key: "Expires",
        value: c
            .expires_on
            .map_or_else(|| "Does not expire".to_owned(), format::date_short),
    });
    let has_errors = !errors.is_empty();
    let page = EvidencePage {
        layout: super::super::layout(visitor, &data.me, "Add a document", "/worker/record")
            .with_errors(has_errors),
        evidence: evidence_upload(state.settings.max_upload_bytes, &errors),
        errors,
        just_recorded,
        name,
        saved,
        document: c.evidence.map(|e| e.filename),
        action: format!("/worker/record/credentials/{id}/evidence"),
    };
    if has_errors {
        render_invalid(&page)
    } else {
        render(&page)
    }
}

/// `GET /worker/record/credentials/{id}/evidence`.
pub async fn evidence_form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    evidence_page(&state, &visitor, id, Errors::new(), false).await
}

/// `POST /worker/record/credentials/{id}/evidence` (multipart).
pub async fn attach_form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    let max = state.settings.max_upload_bytes;
    let (_, file) = read_multipart(multipart).await?;
    let mut errors = Errors::new();
    match file {
        Some(f) if !f.is_missing() => {
            if u64::try_from(f.bytes.len()).unwrap_or(u64::MAX) > max {
                errors.add(
                    "evidence",
                    format!("The selected file must be smaller than {}", size_words(max)),
                );
            } else if let Some(message) = attach(&state, &visitor, id, f).await? {
                errors.add("evidence", message);
            }
        }
        _ => errors.add("evidence", "Select a copy of the certificate or document"),
    }
    if errors.is_empty() {
        Ok(Redirect::to("/worker/record?done=evidence#credentials").into_response())
    } else {
        evidence_page(&state, &visitor, id, errors, false).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_words() {
        assert_eq!(size_words(10 * 1024 * 1024), "10MB");
        assert_eq!(size_words(512 * 1024), "512KB");
    }
}
