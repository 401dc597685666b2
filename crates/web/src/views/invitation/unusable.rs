//! A code that cannot be used: why, and the page that says so and what to do.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::api::{ApiError, Code};
use crate::errors::PageError;
use crate::layout::Layout;
use crate::session::Visitor;

/// Why an invitation cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unusable {
    /// No code, or one the API does not know.
    Unknown,
    /// Used already.
    Used,
    /// Past its date.
    Expired,
    /// The email's login is linked to a worker record already.
    AlreadyLinked,
    /// An invitation to register opened on the page to accept, or the other way round.
    OtherPage,
}

impl Unusable {
    /// What the API's error says about the invitation itself, if it is about the invitation.
    pub(super) fn of(e: &ApiError) -> Option<Self> {
        let m = e.message.to_lowercase();
        match e.code {
            Code::NotFound => Some(Self::Unknown),
            Code::Conflict if m.contains("already been used") => Some(Self::Used),
            Code::Conflict if m.contains("already linked") => Some(Self::AlreadyLinked),
            Code::Validation if m.contains("invitation has expired") => Some(Self::Expired),
            Code::Validation if m.contains("use registerwithinvitation") => Some(Self::OtherPage),
            Code::Validation if m.contains("use acceptinvitation") => Some(Self::OtherPage),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "invitation/unusable.html")]
struct UnusablePage {
    layout: Layout,
    why: Unusable,
}

pub(super) fn unusable(visitor: &Visitor, why: Unusable) -> Result<Response, PageError> {
    let status = match why {
        Unusable::Unknown => StatusCode::NOT_FOUND,
        Unusable::Used | Unusable::Expired => StatusCode::GONE,
        Unusable::AlreadyLinked | Unusable::OtherPage => StatusCode::CONFLICT,
    };
    let page = UnusablePage {
        layout: Layout::public(visitor, "This invitation link is no longer valid"),
        why,
    };
    Ok((status, Html(page.render()?)).into_response())
}
