//! What each resolver can reach: the shared services (database, clock, token keys, config) and the
//! request's caller, loaded lazily (once per request) from the bearer token and its session.

use async_graphql::Context;
use sea_orm::DatabaseConnection;
use staffbank_core::sessions::SignedIn;
use staffbank_core::{Actor, ErrorKind, SharedClock, accounts};
use tokio::sync::OnceCell;

use crate::config::Config;
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::token::{TokenError, TokenKeys};

/// Shared by every request.
#[derive(Debug, Clone)]
pub struct Services {
    /// Database pool.
    pub db: DatabaseConnection,
    /// The time source.
    pub clock: SharedClock,
    /// Bearer token keys.
    pub tokens: TokenKeys,
    /// The configuration in force.
    pub config: std::sync::Arc<Config>,
    /// Where evidence documents are kept.
    pub evidence: staffbank_bank::evidence::EvidenceStore,
    /// Statements run on the database since start (for tests that count queries, and metrics).
    pub queries: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Opens the trusts' passport signing keys.
    pub kek: staffbank_passport::Kek,
    /// The public base URL (set from the bound address when not configured).
    pub public_url: std::sync::Arc<std::sync::RwLock<String>>,
    /// This replica's feed of committed shift changes (for subscriptions).
    pub shift_feed: crate::shift_feed::ShiftFeed,
}

impl Services {
    /// The public base URL, without a trailing slash.
    #[must_use]
    pub fn public_url(&self) -> String {
        self.public_url
            .read()
            .map(|u| u.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// What the passport functions need.
    #[must_use]
    pub fn passport_env(&self) -> staffbank_passport::Env {
        staffbank_passport::Env {
            kek: self.kek.clone(),
            public_url: self.public_url(),
        }
    }
}

/// What the bearer token said.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// No token.
    Anonymous,
    /// A genuine token for this account and session (whether the session is still open is checked
    /// when the caller is loaded, with [`accounts::load_caller`]).
    Account(SignedIn),
    /// A token that failed verification.
    Refused(TokenError),
}

/// Per request.
#[derive(Debug)]
pub struct RequestContext {
    /// Client address.
    pub ip: String,
    /// What the token said.
    pub credentials: Credentials,
    /// The caller and their account row, loaded once, by the first resolver that needs them.
    caller: OnceCell<accounts::Caller>,
}

impl RequestContext {
    /// A context for one request.
    #[must_use]
    pub fn new(ip: String, credentials: Credentials) -> Self {
        Self {
            ip,
            credentials,
            caller: OnceCell::new(),
        }
    }

    /// The signed-in caller and their account row, read from the token's session the first time
    /// anything of this request asks (a resolver or a loader), then kept for the request.
    ///
    /// # Errors
    /// Unauthenticated (no token, a refused one, or a session no longer open); database errors.
    pub async fn caller(
        &self,
        db: &DatabaseConnection,
    ) -> async_graphql::Result<&accounts::Caller> {
        let signed_in = match &self.credentials {
            Credentials::Account(signed_in) => *signed_in,
            Credentials::Anonymous => {
                return Err(gateway_error(
                    ErrorKind::Unauthenticated,
                    "sign in first: this needs a bearer token (Authorization: Bearer ...)",
                ));
            }
            Credentials::Refused(e) => {
                return Err(gateway_error(ErrorKind::Unauthenticated, e.to_string()));
            }
        };
        self.caller
            .get_or_try_init(|| async move { accounts::load_caller(db, signed_in).await })
            .await
            .gql()
    }

    /// The signed-in caller, with roles as they are now (as [`RequestContext::caller`]).
    ///
    /// # Errors
    /// As [`RequestContext::caller`].
    pub async fn actor(&self, db: &DatabaseConnection) -> async_graphql::Result<&Actor> {
        Ok(&self.caller(db).await?.actor)
    }
}

/// Shorthands for resolvers.
pub trait ContextExt {
    /// The shared services.
    fn services(&self) -> &Services;
    /// The request context.
    fn request(&self) -> &RequestContext;
    /// The loader for batched nested lookups.
    fn loader(&self) -> &async_graphql::dataloader::DataLoader<crate::graphql::loaders::DbLoader>;
    /// The signed-in caller, with roles as they are now.
    fn actor(&self) -> impl std::future::Future<Output = async_graphql::Result<&Actor>> + Send;
    /// The signed-in caller and their account row as read with the session (the same load as
    /// [`ContextExt::actor`], once per request).
    fn caller(
        &self,
    ) -> impl std::future::Future<Output = async_graphql::Result<&accounts::Caller>> + Send;
}

impl ContextExt for Context<'_> {
    fn services(&self) -> &Services {
        self.data_unchecked::<Services>()
    }

    fn request(&self) -> &RequestContext {
        self.data_unchecked::<std::sync::Arc<RequestContext>>()
    }

    fn loader(&self) -> &async_graphql::dataloader::DataLoader<crate::graphql::loaders::DbLoader> {
        self.data_unchecked::<async_graphql::dataloader::DataLoader<crate::graphql::loaders::DbLoader>>()
    }

    async fn actor(&self) -> async_graphql::Result<&Actor> {
        Ok(&self.caller().await?.actor)
    }

    async fn caller(&self) -> async_graphql::Result<&accounts::Caller> {
        self.request().caller(&self.services().db).await
    }
}
