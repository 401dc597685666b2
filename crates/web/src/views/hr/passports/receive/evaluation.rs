//! The evaluation (`evaluatePassport`): each item weighed against this trust's requirements and
//! the bank's passporting agreement, and the counts, in words.

use crate::format;
use crate::schema::{NaiveDate, Uuid, schema};

#[derive(cynic::QueryVariables)]
pub(super) struct TokenVariables {
    pub(super) token: String,
    pub(super) trust_id: Uuid,
}

/// The decision on one item (the API's `PassportItemDecision`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "PassportItemDecision")]
pub enum Decision {
    /// Recognised.
    Accepted,
    /// Needs a local check.
    NeedsLocalCheck,
    /// Not recognised.
    Rejected,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportItemOutcome")]
pub(super) struct Outcome {
    pub(super) kind_name: String,
    pub(super) level: Option<i32>,
    pub(super) credential_id: Option<Uuid>,
    pub(super) issued_on: NaiveDate,
    pub(super) expires_on: Option<NaiveDate>,
    pub(super) decision: Decision,
    pub(super) reason: String,
}

/// One item and the decision on it, in words.
pub(super) struct OutcomeView {
    pub(super) name: String,
    pub(super) dates: String,
    pub(super) decision: &'static str,
    pub(super) decision_class: &'static str,
    pub(super) reason: String,
}

impl OutcomeView {
    pub(super) fn of(o: &Outcome) -> Self {
        let (decision, decision_class) = match o.decision {
            Decision::Accepted => ("Accepted", "nhsuk-tag--green"),
            Decision::NeedsLocalCheck => ("Check it here", "nhsuk-tag--yellow"),
            Decision::Rejected => ("Not accepted", "nhsuk-tag--red"),
        };
        Self {
            name: match o.level {
                Some(level) => format!("{}, level {level}", o.kind_name),
                None => o.kind_name.clone(),
            },
            dates: match o.expires_on {
                Some(e) => format!(
                    "Done on {}, expires on {}",
                    format::date_short(o.issued_on),
                    format::date_short(e)
                ),
                None => format!(
                    "Done on {}, does not expire",
                    format::date_short(o.issued_on)
                ),
            },
            decision,
            decision_class,
            reason: format::error_message(&o.reason),
        }
    }
}

/// The counts of an evaluation or acceptance, in words.
pub(super) struct Counts {
    pub(super) accepted: String,
    pub(super) local: String,
    pub(super) rejected: String,
}

impl Counts {
    pub(super) fn of(accepted: i32, local: i32, rejected: i32) -> Self {
        let items = |n: i32| match n {
            1 => "1 item".to_owned(),
            n => format!("{n} items"),
        };
        Self {
            accepted: items(accepted),
            local: items(local),
            rejected: items(rejected),
        }
    }
}

pub(super) struct EvaluationView {
    pub(super) counts: Counts,
    pub(super) items: Vec<OutcomeView>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportEvaluation")]
pub(super) struct Evaluation {
    pub(super) items: Vec<Outcome>,
    pub(super) accepted_count: i32,
    pub(super) local_check_count: i32,
    pub(super) rejected_count: i32,
    pub(super) still_required: Vec<String>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "CredentialKind")]
pub(super) struct KindName {
    pub(super) code: String,
    pub(super) name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TokenVariables")]
pub(super) struct EvaluateQuery {
    #[arguments(token: $token, trustId: $trust_id)]
    pub(super) evaluate_passport: Evaluation,
    pub(super) credential_kinds: Vec<KindName>,
}
