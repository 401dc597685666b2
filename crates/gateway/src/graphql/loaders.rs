//! Batched lookups for nested fields (no N+1 queries): a list of 50 grants asks for its trusts in
//! one query. One loader per request, so nothing is cached across callers.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use staffbank_bank::entity::{system, trust};
use staffbank_bank::organisation;
use uuid::Uuid;

use crate::graphql::error::GqlResultExt;

/// Loads rows by id for the nested fields of one request.
#[derive(Debug, Clone)]
pub struct DbLoader {
    /// Database pool.
    pub db: DatabaseConnection,
}

/// Key: a trust id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrustId(pub Uuid);
/// Key: a collaborative bank id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SystemId(pub Uuid);

impl Loader<TrustId> for DbLoader {
    type Value = trust::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[TrustId]) -> Result<HashMap<TrustId, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = organisation::trusts_by_ids(&self.db, &ids).await.gql()?;
        Ok(rows.into_iter().map(|t| (TrustId(t.id), t)).collect())
    }
}

impl Loader<SystemId> for DbLoader {
    type Value = system::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[SystemId]) -> Result<HashMap<SystemId, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = organisation::systems_by_ids(&self.db, &ids).await.gql()?;
        Ok(rows.into_iter().map(|s| (SystemId(s.id), s)).collect())
    }
}
