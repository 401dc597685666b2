//! The GraphQL operations of the rate card pages: the trust's cards and the one in force, the
//! preview of a new card (`rateCardPreview`) and saving it (`setRateCard`).

use super::super::TrustAdmin;
use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::format;
use crate::fragments::PayQuote;
use crate::schema::{DateTime, Decimal, NaiveDate, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
pub(super) struct CardsVariables {
    pub(super) trust_id: Uuid,
    pub(super) today: NaiveDate,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "CardsVariables")]
pub(super) struct CardsQuery {
    #[arguments(trustId: $trust_id)]
    pub(super) rate_cards: Vec<Card>,
    #[arguments(trustId: $trust_id, date: $today)]
    pub(super) rate_card_in_force: Card,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "RateCardView")]
pub(super) struct Card {
    pub(super) built_in: bool,
    pub(super) effective_from: NaiveDate,
    pub(super) rates: Vec<GradeRate>,
    pub(super) enhancements: Vec<Enhancement>,
    pub(super) holiday_uplift: Decimal,
}

#[derive(cynic::QueryFragment, Clone)]
pub(super) struct GradeRate {
    pub(super) grade: String,
    pub(super) hourly_rate: Decimal,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "BandEnhancement")]
pub(super) struct Enhancement {
    pub(super) band: i32,
    pub(super) saturday_or_night: Decimal,
    pub(super) sunday_or_public_holiday: Decimal,
}

#[derive(cynic::InputObject, Clone)]
#[cynic(graphql_type = "GradeRateInput")]
pub(super) struct GradeRateInput {
    pub(super) grade: String,
    pub(super) hourly_rate: Decimal,
}

#[derive(cynic::InputObject, Clone)]
#[cynic(graphql_type = "BandEnhancementInput")]
pub(super) struct BandEnhancementInput {
    pub(super) band: i32,
    pub(super) saturday_or_night: Decimal,
    pub(super) sunday_or_public_holiday: Decimal,
}

#[derive(cynic::InputObject, Clone)]
#[cynic(graphql_type = "SetRateCardInput")]
pub(super) struct SetRateCardInput {
    pub(super) trust_id: Uuid,
    pub(super) effective_from: NaiveDate,
    pub(super) rates: Vec<GradeRateInput>,
    pub(super) enhancements: Vec<BandEnhancementInput>,
    pub(super) holiday_uplift: Option<Decimal>,
}

#[derive(cynic::QueryVariables)]
pub(super) struct PreviewVariables {
    pub(super) input: SetRateCardInput,
    pub(super) grade: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PreviewVariables")]
pub(super) struct PreviewQuery {
    #[arguments(input: $input, grade: $grade)]
    pub(super) rate_card_preview: Vec<Example>,
}

/// Which kind of example shift (the API's `RateCardExampleKind`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "RateCardExampleKind")]
pub(super) enum ExampleKind {
    WeekdayDay,
    WeekdayNight,
    Saturday,
    PublicHoliday,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RateCardExample")]
pub(super) struct Example {
    pub(super) kind: ExampleKind,
    pub(super) starts_at: DateTime,
    pub(super) ends_at: DateTime,
    pub(super) break_minutes: i32,
    pub(super) now: Option<PayQuote>,
    pub(super) new: Option<PayQuote>,
}

#[derive(cynic::QueryVariables)]
pub(super) struct SaveVariables {
    pub(super) input: SetRateCardInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SaveVariables")]
pub(super) struct Save {
    #[arguments(input: $input)]
    pub(super) set_rate_card: Saved,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RateCardView")]
pub(super) struct Saved {
    pub(super) effective_from: NaiveDate,
}

pub(super) async fn cards(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<CardsQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        CardsQuery::build(CardsVariables {
            trust_id: admin.trust.id,
            today: format::today(),
        }),
    )
    .await?)
}
