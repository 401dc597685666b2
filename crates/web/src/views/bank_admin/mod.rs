//! The system admin's pages: the collaborative bank they administer — its member trusts (admit
//! one), the passporting agreement (which checks the trusts recognise from each other's passports
//! and how old they may be), the trusts' signing keys and the registry verifiers download (rotate,
//! retire), the access audit across organisations (filtered, paged, as CSV), the recharge
//! statement between trusts for a pay period, and the trusts compared side by side. Each page
//! works for one bank: the one where the signed-in person holds the system admin role (the first
//! by name, if they hold it at several).

pub mod agreement;
pub mod audit;
pub mod compare;
pub mod home;
pub mod keys;
pub mod recharges;
pub mod trusts;

use axum::Router;

use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::viewer::{Role, Viewer};

/// The system admin's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/bank-admin", "Home"),
    ("/bank-admin/trusts", "Trusts"),
    ("/bank-admin/agreement", "Passporting agreement"),
    ("/bank-admin/keys", "Keys"),
    ("/bank-admin/audit", "Access audit"),
    ("/bank-admin/recharges", "Recharges"),
    ("/bank-admin/compare", "Compare trusts"),
];

/// A collaborative bank, as the pages name it.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "CollaborativeBank")]
pub struct AdminBank {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "RoleGrant")]
struct BankGrant {
    role: Role,
    collaborative_bank: Option<AdminBank>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Account")]
struct BankGrants {
    roles: Vec<BankGrant>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Query")]
struct BanksQuery {
    me: BankGrants,
}

/// The signed-in person as a system admin, and the bank they administer.
#[derive(Debug, Clone)]
pub struct BankAdmin {
    /// Who is signed in.
    pub me: Viewer,
    /// The bank they administer.
    pub bank: AdminBank,
}

impl BankAdmin {
    /// The signed-in person as a system admin.
    ///
    /// # Errors
    /// Not signed in, no system admin role (forbidden), or the API failed.
    pub async fn of(state: &WebState, visitor: &Visitor) -> Result<Self, PageError> {
        use cynic::QueryBuilder;
        let me = super::home::viewer(state, visitor).await?;
        if !me.has(Role::SystemAdmin) {
            return Err(PageError::forbidden(
                "this part is for collaborative bank administrators",
            ));
        }
        let grants = api::run(state.api.as_ref(), &visitor.caller, BanksQuery::build(()))
            .await?
            .me
            .roles;
        let mut banks: Vec<AdminBank> = grants
            .into_iter()
            .filter(|g| g.role == Role::SystemAdmin)
            .filter_map(|g| g.collaborative_bank)
            .collect();
        banks.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        let bank = banks.into_iter().next().ok_or_else(|| {
            PageError::forbidden("this part is for collaborative bank administrators")
        })?;
        Ok(Self { me, bank })
    }

    /// The frame of a system admin page in section `current` (one of [`NAV`]'s links).
    #[must_use]
    pub fn layout(&self, visitor: &Visitor, title: &str, current: &str) -> Layout {
        let mut layout = Layout::signed_in(visitor, title, &self.me.display_name).nav(NAV, current);
        layout.home = if self.me.areas().len() > 1 {
            "/"
        } else {
            "/bank-admin"
        };
        layout
    }
}

/// Every system admin page.
pub fn routes() -> Router<WebState> {
    Router::new()
        .merge(home::routes())
        .merge(trusts::routes())
        .merge(agreement::routes())
        .merge(keys::routes())
        .merge(audit::routes())
        .merge(recharges::routes())
        .merge(compare::routes())
}
