//! Sessions: the sign-in token the API issued, kept in an HttpOnly cookie (SameSite=Lax, Secure
//! over https) that lasts exactly as long as the token. The token is checked by the API on every
//! request — roles read then, a signed-out session refused — so the cookie holds no rights of its
//! own.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, Utc};

use crate::api::Caller;
use crate::csrf::CsrfToken;
use crate::{Settings, WebState};

/// The session cookie's name.
pub const COOKIE: &str = "staffbank_session";

/// The person asking for a page: their caller (token and address) and the form token.
#[derive(Debug, Clone)]
pub struct Visitor {
    /// Runs operations as them.
    pub caller: Caller,
    /// The CSRF token their forms carry.
    pub csrf: String,
    /// The path and query they asked for (where sign-in returns them).
    pub here: String,
}

impl Visitor {
    /// Whether a session cookie came with the request.
    #[must_use]
    pub fn has_session(&self) -> bool {
        self.caller.token.is_some()
    }
}

impl FromRequestParts<WebState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &WebState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip());
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        Ok(Self {
            caller: Caller {
                token: jar
                    .get(COOKIE)
                    .map(|c| c.value().to_owned())
                    .filter(|t| !t.is_empty()),
                ip,
            },
            csrf,
            here: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned()),
        })
    }
}

/// The cookie that starts a session, ending when the token does.
#[must_use]
pub fn start(settings: &Settings, token: String, expires_at: DateTime<Utc>) -> Cookie<'static> {
    let seconds = (expires_at - Utc::now()).num_seconds().max(0);
    Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.secure_cookies)
        .path("/")
        .max_age(cookie_duration(seconds))
        .build()
}

/// The cookie that ends it.
#[must_use]
pub fn end(settings: &Settings) -> Cookie<'static> {
    Cookie::build((COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.secure_cookies)
        .path("/")
        .max_age(cookie_duration(0))
        .build()
}

fn cookie_duration(seconds: i64) -> time::Duration {
    time::Duration::seconds(seconds)
}

/// A response that asks the middleware to send the visitor to sign in (then back here).
#[derive(Debug, Clone, Copy)]
pub struct SignInRequired;

/// Turns [`SignInRequired`] into a redirect to the sign-in page that returns to the page asked
/// for (GET) or to the home page (a form post cannot be replayed), and drops a dead cookie.
pub async fn redirect_to_sign_in(
    axum::extract::State(state): axum::extract::State<WebState>,
    request: Request,
    next: Next,
) -> Response {
    let here = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let was_get = request.method() == axum::http::Method::GET;
    let had_cookie = CookieJar::from_headers(request.headers())
        .get(COOKIE)
        .is_some();
    let response = next.run(request).await;
    if response.extensions().get::<SignInRequired>().is_none() {
        return response;
    }
    let target = if was_get && here != "/" {
        format!("/sign-in?next={}", urlencode(&here))
    } else {
        "/sign-in".to_owned()
    };
    let mut redirect = Redirect::to(&target).into_response();
    if had_cookie {
        let cookie = end(&state.settings).to_string();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            redirect.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    redirect
}

/// Percent-encodes a query value.
#[must_use]
pub fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)])
        .map(|s| s.trim_start_matches("v=").to_owned())
        .unwrap_or_default()
}

/// A path on this site to return to after sign-in (never another site).
#[must_use]
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_owned(),
        _ => "/".to_owned(),
    }
}
