//! The document: the multipart form that carries it, its size checked against the limit, the
//! upload field, and sending it (`attachEvidence`) with the API's refusal in words.

use super::operations::{AttachEvidence, AttachVariables};
use crate::WebState;
use crate::api::{self, ApiError, Code, Upload};
use crate::errors::PageError;
use crate::forms::{DateValue, Errors, FileUpload};
use crate::multipart::{File, Sent};
use crate::schema::Uuid;
use crate::session::Visitor;

/// The types of document the upload field offers.
const ACCEPT: &str = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

/// The document sent, if one was chosen and it is within the upload limit of `max` bytes;
/// otherwise what is wrong, against the field `evidence`.
pub(super) fn chosen(file: Option<File>, max: u64, errors: &mut Errors) -> Option<File> {
    match file {
        Some(f) if !f.is_missing() => {
            if u64::try_from(f.bytes.len()).unwrap_or(u64::MAX) > max {
                errors.add(
                    "evidence",
                    format!("The selected file must be smaller than {}", size_words(max)),
                );
                None
            } else {
                Some(f)
            }
        }
        _ => {
            errors.add("evidence", "Select a copy of the certificate or document");
            None
        }
    }
}

/// "10MB" (or "512KB") for a limit in bytes.
pub(super) fn size_words(bytes: u64) -> String {
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

/// The three fields of a date as sent.
pub(super) fn date_field(sent: &Sent, id: &str) -> DateValue {
    DateValue {
        day: sent.field(&format!("{id}-day")),
        month: sent.field(&format!("{id}-month")),
        year: sent.field(&format!("{id}-year")),
    }
}

pub(super) fn evidence_upload(max: u64, errors: &Errors) -> FileUpload {
    FileUpload::new("evidence", "Upload a copy of the certificate or document")
        .native()
        .hint(format!(
            "A PDF, or a photo or scan as a JPG or PNG, smaller than {}",
            size_words(max)
        ))
        .accept(ACCEPT)
        .error_from(errors)
}

/// Sends the document; the refusal to show, if the API refused it.
pub(super) async fn attach(
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
        // A part with an empty type has none.
        content_type: file.content_type.filter(|t| !t.is_empty()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_words() {
        assert_eq!(size_words(10 * 1024 * 1024), "10MB");
        assert_eq!(size_words(512 * 1024), "512KB");
    }
}
