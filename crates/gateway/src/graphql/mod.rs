//! The GraphQL schema: the roots merged from one module per area, the limits, and the SDL.

pub mod accounts;
pub mod batching;
pub mod board;
pub mod bookings;
pub mod compliance;
pub mod context;
pub mod credentials;
pub mod error;
pub mod estate;
pub mod limits;
pub mod loaders;
pub mod market_rules;
pub mod matching;
pub mod organisations;
pub mod pagination;
pub mod passports;
pub mod pay;
pub mod rate_card_preview;
pub mod report_breakdowns;
pub mod roster_imports;
pub mod shifts;
pub mod timesheet_deadlines;
pub mod workers;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

use crate::config::Limits;

/// All queries.
#[derive(MergedObject, Default)]
pub struct Query(
    accounts::AccountQuery,
    organisations::OrganisationQuery,
    estate::EstateQuery,
    workers::WorkerQuery,
    compliance::ComplianceQuery,
    credentials::CredentialQuery,
    passports::PassportQuery,
    shifts::ShiftQuery,
    matching::MatchingQuery,
    bookings::BookingQuery,
    market_rules::MarketRulesQuery,
    pay::PayQuery,
    rate_card_preview::RateCardPreviewQuery,
    timesheet_deadlines::TimesheetDeadlineQuery,
    board::BoardQueryRoot,
    roster_imports::RosterImportQuery,
);

/// All mutations.
#[derive(MergedObject, Default)]
pub struct Mutation(
    accounts::AccountMutation,
    organisations::OrganisationMutation,
    estate::EstateMutation,
    workers::WorkerMutation,
    credentials::CredentialMutation,
    passports::PassportMutation,
    shifts::ShiftMutation,
    bookings::BookingMutation,
    market_rules::MarketRulesMutation,
    pay::PayMutation,
    timesheet_deadlines::TimesheetDeadlineMutation,
    roster_imports::RosterImportMutation,
);

/// All subscriptions (served over the graphql-ws protocol at `/graphql/ws`).
pub type Subscription = board::BoardSubscription;

/// The schema type.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

pub(crate) fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
}

/// What a schema shows of itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exposure {
    /// Answer introspection (`__schema`, `__type`), also without a token.
    pub introspection: bool,
    /// Suggest field names in validation errors.
    pub suggestions: bool,
}

/// The schema with its limits; services and per-request data are added by the server.
#[must_use]
pub fn build(limits: &Limits, exposure: Exposure) -> SchemaBuilder<Query, Mutation, Subscription> {
    let mut b = builder()
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(limits.max_depth * 2)
        .limit_directives(10)
        .extension(limits::DocumentLimits {
            max_aliases: limits.max_aliases,
            max_cost: limits.max_complexity,
            assumed_list_size: limits.assumed_list_size,
            introspection: exposure.introspection,
            heavy: limits::HeavyGate::new(limits.heavy_cost, limits.heavy_concurrency),
        });
    if !exposure.introspection {
        b = b.disable_introspection();
    }
    if !exposure.suggestions {
        b = b.disable_suggestions();
    }
    b
}

/// The public contract as SDL (what `staffbank schema` prints and `schema.graphql` holds).
#[must_use]
pub fn sdl() -> String {
    builder().finish().sdl()
}
