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
use crate::viewer::Role;
use crate::views::trust_area::{AtTrust, TrustArea};

/// The bank office's navigation.
pub const NAV: &[(&str, &str)] = &[
    ("/office", "Board"),
    ("/office/shifts/new", "Post shifts"),
    ("/office/workers", "Workers"),
    ("/office/pay", "Pay"),
    ("/office/reports", "Reports"),
];

/// The bank office's area: its role and navigation.
#[derive(Debug, Clone, Copy)]
pub struct BankOfficeArea;

impl TrustArea for BankOfficeArea {
    const ROLE: Role = Role::BankOffice;
    const NAV: &'static [(&'static str, &'static str)] = NAV;
}

/// The signed-in person in the bank office's area, and the trust they work for.
pub type Office = AtTrust<BankOfficeArea>;

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
