//! Staff groups (ESR) and grades. A grade sits on a ladder: Agenda for Change bands for most staff
//! groups, the medical ladder for doctors. Grades compare by rank on their ladder, so "band 5, or
//! band 6 as fallback" and "ST3 and above" are both expressible.

use std::fmt;

use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};

use crate::Error;

/// ESR staff groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum StaffGroup {
    /// e.g. healthcare assistants.
    #[sea_orm(string_value = "ADDITIONAL_CLINICAL_SERVICES")]
    AdditionalClinicalServices,
    /// Additional professional, scientific and technical.
    #[sea_orm(string_value = "ADDITIONAL_PROFESSIONAL_SCIENTIFIC_TECHNICAL")]
    AdditionalProfessionalScientificTechnical,
    /// Administrative and clerical.
    #[sea_orm(string_value = "ADMINISTRATIVE_CLERICAL")]
    AdministrativeClerical,
    /// Allied health professionals (incl. paramedics).
    #[sea_orm(string_value = "ALLIED_HEALTH_PROFESSIONALS")]
    AlliedHealthProfessionals,
    /// Estates and ancillary.
    #[sea_orm(string_value = "ESTATES_ANCILLARY")]
    EstatesAncillary,
    /// Healthcare scientists.
    #[sea_orm(string_value = "HEALTHCARE_SCIENTISTS")]
    HealthcareScientists,
    /// Medical and dental.
    #[sea_orm(string_value = "MEDICAL_DENTAL")]
    MedicalDental,
    /// Registered nursing and midwifery.
    #[sea_orm(string_value = "NURSING_MIDWIFERY_REGISTERED")]
    NursingMidwiferyRegistered,
    /// Students.
    #[sea_orm(string_value = "STUDENTS")]
    Students,
}

impl StaffGroup {
    /// Every staff group.
    pub const ALL: [StaffGroup; 9] = [
        Self::AdditionalClinicalServices,
        Self::AdditionalProfessionalScientificTechnical,
        Self::AdministrativeClerical,
        Self::AlliedHealthProfessionals,
        Self::EstatesAncillary,
        Self::HealthcareScientists,
        Self::MedicalDental,
        Self::NursingMidwiferyRegistered,
        Self::Students,
    ];

    /// The ladder its grades sit on.
    #[must_use]
    pub fn ladder(self) -> Ladder {
        match self {
            Self::MedicalDental => Ladder::Medical,
            _ => Ladder::AgendaForChange,
        }
    }

    /// The grades of its ladder, lowest first (e.g. for choosing one).
    #[must_use]
    pub fn grades(self) -> Vec<Grade> {
        self.ladder().grades()
    }
}

impl fmt::Display for StaffGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// A grading scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ladder {
    /// Agenda for Change bands 1-9 (8 split a-d).
    AgendaForChange,
    /// Doctors' grades.
    Medical,
}

const AFC: [&str; 12] = [
    "BAND_1", "BAND_2", "BAND_3", "BAND_4", "BAND_5", "BAND_6", "BAND_7", "BAND_8A", "BAND_8B",
    "BAND_8C", "BAND_8D", "BAND_9",
];
const MEDICAL: [&str; 15] = [
    "FY1",
    "FY2",
    "CT1",
    "CT2",
    "CT3",
    "ST1",
    "ST2",
    "ST3",
    "ST4",
    "ST5",
    "ST6",
    "ST7",
    "ST8",
    "SPECIALTY_DOCTOR",
    "CONSULTANT",
];

/// The grades' plain names, in the order of their codes.
const AFC_NAMES: [&str; 12] = [
    "Band 1", "Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8a", "Band 8b",
    "Band 8c", "Band 8d", "Band 9",
];
const MEDICAL_NAMES: [&str; 15] = [
    "FY1",
    "FY2",
    "CT1",
    "CT2",
    "CT3",
    "ST1",
    "ST2",
    "ST3",
    "ST4",
    "ST5",
    "ST6",
    "ST7",
    "ST8",
    "Specialty doctor",
    "Consultant",
];

impl Ladder {
    fn codes(self) -> &'static [&'static str] {
        match self {
            Self::AgendaForChange => &AFC,
            Self::Medical => &MEDICAL,
        }
    }

    fn names(self) -> &'static [&'static str] {
        match self {
            Self::AgendaForChange => &AFC_NAMES,
            Self::Medical => &MEDICAL_NAMES,
        }
    }

    /// Its grades, lowest first.
    #[must_use]
    pub fn grades(self) -> Vec<Grade> {
        (0..self.codes().len())
            .filter_map(|i| u8::try_from(i).ok())
            .map(|rank| Grade { ladder: self, rank })
            .collect()
    }
}

