//! HR and compliance pages: the checks waiting to be verified (their home), a worker's compliance
//! at this trust and what is expiring soon, who looked at a worker's record, and passports (issue,
//! revoke, suspend, reinstate; receive one from another trust and accept its checks). Each page
//! works for one trust: the trust where the signed-in person holds the HR role (the first by
//! name, if they hold it at several).

pub mod checks;
pub mod expiring;
pub mod passports;
pub mod workers;

use axum::Router;

use crate::WebState;
use crate::errors::PageError;
use crate::layout::Layout;
use crate::session::Visitor;
use crate::viewer::{GrantTrust, Role, Viewer};

/// HR's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/hr", "Checks to do"),
    ("/hr/workers", "Workers"),
    ("/hr/expiring", "Expiring soon"),
    ("/hr/passports", "Passports"),
];

/// The signed-in person as HR, and the trust they work for.
#[derive(Debug, Clone)]
pub struct Hr {
    /// Who is signed in.
    pub me: Viewer,
    /// The trust whose HR they are.
    pub trust: GrantTrust,
}

impl Hr {
    /// The signed-in person as HR.
    ///
    /// # Errors
    /// Not signed in, no HR role at any trust (forbidden), or the API failed.
    pub async fn of(state: &WebState, visitor: &Visitor) -> Result<Self, PageError> {
        let me = super::home::viewer(state, visitor).await?;
        let trust = me
            .trusts_as(Role::Hr)
            .into_iter()
            .next()
            .ok_or_else(|| PageError::forbidden("this part is for HR and compliance teams"))?;
        Ok(Self { me, trust })
    }

    /// The frame of an HR page in section `current` (one of [`NAV`]'s links).
    #[must_use]
    pub fn layout(&self, visitor: &Visitor, title: &str, current: &str) -> Layout {
        let mut layout = Layout::signed_in(visitor, title, &self.me.display_name).nav(NAV, current);
        layout.home = if self.me.areas().len() > 1 {
            "/"
        } else {
            "/hr"
        };
        layout
    }
}

/// Every HR page.
pub fn routes() -> Router<WebState> {
    Router::new()
        .merge(checks::routes())
        .merge(expiring::routes())
        .merge(passports::routes())
        .merge(workers::routes())
}
