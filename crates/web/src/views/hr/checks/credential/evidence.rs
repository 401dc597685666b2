//! `GET /hr/credentials/{id}/evidence`: the credential's document, for the page to show inline.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use crate::WebState;
use crate::api::{ApiError, Code};
use crate::errors::PageError;
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::shift::parse_id;

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
