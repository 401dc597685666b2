//! The registration form as typed, the staff groups it offers, and the form's own checks (what
//! is missing, what does not match) before the details go to the API.

use serde::Deserialize;

use super::password::check_passwords;
use crate::forms::{DateValue, Errors};
use crate::fragments::StaffGroup;
use crate::schema::{NaiveDate, schema};

/// The staff groups as the form offers them: value, label, hint.
pub(super) const STAFF_GROUPS: [(&str, StaffGroup, &str, Option<&str>); 9] = [
    (
        "NURSING_MIDWIFERY_REGISTERED",
        StaffGroup::NursingMidwiferyRegistered,
        "Registered nursing and midwifery",
        None,
    ),
    (
        "ADDITIONAL_CLINICAL_SERVICES",
        StaffGroup::AdditionalClinicalServices,
        "Additional clinical services",
        Some("For example, healthcare assistants and support workers"),
    ),
    (
        "MEDICAL_DENTAL",
        StaffGroup::MedicalDental,
        "Medical and dental",
        None,
    ),
    (
        "ALLIED_HEALTH_PROFESSIONALS",
        StaffGroup::AlliedHealthProfessionals,
        "Allied health professionals",
        Some("For example, physiotherapists, paramedics and radiographers"),
    ),
    (
        "HEALTHCARE_SCIENTISTS",
        StaffGroup::HealthcareScientists,
        "Healthcare scientists",
        None,
    ),
    (
        "ADDITIONAL_PROFESSIONAL_SCIENTIFIC_TECHNICAL",
        StaffGroup::AdditionalProfessionalScientificTechnical,
        "Additional professional, scientific and technical",
        Some("For example, pharmacists and psychologists"),
    ),
    (
        "ADMINISTRATIVE_CLERICAL",
        StaffGroup::AdministrativeClerical,
        "Administrative and clerical",
        None,
    ),
    (
        "ESTATES_ANCILLARY",
        StaffGroup::EstatesAncillary,
        "Estates and ancillary",
        Some("For example, porters and domestic staff"),
    ),
    ("STUDENTS", StaffGroup::Students, "Students", None),
];

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "RegisterWorkerInput")]
pub(super) struct RegisterWorkerInput {
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) date_of_birth: NaiveDate,
    pub(super) ni_number: String,
    pub(super) phone: Option<String>,
    pub(super) staff_group: StaffGroup,
    pub(super) grade: String,
    pub(super) registration_body: Option<String>,
    pub(super) registration_number: Option<String>,
    pub(super) skills: Vec<String>,
}

/// The registration form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    pub(super) code: String,
    #[serde(default, rename = "given-name")]
    pub(super) given_name: String,
    #[serde(default, rename = "family-name")]
    pub(super) family_name: String,
    #[serde(default, rename = "date-of-birth-day")]
    pub(super) dob_day: String,
    #[serde(default, rename = "date-of-birth-month")]
    pub(super) dob_month: String,
    #[serde(default, rename = "date-of-birth-year")]
    pub(super) dob_year: String,
    #[serde(default, rename = "ni-number")]
    pub(super) ni_number: String,
    #[serde(default)]
    pub(super) phone: String,
    #[serde(default, rename = "staff-group")]
    pub(super) staff_group: String,
    #[serde(default)]
    pub(super) grade: String,
    #[serde(default, rename = "registration-number")]
    pub(super) registration_number: String,
    #[serde(default)]
    pub(super) skills: String,
    #[serde(default)]
    pub(super) password: String,
    #[serde(default, rename = "confirm-password")]
    pub(super) confirm: String,
}

impl RegisterForm {
    pub(super) fn date_of_birth(&self) -> DateValue {
        DateValue {
            day: self.dob_day.clone(),
            month: self.dob_month.clone(),
            year: self.dob_year.clone(),
        }
    }

    fn staff_group(&self) -> Option<StaffGroup> {
        STAFF_GROUPS
            .iter()
            .find(|(value, ..)| *value == self.staff_group)
            .map(|(_, group, ..)| *group)
    }

    /// The form's own checks (what is missing, what does not match); the details themselves are
    /// the API's to check.
    pub(super) fn check(&self) -> (Errors, Option<RegisterWorkerInput>) {
        let mut errors = Errors::new();
        let required = |errors: &mut Errors, value: &str, field: &str, message: &str| {
            if value.trim().is_empty() {
                errors.add(field, message);
            }
        };
        required(
            &mut errors,
            &self.given_name,
            "given-name",
            "Enter your given name",
        );
        required(
            &mut errors,
            &self.family_name,
            "family-name",
            "Enter your family name",
        );
        let dob = self.date_of_birth().parse("your date of birth");
        if let Err(message) = &dob {
            errors.add("date-of-birth", message.clone());
        }
        required(
            &mut errors,
            &self.ni_number,
            "ni-number",
            "Enter your National Insurance number",
        );
        let group = self.staff_group();
        if group.is_none() {
            errors.add("staff-group", "Select your staff group");
        }
        required(&mut errors, &self.grade, "grade", "Enter your grade");
        check_passwords(&self.password, &self.confirm, &mut errors);
        let (Ok(date_of_birth), Some(staff_group), true) = (dob, group, errors.is_empty()) else {
            return (errors, None);
        };
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let details = RegisterWorkerInput {
            given_name: self.given_name.trim().to_owned(),
            family_name: self.family_name.trim().to_owned(),
            date_of_birth,
            ni_number: self.ni_number.trim().to_owned(),
            phone: optional(&self.phone),
            staff_group,
            // "Band 5" as the API writes it: BAND_5 (the API checks it).
            grade: self.grade.split_whitespace().collect::<Vec<_>>().join("_"),
            // The API takes the regulator of the staff group.
            registration_body: None,
            registration_number: optional(&self.registration_number),
            skills: self
                .skills
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        (errors, Some(details))
    }
}
