//! Why a worker cannot work a shift, in the bank office's words (about the worker, not to them):
//! the API's reasons (`IneligibilityReason`), each as one plain sentence. Unknown codes fall back
//! to the API's own message.

use crate::format;
use crate::views::worker::shifts::{EligibilityReason, ReasonCode, RequirementStatus, grade_name};

/// What the page knows besides the reason, to word it.
pub struct Context<'a> {
    /// The shift's trust.
    pub trust: &'a str,
    /// The grades the shift accepts.
    pub accepted: &'a [String],
    /// Credential kind codes and their names.
    pub kinds: &'a [(String, String)],
}

impl Context<'_> {
    fn kind_name(&self, code: &str) -> String {
        self.kinds
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| crate::format::code_words(code), |(_, n)| n.clone())
    }
}

/// One reason as a sentence about the worker.
#[must_use]
pub fn sentence(r: &EligibilityReason, cx: &Context<'_>) -> String {
    let trust = cx.trust;
    let minutes = || format::duration_minutes(r.minutes.map(i64::from).unwrap_or_default());
    let requirement = || cx.kind_name(r.requirement.as_deref().unwrap_or_default());
    match r.code {
        ReasonCode::StaffGroup => "Works in a different staff group".to_owned(),
        ReasonCode::GradeOutsideRange => {
            let accepted: Vec<String> = cx.accepted.iter().map(|g| grade_name(g)).collect();
            format!("Grade is not {}", or_list(&accepted))
        }
        ReasonCode::MissingSkill => format!(
            "Does not have {} skills on their record",
            crate::format::code_words(r.skill.as_deref().unwrap_or_default()).to_lowercase()
        ),
        ReasonCode::NotCompliant => {
            let name = requirement();
            match r.compliance_status {
                Some(RequirementStatus::Expired) => format!("{name} has expired"),
                Some(RequirementStatus::NotAccepted) => {
                    format!("{trust} does not accept their {name}")
                }
                Some(RequirementStatus::PendingVerification) => {
                    format!("{trust} has not checked their {name} yet")
                }
                _ => format!("{name} is not on their record"),
            }
        }
        ReasonCode::ExpiresBeforeShiftEnds => {
            format!("{} runs out before the shift ends", requirement())
        }
        ReasonCode::OverlappingBooking => "Already booked on a shift at the same time".to_owned(),
        ReasonCode::InsufficientRestBefore => match r.minutes {
            Some(_) => format!(
                "Would have only {} rest after their previous shift (11 hours needed)",
                minutes()
            ),
            None => "Would have less than 11 hours' rest after their previous shift".to_owned(),
        },
        ReasonCode::InsufficientRestAfter => match r.minutes {
            Some(_) => format!(
                "Would have only {} rest before their next shift (11 hours needed)",
                minutes()
            ),
            None => "Would have less than 11 hours' rest before their next shift".to_owned(),
        },
        ReasonCode::WeeklyHoursAverage => match r.minutes {
            Some(_) => format!(
                "Would average {} a week over 17 weeks, over the 48-hour limit, and has not \
                 opted out",
                minutes()
            ),
            None => "Would go over the 48-hour weekly average, and has not opted out".to_owned(),
        },
        ReasonCode::TierNotOpen => match r.opens_at {
            Some(at) => format!(
                "Not offered this shift yet: it reaches them from {}",
                format::when(at)
            ),
            None => "Not reached by any release tier of this shift".to_owned(),
        },
        ReasonCode::BlockedByTrust => format!("Blocked from {trust}'s shifts"),
        ReasonCode::Dormant => {
            "Dormant: has not worked or confirmed they are available for a while".to_owned()
        }
        ReasonCode::Suspended => format!("Suspended from {trust}'s shifts"),
        ReasonCode::SelfBookingSuspended => {
            "Cannot book themself after late cancellations or missed shifts (you can still book \
             them)"
                .to_owned()
        }
        ReasonCode::Other => {
            let m = r.message.trim();
            if m.is_empty() {
                "Something stops them working this shift".to_owned()
            } else {
                crate::format::capitalised(m)
            }
        }
    }
}

/// Every reason as a sentence, the checks the trust has not made yet taken together in one
/// ("Not checked by Northfield yet: Conflict resolution, Criminal record check (DBS)"): a worker
/// from another trust who has not shared a passport has a dozen of them, all the same thing.
#[must_use]
pub fn sentences(reasons: &[EligibilityReason], cx: &Context<'_>) -> Vec<String> {
    let pending = |r: &EligibilityReason| {
        r.code == ReasonCode::NotCompliant
            && r.compliance_status == Some(RequirementStatus::PendingVerification)
    };
    let unchecked: Vec<String> = reasons
        .iter()
        .filter(|r| pending(r))
        .map(|r| cx.kind_name(r.requirement.as_deref().unwrap_or_default()))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for r in reasons {
        if !pending(r) || unchecked.len() == 1 {
            out.push(sentence(r, cx));
        } else if out.iter().all(|s| !s.starts_with("Not checked by")) {
            out.push(format!(
                "Not checked by {} yet: {}",
                cx.trust,
                unchecked.join(", ")
            ));
        }
    }
    out
}

/// "Band 5", "Band 5 or Band 6", "Band 5, Band 6 or Band 7".
fn or_list(items: &[String]) -> String {
    match items {
        [] => "one the shift accepts".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(code: ReasonCode) -> EligibilityReason {
        EligibilityReason {
            code,
            message: "x".to_owned(),
            requirement: None,
            compliance_status: None,
            skill: None,
            minutes: None,
            opens_at: None,
        }
    }

    #[test]
    fn reasons_are_about_the_worker_in_plain_english() {
        let accepted = ["BAND_5".to_owned(), "BAND_6".to_owned()];
        let kinds = [(
            "BASIC_LIFE_SUPPORT".to_owned(),
            "Basic life support".to_owned(),
        )];
        let cx = Context {
            trust: "Northfield",
            accepted: &accepted,
            kinds: &kinds,
        };
        assert_eq!(
            sentence(&reason(ReasonCode::GradeOutsideRange), &cx),
            "Grade is not Band 5 or Band 6"
        );
        let mut rest = reason(ReasonCode::InsufficientRestBefore);
        rest.minutes = Some(240);
        assert_eq!(
            sentence(&rest, &cx),
            "Would have only 4 hours rest after their previous shift (11 hours needed)"
        );
        let mut bls = reason(ReasonCode::NotCompliant);
        bls.requirement = Some("BASIC_LIFE_SUPPORT".to_owned());
        bls.compliance_status = Some(RequirementStatus::Expired);
        assert_eq!(sentence(&bls, &cx), "Basic life support has expired");
        let mut pending = bls.clone();
        pending.compliance_status = Some(RequirementStatus::PendingVerification);
        let mut other = pending.clone();
        other.requirement = Some("DBS".to_owned());
        assert_eq!(
            sentences(&[pending, bls, other], &cx),
            vec![
                "Not checked by Northfield yet: Basic life support, Dbs".to_owned(),
                "Basic life support has expired".to_owned(),
            ]
        );
    }
}
