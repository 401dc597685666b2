//! The GraphQL operations of the market rules page: the trust's market policy and default release
//! cascade, and setting each (`setMarketPolicy`, `setDefaultCascade`).

use super::super::TrustAdmin;
use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
pub(super) struct TrustVariables {
    pub(super) trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
pub(super) struct RulesQuery {
    #[arguments(trustId: $trust_id)]
    pub(super) market_policy: Policy,
    #[arguments(trustId: $trust_id)]
    pub(super) default_cascade: Vec<Tier>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "MarketPolicy")]
pub(super) struct Policy {
    pub(super) worker_short_notice_minutes: i32,
    pub(super) trust_late_cancellation_minutes: i32,
    pub(super) late_cancellation_fee_minutes: i32,
    pub(super) strike_limit: i32,
    pub(super) strike_window_days: i32,
    pub(super) dormancy_days: i32,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CascadeTierRule")]
pub(super) struct Tier {
    pub(super) audience: Audience,
    pub(super) anchor: Anchor,
    pub(super) offset_minutes: i32,
}

/// Who a tier reaches (the API's `CascadeAudience`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CascadeAudience")]
pub(super) enum Audience {
    Preferred,
    OwnTrust,
    Collaborative,
    Agency,
}

impl Audience {
    pub(super) const ALL: [Self; 4] = [
        Self::Preferred,
        Self::OwnTrust,
        Self::Collaborative,
        Self::Agency,
    ];

    pub(super) fn code(self) -> &'static str {
        match self {
            Self::Preferred => "preferred",
            Self::OwnTrust => "own",
            Self::Collaborative => "collaborative",
            Self::Agency => "agency",
        }
    }

    pub(super) fn words(self) -> &'static str {
        match self {
            Self::Preferred => "The ward's preferred workers",
            Self::OwnTrust => "Workers engaged at your trust",
            Self::Collaborative => "Everyone in the collaborative bank",
            Self::Agency => "Agencies",
        }
    }
}

/// What a tier's time is measured from (the API's `CascadeAnchor`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CascadeAnchor")]
pub(super) enum Anchor {
    Posting,
    Start,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "MarketPolicyInput")]
pub(super) struct PolicyInput {
    pub(super) worker_short_notice_minutes: Option<i32>,
    pub(super) trust_late_cancellation_minutes: Option<i32>,
    pub(super) late_cancellation_fee_minutes: Option<i32>,
    pub(super) strike_limit: Option<i32>,
    pub(super) strike_window_days: Option<i32>,
    pub(super) dormancy_days: Option<i32>,
}

#[derive(cynic::QueryVariables)]
pub(super) struct PolicyVariables {
    pub(super) trust_id: Uuid,
    pub(super) input: PolicyInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PolicyVariables")]
pub(super) struct SetPolicy {
    #[arguments(trustId: $trust_id, input: $input)]
    pub(super) set_market_policy: Policy,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "CascadeTierInput")]
pub(super) struct TierInput {
    pub(super) audience: Audience,
    pub(super) anchor: Anchor,
    pub(super) offset_minutes: i32,
}

#[derive(cynic::QueryVariables)]
pub(super) struct CascadeVariables {
    pub(super) trust_id: Uuid,
    pub(super) tiers: Vec<TierInput>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "CascadeVariables")]
pub(super) struct SetCascade {
    #[arguments(trustId: $trust_id, tiers: $tiers)]
    pub(super) set_default_cascade: Vec<Tier>,
}

pub(super) async fn load(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<RulesQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        RulesQuery::build(TrustVariables {
            trust_id: admin.trust.id,
        }),
    )
    .await?)
}
