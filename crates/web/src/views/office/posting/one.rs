//! Posting one shift: the form (`GET /office/shifts/new`), the check-your-answers page (its POST;
//! nothing is posted yet), `postShift` on confirming, and the confirmation. A refusal by the API
//! (a grade of another staff group, a break too short, a date in the past) brings the form back
//! with the message against its field and everything typed kept.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::catalogue::{self, GradeChoice, PayBasis, STAFF_GROUPS, ShiftReason, StaffGroup};
use super::shift_form::{self, ShiftAnswers, ShiftForm};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Choice, Choices, CsrfField, DateInput, Errors, Input, Select, Textarea};
use crate::layout::Layout;
use crate::schema::{NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    id: Uuid,
    afc: StaffGroup,
    medical: StaffGroup,
}

/// The trust's wards and every grade there is.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct TrustQuery {
    #[arguments(id: $id)]
    trust: TrustWards,
    #[arguments(staffGroup: $afc)]
    #[cynic(alias, rename = "grades")]
    agenda_for_change: Vec<GradeChoice>,
    #[arguments(staffGroup: $medical)]
    #[cynic(alias, rename = "grades")]
    medical: Vec<GradeChoice>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct TrustWards {
    wards: Vec<WardChoice>,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "Ward")]
struct WardChoice {
    id: Uuid,
    name: String,
    required_skills: Vec<String>,
    site: SiteOf,
}

#[derive(cynic::QueryFragment, Clone)]
#[cynic(graphql_type = "Site")]
struct SiteOf {
    id: Uuid,
    name: String,
}

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "PostShiftInput")]
struct PostShiftInput {
    trust_id: Uuid,
    site_id: Uuid,
    ward_id: Uuid,
    staff_group: StaffGroup,
    grade: String,
    fallback_grades: Vec<String>,
    skills: Vec<String>,
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    break_minutes: i32,
    reason: ShiftReason,
    pay_basis: PayBasis,
    positions: i32,
    notes: Option<String>,
}

