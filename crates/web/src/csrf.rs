//! Cross-site request forgery protection on every POST: a random token in an HttpOnly cookie
//! (SameSite=Lax) that each form repeats in a hidden `csrf` field (the "double-submit cookie");
//! a post whose field does not match its cookie is refused before any handler runs, so it
//! changes nothing. A site elsewhere can neither read the cookie nor set it.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::WebState;
use crate::errors::ErrorPage;

/// The cookie's name.
pub const COOKIE: &str = "staffbank_csrf";
/// The form field's name.
pub const FIELD: &str = "csrf";

/// The visitor's CSRF token (request extension, for the page's forms).
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Checks the token of each POST; gives every visitor a token.
pub async fn protect(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let existing = jar
        .get(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32);
    let (mut request, issued) = match existing {
        Some(token) => {
            let mut r = request;
            r.extensions_mut().insert(CsrfToken(token));
            (r, None)
        }
        None => {
            let token = new_token();
            let mut r = request;
            r.extensions_mut().insert(CsrfToken(token.clone()));
            (r, Some(token))
        }
    };
    if request.method() == Method::POST {
        let expected = request
            .extensions()
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        let limit = usize::try_from(state.settings.max_upload_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(1024 * 1024);
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return ErrorPage::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "That was too large to send",
                "What you sent was larger than this service accepts. Go back and try a smaller file.",
            )
            .into_response();
        };
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let sent = token_in_body(&content_type, &bytes).await;
        // Compared in constant time: the token is a secret.
        let valid = issued.is_none()
            && sent.is_some_and(|s| constant_time_eq(s.as_bytes(), expected.as_bytes()));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "form refused: missing or wrong CSRF token");
            let mut refused = ErrorPage::new(
                StatusCode::FORBIDDEN,
                "This form could not be sent",
                "The page you sent it from had expired, so nothing was changed. Go back, \
                 reload the page and try again.",
            )
            .into_response();
            add_cookie(&mut refused, &state, issued);
            return refused;
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    let mut response = next.run(request).await;
    add_cookie(&mut response, &state, issued);
    response
}

fn add_cookie(response: &mut Response, state: &WebState, issued: Option<String>) {
    let Some(token) = issued else { return };
    let cookie = Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .path("/")
        .build();
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The `csrf` field of a urlencoded or multipart form body.
async fn token_in_body(content_type: &str, body: &Bytes) -> Option<String> {
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .ok()?
            .into_iter()
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v);
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(content_type).ok()?;
        let stream = futures::stream::once({
            let body = body.clone();
            async move { Ok::<Bytes, std::io::Error>(body) }
        });
        let mut multipart = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some(FIELD) {
                return field.text().await.ok();
            }
        }
    }
    None
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
