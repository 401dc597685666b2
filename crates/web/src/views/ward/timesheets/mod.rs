//! Timesheets waiting for a decision. The ward manager's home (`/ward`) and the bank office's
//! timesheets past their deadline (`/office/timesheets`) are one desk with two holders: a list,
//! oldest first, with each one's deadline and the overdue ones marked, where one or several are
//! approved or queried at once (`list`, `decide`); and a timesheet's page with the worker's
//! times beside the booked times, the differences said in words (`show`).

pub mod decide;
pub mod list;
pub mod show;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;
use crate::errors::PageError;
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::viewer::Role;

/// Whose desk: the ward manager's, or the bank office's after escalation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desk {
    /// A ward manager: their wards' timesheets waiting.
    Ward,
    /// A bank office: its trust's timesheets past their deadline.
    Office,
}

impl Desk {
    /// The list's address.
    #[must_use]
    pub fn home(self) -> &'static str {
        match self {
            Self::Ward => "/ward",
            Self::Office => "/office/timesheets",
        }
    }

    /// Where the pages post decisions.
    #[must_use]
    pub fn decide_href(self) -> &'static str {
        match self {
            Self::Ward => "/ward/timesheets/decide",
            Self::Office => "/office/timesheets/decide",
        }
    }

    /// A timesheet's page.
    #[must_use]
    pub fn timesheet_href(self, id: Uuid) -> String {
        match self {
            Self::Ward => format!("/ward/timesheets/{id}"),
            Self::Office => format!("/office/timesheets/{id}"),
        }
    }
}

/// The signed-in person at a desk: the frame of their pages and the trust they decide for.
pub struct AtDesk {
    /// The page's frame.
    pub layout: Layout,
    /// The trust.
    pub trust_id: Uuid,
}

/// The person at `desk`, or why not.
///
/// # Errors
/// Not signed in, not a ward manager / bank office (forbidden), or the API failed.
pub async fn at_desk(
    state: &WebState,
    visitor: &Visitor,
    desk: Desk,
    title: &str,
) -> Result<AtDesk, PageError> {
    match desk {
        Desk::Ward => {
            let wm = super::WardManager::of(state, visitor).await?;
            let trust = wm
                .me
                .trusts_as(Role::WardManager)
                .into_iter()
                .next()
                .ok_or_else(|| PageError::forbidden("this part is for ward managers"))?;
            Ok(AtDesk {
                layout: wm.layout(visitor, title, "/ward"),
                trust_id: trust.id,
            })
        }
        Desk::Office => {
            let office = crate::views::office::Office::of(state, visitor).await?;
            Ok(AtDesk {
                layout: office.layout(visitor, title, "/office/pay"),
                trust_id: office.trust.id,
            })
        }
    }
}

/// The routes of a desk.
pub fn routes(desk: Desk) -> Router<WebState> {
    let list_at = match desk {
        Desk::Ward => "/ward",
        Desk::Office => "/office/timesheets",
    };
    let show_at = match desk {
        Desk::Ward => "/ward/timesheets/{id}",
        Desk::Office => "/office/timesheets/{id}",
    };
    Router::new()
        .route(list_at, get(move |s, v, q| list::page(s, v, q, desk)))
        .route(show_at, get(move |s, v, p| show::page(s, v, p, desk)))
        .route(
            desk.decide_href(),
            post(move |s, v, f| decide::several(s, v, f, desk)),
        )
}

/// "3 hours 20 minutes" between two moments, or "no time".
#[must_use]
pub fn minutes_words(minutes: i64) -> String {
    crate::format::duration_minutes(minutes.abs())
}
