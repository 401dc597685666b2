//! The staffbank web app: server-rendered pages in the NHS.UK design system for the people who use
//! the collaborative bank — workers first; bank offices, ward managers, HR and admins to follow.
//!
//! The app knows no domain crate. Every page is a client of the one GraphQL schema: it runs typed
//! operations (checked against `schema.graphql` at compile time by cynic) through an [`Api`] the
//! gateway hands it, which executes them in-process exactly as `POST /graphql` would — same
//! caller, limits and logging — so a page can do nothing the API would refuse.
//!
//! Every journey works without JavaScript (forms post, the server redirects); the design system's
//! script and ours only enhance. See `views/` for the pages, `session.rs` and `csrf.rs` for
//! sign-in and form protection, `assets.rs` for the embedded design system.

pub mod api;
pub mod assets;
pub mod charts;
pub mod csrf;
pub mod errors;
pub mod filters;
pub mod format;
pub mod forms;
pub mod fragments;
pub mod layout;
pub mod multipart;
pub mod pagination;
pub mod schema;
pub mod security;
pub mod session;
pub mod viewer;
pub mod views;

use std::sync::Arc;

use axum::Router;

pub use api::{Api, Caller};

/// How the web app is set up by the program that mounts it.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (the service is reached over https).
    pub secure_cookies: bool,
    /// Link to GraphiQL from the pages (it is served).
    pub graphiql: bool,
    /// Largest evidence document a worker may upload, in bytes (the API's limit, for messages).
    pub max_upload_bytes: u64,
}

/// What every page handler can reach.
#[derive(Clone)]
pub struct WebState {
    /// Runs GraphQL operations as the signed-in person.
    pub api: Arc<dyn Api>,
    /// Settings.
    pub settings: Arc<Settings>,
}

/// The web app's routes (pages and assets), with its security headers and CSRF check.
pub fn router(api: Arc<dyn Api>, settings: Settings) -> Router {
    let state = WebState {
        api,
        settings: Arc::new(settings),
    };
    views::routes(&state)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        // Pages are compressed as they are sent (at a quick setting: they are small and
        // personal); assets were compressed at build time.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .merge(assets::routes())
}
