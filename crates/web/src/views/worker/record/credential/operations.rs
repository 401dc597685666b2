//! The GraphQL operations of adding a credential: the kinds to choose from, `recordCredential`,
//! `attachEvidence`, and the worker's credentials (for the "add a document" page).

use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
pub(super) struct KindsQuery {
    pub(super) me: Viewer,
    pub(super) credential_kinds: Vec<CredentialKind>,
    pub(super) my_worker: WorkerId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
pub(super) struct WorkerId {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
pub(super) struct CredentialKind {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) levels: Vec<CredentialLevel>,
}

#[derive(cynic::QueryFragment)]
pub(super) struct CredentialLevel {
    pub(super) level: i32,
    pub(super) name: String,
}

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "RecordCredentialInput")]
pub(super) struct RecordCredentialInput {
    pub(super) worker_id: Uuid,
    pub(super) kind: String,
    pub(super) level: Option<i32>,
    pub(super) issuer: String,
    pub(super) reference: Option<String>,
    pub(super) valid_from: NaiveDate,
    pub(super) expires_on: Option<NaiveDate>,
}

#[derive(cynic::QueryVariables)]
pub(super) struct RecordVariables {
    pub(super) input: RecordCredentialInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RecordVariables")]
pub(super) struct RecordCredential {
    #[arguments(input: $input)]
    pub(super) record_credential: Recorded,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Credential")]
pub(super) struct Recorded {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryVariables)]
pub(super) struct AttachVariables {
    pub(super) credential_id: Uuid,
    pub(super) file: crate::schema::Upload,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "AttachVariables")]
pub(super) struct AttachEvidence {
    #[arguments(credentialId: $credential_id, file: $file)]
    pub(super) attach_evidence: Recorded,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
pub(super) struct CredentialsQuery {
    pub(super) me: Viewer,
    pub(super) my_worker: Credentials,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
pub(super) struct Credentials {
    pub(super) credentials: Vec<Credential>,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Credential {
    pub(super) id: Uuid,
    pub(super) kind_name: String,
    pub(super) level: Option<i32>,
    pub(super) issuer: String,
    pub(super) reference: Option<String>,
    pub(super) valid_from: NaiveDate,
    pub(super) expires_on: Option<NaiveDate>,
    pub(super) evidence: Option<Evidence>,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Evidence {
    pub(super) filename: String,
}

pub(super) async fn kinds(state: &WebState, visitor: &Visitor) -> Result<KindsQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(state.api.as_ref(), &visitor.caller, KindsQuery::build(())).await?)
}
