//! Loaders of pay: a booking's timesheet and its history, pay lines, and quotes.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use super::DbLoader;
use crate::graphql::error::GqlResultExt;

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
