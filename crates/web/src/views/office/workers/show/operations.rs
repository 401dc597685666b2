//! The GraphQL operations of a worker's page: what this trust may see of them (the summary, and
//! the full record once engaged), the wards' preferred lists, and the mutations of engaging,
//! blocking, lifting a block and the preferred list.

use super::{Access, Consent};
use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::fragments::{CredentialStatus, StaffGroup};
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;

#[derive(cynic::QueryVariables)]
pub(super) struct WorkerVariables {
    pub(super) id: Uuid,
    pub(super) trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
pub(super) struct WorkerQuery {
    #[arguments(id: $id)]
    pub(super) worker: Summary,
    #[arguments(trustId: $trust_id)]
    pub(super) worker_restrictions: Vec<Restriction>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker", variables = "WorkerVariables")]
pub(super) struct Summary {
    pub(super) id: Uuid,
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) staff_group: Option<StaffGroup>,
    pub(super) grade: String,
    pub(super) skills: Vec<String>,
    pub(super) access: Access,
    #[arguments(trustId: $trust_id)]
    pub(super) engagement_here: Option<Engagement>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Membership")]
pub(super) struct Engagement {
    pub(super) consent: Consent,
    pub(super) created_at: DateTime,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerRestriction")]
pub(super) struct Restriction {
    pub(super) id: Uuid,
    pub(super) reason: String,
    pub(super) created_at: DateTime,
    pub(super) worker: Option<WorkerId>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
pub(super) struct WorkerId {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
pub(super) struct FullQuery {
    #[arguments(id: $id)]
    pub(super) worker: Full,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker", variables = "WorkerVariables")]
pub(super) struct Full {
    pub(super) detail: Option<Detail>,
    pub(super) credentials: Vec<Credential>,
    #[arguments(trustId: $trust_id)]
    pub(super) compliance: Compliance,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerDetail")]
pub(super) struct Detail {
    pub(super) email: String,
    pub(super) phone: Option<String>,
    pub(super) registration_body: Option<String>,
    pub(super) registration_number: Option<String>,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Credential {
    pub(super) kind_name: String,
    pub(super) status: CredentialStatus,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "ComplianceReport")]
pub(super) struct Compliance {
    pub(super) compliant: bool,
}

#[derive(cynic::QueryVariables)]
pub(super) struct WardVariables {
    pub(super) ward_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WardVariables")]
pub(super) struct PreferredQuery {
    #[arguments(wardId: $ward_id)]
    pub(super) preferred_workers: Vec<Preferred>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PreferredWorker")]
pub(super) struct Preferred {
    pub(super) worker: Option<WorkerId>,
}

#[derive(cynic::QueryVariables)]
pub(super) struct EngageVariables {
    pub(super) worker_id: Uuid,
    pub(super) trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "EngageVariables")]
pub(super) struct Engage {
    #[arguments(workerId: $worker_id, trustId: $trust_id)]
    pub(super) engage_worker: Asked,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Membership")]
pub(super) struct Asked {
    pub(super) consent: Consent,
}

#[derive(cynic::QueryVariables)]
pub(super) struct BlockVariables {
    pub(super) worker_id: Uuid,
    pub(super) trust_id: Uuid,
    pub(super) reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "BlockVariables")]
pub(super) struct Block {
    #[arguments(trustId: $trust_id, workerId: $worker_id, reason: $reason)]
    pub(super) block_worker: RestrictionId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "WorkerRestriction")]
pub(super) struct RestrictionId {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryVariables)]
pub(super) struct LiftVariables {
    pub(super) restriction_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "LiftVariables")]
pub(super) struct Lift {
    #[arguments(restrictionId: $restriction_id)]
    pub(super) lift_restriction: RestrictionId,
}

#[derive(cynic::QueryVariables)]
pub(super) struct PreferVariables {
    pub(super) ward_id: Uuid,
    pub(super) worker_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PreferVariables")]
pub(super) struct AddPreferred {
    #[arguments(wardId: $ward_id, workerId: $worker_id)]
    pub(super) add_preferred_worker: PreferredWard,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PreferredWorker")]
pub(super) struct PreferredWard {
    pub(super) ward_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PreferVariables")]
pub(super) struct RemovePreferred {
    #[arguments(wardId: $ward_id, workerId: $worker_id)]
    pub(super) remove_preferred_worker: bool,
}

pub(super) struct Loaded {
    pub(super) w: Summary,
    pub(super) block: Option<Restriction>,
}

pub(super) async fn load(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
    id: Uuid,
) -> Result<Loaded, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        WorkerQuery::build(WorkerVariables {
            id,
            trust_id: office.trust.id,
        }),
    )
    .await?;
    let block = data
        .worker_restrictions
        .into_iter()
        .find(|r| r.worker.as_ref().is_some_and(|w| w.id == id));
    Ok(Loaded {
        w: data.worker,
        block,
    })
}
