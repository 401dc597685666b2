//! The post-a-shift form's page: every field, as typed, with what is wrong.

use askama::Template;

use super::super::catalogue::{self, STAFF_GROUPS};
use super::super::shift_form::ShiftForm;
use super::operations::FormData;
use crate::forms::{Choice, Choices, CsrfField, DateInput, Errors, Input, Select, Textarea};
use crate::layout::Layout;
use crate::session::Visitor;
use crate::views::office::Office;

#[derive(Template)]
#[template(path = "office/posting/form.html")]
pub(super) struct FormPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) trust: String,
    pub(super) ward: Select,
    pub(super) staff_group: Select,
    pub(super) grade: Select,
    pub(super) fallback: Input,
    pub(super) skills: Input,
    pub(super) date: DateInput,
    pub(super) start_time: Input,
    pub(super) end_time: Input,
    pub(super) break_minutes: Input,
    pub(super) reason: Choices,
    pub(super) pay_basis: Choices,
    pub(super) positions: Input,
    pub(super) notes: Textarea,
}

fn choose(value: &str) -> Vec<(String, String)> {
    vec![(String::new(), value.to_owned())]
}

/// The options of the three lists: the trust's wards, the staff groups and every grade.
fn options(choices: &FormData) -> [Vec<(String, String)>; 3] {
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
    [wards, groups, grades]
}

impl FormPage {
    pub(super) fn new(
        visitor: &Visitor,
        office: &Office,
        choices: &FormData,
        form: &ShiftForm,
        errors: Errors,
    ) -> Self {
        let [wards, groups, grades] = options(choices);
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