/// A grade: a rung on a ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grade {
    ladder: Ladder,
    rank: u8,
}

impl Grade {
    /// Parses a code such as `BAND_5`, `BAND_8A`, `FY1`, `ST3`, `CONSULTANT`.
    ///
    /// # Errors
    /// [`Error::Validation`] for an unknown code.
    pub fn parse(code: &str) -> Result<Self, Error> {
        crate::text::limits::code("grade", "a grade").check(code)?;
        let code = code.trim().to_uppercase();
        for ladder in [Ladder::AgendaForChange, Ladder::Medical] {
            if let Some(i) = ladder.codes().iter().position(|c| *c == code) {
                return Ok(Self {
                    ladder,
                    rank: u8::try_from(i).unwrap_or(u8::MAX),
                });
            }
        }
        Err(Error::Validation(format!(
            "unknown grade '{code}' (use e.g. BAND_5, BAND_8A, FY2, ST3, CONSULTANT)"
        )))
    }

    /// Parses a code and checks it belongs to the staff group's ladder.
    ///
    /// # Errors
    /// [`Error::Validation`].
    pub fn parse_for(code: &str, group: StaffGroup) -> Result<Self, Error> {
        let g = Self::parse(code)?;
        if g.ladder != group.ladder() {
            return Err(Error::Validation(format!(
                "grade {} is not a grade of the staff group {group}",
                g.code()
            )));
        }
        Ok(g)
    }

    /// The code.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.ladder
            .codes()
            .get(usize::from(self.rank))
            .copied()
            .unwrap_or("UNKNOWN")
    }

    /// Its plain name, as people say it: "Band 5", "Band 8a", "ST3", "Specialty doctor".
    #[must_use]
    pub fn name(self) -> &'static str {
        self.ladder
            .names()
            .get(usize::from(self.rank))
            .copied()
            .unwrap_or("Unknown grade")
    }

    /// Its ladder.
    #[must_use]
    pub fn ladder(self) -> Ladder {
        self.ladder
    }

    /// Its position on the ladder (0 = lowest).
    #[must_use]
    pub fn rank(self) -> u8 {
        self.rank
    }

    /// For Agenda for Change grades, the band number used by pay rules (8a-8d count as 8).
    #[must_use]
    pub fn afc_band(self) -> Option<u8> {
        match (self.ladder, self.rank) {
            (Ladder::AgendaForChange, r @ 0..=6) => Some(r + 1),
            (Ladder::AgendaForChange, 7..=10) => Some(8),
            (Ladder::AgendaForChange, _) => Some(9),
            (Ladder::Medical, _) => None,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_and_rank() -> Result<(), Error> {
        let b5 = Grade::parse("band_5")?;
        let b8a = Grade::parse("BAND_8A")?;
        assert!(b5.rank() < b8a.rank());
        assert_eq!(b8a.afc_band(), Some(8));
        assert_eq!(Grade::parse("BAND_9")?.afc_band(), Some(9));
        assert_eq!(Grade::parse("ST3")?.ladder(), Ladder::Medical);
        assert!(Grade::parse_for("ST3", StaffGroup::NursingMidwiferyRegistered).is_err());
        assert!(Grade::parse("BAND_10").is_err());
        for code in AFC.iter().chain(MEDICAL.iter()) {
            assert_eq!(Grade::parse(code)?.code(), *code);
        }
        Ok(())
    }

    #[test]
    fn a_staff_group_lists_its_ladder_in_order_with_names() {
        let nurses = StaffGroup::NursingMidwiferyRegistered.grades();
        assert_eq!(nurses.len(), AFC.len());
        assert_eq!((nurses[0].code(), nurses[0].name()), ("BAND_1", "Band 1"));
        assert_eq!((nurses[7].code(), nurses[7].name()), ("BAND_8A", "Band 8a"));
        assert!(nurses.windows(2).all(|w| w[0].rank() < w[1].rank()));
        let doctors = StaffGroup::MedicalDental.grades();
        assert_eq!(doctors.len(), MEDICAL.len());
        assert_eq!(
            doctors.last().map(|g| (g.code(), g.name())),
            Some(("CONSULTANT", "Consultant"))
        );
        assert_eq!(AFC_NAMES.len(), AFC.len());
        assert_eq!(MEDICAL_NAMES.len(), MEDICAL.len());
    }
}
