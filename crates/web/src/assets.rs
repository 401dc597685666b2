//! The embedded front-end assets (the NHS.UK design system, GraphiQL, our own script and styles):
//! content-hashed names, so they are cached for a year and a new build is fetched at once; sent
//! brotli- or gzip-compressed when the browser accepts it (compressed at build time).

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// One embedded asset.
#[derive(Debug)]
pub struct Asset {
    /// Its logical name (`nhsuk-frontend.css`, `images/favicon.ico`).
    pub name: &'static str,
    /// Where it is served (`/assets/nhsuk-frontend.0123456789.css`).
    pub url: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// As it is.
    pub raw: &'static [u8],
    /// Gzip-compressed.
    pub gzip: &'static [u8],
    /// Brotli-compressed.
    pub brotli: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The URL of an asset by its logical name (templates call this; a wrong name shows at once in
/// every test, as an empty link).
#[must_use]
pub fn url(name: &str) -> &'static str {
    ASSETS.iter().find(|a| a.name == name).map_or("", |a| a.url)
}

/// `/assets/...` and `/favicon.ico`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/{*file}", get(serve)).route(
        "/favicon.ico",
        get(|headers: HeaderMap| async move { send("images/favicon.ico", &headers, false) }),
    )
}

async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let url = format!("/assets/{file}");
    match ASSETS.iter().find(|a| a.url == url) {
        Some(asset) => respond(asset, &headers, true),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

fn send(name: &str, headers: &HeaderMap, immutable: bool) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => respond(asset, headers, immutable),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn respond(asset: &Asset, headers: &HeaderMap, immutable: bool) -> Response {
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let accepts = |coding: &str| {
        accepts.split(',').any(|part| {
            let mut bits = part.trim().split(';');
            bits.next().is_some_and(|c| c.trim() == coding)
                && !bits.any(|q| q.trim().replace(' ', "") == "q=0")
        })
    };
    // Images are already compressed; text compresses well.
    let compressible = asset.content_type.starts_with("text/")
        || asset.content_type.contains("json")
        || asset.content_type.contains("svg");
    let (body, encoding) = if compressible && accepts("br") {
        (asset.brotli, Some("br"))
    } else if compressible && accepts("gzip") {
        (asset.gzip, Some("gzip"))
    } else {
        (asset.raw, None)
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=86400"
        }),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}
