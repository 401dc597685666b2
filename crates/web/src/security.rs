//! Security headers on every page: a Content-Security-Policy with no inline script (nor inline
//! style), no framing (but for a document framed by our own page), no referrer sent off the site, no MIME sniffing.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy. Fonts may come from the NHS's own font host (the design system's stylesheet names
/// Frutiger there; without the internet the pages fall back to Arial) or be inline (GraphiQL's icons).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self' data: https://assets.nhs.uk; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
     object-src 'none'";

/// Adds the headers to each response.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    // A document shown inside one of our own pages (an evidence PDF) sets its own stricter policy
    // that lets only this site frame it; every other response gets the pages' policy.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
    }
    if !h.contains_key(header::X_FRAME_OPTIONS) {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(), microphone=(), payment=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages show personal data: never keep them in shared caches or the back-forward cache
        // after sign-out.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
