//! The kinds of credential the bank knows: the six NHS Employment Check Standards, the eleven Core
//! Skills Training Framework subjects, and common extra training. Renewal periods here are only the
//! defaults a trust's requirement profile starts from; trusts change their own.

use crate::error::{Result, validation};

/// Whether a kind is a pre-employment check or training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// One of the six NHS Employment Check Standards.
    EmploymentCheck,
    /// A Core Skills Training Framework subject.
    CoreTraining,
    /// Other training (role- or ward-specific).
    OtherTraining,
}

/// One kind of credential.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Code stored and used in the API.
    pub code: &'static str,
    /// Human name.
    pub name: &'static str,
    /// Check or training.
    pub category: Category,
    /// Named levels (value, name), lowest first; empty when the kind has no levels.
    pub levels: &'static [(i32, &'static str)],
    /// Default renewal period in days, if it must be renewed.
    pub default_renewal_days: Option<i32>,
}

const Y1: Option<i32> = Some(365);
const Y3: Option<i32> = Some(3 * 365);
const TRAINING_LEVELS: &[(i32, &str)] = &[(1, "Level 1"), (2, "Level 2"), (3, "Level 3")];
const DBS_LEVELS: &[(i32, &str)] = &[
    (1, "Standard"),
    (2, "Enhanced"),
    (3, "Enhanced with adults' barred list"),
    (4, "Enhanced with children's barred list"),
    (5, "Enhanced with adults' and children's barred lists"),
];

const fn check(
    code: &'static str,
    name: &'static str,
    levels: &'static [(i32, &'static str)],
    renewal: Option<i32>,
) -> Kind {
    Kind {
        code,
        name,
        category: Category::EmploymentCheck,
        levels,
        default_renewal_days: renewal,
    }
}
const fn core(
    code: &'static str,
    name: &'static str,
    levels: &'static [(i32, &'static str)],
    renewal: Option<i32>,
) -> Kind {
    Kind {
        code,
        name,
        category: Category::CoreTraining,
        levels,
        default_renewal_days: renewal,
    }
}
const fn other(code: &'static str, name: &'static str, renewal: Option<i32>) -> Kind {
    Kind {
        code,
        name,
        category: Category::OtherTraining,
        levels: &[],
        default_renewal_days: renewal,
    }
}

/// Every kind, checks first.
pub const KINDS: &[Kind] = &[
    check("IDENTITY", "Identity check", &[], None),
    check("RIGHT_TO_WORK", "Right to work check", &[], None),
    check(
        "PROFESSIONAL_REGISTRATION",
        "Professional registration and qualifications",
        &[],
        None,
    ),
    check(
        "EMPLOYMENT_HISTORY",
        "Employment history and references",
        &[],
        None,
    ),
    check("DBS", "Criminal record check (DBS)", DBS_LEVELS, Y3),
    check("OCCUPATIONAL_HEALTH", "Work health assessment", &[], None),
    core("CONFLICT_RESOLUTION", "Conflict resolution", &[], Y3),
    core(
        "EQUALITY_DIVERSITY_HUMAN_RIGHTS",
        "Equality, diversity and human rights",
        &[],
        Y3,
    ),
    core("FIRE_SAFETY", "Fire safety", &[], Y1),
    core(
        "HEALTH_SAFETY_WELFARE",
        "Health, safety and welfare",
        &[],
        Y3,
    ),
    core(
        "INFECTION_PREVENTION_CONTROL",
        "Infection prevention and control",
        TRAINING_LEVELS,
        Y1,
    ),
    core(
        "INFORMATION_GOVERNANCE",
        "Information governance and data security",
        &[],
        Y1,
    ),
    core(
        "MOVING_HANDLING",
        "Moving and handling",
        TRAINING_LEVELS,
        Y3,
    ),
    core(
        "PREVENTING_RADICALISATION",
        "Preventing radicalisation",
        TRAINING_LEVELS,
        Y3,
    ),
    core("RESUSCITATION", "Resuscitation", TRAINING_LEVELS, Y1),
    core(
        "SAFEGUARDING_ADULTS",
        "Safeguarding adults",
        TRAINING_LEVELS,
        Y3,
    ),
    core(
        "SAFEGUARDING_CHILDREN",
        "Safeguarding children",
        TRAINING_LEVELS,
        Y3,
    ),
    other("PAEDIATRIC_LIFE_SUPPORT", "Paediatric life support", Y1),
    other(
        "ADVANCED_LIFE_SUPPORT",
        "Advanced life support",
        Some(4 * 365),
    ),
    other("MEDICINES_MANAGEMENT", "Medicines management", Y3),
    other("MENTAL_HEALTH_ACT", "Mental Health Act awareness", Y3),
];

/// The kind with this code.
///
/// # Errors
/// Validation error naming the unknown code.
pub fn kind(code: &str) -> Result<&'static Kind> {
    staffbank_core::text::limits::code("kind", "a credential kind").check(code)?;
    KINDS
        .iter()
        .find(|k| k.code == code)
        .ok_or_else(|| validation(format!("unknown credential kind '{code}'")))
}

impl Kind {
    /// Checks that `level` fits this kind (required when it has levels, absent otherwise).
    ///
    /// # Errors
    /// Validation errors.
    pub fn check_level(&self, level: Option<i32>) -> Result<()> {
        match (self.levels.is_empty(), level) {
            (true, None) => Ok(()),
            (true, Some(_)) => Err(validation(format!("{} has no levels", self.code))),
            (false, None) => Err(validation(format!("{} needs a level", self.code))),
            (false, Some(l)) if self.levels.iter().any(|(v, _)| *v == l) => Ok(()),
            (false, Some(l)) => Err(validation(format!("{} has no level {l}", self.code))),
        }
    }
}