#[derive(cynic::QueryVariables)]
struct PostVariables {
    input: PostShiftInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PostVariables")]
struct PostShift {
    #[arguments(input: $input)]
    post_shift: Posted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct Posted {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct ShiftVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ShiftVariables")]
struct ShiftQuery {
    #[arguments(id: $id)]
    shift: PostedShift,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct PostedShift {
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    grade: String,
    positions: i32,
    ward: crate::fragments::Ward,
    trust: TrustId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct TrustId {
    id: Uuid,
}

/// What the form needs: the trust's wards and the grades.
struct FormData {
    wards: Vec<WardChoice>,
    grades: Vec<GradeChoice>,
}

async fn choices(
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

#[derive(Template)]
#[template(path = "office/posting/form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    trust: String,
    ward: Select,
    staff_group: Select,
    grade: Select,
    fallback: Input,
    skills: Input,
    date: DateInput,
    start_time: Input,
    end_time: Input,
    break_minutes: Input,
    reason: Choices,
    pay_basis: Choices,
    positions: Input,
    notes: Textarea,
}

fn choose(value: &str) -> Vec<(String, String)> {
    vec![(String::new(), value.to_owned())]
}

impl FormPage {
    fn new(
        visitor: &Visitor,
        office: &Office,
        choices: &FormData,
        form: &ShiftForm,
        errors: Errors,
    ) -> Self {
        let mut wards = choose("Choose a ward");
        wards.extend(
            choices
                .wards
                .iter()
                .map(|w| (w.id.to_string(), format!("{}, {}", w.name, w.site.name))),
        );
        let mut groups = choose("Choose a staff group");
        groups.extend(
            STAFF_GROUPS
                .iter()
                .map(|g| (g.code.to_owned(), g.name.to_owned())),
        );
        let mut grades = choose("Choose a grade");
        grades.extend(
            choices
                .grades
                .iter()
                .map(|g| (g.code.clone(), g.name.clone())),
        );
        let time_hint = "Use the 24-hour clock, for example 07:30 or 19:45";
        Self {
            layout: office
                .layout(visitor, "Post a shift", "/office/shifts/new")
                .with_errors(!errors.is_empty()),
            trust: office.trust.name.clone(),
            ward: Select::new("ward", "Ward", wards)
                .selected(form.ward.clone())
                .error_from(&errors),
            staff_group: Select::new("staff-group", "Staff group", groups)
                .selected(form.staff_group.clone())
                .error_from(&errors),
            grade: Select::new("grade", "Grade", grades)
                .hint("The grade the shift is for")
                .selected(form.grade.clone())
                .error_from(&errors),
            fallback: Input::new("fallback", "Other grades you would accept (optional)")
                .hint("Best first, separated by commas, for example: Band 4, Band 3")
                .value(form.fallback.clone())
                .error_from(&errors),
            skills: Input::new("skills", "Skills needed (optional)")
                .hint(
                    "Only those beyond the ward's own, separated by commas, for example: \
                     Critical care, IV therapy",
                )
                .value(form.skills.clone())
                .error_from(&errors),
            date: DateInput::new("date", "Date the shift starts")
                .hint("For example, 15 3 2027")
                .value(&form.date())
                .error_from(&errors),
            start_time: Input::new("start-time", "Start time")
                .hint(time_hint)
                .value(form.start_time.clone())
                .width("nhsuk-input--width-5")
                .error_from(&errors),
            end_time: Input::new("end-time", "End time")
                .hint("If it is earlier than the start time, the shift ends the next day")
                .value(form.end_time.clone())
                .width("nhsuk-input--width-5")
                .error_from(&errors),
            break_minutes: Input::new("break", "Unpaid break, in minutes")
                .hint("Enter 0 if there is no break. Shifts over 6 hours need at least 30 minutes")
                .value(form.break_minutes.clone())
                .inputmode("numeric")
                .width("nhsuk-input--width-3")
                .error_from(&errors),
            reason: Choices::radios(
                "reason",
                "Why is the shift needed?",
                catalogue::REASONS
                    .iter()
                    .map(|(code, _, words)| {
                        Choice::new(*code, *words).checked(form.reason == *code)
                    })
                    .collect(),
            )
            .error_from(&errors),
            pay_basis: Choices::radios(
                "pay-basis",
                "Which grade does the pay follow?",
                catalogue::PAY_BASES
                    .iter()
                    .map(|(code, _, words, hint)| {
                        Choice::new(*code, *words)
                            .hint(*hint)
                            .checked(form.pay_basis == *code)
                    })
                    .collect(),
            )
            .error_from(&errors),
            positions: Input::new("positions", "How many workers are needed?")
                .value(form.positions.clone())
                .inputmode("numeric")
                .width("nhsuk-input--width-2")
                .error_from(&errors),
            notes: Textarea::new("notes", "Notes for workers (optional)")
                .hint("For example, where to report or what to bring")
                .value(form.notes.clone())
                .error_from(&errors),
            errors,
        }
    }
}

/// One answer on the check page.
struct Answer {
    key: &'static str,
    value: String,
    field: &'static str,
    what: &'static str,
}

#[derive(Template)]
#[template(path = "office/posting/check.html")]
struct CheckPage {
    layout: Layout,
    trust: String,
    answers: Vec<Answer>,
    change: String,
    hidden: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "office/posting/posted.html")]
struct PostedPage {
    layout: Layout,
    when: String,
    ward: String,
    grade: String,
    workers: String,
    href: String,
}

fn answers(a: &ShiftAnswers, choices: &FormData) -> Vec<Answer> {
    let ward = choices.wards.iter().find(|w| w.id == a.ward);
    let ward_name = ward.map_or_else(String::new, |w| format!("{}, {}", w.name, w.site.name));
    let ward_skills: Vec<String> = ward
        .map(|w| {
            w.required_skills
                .iter()
                .map(|s| crate::format::code_words(s))
                .collect()
        })
        .unwrap_or_default();
    let mut skills: Vec<String> = a
        .skills
        .iter()
        .map(|s| crate::format::code_words(s))
        .collect();
    let skills = if skills.is_empty() && ward_skills.is_empty() {
        "None".to_owned()
    } else if ward_skills.is_empty() {
        skills.join(", ")
    } else {
        let own = format!("the ward's own ({})", ward_skills.join(", "));
        if skills.is_empty() {
            format!("Only {own}")
        } else {
            skills.push(format!("and {own}"));
            skills.join(", ")
        }
    };
    let grade = |c: &str| catalogue::grade_name(c, &choices.grades);
    let row = |key, value, field, what| Answer {
        key,
        value,
        field,
        what,
    };
    vec![
        row("Ward", ward_name, "ward", "the ward"),
        row(
            "When",
            format::shift_time(a.starts, a.ends),
            "date-day",
            "when the shift is",
        ),
        row(
            "Unpaid break",
            format::duration_minutes(i64::from(a.break_minutes)),
            "break",
            "the break",
        ),
        row(
            "Staff group",
            catalogue::staff_group(a.staff_group)
                .map(|g| g.name.to_owned())
                .unwrap_or_default(),
            "staff-group",
            "the staff group",
        ),
        row("Grade", grade(&a.grade), "grade", "the grade"),
        row(
            "Other grades accepted",
            if a.fallback.is_empty() {
                "None".to_owned()
            } else {
                a.fallback
                    .iter()
                    .map(|g| grade(g))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            "fallback",
            "the other grades",
        ),
        row("Skills needed", skills, "skills", "the skills"),
        row(
            "Why it is needed",
            catalogue::reason(a.reason)
                .map(|r| r.2.to_owned())
                .unwrap_or_default(),
            "reason",
            "why it is needed",
        ),
        row(
            "Pay follows",
            catalogue::pay_basis(a.pay_basis)
                .map(|p| p.2.to_owned())
                .unwrap_or_default(),
            "pay-basis",
            "which grade the pay follows",
        ),
        row(
            "Workers needed",
            a.positions.to_string(),
            "positions",
            "how many workers",
        ),
        row(
            "Notes for workers",
            a.notes.clone().unwrap_or_else(|| "None".to_owned()),
            "notes",
            "the notes",
        ),
    ]
}

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

/// `GET /office/shifts/{id}/posted`: the confirmation, linking to the shift and to post another.
pub async fn posted(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    let office = Office::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        ShiftQuery::build(ShiftVariables { id }),
    )
    .await?;
    let s = data.shift;
    if s.trust.id != office.trust.id {
        return Err(PageError::NotFound);
    }
    let choices = choices(&state, &visitor, &office).await?;
    render(&PostedPage {
        layout: office.layout(&visitor, "Shift posted", "/office/shifts/new"),
        when: format::shift_time(s.starts_local, s.ends_local),
        ward: s.ward.name,
        grade: catalogue::grade_name(&s.grade, &choices.grades),
        workers: format::count(i64::from(s.positions), "worker"),
        href: format!("/office/shifts/{id}"),
    })
}
