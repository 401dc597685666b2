//! The trust admin's pages: an overview (their home), sites and wards, requirement profiles,
//! rate cards (with the pay of example shifts under a new card seen before it is saved), the
//! market policy and default release cascade, and staff accounts and roles. Each page works for
//! one trust: the trust where the signed-in person holds the trust admin role (the first by name,
//! if they hold it at several).

mod estate;
mod home;
mod market;
mod rates;
mod requirements;
mod staff;

use axum::Router;

use crate::WebState;
use crate::errors::PageError;
use crate::layout::Layout;
use crate::session::Visitor;
use crate::viewer::{GrantTrust, Role, Viewer};

/// The trust admin's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/admin", "Overview"),
    ("/admin/wards", "Sites and wards"),
    ("/admin/requirements", "Requirements"),
    ("/admin/rates", "Rate cards"),
    ("/admin/market", "Market rules"),
    ("/admin/staff", "Staff"),
];

/// The signed-in person as a trust admin, and the trust they administer.
#[derive(Debug, Clone)]
pub struct TrustAdmin {
    /// Who is signed in.
    pub me: Viewer,
    /// The trust they administer.
    pub trust: GrantTrust,
}

impl TrustAdmin {
    /// The signed-in person as a trust admin.
    ///
    /// # Errors
    /// Not signed in, no trust admin role at any trust (forbidden), or the API failed.
    pub async fn of(state: &WebState, visitor: &Visitor) -> Result<Self, PageError> {
        let me = super::home::viewer(state, visitor).await?;
        let trust = me
            .trusts_as(Role::TrustAdmin)
            .into_iter()
            .next()
            .ok_or_else(|| PageError::forbidden("this part is for trust administrators"))?;
        Ok(Self { me, trust })
    }

    /// The frame of a trust admin page in section `current` (one of [`NAV`]'s links).
    #[must_use]
    pub fn layout(&self, visitor: &Visitor, title: &str, current: &str) -> Layout {
        let mut layout = Layout::signed_in(visitor, title, &self.me.display_name).nav(NAV, current);
        layout.home = if self.me.areas().len() > 1 {
            "/"
        } else {
            "/admin"
        };
        layout
    }
}

/// Every trust admin page.
pub fn routes() -> Router<WebState> {
    Router::new()
        .merge(home::routes())
        .merge(estate::routes())
        .merge(requirements::routes())
        .merge(rates::routes())
        .merge(market::routes())
        .merge(staff::routes())
}
