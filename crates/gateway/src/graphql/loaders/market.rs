//! Loaders of the market's rows: shifts, their grades, cascades and bookings, and what the caller
//! could do with them (cancel, book).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use staffbank_market::entity::{
    booking, booking_event, cancellation, shift, shift_grade, shift_tier,
};
use staffbank_market::{
    booking as bookings, booking_history, cancellation as cancellations, release_cascade, shifts,
};
use uuid::Uuid;

use super::{DbLoader, grouped};
use crate::graphql::error::GqlResultExt;

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

/// Key: the bookings of a shift that the request's caller may see (the market decides which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BookingsOfShift(pub Uuid);

impl Loader<BookingsOfShift> for DbLoader {
    type Value = Vec<booking::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[BookingsOfShift],
    ) -> Result<HashMap<BookingsOfShift, Self::Value>, Self::Error> {
        let actor = self.actor().await?;
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = bookings::visible_of_shifts(&self.db, actor, &ids)
            .await
            .gql()?;
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
        let actor = self.actor().await?;
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
        let actor = self.actor().await?;
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
