//! A collaborative bank's passporting agreement: which kinds of check and training its trusts
//! recognise from each other's passports, how old each may be, from which level, and which are
//! always checked locally. System admins set it; every change is a new version (the history is
//! kept); until one is set, the built-in default applies.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use staffbank_bank::{catalogue, organisation};
use staffbank_core::text::{self, limits};
use staffbank_core::{Actor, Clock, db, new_id};
use uuid::Uuid;

use crate::entity::agreement;
use crate::error::{Result, internal, validation};

/// How long a passport may be valid, by default, in days.
pub const DEFAULT_MAX_PASSPORT_DAYS: i32 = 180;
/// The longest a system may allow.
pub const LIMIT_MAX_PASSPORT_DAYS: i32 = 730;

/// The agreement about one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Credential kind.
    pub kind: String,
    /// Whether trusts accept it from each other's passports at all.
    pub recognised: bool,
    /// The oldest it may be (from its issue or completion date), in days.
    #[serde(default)]
    pub max_age_days: Option<i32>,
    /// Below this level it needs a local check.
    #[serde(default)]
    pub min_level: Option<i32>,
    /// Always checked by the receiving trust itself, whatever the passport says.
    #[serde(default)]
    pub always_local_check: bool,
    /// Why (shown with the decision).
    #[serde(default)]
    pub note: Option<String>,
}

/// The agreement in force for a collaborative bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// The version's id; none for the built-in default.
    pub id: Option<Uuid>,
    /// The collaborative bank.
    pub system_id: Uuid,
    /// The longest a passport may be valid, in days.
    pub max_passport_days: i32,
    /// One rule per kind; kinds without a rule are not recognised.
    pub rules: Vec<Rule>,
    /// Who set it.
    pub set_by: Option<Uuid>,
    /// Since when; none for the built-in default.
    pub since: Option<DateTime<Utc>>,
}

impl Agreement {
    /// The rule for a kind.
    #[must_use]
    pub fn rule(&self, kind: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.kind == kind)
    }

    /// Whether this is the built-in default.
    #[must_use]
    pub fn is_default(&self) -> bool {
        self.id.is_none()
    }
}

/// The built-in default: every kind is recognised within its usual renewal period, except that a
/// right to work check is always made locally (an employer needs its own check for a statutory
/// excuse), professional registration is checked on the live register, and a criminal record
/// check below enhanced (a standard or fast-track barred-list only check) needs a local risk
/// assessment.
#[must_use]
pub fn default_rules() -> Vec<Rule> {
    catalogue::KINDS
        .iter()
        .map(|k| {
            let mut r = Rule {
                kind: k.code.to_owned(),
                recognised: true,
                max_age_days: k.default_renewal_days,
                min_level: None,
                always_local_check: false,
                note: None,
            };
            match k.code {
                "RIGHT_TO_WORK" => {
                    r.always_local_check = true;
                    r.note = Some(
                        "each employer makes its own right to work check to hold a statutory excuse"
                            .into(),
                    );
                }
                "PROFESSIONAL_REGISTRATION" => {
                    r.always_local_check = true;
                    r.note = Some("check the live register (NMC, GMC, HCPC) before the first shift".into());
                }
                "DBS" => {
                    r.min_level = Some(2);
                    r.note = Some(
                        "a check below enhanced (e.g. a fast-track barred-list only check) needs a local risk assessment"
                            .into(),
                    );
                }
                _ => {}
            }
            r
        })
        .collect()
}

fn default_for(system_id: Uuid) -> Agreement {
    Agreement {
        id: None,
        system_id,
        max_passport_days: DEFAULT_MAX_PASSPORT_DAYS,
        rules: default_rules(),
        set_by: None,
        since: None,
    }
}

fn from_row(row: agreement::Model) -> Result<Agreement> {
    let rules: Vec<Rule> = serde_json::from_value(row.rules)
        .map_err(|e| internal(format!("stored agreement does not parse: {e}")))?;
    Ok(Agreement {
        id: Some(row.id),
        system_id: row.system_id,
        max_passport_days: row.max_passport_days,
        rules,
        set_by: row.set_by,
        since: Some(row.created_at),
    })
}

