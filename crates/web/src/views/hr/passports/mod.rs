//! HR's passport pages: a worker's passports (issue, revoke, suspend, reinstate) and receiving a
//! passport from another trust (paste a token, upload the file, or scan the worker's QR code), its
//! verification and item-by-item evaluation, and accepting its checks.

use axum::Router;

use crate::WebState;

/// The passport pages' routes.
pub fn routes() -> Router<WebState> {
    Router::new()
}
