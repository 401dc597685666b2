//! (being built)

use axum::Router;

use crate::WebState;

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
}
