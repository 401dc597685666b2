//! The choices a posted shift is made of, in the bank office's words: staff groups, grades (as
//! the API lists them), why a shift is needed, and which grade its pay follows.

pub use crate::fragments::StaffGroup;
use crate::schema::schema;

/// A staff group as the form offers it.
#[derive(Debug, Clone, Copy)]
pub struct GroupChoice {
    /// The API's code (the form's value).
    pub code: &'static str,
    /// The API's enum value.
    pub group: StaffGroup,
    /// What the bank office reads.
    pub name: &'static str,
}

/// Every staff group, the commonest first.
pub const STAFF_GROUPS: [GroupChoice; 9] = [
    GroupChoice {
        code: "NURSING_MIDWIFERY_REGISTERED",
        group: StaffGroup::NursingMidwiferyRegistered,
        name: "Registered nursing and midwifery",
    },
    GroupChoice {
        code: "ADDITIONAL_CLINICAL_SERVICES",
        group: StaffGroup::AdditionalClinicalServices,
        name: "Additional clinical services (for example, healthcare assistants)",
    },
    GroupChoice {
        code: "MEDICAL_DENTAL",
        group: StaffGroup::MedicalDental,
        name: "Medical and dental",
    },
    GroupChoice {
        code: "ALLIED_HEALTH_PROFESSIONALS",
        group: StaffGroup::AlliedHealthProfessionals,
        name: "Allied health professionals",
    },
    GroupChoice {
        code: "HEALTHCARE_SCIENTISTS",
        group: StaffGroup::HealthcareScientists,
        name: "Healthcare scientists",
    },
    GroupChoice {
        code: "ADDITIONAL_PROFESSIONAL_SCIENTIFIC_TECHNICAL",
        group: StaffGroup::AdditionalProfessionalScientificTechnical,
        name: "Additional professional, scientific and technical",
    },
    GroupChoice {
        code: "ADMINISTRATIVE_CLERICAL",
        group: StaffGroup::AdministrativeClerical,
        name: "Administrative and clerical",
    },
    GroupChoice {
        code: "ESTATES_ANCILLARY",
        group: StaffGroup::EstatesAncillary,
        name: "Estates and ancillary",
    },
    GroupChoice {
        code: "STUDENTS",
        group: StaffGroup::Students,
        name: "Students",
    },
];

/// The staff group with this code.
#[must_use]
pub fn staff_group(code: &str) -> Option<GroupChoice> {
    STAFF_GROUPS.into_iter().find(|g| g.code == code)
}

/// Why a shift is needed (the API's `ShiftReason`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftReason {
    /// A vacant post.
    Vacancy,
    /// Covering sickness.
    Sickness,
    /// Covering annual leave.
    AnnualLeave,
    /// Covering maternity or parental leave.
    ParentalLeave,
    /// Extra staff for acuity or demand.
    Acuity,
    /// Covering training.
    Training,
    /// Anything else.
    Other,
}

/// The reasons: code, enum value, words.
pub const REASONS: [(&str, ShiftReason, &str); 7] = [
    ("SICKNESS", ShiftReason::Sickness, "Covering sickness"),
    (
        "ANNUAL_LEAVE",
        ShiftReason::AnnualLeave,
        "Covering annual leave",
    ),
    (
        "PARENTAL_LEAVE",
        ShiftReason::ParentalLeave,
        "Covering maternity or parental leave",
    ),
    ("VACANCY", ShiftReason::Vacancy, "A vacant post"),
    (
        "ACUITY",
        ShiftReason::Acuity,
        "Extra staff for patients' needs (acuity or demand)",
    ),
    ("TRAINING", ShiftReason::Training, "Covering training"),
    ("OTHER", ShiftReason::Other, "Another reason"),
];

/// The reason with this code.
#[must_use]
pub fn reason(code: &str) -> Option<(&'static str, ShiftReason, &'static str)> {
    REASONS.into_iter().find(|r| r.0 == code)
}

/// Which grade pay follows (the API's `PayBasis`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayBasis {
    /// The shift's grade.
    ShiftGrade,
    /// The worker's own grade.
    WorkerGrade,
}

/// The pay bases: code, enum value, words, hint.
pub const PAY_BASES: [(&str, PayBasis, &str, &str); 2] = [
    (
        "SHIFT_GRADE",
        PayBasis::ShiftGrade,
        "The grade of the shift",
        "Everyone who works it is paid at the grade the shift is for",
    ),
    (
        "WORKER_GRADE",
        PayBasis::WorkerGrade,
        "The worker's own grade",
        "For example, a Band 4 covering a Band 5 shift is paid at Band 4",
    ),
];

/// The pay basis with this code.
#[must_use]
pub fn pay_basis(code: &str) -> Option<(&'static str, PayBasis, &'static str, &'static str)> {
    PAY_BASES.into_iter().find(|p| p.0 == code)
}

/// A grade, as the API lists it (`GradeOption`).
#[derive(cynic::QueryFragment, Debug, Clone, PartialEq, Eq)]
#[cynic(graphql_type = "GradeOption")]
pub struct GradeChoice {
    /// The API's code, e.g. `BAND_5`.
    pub code: String,
    /// Its plain name, e.g. "Band 5".
    pub name: String,
}

/// The code of a grade typed as its code or its name, in any case ("band 5", "BAND_5", "ST3").
#[must_use]
pub fn grade_code(typed: &str, grades: &[GradeChoice]) -> Option<String> {
    let key = |s: &str| {
        s.trim()
            .to_lowercase()
            .replace(['_', '-'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let typed = key(typed);
    if typed.is_empty() {
        return None;
    }
    grades
        .iter()
        .find(|g| key(&g.code) == typed || key(&g.name) == typed)
        .map(|g| g.code.clone())
}

/// The name of a grade code ("Band 5"), or the code itself if the list does not have it.
#[must_use]
pub fn grade_name(code: &str, grades: &[GradeChoice]) -> String {
    grades
        .iter()
        .find(|g| g.code == code)
        .map_or_else(|| code.to_owned(), |g| g.name.clone())
}
