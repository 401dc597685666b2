//! The ward manager's pages: the timesheets of their wards waiting for a decision, oldest first.
//! A ward manager's grant is for one trust, and may be limited to one ward.

pub mod timesheets;

use axum::Router;

use crate::WebState;
use crate::errors::PageError;
use crate::layout::Layout;
use crate::session::Visitor;
use crate::viewer::{Role, Viewer};

/// The ward manager's navigation.
pub const NAV: &[(&str, &str)] = &[("/ward", "Timesheets")];

/// The signed-in person as a ward manager.
#[derive(Debug, Clone)]
pub struct WardManager {
    /// Who is signed in (their grants say which trusts and wards).
    pub me: Viewer,
}

impl WardManager {
    /// The signed-in person as a ward manager.
    ///
    /// # Errors
    /// Not signed in, no ward manager role (forbidden), or the API failed.
    pub async fn of(state: &WebState, visitor: &Visitor) -> Result<Self, PageError> {
        let me = super::home::viewer(state, visitor).await?;
        if !me.has(Role::WardManager) {
            return Err(PageError::forbidden("this part is for ward managers"));
        }
        Ok(Self { me })
    }

    /// The frame of a ward manager's page in section `current` (one of [`NAV`]'s links).
    #[must_use]
    pub fn layout(&self, visitor: &Visitor, title: &str, current: &str) -> Layout {
        let mut layout = Layout::signed_in(visitor, title, &self.me.display_name).nav(NAV, current);
        layout.home = if self.me.areas().len() > 1 {
            "/"
        } else {
            "/ward"
        };
        layout
    }
}

/// Every ward manager page.
pub fn routes() -> Router<WebState> {
    Router::new().merge(timesheets::routes(timesheets::Desk::Ward))
}
