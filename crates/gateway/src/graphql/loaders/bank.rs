//! Loaders of the bank's rows: trusts, banks, sites and wards (only the caller's banks'), workers,
//! their engagements and credentials, each as much as the bank lets the caller see.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use staffbank_bank::entity::{
    credential, credential_event, membership, membership_event, site, system, trust, ward, worker,
};
use staffbank_bank::visibility::{Access, Look, Shown};
use staffbank_bank::{credentials, estate, membership as memberships, organisation, workers};
use uuid::Uuid;

use super::DbLoader;
use crate::graphql::error::GqlResultExt;

visible_by_id_loader!(
    TrustId,
    trust::Model,
    organisation::visible_trusts_by_ids,
    "Key: a trust id (left out when it is another bank's)."
);
visible_by_id_loader!(
    SystemId,
    system::Model,
    organisation::visible_systems_by_ids,
    "Key: a collaborative bank id (left out when the caller is not of it)."
);
visible_by_id_loader!(
    WardId,
    ward::Model,
    estate::visible_wards_by_ids,
    "Key: a ward id (left out when it is another bank's)."
);
visible_by_id_loader!(
    SiteId,
    site::Model,
    estate::visible_sites_by_ids,
    "Key: a site id (left out when it is another bank's)."
);
by_id_loader!(
    WorkerId,
    worker::Model,
    workers::by_ids,
    "Key: a worker id (no access checks: callers check)."
);

/// Key: the wards of a site (none when it is another bank's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WardsOfSite(pub Uuid);

impl Loader<WardsOfSite> for DbLoader {
    type Value = Vec<ward::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[WardsOfSite],
    ) -> Result<HashMap<WardsOfSite, Self::Value>, Self::Error> {
        let actor = self.actor().await?;
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<WardsOfSite, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for w in estate::visible_wards_of_sites(&self.db, actor, &ids)
            .await
            .gql()?
        {
            out.entry(WardsOfSite(w.site_id)).or_default().push(w);
        }
        Ok(out)
    }
}

/// Key: a trust's own engagement of a worker (trust, worker), whatever its consent; the bank
/// refuses callers who are not staff of the trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EngagementHere(pub Uuid, pub Uuid);

impl Loader<EngagementHere> for DbLoader {
    type Value = membership::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[EngagementHere],
    ) -> Result<HashMap<EngagementHere, Self::Value>, Self::Error> {
        let actor = self.actor().await?;
        let mut by_trust: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for k in keys {
            by_trust.entry(k.0).or_default().push(k.1);
        }
        let mut out = HashMap::new();
        for (trust_id, worker_ids) in by_trust {
            for m in memberships::of_trust(&self.db, actor, trust_id, &worker_ids)
                .await
                .gql()?
            {
                out.insert(EngagementHere(m.trust_id, m.worker_id), m);
            }
        }
        Ok(out)
    }
}

/// Key: the memberships of a worker that a look may see (the bank decides which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MembershipsOf(pub Look);

impl Loader<MembershipsOf> for DbLoader {
    type Value = Vec<membership::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[MembershipsOf],
    ) -> Result<HashMap<MembershipsOf, Self::Value>, Self::Error> {
        let looks: Vec<Look> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<MembershipsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for m in memberships::visible_of(&self.db, &looks).await.gql()? {
            if let Some(k) = keys.iter().find(|k| k.0.worker_id == m.worker_id) {
                out.entry(*k).or_default().push(m);
            }
        }
        Ok(out)
    }
}

/// Key: an engagement's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MembershipEventsOf(pub Uuid);

impl Loader<MembershipEventsOf> for DbLoader {
    type Value = Vec<membership_event::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[MembershipEventsOf],
    ) -> Result<HashMap<MembershipEventsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<MembershipEventsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for e in memberships::events_of(&self.db, &ids).await.gql()? {
            out.entry(MembershipEventsOf(e.membership_id))
                .or_default()
                .push(e);
        }
        Ok(out)
    }
}

/// Key: a look at a worker's identity and contact details; the value, present when they may be
/// shown, is what [`VisibleWorker::detail`](staffbank_bank::visibility::VisibleWorker::detail)
/// asks for (looks from other trusts are logged, one insert per request's batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DetailOf(pub Look);

impl Loader<DetailOf> for DbLoader {
    type Value = Shown;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[DetailOf]) -> Result<HashMap<DetailOf, Self::Value>, Self::Error> {
        let actor = self.actor().await?;
        let looks: Vec<Look> = keys.iter().map(|k| k.0).collect();
        let shown = workers::details(&self.db, self.clock.as_ref(), actor, &looks)
            .await
            .gql()?;
        Ok(keys
            .iter()
            .filter_map(|k| {
                shown
                    .iter()
                    .find(|s| s.worker_id() == k.0.worker_id)
                    .map(|s| (*k, *s))
            })
            .collect())
    }
}

/// Key: the credentials of a worker, looked at with the given access (looks from other trusts
/// are logged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CredentialsOf(pub Look);

impl Loader<CredentialsOf> for DbLoader {
    type Value = Vec<credential::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[CredentialsOf],
    ) -> Result<HashMap<CredentialsOf, Self::Value>, Self::Error> {
        let actor = self.actor().await?;
        let looks: Vec<Look> = keys.iter().map(|k| k.0).collect();
        let rows = credentials::of_workers(&self.db, self.clock.as_ref(), actor, &looks)
            .await
            .gql()?;
        let mut out: HashMap<CredentialsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for c in rows {
            if let Some(k) = keys.iter().find(|k| k.0.worker_id == c.worker_id) {
                out.entry(*k).or_default().push(c);
            }
        }
        Ok(out)
    }
}

/// Key: a credential's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventsOf(pub Uuid);

impl Loader<EventsOf> for DbLoader {
    type Value = Vec<credential_event::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[EventsOf]) -> Result<HashMap<EventsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<EventsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for e in credentials::events_of(&self.db, &ids).await.gql()? {
            out.entry(EventsOf(e.credential_id)).or_default().push(e);
        }
        Ok(out)
    }
}

/// Key: the trusts recognising a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecognitionsOf(pub Uuid);

impl Loader<RecognitionsOf> for DbLoader {
    type Value = Vec<Uuid>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[RecognitionsOf],
    ) -> Result<HashMap<RecognitionsOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<RecognitionsOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in credentials::recognitions_of(&self.db, &ids).await.gql()? {
            out.entry(RecognitionsOf(r.credential_id))
                .or_default()
                .push(r.trust_id);
        }
        Ok(out)
    }
}

/// Key: a worker as the request's caller may see them (left out when they may not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisibleWorker(pub Uuid);

impl Loader<VisibleWorker> for DbLoader {
    type Value = (worker::Model, Access);
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[VisibleWorker],
    ) -> Result<HashMap<VisibleWorker, Self::Value>, Self::Error> {
        let actor = self.actor().await?;
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(workers::visible_by_ids(&self.db, actor, &ids)
            .await
            .gql()?
            .into_iter()
            .map(|(w, a)| (VisibleWorker(w.id), (w, a)))
            .collect())
    }
}
