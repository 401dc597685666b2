//! Batched lookups for nested fields (no N+1 queries): a page of 50 workers asks for their
//! credentials, trusts and wards in one query each. One loader per request, so nothing is cached
//! across callers; it reads the request's caller where a lookup depends on who asks.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use staffbank_bank::entity::{
    credential, credential_event, membership, membership_event, site, system, trust, ward, worker,
};
use staffbank_bank::visibility::{self, Access, Look};
use staffbank_bank::{credentials, estate, membership as memberships, organisation, workers};
use staffbank_core::{ErrorKind, SharedClock};
use staffbank_market::entity::{
    booking, booking_event, cancellation, shift, shift_grade, shift_tier,
};
use staffbank_market::{
    booking as bookings, booking_history, cancellation as cancellations, release_cascade, shifts,
};
use uuid::Uuid;

use crate::graphql::context::RequestContext;
use crate::graphql::error::{GqlResultExt, gateway_error};

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
                let actor = self
                    .request
                    .loaded_actor()
                    .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $fetch(&self.db, actor, &ids).await.gql()?;
                Ok(rows.into_iter().map(|r| ($key(r.id), r)).collect())
            }
        }
    };
}

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
        let actor = self
            .request
            .loaded_actor()
            .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
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
        let actor = self
            .request
            .loaded_actor()
            .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
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

/// Key: a look at a worker's identity and contact details; the value says whether they may be
/// shown (looks from other trusts are logged, one insert per request's batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DetailOf(pub Look);

impl Loader<DetailOf> for DbLoader {
    type Value = bool;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[DetailOf]) -> Result<HashMap<DetailOf, Self::Value>, Self::Error> {
        let actor = self
            .request
            .loaded_actor()
            .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
        let looks: Vec<Look> = keys.iter().map(|k| k.0).collect();
        let shown = workers::details(&self.db, self.clock.as_ref(), actor, &looks)
            .await
            .gql()?;
        Ok(keys
            .iter()
            .map(|k| (*k, shown.contains(&k.0.worker_id)))
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
        let actor = self
            .request
            .loaded_actor()
            .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
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

by_id_loader!(
    ShiftId,
    shift::Model,
    shifts::by_ids,
    "Key: a shift id (no access checks: callers check)."
);
by_id_loader!(
    BookingId,
    booking::Model,
    bookings::by_ids,
    "Key: a booking id (no access checks: callers check)."
);

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

/// Key: the grades a shift accepts, the grade asked for first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GradesOf(pub Uuid);

impl Loader<GradesOf> for DbLoader {
    type Value = Vec<shift_grade::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[GradesOf]) -> Result<HashMap<GradesOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = shifts::grades_of(&self.db, &ids).await.gql()?;
        Ok(grouped(keys, rows, |g| GradesOf(g.shift_id)))
    }
}

/// Key: a shift's release cascade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TiersOf(pub Uuid);

impl Loader<TiersOf> for DbLoader {
    type Value = Vec<shift_tier::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[TiersOf]) -> Result<HashMap<TiersOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = release_cascade::tiers_of(&self.db, &ids).await.gql()?;
        Ok(grouped(keys, rows, |t| TiersOf(t.shift_id)))
    }
}

/// Key: the bookings of a shift (callers check access).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BookingsOfShift(pub Uuid);

impl Loader<BookingsOfShift> for DbLoader {
    type Value = Vec<booking::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[BookingsOfShift],
    ) -> Result<HashMap<BookingsOfShift, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = bookings::of_shifts(&self.db, &ids).await.gql()?;
        Ok(grouped(keys, rows, |b| BookingsOfShift(b.shift_id)))
    }
}

/// Key: a booking's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub Uuid);

impl Loader<HistoryOf> for DbLoader {
    type Value = Vec<booking_event::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[HistoryOf],
    ) -> Result<HashMap<HistoryOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = booking_history::of_bookings(&self.db, &ids).await.gql()?;
        Ok(grouped(keys, rows, |e| HistoryOf(e.booking_id)))
    }
}

/// Key: a booking's cancellation record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CancellationOf(pub Uuid);

impl Loader<CancellationOf> for DbLoader {
    type Value = cancellation::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[CancellationOf],
    ) -> Result<HashMap<CancellationOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = cancellations::of_bookings(&self.db, &ids).await.gql()?;
        Ok(rows
            .into_iter()
            .map(|c| (CancellationOf(c.booking_id), c))
            .collect())
    }
}

/// Key: the marketplace policy in force at a trust (no checks: a trust's terms go with what the
/// caller may already see, e.g. its shifts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PolicyOf(pub Uuid);

