//! What a page shows when it cannot show what was asked: sign in first (a redirect), not found,
//! not allowed, or a fault (logged, never shown in detail).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::api::{ApiError, Code};
use crate::layout::Layout;
use crate::session::SignInRequired;

/// The page for an error.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    status: StatusCode,
    layout: Layout,
    heading: String,
    message: String,
}

impl ErrorPage {
    /// An error page.
    #[must_use]
    pub fn new(status: StatusCode, heading: &str, message: &str) -> Self {
        Self {
            status,
            layout: Layout {
                title: heading.to_owned(),
                has_errors: false,
                user: None,
                nav: Vec::new(),
                home: "/",
                csrf: String::new(),
            },
            heading: heading.to_owned(),
            message: message.to_owned(),
        }
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        match self.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                )
                    .into_response()
            }
        }
    }
}

/// Why a page handler could not render its page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The API refused or failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A template failed.
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    /// No such page (e.g. a malformed id in the address).
    #[error("not found")]
    NotFound,
}

impl PageError {
    /// The signed-in person may not open this page; `why` ends "Your account does not allow
    /// this: …".
    #[must_use]
    pub fn forbidden(why: &str) -> Self {
        Self::Api(ApiError {
            code: Code::Forbidden,
            message: why.to_owned(),
            details: None,
        })
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            Self::Api(e) => match e.code {
                Code::Unauthenticated => {
                    let mut r = StatusCode::UNAUTHORIZED.into_response();
                    r.extensions_mut().insert(SignInRequired);
                    r
                }
                Code::NotFound => not_found(),
                Code::Forbidden => ErrorPage::new(
                    StatusCode::FORBIDDEN,
                    "You cannot see this page",
                    &format!(
                        "Your account does not allow this: {}. If you think it should, ask \
                         your bank office.",
                        e.message
                    ),
                )
                .into_response(),
                _ => {
                    tracing::error!(error = %e.message, code = ?e.code, "page failed");
                    fault()
                }
            },
            Self::Template(e) => {
                tracing::error!(error = %e, "template failed");
                fault()
            }
            Self::NotFound => not_found(),
        }
    }
}

/// "Page not found".
#[must_use]
pub fn not_found() -> Response {
    ErrorPage::new(
        StatusCode::NOT_FOUND,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web address, \
         check you copied the entire address.",
    )
    .into_response()
}

fn fault() -> Response {
    ErrorPage::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you sent has been lost: if you were booking or submitting \
         something, check your bookings and timesheets before trying again.",
    )
    .into_response()
}

/// Renders a page (status 200).
///
/// # Errors
/// The template failed.
pub fn render(page: &impl Template) -> Result<Response, PageError> {
    Ok(Html(page.render()?).into_response())
}

/// Renders a form page again with its errors (status 422, the input kept by the page).
///
/// # Errors
/// The template failed.
pub fn render_invalid(page: &impl Template) -> Result<Response, PageError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// Renders a page that may show a form's errors: as [`render_invalid`] when `invalid`, else as
/// [`render`].
///
/// # Errors
/// The template failed.
pub fn render_form(page: &impl Template, invalid: bool) -> Result<Response, PageError> {
    if invalid {
        render_invalid(page)
    } else {
        render(page)
    }
}
