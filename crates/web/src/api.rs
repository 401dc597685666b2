//! How pages reach the API: the [`Api`] the gateway provides executes a GraphQL request as a
//! caller, in-process; [`run`] sends a cynic-typed operation through it and reads the answer back
//! into the operation's Rust types, or into an [`ApiError`] carrying the API's `extensions.code`.

use std::net::IpAddr;

use futures::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Executes GraphQL requests as a caller (the gateway implements it with exactly what
/// `POST /graphql` does: token check, roles read now, limits, logging).
pub trait Api: Send + Sync + 'static {
    /// Runs one request.
    fn execute(
        &self,
        request: async_graphql::Request,
        caller: &Caller,
    ) -> BoxFuture<'static, async_graphql::Response>;

    /// A credential's evidence document as the caller, answered as the service's
    /// `GET /evidence/{credentialId}` answers it (the document, or the refusal with its status):
    /// the same access check and access log as any download.
    fn evidence(
        &self,
        credential_id: uuid::Uuid,
        caller: &Caller,
    ) -> BoxFuture<'static, axum::response::Response>;
}

/// Who a request runs as.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The sign-in token from the session cookie, if any.
    pub token: Option<String>,
    /// The browser's address (sign-in throttling counts by it).
    pub ip: IpAddr,
}

/// The API's error codes (`extensions.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// Not signed in, or the session ended.
    Unauthenticated,
    /// Signed in, but not allowed.
    Forbidden,
    /// No such thing (or not visible to the caller).
    NotFound,
    /// Bad input.
    Validation,
    /// It clashes with something that happened meanwhile.
    Conflict,
    /// A worker may not work the shift; `details.reasons` says why.
    NotEligible,
    /// Too many attempts.
    RateLimited,
    /// Something went wrong on the server (logged there).
    Internal,
}

impl Code {
    fn parse(code: Option<&str>) -> Self {
        match code {
            Some("UNAUTHENTICATED") => Self::Unauthenticated,
            Some("FORBIDDEN") => Self::Forbidden,
            Some("NOT_FOUND") => Self::NotFound,
            Some("VALIDATION") => Self::Validation,
            Some("CONFLICT") => Self::Conflict,
            Some("NOT_ELIGIBLE") => Self::NotEligible,
            Some("RATE_LIMITED") => Self::RateLimited,
            _ => Self::Internal,
        }
    }
}

/// An error the API answered with.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// Its code.
    pub code: Code,
    /// Its message (written for people).
    pub message: String,
    /// `extensions.details`, when the API gives them (reasons, rows).
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    fn internal(message: impl Into<String>) -> Self {
        Self {
            code: Code::Internal,
            message: message.into(),
            details: None,
        }
    }

    /// The reasons of a `NOT_ELIGIBLE` error, as (code, message) pairs.
    #[must_use]
    pub fn reasons(&self) -> Vec<(String, String)> {
        self.details
            .as_ref()
            .and_then(|d| d.get("reasons"))
            .and_then(serde_json::Value::as_array)
            .map(|rs| {
                rs.iter()
                    .map(|r| {
                        let field = |k: &str| {
                            r.get(k)
                                .and_then(serde_json::Value::as_str)
                                .unwrap_or_default()
                                .to_owned()
                        };
                        (field("code"), field("message"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A file to send with an operation, as the variable at `path` (e.g. `variables.file`).
#[derive(Debug)]
pub struct Upload {
    /// The variable it fills.
    pub path: String,
    /// The name the person's file had.
    pub filename: String,
    /// Its media type, as the browser said.
    pub content_type: Option<String>,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Runs a typed operation as `caller`.
///
/// # Errors
/// The API's first error, or an internal error when the answer does not fit the types (which
/// the compile-time check against the schema rules out).
pub async fn run<Q, V>(
    api: &dyn Api,
    caller: &Caller,
    operation: cynic::Operation<Q, V>,
) -> Result<Q, ApiError>
where
    Q: DeserializeOwned,
    V: Serialize,
{
    run_with_upload(api, caller, operation, None).await
}

/// Runs a typed operation with a file (a GraphQL multipart request's upload).
///
/// # Errors
/// As [`run`]; an internal error when the file cannot be staged.
pub async fn run_with_upload<Q, V>(
    api: &dyn Api,
    caller: &Caller,
    operation: cynic::Operation<Q, V>,
    upload: Option<Upload>,
) -> Result<Q, ApiError>
where
    Q: DeserializeOwned,
    V: Serialize,
{
    let variables = serde_json::to_value(&operation.variables)
        .map_err(|e| ApiError::internal(format!("variables: {e}")))?;
    let mut request = async_graphql::Request::new(operation.query)
        .variables(async_graphql::Variables::from_json(variables));
    if let Some(name) = operation.operation_name {
        request = request.operation_name(name);
    }
    let staged = match upload {
        Some(upload) => {
            let (file, path) = stage(&upload.bytes)
                .await
                .map_err(|e| ApiError::internal(format!("cannot stage the upload: {e}")))?;
            request.set_upload(
                &upload.path,
                async_graphql::UploadValue {
                    filename: upload.filename,
                    content_type: upload.content_type,
                    content: file,
                },
            );
            Some(path)
        }
        None => None,
    };
    let response = api.execute(request, caller).await;
    if let Some(path) = staged {
        let _ = tokio::fs::remove_file(path).await;
    }
    if let Some(error) = response.errors.first() {
        let ext = error.extensions.as_ref();
        let code = ext.and_then(|e| e.get("code")).and_then(|v| match v {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        });
        let details = ext
            .and_then(|e| e.get("details"))
            .and_then(|v| v.clone().into_json().ok());
        return Err(ApiError {
            code: Code::parse(code),
            message: error.message.clone(),
            details,
        });
    }
    let data = response
        .data
        .into_json()
        .map_err(|e| ApiError::internal(format!("answer: {e}")))?;
    serde_json::from_value(data).map_err(|e| ApiError::internal(format!("answer shape: {e}")))
}

/// Writes an upload to a private temporary file (async-graphql hands uploads over as files).
async fn stage(bytes: &[u8]) -> std::io::Result<(std::fs::File, std::path::PathBuf)> {
    let path = std::env::temp_dir().join(format!("staffbank-upload-{}", uuid::Uuid::new_v4()));
    tokio::fs::write(&path, bytes).await?;
    let file = std::fs::File::open(&path)?;
    Ok((file, path))
}
