//! Staff accounts and roles: `GET /admin/staff` lists who holds which role at the trust
//! (`trustStaff`) with a form to give an existing account a role (`grantRole`);
//! `GET|POST /admin/staff/new` creates a staff account with its first role
//! (`createStaffAccount`); removing a role asks first (`GET|POST /admin/staff/revoke/{grant}`),
//! because it signs the person out everywhere at once (`revokeRole`).

mod list;
mod new;
mod operations;
mod revoke;
mod roles;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::WebState;

/// Back to the list, saying what was just done to whom.
fn done_to(done: &str, who: &str) -> Response {
    let q = serde_urlencoded::to_string([("done", done), ("who", who)]).unwrap_or_default();
    Redirect::to(&format!("/admin/staff?{q}")).into_response()
}

/// The staff pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/staff", get(list::list).post(list::grant))
        .route("/admin/staff/new", get(new::new).post(new::create))
        .route(
            "/admin/staff/revoke/{id}",
            get(revoke::revoke_confirm).post(revoke::revoke),
        )
}
