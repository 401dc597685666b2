//! The bank office's pages: the board (their home), posting shifts, a shift and who can work it,
//! workers, pay and reports. Each page works for one trust: the trust where the signed-in person
//! holds the bank office role (the first by name, if they hold it at several).

pub mod board;
pub mod pay;
pub mod posting;
pub mod reports;
pub mod shift;
pub mod timesheets;
pub mod workers;

use axum::Router;

use crate::WebState;
use crate::errors::PageError;
use crate::layout::Layout;
use crate::session::Visitor;
use crate::viewer::{GrantTrust, Role, Viewer};

/// The bank office's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/office", "Board"),
    ("/office/shifts/new", "Post shifts"),
    ("/office/workers", "Workers"),
    ("/office/pay", "Pay"),
    ("/office/reports", "Reports"),
];

/// The signed-in person as a bank office, and the trust they work for.
#[derive(Debug, Clone)]
pub struct Office {
    /// Who is signed in.
    pub me: Viewer,
    /// The trust whose bank office they are.
    pub trust: GrantTrust,
}

impl Office {
    /// The signed-in person as a bank office.
    ///
    /// # Errors
    /// Not signed in, no bank office role at any trust (forbidden), or the API failed.
    pub async fn of(state: &WebState, visitor: &Visitor) -> Result<Self, PageError> {
        let me = super::home::viewer(state, visitor).await?;
        let trust = me
            .trusts_as(Role::BankOffice)
            .into_iter()
            .next()
            .ok_or_else(|| PageError::forbidden("this part is for bank offices"))?;
        Ok(Self { me, trust })
    }

    /// The frame of a bank office page in section `current` (one of [`NAV`]'s links).
    #[must_use]
    pub fn layout(&self, visitor: &Visitor, title: &str, current: &str) -> Layout {
        let mut layout = Layout::signed_in(visitor, title, &self.me.display_name).nav(NAV, current);
        layout.home = if self.me.areas().len() > 1 {
            "/"
        } else {
            "/office"
        };
        layout
    }
}

/// Every bank office page.
pub fn routes() -> Router<WebState> {
    Router::new()
        .merge(board::routes())
        .merge(pay::routes())
        .merge(posting::routes())
        .merge(reports::routes())
        .merge(shift::routes())
        .merge(timesheets::routes())
        .merge(workers::routes())
}
