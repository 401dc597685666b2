//! Reading a multipart form (one with a file): its text fields, and the file sent in one named
//! field. Every page with an upload reads its form this way; the CSRF field has been checked
//! before the handler runs.

use axum::extract::Multipart;

use crate::errors::PageError;

/// A file as the browser sent it.
pub struct File {
    /// Its name on the sender's machine ("" when none was chosen).
    pub filename: String,
    /// The type the browser gave it, if any.
    pub content_type: Option<String>,
    /// What it holds.
    pub bytes: Vec<u8>,
}

impl File {
    /// Whether no file was chosen (the browser sends an empty, nameless part).
    #[must_use]
    pub fn is_missing(&self) -> bool {
        self.filename.is_empty() && self.bytes.is_empty()
    }
}

/// What a multipart form sent.
pub struct Sent {
    /// The text fields, in the order sent.
    pub fields: Vec<(String, String)>,
    /// The part of the file field, if the form had one (it may be [`File::is_missing`]).
    pub file: Option<File>,
}

impl Sent {
    /// A text field's value ("" when it was not sent).
    #[must_use]
    pub fn field(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// Reads the form: every text field, and the file in `file_field`.
///
/// # Errors
/// [`PageError::NotFound`] when the form or the file cannot be read.
pub async fn read(mut multipart: Multipart, file_field: &str) -> Result<Sent, PageError> {
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
        if name == file_field {
            let filename = field.file_name().unwrap_or_default().to_owned();
            let content_type = field.content_type().map(str::to_owned);
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
    Ok(Sent { fields, file })
}
