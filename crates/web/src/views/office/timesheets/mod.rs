//! `/office/timesheets`: the trust's timesheets that passed their deadline without a decision
//! from the ward manager, for the bank office to approve or query so the worker is paid on time.
//! The pages are the ward manager's (`views::ward::timesheets`), at the bank office's desk.

use axum::Router;

use crate::WebState;
use crate::views::ward::timesheets::{Desk, routes as desk_routes};

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    desk_routes(Desk::Office)
}
