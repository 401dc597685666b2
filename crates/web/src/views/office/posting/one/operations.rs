//! The GraphQL operations of posting one shift: the trust's wards and every grade (what the form
//! offers), `postShift`, and the shift posted.

use super::super::catalogue::{GradeChoice, PayBasis, ShiftReason, StaffGroup};
use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::schema::{NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;

#[derive(cynic::QueryVariables)]
pub(super) struct TrustVariables {
    pub(super) id: Uuid,
    pub(super) afc: StaffGroup,
    pub(super) medical: StaffGroup,
}

/// The trust's wards and every grade there is.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
pub(super) struct TrustQuery {
    #[arguments(id: $id)]
    pub(super) trust: TrustWards,
    #[arguments(staffGroup: $afc)]
    #[cynic(alias, rename = "grades")]
    pub(super) agenda_for_change: Vec<GradeChoice>,
    #[arguments(staffGroup: $medical)]
    #[cynic(alias, rename = "grades")]
    pub(super) medical: Vec<GradeChoice>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
pub(super) struct TrustWards {
    pub(super) wards: Vec<WardChoice>,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "Ward")]
pub(super) struct WardChoice {
    pub(super) id: Uuid,
    pub(super) name: String,
    pub(super) required_skills: Vec<String>,
    pub(super) site: SiteOf,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "Site")]
pub(super) struct SiteOf {
    pub(super) id: Uuid,
    pub(super) name: String,
}

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "PostShiftInput")]
pub(super) struct PostShiftInput {
    pub(super) trust_id: Uuid,
    pub(super) site_id: Uuid,
    pub(super) ward_id: Uuid,
    pub(super) staff_group: StaffGroup,
    pub(super) grade: String,
    pub(super) fallback_grades: Vec<String>,
    pub(super) skills: Vec<String>,
    pub(super) starts_local: NaiveDateTime,
    pub(super) ends_local: NaiveDateTime,
    pub(super) break_minutes: i32,
    pub(super) reason: ShiftReason,
    pub(super) pay_basis: PayBasis,
    pub(super) positions: i32,
    pub(super) notes: Option<String>,
}

#[derive(cynic::QueryVariables)]
pub(super) struct PostVariables {
    pub(super) input: PostShiftInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PostVariables")]
pub(super) struct PostShift {
    #[arguments(input: $input)]
    pub(super) post_shift: Posted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
pub(super) struct Posted {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryVariables)]
pub(super) struct ShiftVariables {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ShiftVariables")]
pub(super) struct ShiftQuery {
    #[arguments(id: $id)]
    pub(super) shift: PostedShift,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
pub(super) struct PostedShift {
    pub(super) starts_local: NaiveDateTime,
    pub(super) ends_local: NaiveDateTime,
    pub(super) grade: String,
    pub(super) positions: i32,
    pub(super) ward: crate::fragments::Ward,
    pub(super) trust: TrustId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
pub(super) struct TrustId {
    pub(super) id: Uuid,
}

/// What the form needs: the trust's wards and the grades.
pub(super) struct FormData {
    pub(super) wards: Vec<WardChoice>,
    pub(super) grades: Vec<GradeChoice>,
}

pub(super) async fn choices(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
) -> Result<FormData, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        TrustQuery::build(TrustVariables {
            id: office.trust.id,
            afc: StaffGroup::NursingMidwiferyRegistered,
            medical: StaffGroup::MedicalDental,
        }),
    )
    .await?;
    let mut grades = data.agenda_for_change;
    grades.extend(data.medical);
    Ok(FormData {
        wards: data.trust.wards,
        grades,
    })
}
