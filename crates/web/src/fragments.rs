//! The small selections many pages share: the name of a ward, site or trust, and a pay total.
//! Each page still selects exactly what it shows; these only save writing the same three lines
//! in every operation.

use crate::schema::{Decimal, schema};

/// A ward, by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct Ward {
    /// Its name.
    pub name: String,
}

/// A site (hospital), by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct Site {
    /// Its name.
    pub name: String,
}

/// A trust, by name.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct Trust {
    /// Its name.
    pub name: String,
}

/// What a shift would pay, in total.
#[derive(cynic::QueryFragment, Debug, Clone)]
pub struct PayQuote {
    /// Total in pounds.
    pub total: Decimal,
}

/// A staff group (the API's `StaffGroup`), for every page that shows or filters by one.
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffGroup {
    /// e.g. healthcare assistants.
    AdditionalClinicalServices,
    /// Additional professional, scientific and technical.
    AdditionalProfessionalScientificTechnical,
    /// Administrative and clerical.
    AdministrativeClerical,
    /// Allied health professionals.
    AlliedHealthProfessionals,
    /// Estates and ancillary.
    EstatesAncillary,
    /// Healthcare scientists.
    HealthcareScientists,
    /// Medical and dental.
    MedicalDental,
    /// Nursing and midwifery registered.
    NursingMidwiferyRegistered,
    /// Students.
    Students,
}

impl StaffGroup {
    /// Every group, as the filter lists them.
    pub const ALL: [StaffGroup; 9] = [
        Self::NursingMidwiferyRegistered,
        Self::AdditionalClinicalServices,
        Self::MedicalDental,
        Self::AlliedHealthProfessionals,
        Self::HealthcareScientists,
        Self::AdditionalProfessionalScientificTechnical,
        Self::AdministrativeClerical,
        Self::EstatesAncillary,
        Self::Students,
    ];

    /// In the address.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::AdditionalClinicalServices => "additional-clinical-services",
            Self::AdditionalProfessionalScientificTechnical => "scientific-technical",
            Self::AdministrativeClerical => "administrative-clerical",
            Self::AlliedHealthProfessionals => "allied-health",
            Self::EstatesAncillary => "estates-ancillary",
            Self::HealthcareScientists => "healthcare-scientists",
            Self::MedicalDental => "medical-dental",
            Self::NursingMidwiferyRegistered => "nursing-midwifery",
            Self::Students => "students",
        }
    }

    /// In words.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::AdditionalClinicalServices => "Healthcare support (additional clinical services)",
            Self::AdditionalProfessionalScientificTechnical => {
                "Additional professional, scientific and technical"
            }
            Self::AdministrativeClerical => "Administrative and clerical",
            Self::AlliedHealthProfessionals => "Allied health professionals",
            Self::EstatesAncillary => "Estates and ancillary",
            Self::HealthcareScientists => "Healthcare scientists",
            Self::MedicalDental => "Medical and dental",
            Self::NursingMidwiferyRegistered => "Nursing and midwifery (registered)",
            Self::Students => "Students",
        }
    }

    /// In words, as a worker's record and the reports say it.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::AdditionalClinicalServices => "Additional clinical services",
            Self::AdditionalProfessionalScientificTechnical => {
                "Additional professional, scientific and technical"
            }
            Self::AdministrativeClerical => "Administrative and clerical",
            Self::AlliedHealthProfessionals => "Allied health professionals",
            Self::EstatesAncillary => "Estates and ancillary",
            Self::HealthcareScientists => "Healthcare scientists",
            Self::MedicalDental => "Medical and dental",
            Self::NursingMidwiferyRegistered => "Registered nursing and midwifery",
            Self::Students => "Students",
        }
    }

    /// From the address.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// The API's `CascadeAudience`.
#[derive(cynic::Enum, Clone, Copy, Debug)]
pub enum CascadeAudience {
    /// Preferred workers.
    Preferred,
    /// The trust's own bank.
    OwnTrust,
    /// The collaborative bank.
    Collaborative,
    /// Escalated to agency.
    Agency,
}

impl CascadeAudience {
    /// The tier in words.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Preferred => "Preferred workers",
            Self::OwnTrust => "Own trust's bank",
            Self::Collaborative => "Collaborative bank",
            Self::Agency => "Agency tier (escalated)",
        }
    }
}

/// A credential's standing (the API's `CredentialStatus`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CredentialStatus")]
pub enum CredentialStatus {
    /// Waiting for HR.
    Pending,
    /// Verified.
    Verified,
    /// Rejected.
    Rejected,
    /// Withdrawn.
    Revoked,
    /// Expired.
    Expired,
}

impl CredentialStatus {
    /// In words, as a worker's page lists it.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for HR to check",
            Self::Verified => "Verified",
            Self::Rejected => "Rejected",
            Self::Revoked => "Withdrawn",
            Self::Expired => "Expired",
        }
    }
}
