//! The pay preview of a rate card not yet saved: what example shifts would pay under it against
//! what they pay now, so a trust admin sees the effect of a change before making it.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use staffbank_market::pay::rate_card_preview::{self, Example};

use crate::graphql::context::ContextExt;
use crate::graphql::error::GqlResultExt;
use crate::graphql::pay::{PayQuote, SetRateCardInput};

/// Which kind of shift an example is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "staffbank_market::pay::rate_card_preview::ExampleKind")]
pub enum RateCardExampleKind {
    /// Monday to Friday, 8am to 4pm, not a public holiday.
    WeekdayDay,
    /// Monday to Thursday, 8pm to 8am, neither day a public holiday.
    WeekdayNight,
    /// Saturday, 8am to 4pm.
    Saturday,
    /// A public holiday of the trust's bank, 8am to 4pm.
    PublicHoliday,
}

/// An example shift priced now and under a new rate card.
#[derive(SimpleObject, Debug, Clone)]
pub struct RateCardExample {
    /// Which kind of shift.
    pub kind: RateCardExampleKind,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Unpaid break, in minutes.
    pub break_minutes: i32,
    /// Its pay under the card in force on that day now (none when that card has no rate for the
    /// grade).
    pub now: Option<PayQuote>,
    /// Its pay under the new card (none when the new card has no rate for the grade).
    pub new: Option<PayQuote>,
}

impl From<Example> for RateCardExample {
    fn from(e: Example) -> Self {
        Self {
            kind: e.kind.into(),
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            break_minutes: e.break_minutes,
            now: e.now.map(PayQuote::from),
            new: e.new.map(PayQuote::from),
        }
    }
}

/// The rate card preview query.
#[derive(Default)]
pub struct RateCardPreviewQuery;

#[Object]
impl RateCardPreviewQuery {
    /// What a rate card would pay at `grade` before it is saved (its trust admins): a weekday
    /// day, a weekday night, a Saturday and a public holiday from its first day, each under the
    /// card in force then now and under the new one. The card is checked as `setRateCard`
    /// checks it; nothing is saved.
    async fn rate_card_preview(
        &self,
        ctx: &Context<'_>,
        input: SetRateCardInput,
        #[graphql(desc = "The grade to price (e.g. BAND_5; at most 64 characters).")] grade: String,
    ) -> Result<Vec<RateCardExample>> {
        let actor = ctx.actor().await?;
        let (trust_id, card) = input.into_domain()?;
        let s = ctx.services();
        rate_card_preview::preview(&s.db, s.clock.as_ref(), actor, trust_id, &card, &grade)
            .await
            .map(|examples| examples.into_iter().map(RateCardExample::from).collect())
            .gql()
    }
}
