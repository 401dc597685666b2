//! The GraphQL operations of a credential's page: the credential and its worker, and the
//! decisions (`verifyCredential`, `rejectCredential`, `revokeCredential`).

use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::fragments::{CredentialStatus, StaffGroup};
use crate::schema::{DateTime, NaiveDate, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
pub(super) struct CredentialVariables {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "CredentialVariables")]
pub(super) struct CredentialQuery {
    #[arguments(id: $id)]
    pub(super) credential: Credential,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Credential {
    pub(super) id: Uuid,
    pub(super) worker_id: Uuid,
    pub(super) kind_name: String,
    pub(super) level: Option<i32>,
    pub(super) issuer: String,
    pub(super) reference: Option<String>,
    pub(super) valid_from: NaiveDate,
    pub(super) expires_on: Option<NaiveDate>,
    pub(super) status: CredentialStatus,
    pub(super) status_reason: Option<String>,
    pub(super) created_at: DateTime,
    pub(super) evidence: Option<Evidence>,
    pub(super) verified_by_trust: Option<TrustRef>,
    pub(super) recognised_by: Vec<TrustRef>,
    pub(super) history: Vec<Event>,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Evidence {
    pub(super) filename: String,
    pub(super) content_type: String,
    pub(super) size: i32,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "Trust")]
pub(super) struct TrustRef {
    pub(super) id: Uuid,
    pub(super) name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialEvent")]
pub(super) struct Event {
    pub(super) event: String,
    pub(super) trust_id: Option<Uuid>,
    pub(super) reason: Option<String>,
    pub(super) at: DateTime,
}

#[derive(cynic::QueryVariables)]
pub(super) struct WorkerVariables {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkerVariables")]
pub(super) struct WorkerQuery {
    #[arguments(id: $id)]
    pub(super) worker: Worker,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Worker {
    pub(super) id: Uuid,
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) staff_group: Option<StaffGroup>,
    pub(super) grade: String,
}

#[derive(cynic::QueryVariables)]
pub(super) struct DecisionVariables {
    pub(super) credential_id: Uuid,
    pub(super) trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "DecisionVariables")]
pub(super) struct Verify {
    #[arguments(credentialId: $credential_id, trustId: $trust_id)]
    pub(super) verify_credential: Decided,
}

#[derive(cynic::QueryVariables)]
pub(super) struct ReasonedVariables {
    pub(super) credential_id: Uuid,
    pub(super) trust_id: Uuid,
    pub(super) reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ReasonedVariables")]
pub(super) struct Reject {
    #[arguments(credentialId: $credential_id, trustId: $trust_id, reason: $reason)]
    pub(super) reject_credential: Decided,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ReasonedVariables")]
pub(super) struct Revoke {
    #[arguments(credentialId: $credential_id, trustId: $trust_id, reason: $reason)]
    pub(super) revoke_credential: Decided,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Credential")]
pub(super) struct Decided {
    pub(super) status: CredentialStatus,
}

pub(super) struct Loaded {
    pub(super) c: Credential,
    pub(super) w: Worker,
}

pub(super) async fn load(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<Loaded, PageError> {
    use cynic::QueryBuilder;
    let c = api::run(
        state.api.as_ref(),
        &visitor.caller,
        CredentialQuery::build(CredentialVariables { id }),
    )
    .await?
    .credential;
    let w = api::run(
        state.api.as_ref(),
        &visitor.caller,
        WorkerQuery::build(WorkerVariables { id: c.worker_id }),
    )
    .await?
    .worker;
    Ok(Loaded { c, w })
}