/// The agreement in force for a collaborative bank (anyone signed in: it is not personal data).
///
/// # Errors
/// Database errors.
pub async fn current(conn: &impl ConnectionTrait, system_id: Uuid) -> Result<Agreement> {
    match agreement::Entity::find()
        .filter(agreement::Column::SystemId.eq(system_id))
        .order_by_desc(agreement::Column::Id)
        .one(conn)
        .await?
    {
        Some(row) => from_row(row),
        None => Ok(default_for(system_id)),
    }
}

/// A new version of an agreement.
#[derive(Debug, Clone)]
pub struct NewAgreement {
    /// The longest a passport may be valid, in days.
    pub max_passport_days: i32,
    /// One rule per kind.
    pub rules: Vec<Rule>,
}

fn check(input: &NewAgreement) -> Result<Vec<Rule>> {
    if !(1..=LIMIT_MAX_PASSPORT_DAYS).contains(&input.max_passport_days) {
        return Err(validation(format!(
            "maxPassportDays must be 1 to {LIMIT_MAX_PASSPORT_DAYS}"
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut rules = Vec::with_capacity(input.rules.len());
    for r in &input.rules {
        let kind = catalogue::kind(&r.kind)?;
        if !seen.insert(kind.code) {
            return Err(validation(format!("{} has more than one rule", kind.code)));
        }
        if r.max_age_days.is_some_and(|d| d <= 0) {
            return Err(validation(format!(
                "{}: maxAgeDays must be positive",
                kind.code
            )));
        }
        if let Some(l) = r.min_level {
            kind.check_level(Some(l))?;
        }
        let note = limits::RULE_NOTE_TEXT.optional(r.note.as_deref())?;
        rules.push(Rule {
            kind: kind.code.to_owned(),
            note,
            ..r.clone()
        });
    }
    Ok(rules)
}

/// Sets a new version of the agreement (the bank's system admins).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden; validation (unknown kind, duplicate rule, level, ages).
pub async fn set(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    input: &NewAgreement,
) -> Result<Agreement> {
    db::write(db, |tx| {
        Box::pin(async move { set_in(&tx, clock, actor, system_id, input).await })
    })
    .await
}

/// The work of [`set`], in the caller's transaction.
async fn set_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    system_id: Uuid,
    input: &NewAgreement,
) -> Result<Agreement> {
    // A list is capped before any database work: one rule per credential kind at most.
    text::cap_list(
        "rules",
        "an agreement",
        &input.rules,
        catalogue::KINDS.len(),
    )?;
    let sys = organisation::system(tx, system_id).await?;
    actor.require_system_admin(sys.id)?;
    let rules = check(input)?;
    let row = agreement::ActiveModel {
        id: Set(new_id()),
        system_id: Set(sys.id),
        max_passport_days: Set(input.max_passport_days),
        rules: Set(serde_json::to_value(&rules)
            .map_err(|e| internal(format!("agreement does not serialise: {e}")))?),
        set_by: Set(actor.account_id()),
        created_at: Set(clock.now()),
    }
    .insert(tx)
    .await?;
    from_row(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_covers_every_kind_and_checks_itself() {
        let rules = default_rules();
        assert_eq!(rules.len(), catalogue::KINDS.len());
        let input = NewAgreement {
            max_passport_days: DEFAULT_MAX_PASSPORT_DAYS,
            rules: rules.clone(),
        };
        assert_eq!(check(&input).ok(), Some(rules));
        let dbs = default_rules().into_iter().find(|r| r.kind == "DBS");
        assert_eq!(dbs.and_then(|r| r.min_level), Some(2));
    }

    #[test]
    fn bad_agreements_are_refused() {
        let mut bad = NewAgreement {
            max_passport_days: 0,
            rules: default_rules(),
        };
        assert!(check(&bad).is_err());
        bad.max_passport_days = 90;
        bad.rules.push(default_rules().remove(0));
        assert!(check(&bad).is_err(), "duplicate kind");
    }
}
