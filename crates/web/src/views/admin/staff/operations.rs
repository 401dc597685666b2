//! The GraphQL operations of the staff pages: who holds which role (`trustStaff`), `grantRole`,
//! `createStaffAccount` and `revokeRole`.

use super::super::TrustAdmin;
use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Role;

#[derive(cynic::QueryVariables)]
pub(super) struct TrustVariables {
    pub(super) trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
pub(super) struct StaffQuery {
    #[arguments(trustId: $trust_id)]
    pub(super) trust_staff: Vec<Member>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "StaffMember")]
pub(super) struct Member {
    pub(super) email: String,
    pub(super) display_name: String,
    pub(super) disabled: bool,
    pub(super) roles: Vec<Held>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RoleGrant")]
pub(super) struct Held {
    pub(super) id: Uuid,
    pub(super) role: Role,
    pub(super) ward_id: Option<Uuid>,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "RoleScopeInput")]
pub(super) struct RoleScopeInput {
    pub(super) role: Role,
    pub(super) trust_id: Option<Uuid>,
}

#[derive(cynic::QueryVariables)]
pub(super) struct GrantVariables {
    pub(super) email: String,
    pub(super) scope: RoleScopeInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "GrantVariables")]
pub(super) struct Grant {
    #[arguments(email: $email, scope: $scope)]
    pub(super) grant_role: Granted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RoleGrant")]
pub(super) struct Granted {
    pub(super) id: Uuid,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "CreateStaffAccountInput")]
pub(super) struct CreateStaffAccountInput {
    pub(super) email: String,
    pub(super) display_name: String,
    pub(super) password: String,
    pub(super) scope: RoleScopeInput,
}

#[derive(cynic::QueryVariables)]
pub(super) struct CreateVariables {
    pub(super) input: CreateStaffAccountInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "CreateVariables")]
pub(super) struct Create {
    #[arguments(input: $input)]
    pub(super) create_staff_account: Account,
}

#[derive(cynic::QueryFragment)]
pub(super) struct Account {
    pub(super) display_name: String,
}

#[derive(cynic::QueryVariables)]
pub(super) struct RevokeVariables {
    pub(super) grant_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RevokeVariables")]
pub(super) struct Revoke {
    #[arguments(grantId: $grant_id)]
    pub(super) revoke_role: bool,
}

pub(super) async fn staff(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<Vec<Member>, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        StaffQuery::build(TrustVariables {
            trust_id: admin.trust.id,
        }),
    )
    .await?
    .trust_staff)
}
