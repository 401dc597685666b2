//! The registration page: every field of the form, as typed, with what is wrong.

use askama::Template;

use super::password::password_inputs;
use super::register_form::{RegisterForm, STAFF_GROUPS};
use crate::forms::{Choice, Choices, DateInput, Errors, Input};
use crate::layout::Layout;
use crate::session::Visitor;

#[derive(Template)]
#[template(path = "invitation/register.html")]
pub(super) struct RegisterPage {
    pub(super) layout: Layout,
    pub(super) errors: Errors,
    pub(super) code: String,
    pub(super) given_name: Input,
    pub(super) family_name: Input,
    pub(super) date_of_birth: DateInput,
    pub(super) ni_number: Input,
    pub(super) phone: Input,
    pub(super) staff_group: Choices,
    pub(super) grade: Input,
    pub(super) registration_number: Input,
    pub(super) skills: Input,
    pub(super) password: Input,
    pub(super) confirm: Input,
}

impl RegisterPage {
    pub(super) fn new(
        visitor: &Visitor,
        form: &RegisterForm,
        code: String,
        errors: Errors,
    ) -> Self {
        let (password, confirm) = password_inputs(&errors);
        let groups = STAFF_GROUPS
            .iter()
            .map(|(value, _, label, hint)| {
                let c = Choice::new(*value, *label).checked(form.staff_group == *value);
                match hint {
                    Some(h) => c.hint(*h),
                    None => c,
                }
            })
            .collect();
        Self {
            layout: Layout::public(visitor, "Register as a bank worker")
                .with_errors(!errors.is_empty()),
            given_name: Input::new("given-name", "Given name")
                .hint(
                    "Your first name and any middle names, as on your passport or driving licence",
                )
                .autocomplete("given-name")
                .value(form.given_name.clone())
                .error_from(&errors),
            family_name: Input::new("family-name", "Family name")
                .autocomplete("family-name")
                .value(form.family_name.clone())
                .error_from(&errors),
            date_of_birth: DateInput::new("date-of-birth", "Date of birth")
                .hint("For example, 15 3 1984")
                .value(&form.date_of_birth())
                .error_from(&errors),
            ni_number: Input::new("ni-number", "National Insurance number")
                .hint(
                    "It is on your National Insurance card, payslip or P60. For example, \
                     QQ 12 34 56 C",
                )
                .width("nhsuk-input--width-10")
                .value(form.ni_number.clone())
                .error_from(&errors),
            phone: Input::new("phone", "Phone number (optional)")
                .kind("tel")
                .autocomplete("tel")
                .hint("For example, 07700 900 982")
                .width("nhsuk-input--width-20")
                .value(form.phone.clone())
                .error_from(&errors),
            staff_group: Choices::radios("staff-group", "Staff group", groups)
                .hint("The group your job is in")
                .error_from(&errors),
            grade: Input::new("grade", "Grade")
                .hint(
                    "Your Agenda for Change band or medical grade. For example, Band 5, \
                     Band 8a, ST3 or Consultant",
                )
                .width("nhsuk-input--width-20")
                .value(form.grade.clone())
                .error_from(&errors),
            registration_number: Input::new(
                "registration-number",
                "Professional registration number (if you have one)",
            )
            .hint(
                "Nurses and midwives: your NMC PIN, for example 12A3456E. Doctors: your GMC \
                 number. Allied health professionals and healthcare scientists: your HCPC \
                 number, for example PA123456.",
            )
            .width("nhsuk-input--width-10")
            .value(form.registration_number.clone())
            .error_from(&errors),
            skills: Input::new("skills", "Skills (optional)")
                .hint("Separate them with commas. For example, critical care, paediatrics")
                .value(form.skills.clone())
                .error_from(&errors),
            password,
            confirm,
            errors,
            code,
        }
    }
}
