//! The pages invitation emails link to: set a password for the login a bank office made
//! (`/invitation/accept?code=`), or register yourself and set a password
//! (`/invitation/register?code=`).

use axum::Router;

use crate::WebState;

/// The invitation pages.
pub fn routes() -> Router<WebState> {
    Router::new()
}
