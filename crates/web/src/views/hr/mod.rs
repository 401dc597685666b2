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
use crate::viewer::Role;
use crate::views::trust_area::{AtTrust, TrustArea};

/// HR's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/hr", "Checks to do"),
    ("/hr/workers", "Workers"),
    ("/hr/expiring", "Expiring soon"),
    ("/hr/passports", "Passports"),
];

/// HR's area: its role and navigation.
#[derive(Debug, Clone, Copy)]
pub struct HrArea;

impl TrustArea for HrArea {
    const ROLE: Role = Role::Hr;
    const NAV: &'static [(&'static str, &'static str)] = NAV;
}

/// The signed-in person in HR's area, and the trust they work for.
pub type Hr = AtTrust<HrArea>;

/// Every HR page.
pub fn routes() -> Router<WebState> {
    Router::new()
        .merge(checks::routes())
        .merge(expiring::routes())
        .merge(passports::routes())
        .merge(workers::routes())
}
