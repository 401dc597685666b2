//! The form (`GET /office/shifts/new`), checking it (its `POST`) and posting the shift
//! (`POST /office/shifts/new/post`).

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::super::catalogue;
use super::super::shift_form::{self, ShiftAnswers, ShiftForm};
use super::check_page::{CheckPage, answers};
use super::form_page::FormPage;
use super::operations::{FormData, PostShift, PostShiftInput, PostVariables, choices};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::Errors;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::office::Office;

fn read(form: &ShiftForm, choices: &FormData) -> Result<ShiftAnswers, Errors> {
    let wards: Vec<Uuid> = choices.wards.iter().map(|w| w.id).collect();
    shift_form::read(form, &wards, &choices.grades)
}

/// `GET /office/shifts/new`: the form, empty, or with the answers to change (from the check
/// page's Change links).
pub async fn form(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(typed): Query<ShiftForm>,
) -> Result<Response, PageError> {
    let office = Office::of(&state, &visitor).await?;
    let choices = choices(&state, &visitor, &office).await?;
    let form = if typed.is_blank() {
        ShiftForm::blank()
    } else {
        typed
    };
    render(&FormPage::new(
        &visitor,
        &office,
        &choices,
        &form,
        Errors::new(),
    ))
}

/// `POST /office/shifts/new`: the answers shown back to check (nothing posted yet), or the form
/// again with what is wrong.
pub async fn check(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(typed): Form<ShiftForm>,
) -> Result<Response, PageError> {
    let office = Office::of(&state, &visitor).await?;
    let choices = choices(&state, &visitor, &office).await?;
    let checked = match read(&typed, &choices) {
        Ok(a) => a,
        Err(errors) => {
            return render_invalid(&FormPage::new(&visitor, &office, &choices, &typed, errors));
        }
    };
    render(&CheckPage {
        layout: office.layout(
            &visitor,
            "Check the shift before posting it",
            "/office/shifts/new",
        ),
        trust: office.trust.name.clone(),
        answers: answers(&checked, &choices),
        change: format!("/office/shifts/new?{}", typed.query_string()),
        hidden: typed.pairs(),
    })
}

/// `POST /office/shifts/new/post`: posts the shift, then shows the confirmation.
pub async fn post(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(typed): Form<ShiftForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let office = Office::of(&state, &visitor).await?;
    let choices = choices(&state, &visitor, &office).await?;
    let a = match read(&typed, &choices) {
        Ok(a) => a,
        Err(errors) => {
            return render_invalid(&FormPage::new(&visitor, &office, &choices, &typed, errors));
        }
    };
    let (Some(ward), Some(group), Some(reason), Some(pay)) = (
        choices.wards.iter().find(|w| w.id == a.ward),
        catalogue::staff_group(a.staff_group),
        catalogue::reason(a.reason),
        catalogue::pay_basis(a.pay_basis),
    ) else {
        return Err(PageError::NotFound);
    };
    let op = PostShift::build(PostVariables {
        input: PostShiftInput {
            trust_id: office.trust.id,
            site_id: ward.site.id,
            ward_id: ward.id,
            staff_group: group.group,
            grade: a.grade.clone(),
            fallback_grades: a.fallback.clone(),
            skills: a.skills.clone(),
            starts_local: a.starts,
            ends_local: a.ends,
            break_minutes: a.break_minutes,
            reason: reason.1,
            pay_basis: pay.1,
            positions: a.positions,
            notes: a.notes.clone(),
        },
    });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => Ok(
            Redirect::to(&format!("/office/shifts/{}/posted", done.post_shift.id)).into_response(),
        ),
        Err(e) if e.code == Code::Validation => {
            let mut errors = Errors::new();
            errors.add(
                shift_form::field_of(&e.message),
                crate::format::error_message(&e.message),
            );
            render_invalid(&FormPage::new(&visitor, &office, &choices, &typed, errors))
        }
        Err(e) => Err(e.into()),
    }
}