impl Loader<PolicyOf> for DbLoader {
    type Value = staffbank_market::policy::Policy;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[PolicyOf]) -> Result<HashMap<PolicyOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let policies = staffbank_market::policy::of_trusts(&self.db, &ids)
            .await
            .gql()?;
        Ok(policies
            .into_iter()
            .map(|(t, p)| (PolicyOf(t), p))
            .collect())
    }
}

/// Key: a booking's timesheet (callers check with `timesheets::may_see`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimesheetOf(pub Uuid);

impl Loader<TimesheetOf> for DbLoader {
    type Value = staffbank_market::entity::timesheet::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[TimesheetOf],
    ) -> Result<HashMap<TimesheetOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = staffbank_market::pay::timesheets::of_bookings(&self.db, &ids)
            .await
            .gql()?;
        Ok(rows
            .into_iter()
            .map(|t| (TimesheetOf(t.booking_id), t))
            .collect())
    }
}

/// Key: what cancelling a booking now would do for the request's caller (left out when they may
/// not cancel it, or it cannot be cancelled any more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CancellationPreviewOf(pub Uuid);

impl Loader<CancellationPreviewOf> for DbLoader {
    type Value = cancellations::Preview;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[CancellationPreviewOf],
    ) -> Result<HashMap<CancellationPreviewOf, Self::Value>, Self::Error> {
        let actor = self
            .request
            .loaded_actor()
            .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = bookings::by_ids(&self.db, &ids).await.gql()?;
        let previews = cancellations::previews(&self.db, actor, &rows, self.clock.now())
            .await
            .gql()?;
        Ok(previews
            .into_iter()
            .map(|(id, p)| (CancellationPreviewOf(id), p))
            .collect())
    }
}

/// Key: why the request's caller, a worker, could not book a shift themself now, by the judgement
/// booking makes (empty when nothing stops them; left out for callers who are not workers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MyEligibilityOf(pub Uuid);

impl Loader<MyEligibilityOf> for DbLoader {
    type Value = Vec<staffbank_market::eligibility::Reason>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[MyEligibilityOf],
    ) -> Result<HashMap<MyEligibilityOf, Self::Value>, Self::Error> {
        let actor = self
            .request
            .loaded_actor()
            .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let judged = bookings::my_eligibility(&self.db, actor, &ids, self.clock.now())
            .await
            .gql()?;
        Ok(judged
            .unwrap_or_default()
            .into_iter()
            .map(|(id, reasons)| (MyEligibilityOf(id), reasons))
            .collect())
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
        let actor = self
            .request
            .loaded_actor()
            .ok_or_else(|| gateway_error(ErrorKind::Unauthenticated, "sign in first"))?;
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = workers::by_ids(&self.db, &ids).await.gql()?;
        let access: HashMap<Uuid, Access> = visibility::access_to_many(&self.db, actor, &rows)
            .await
            .gql()?
            .into_iter()
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|w| {
                access
                    .get(&w.id)
                    .map(|a| (VisibleWorker(w.id), (w.clone(), *a)))
            })
            .collect())
    }
}

/// Key: the price of a shift at a grade (pay up front).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuoteOf(pub staffbank_market::pay::quote::QuoteRequest);

impl Loader<QuoteOf> for DbLoader {
    type Value = staffbank_market::pay::quote::Quote;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[QuoteOf]) -> Result<HashMap<QuoteOf, Self::Value>, Self::Error> {
        let requests: Vec<_> = keys.iter().map(|k| k.0.clone()).collect();
        let priced = staffbank_market::pay::quote::quote_many(&self.db, &requests)
            .await
            .gql()?;
        Ok(priced
            .into_iter()
            .filter_map(|(r, q)| q.map(|q| (QuoteOf(r), q)))
            .collect())
    }
}

/// Key: the pay lines of a timesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayLinesOf(pub Uuid);

impl Loader<PayLinesOf> for DbLoader {
    type Value = Vec<staffbank_market::entity::pay_line::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PayLinesOf],
    ) -> Result<HashMap<PayLinesOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<PayLinesOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for l in staffbank_market::pay::lines::of_timesheets(&self.db, &ids)
            .await
            .gql()?
        {
            if let Some(t) = l.timesheet_id {
                out.entry(PayLinesOf(t)).or_default().push(l);
            }
        }
        Ok(out)
    }
}

/// Key: a timesheet's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimesheetHistoryOf(pub Uuid);

impl Loader<TimesheetHistoryOf> for DbLoader {
    type Value = Vec<staffbank_market::entity::timesheet_event::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[TimesheetHistoryOf],
    ) -> Result<HashMap<TimesheetHistoryOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<TimesheetHistoryOf, Self::Value> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for e in staffbank_market::pay::timesheets::history(&self.db, &ids)
            .await
            .gql()?
        {
            out.entry(TimesheetHistoryOf(e.timesheet_id))
                .or_default()
                .push(e);
        }
        Ok(out)
    }
}
