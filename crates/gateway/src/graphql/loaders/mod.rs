//! Batched lookups for nested fields (no N+1 queries): a page of 50 workers asks for their
//! credentials, trusts and wards in one query each. One loader per request, so nothing is cached
//! across callers. A lookup that depends on who asks hands the domain the request's caller, which
//! the loader reads itself (once per request, shared with the resolvers): it never depends on a
//! resolver having asked first.
//!
//! One file per domain crate: [`bank`] (the estate, workers and what of them the caller may see),
//! [`market`] (shifts and bookings) and [`pay`] (timesheets, quotes and pay lines).

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::DatabaseConnection;
use staffbank_core::{Actor, SharedClock};

use crate::graphql::context::RequestContext;

/// Loads rows by id for the nested fields of one request.
#[derive(Debug, Clone)]
pub struct DbLoader {
    /// Database pool.
    pub db: DatabaseConnection,
    /// The time source.
    pub clock: SharedClock,
    /// The request, for lookups that depend on the caller.
    pub request: Arc<RequestContext>,
}

impl DbLoader {
    /// The request's caller, for lookups that depend on who asks.
    ///
    /// # Errors
    /// Unauthenticated when the request has no valid session.
    pub(crate) async fn actor(&self) -> async_graphql::Result<&Actor> {
        self.request.actor(&self.db).await
    }
}

/// A loader by id of rows anyone may have (no checks: callers check).
macro_rules! by_id_loader {
    ($key:ident, $model:ty, $fetch:path, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for DbLoader {
            type Value = $model;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $fetch(&self.db, &ids).await.gql()?;
                Ok(rows.into_iter().map(|r| ($key(r.id), r)).collect())
            }
        }
    };
}

/// A loader by id of rows the caller may not see all of: the domain function leaves out what is
/// another collaborative bank's, so a nested field answers as if it did not exist.
macro_rules! visible_by_id_loader {
    ($key:ident, $model:ty, $fetch:path, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for DbLoader {
            type Value = $model;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let actor = self.actor().await?;
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $fetch(&self.db, actor, &ids).await.gql()?;
                Ok(rows.into_iter().map(|r| ($key(r.id), r)).collect())
            }
        }
    };
}

/// Groups rows by a key, with an empty list for every key asked.
fn grouped<K, V>(
    keys: &[K],
    rows: impl IntoIterator<Item = V>,
    key_of: impl Fn(&V) -> K,
) -> HashMap<K, Vec<V>>
where
    K: Copy + Eq + std::hash::Hash,
{
    let mut out: HashMap<K, Vec<V>> = keys.iter().map(|k| (*k, Vec::new())).collect();
    for r in rows {
        out.entry(key_of(&r)).or_default().push(r);
    }
    out
}

mod bank;
mod market;
mod pay;

pub use bank::*;
pub use market::*;
pub use pay::*;
