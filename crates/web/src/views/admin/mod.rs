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
use crate::viewer::Role;
use crate::views::trust_area::{AtTrust, TrustArea};

/// The trust admin's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/admin", "Overview"),
    ("/admin/wards", "Sites and wards"),
    ("/admin/requirements", "Requirements"),
    ("/admin/rates", "Rate cards"),
    ("/admin/market", "Market rules"),
    ("/admin/staff", "Staff"),
];

/// The trust admin's area: its role and navigation.
#[derive(Debug, Clone, Copy)]
pub struct TrustAdminArea;

impl TrustArea for TrustAdminArea {
    const ROLE: Role = Role::TrustAdmin;
    const NAV: &'static [(&'static str, &'static str)] = NAV;
}

/// The signed-in person in the trust admin's area, and the trust they work for.
pub type TrustAdmin = AtTrust<TrustAdminArea>;

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
