//! Accepting a passport: HR of trust B takes a passport the worker has shared with it (or B
//! engages the worker), verifies it, and weighs each item against the collaborative bank's
//! passporting agreement and B's own requirement profile. Each item is ACCEPTED, NEEDS_LOCAL_CHECK
//! or REJECTED with the reason. Accepting records the accepted items as the worker's compliance at
//! B, with provenance (issuer, passport), through the bank's recognitions — so everything that asks
//! about compliance at B (the marketplace included) sees them — and counts the checks not redone.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use staffbank_bank::credentials::{self, CredentialStatus, Recognition};
use staffbank_bank::entity::{credential, requirement, trust};
use staffbank_bank::{membership, organisation, requirements, workers};
use staffbank_core::time::london_date;
use staffbank_core::{Actor, Clock, Role, StaffGroup, db, new_id};
use uuid::Uuid;

use crate::Env;
use crate::agreement::{self, Agreement};
use crate::entity::{acceptance, passport};
use crate::error::{Error, Result, forbidden, internal, validation};
use crate::passports::{self, Viewer};
use crate::vc::Item;
use crate::verify::{self, Verification};

/// The decision on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Decision {
    /// Recognised: the check is not redone.
    Accepted,
    /// Recognised in principle, but the agreement wants a local check.
    NeedsLocalCheck,
    /// Not recognised.
    Rejected,
}

/// One item and the decision on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemDecision {
    /// Credential kind.
    pub kind: String,
    /// Kind name.
    pub name: String,
    /// Level.
    pub level: Option<i32>,
    /// The credential.
    pub credential_id: Option<Uuid>,
    /// Issued on.
    pub issued_on: NaiveDate,
    /// Expires on.
    pub expires_on: Option<NaiveDate>,
    /// The decision.
    pub decision: Decision,
    /// Why.
    pub reason: String,
}

/// A passport weighed by a trust.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The verification.
    pub verification: Verification,
    /// The passport.
    pub passport_id: Uuid,
    /// The worker.
    pub worker_id: Uuid,
    /// The issuing trust.
    pub issuer_trust_id: Uuid,
    /// The evaluating trust.
    pub trust_id: Uuid,
    /// The decision per item.
    pub items: Vec<ItemDecision>,
    /// Kinds the trust requires of this worker that no accepted item covers.
    pub still_required: Vec<String>,
}

impl Evaluation {
    /// How many items have this decision.
    #[must_use]
    pub fn count(&self, d: Decision) -> usize {
        self.items.iter().filter(|i| i.decision == d).count()
    }
}

/// A trust's requirement for one kind, merged over its profile items for the staff group.
#[derive(Debug, Clone, Copy, Default)]
struct Need {
    min_level: Option<i32>,
    max_age_days: Option<i32>,
}

fn needs_for(rows: &[requirement::Model], staff_group: StaffGroup) -> BTreeMap<String, Need> {
    let mut out: BTreeMap<String, Need> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.ward_id.is_none())
        .filter(|r| r.staff_group.is_none_or(|g| g == staff_group))
    {
        let n = out.entry(r.kind.clone()).or_default();
        n.min_level = n.min_level.max(r.min_level);
        n.max_age_days = match (n.max_age_days, r.max_age_days) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    out
}

fn older_than(issued_on: NaiveDate, days: Option<i32>, today: NaiveDate) -> bool {
    days.is_some_and(|d| issued_on + Duration::days(i64::from(d)) <= today)
}

/// The decision on one item.
fn decide(
    item: &Item,
    stored: Option<&credential::Model>,
    agreement: &Agreement,
    need: Option<&Need>,
    trust_name: &str,
    today: NaiveDate,
) -> (Decision, String) {
    use Decision::{Accepted, NeedsLocalCheck, Rejected};
    let Some(rule) = agreement.rule(&item.kind).filter(|r| r.recognised) else {
        return (
            Rejected,
            "not mutually recognised under the passporting agreement".into(),
        );
    };
    match stored.map(|c| credentials::status_on(c, today)) {
        Some(CredentialStatus::Verified) => {}
        Some(s) => {
            return (
                Rejected,
                format!("the credential is {s} now (it was verified when the passport was issued)"),
            );
        }
        None => return (Rejected, "the credential is not in the bank".into()),
    }
    if let Some(exp) = item.expires_on.filter(|e| *e <= today) {
        return (Rejected, format!("expired on {exp}"));
    }
    if older_than(item.issued_on, rule.max_age_days, today) {
        return (
            Rejected,
            format!(
                "older than the agreement accepts ({} days)",
                rule.max_age_days.unwrap_or_default()
            ),
        );
    }
    if let Some(n) = need {
        if older_than(item.issued_on, n.max_age_days, today) {
            return (
                Rejected,
                format!(
                    "older than {trust_name} accepts for this item ({} days)",
                    n.max_age_days.unwrap_or_default()
                ),
            );
        }
        if let Some(min) = n.min_level
            && item.level.is_none_or(|l| l < min)
        {
            return (
                Rejected,
                format!(
                    "level {} is below the level {min} that {trust_name} requires",
                    item.level.unwrap_or_default()
                ),
            );
        }
    }
    let note = rule.note.clone().unwrap_or_default();
    if rule.always_local_check {
        return (
            NeedsLocalCheck,
            format!("the agreement has this checked locally: {note}"),
        );
    }
    if let Some(min) = rule.min_level
        && item.level.is_none_or(|l| l < min)
    {
        return (
            NeedsLocalCheck,
            format!("below level {min} of the agreement: {note}"),
        );
    }
    if need.is_none() {
        return (
            Accepted,
            format!("recognised under the agreement (not required by {trust_name})"),
        );
    }
    (Accepted, "recognised under the agreement".into())
}

/// Verifies `token` and weighs it for `trust_id`, checking that the caller is HR there and that
/// the worker has shared the passport with the trust (or the trust engages the worker).
async fn weigh(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    env: &Env,
    token: &str,
    trust_id: Uuid,
) -> Result<(Evaluation, passport::Model, trust::Model)> {
    let t = organisation::trust(conn, trust_id).await?;
    if !(actor.has_trust_role(Role::Hr, t.id) || actor.is_service()) {
        return Err(staffbank_core::actor::forbidden_for(&[Role::Hr], "this trust").into());
    }
    let now = clock.now();
    let verification = verify::verify_online(conn, &env.public_url, token, now).await?;
    if !verification.valid() {
        return Err(Error::NotVerified(verification.failures));
    }
    let claims = verification
        .passport
        .clone()
        .ok_or_else(|| internal("a valid verification without a passport"))?;
    let p = passports::get(
        conn,
        claims
            .passport_id()
            .ok_or_else(|| validation("the passport has no id"))?,
    )
    .await?;
    if claims.credential_subject.worker_id() != Some(p.worker_id) {
        return Err(validation("the passport's subject is not its worker"));
    }
    if p.system_id != t.system_id {
        return Err(validation(
            "the passport was issued in another collaborative bank",
        ));
    }
    if p.issuer_trust_id == t.id {
        return Err(validation(
            "this trust issued the passport: it recognises these items already",
        ));
    }
    let viewer = if passports::active_share(conn, p.id, t.id).await?.is_some() {
        Viewer::SharedWith(t.id)
    } else if actor.is_service() || membership::find(conn, p.worker_id, t.id).await?.is_some() {
        Viewer::Engaged(t.id)
    } else {
        return Err(forbidden(
            "the worker has not shared this passport with this trust",
        ));
    };
    passports::log_look(conn, clock, actor, p.worker_id, viewer).await?;

    let w = workers::get(conn, p.worker_id).await?;
    let agreement = agreement::current(conn, t.system_id).await?;
    let needs = needs_for(&requirements::profile(conn, t.id).await?, w.staff_group);
    let items: Vec<&Item> = claims.credential_subject.items().collect();
    let ids: Vec<Uuid> = items.iter().filter_map(|i| i.credential_id()).collect();
    let stored = credential::Entity::find()
        .filter(credential::Column::Id.is_in(ids))
        .filter(credential::Column::WorkerId.eq(p.worker_id))
        .all(conn)
        .await?;
    let stored_ids: Vec<Uuid> = stored.iter().map(|c| c.id).collect();
    // This trust's own decisions not to accept a credential stand: a passport does not undo them.
    let declined = credentials::declined_at(conn, t.id, &stored_ids).await?;
    let today = london_date(now);
    let decisions: Vec<ItemDecision> = items
        .iter()
        .map(|i| {
            let c = stored.iter().find(|c| Some(c.id) == i.credential_id());
            let (decision, reason) = match c {
                Some(c) if declined.contains(&c.id) => (
                    Decision::Rejected,
                    format!(
                        "{} has declined this credential; its HR can accept it again",
                        t.name
                    ),
                ),
                _ => decide(i, c, &agreement, needs.get(&i.kind), &t.name, today),
            };
            ItemDecision {
                kind: i.kind.clone(),
                name: i.name.clone(),
                level: i.level,
                credential_id: i.credential_id(),
                issued_on: i.issued_on,
                expires_on: i.expires_on,
                decision,
                reason,
            }
        })
        .collect();
    let still_required = needs
        .keys()
        .filter(|k| {
            !decisions
                .iter()
                .any(|d| &d.kind == *k && d.decision == Decision::Accepted)
        })
        .cloned()
        .collect();
    Ok((
        Evaluation {
            verification,
            passport_id: p.id,
            worker_id: p.worker_id,
            issuer_trust_id: p.issuer_trust_id,
            trust_id: t.id,
            items: decisions,
            still_required,
        },
        p,
        t,
    ))
}

/// Weighs a passport for a trust without recording anything but the look (HR of that trust).
///
/// # Errors
/// Forbidden (not HR, not shared); validation (the passport fails verification — the reasons are
/// in the details — or belongs elsewhere); not found.
pub async fn evaluate(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    env: &Env,
    token: &str,
    trust_id: Uuid,
) -> Result<Evaluation> {
    Ok(weigh(conn, clock, actor, env, token, trust_id).await?.0)
}

/// Accepts a passport at a trust: records the decision, and the accepted items as the worker's
/// compliance there with the passport as provenance. Run inside a write transaction.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// As [`evaluate`].
pub async fn accept(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    env: &Env,
    token: &str,
    trust_id: Uuid,
) -> Result<(acceptance::Model, Evaluation)> {
    db::write(db, |tx| {
        Box::pin(async move { accept_in(&tx, clock, actor, env, token, trust_id).await })
    })
    .await
}

/// The work of [`accept`], in the caller's transaction.
async fn accept_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    env: &Env,
    token: &str,
    trust_id: Uuid,
) -> Result<(acceptance::Model, Evaluation)> {
    let (eval, p, t) = weigh(tx, clock, actor, env, token, trust_id).await?;
    for d in eval
        .items
        .iter()
        .filter(|d| d.decision == Decision::Accepted)
    {
        if let Some(cid) = d.credential_id {
            credentials::recognise(
                tx,
                clock,
                actor,
                cid,
                t.id,
                Recognition::Passport {
                    passport_id: p.id,
                    issuer_trust_id: p.issuer_trust_id,
                },
            )
            .await?;
        }
    }
    let count = |d| i32::try_from(eval.count(d)).unwrap_or(i32::MAX);
    let row = acceptance::ActiveModel {
        id: Set(new_id()),
        passport_id: Set(p.id),
        worker_id: Set(p.worker_id),
        trust_id: Set(t.id),
        issuer_trust_id: Set(p.issuer_trust_id),
        decided_by: Set(actor.account_id()),
        decided_at: Set(clock.now()),
        items: Set(serde_json::to_value(&eval.items)
            .map_err(|e| internal(format!("decisions do not serialise: {e}")))?),
        accepted_count: Set(count(Decision::Accepted)),
        local_check_count: Set(count(Decision::NeedsLocalCheck)),
        rejected_count: Set(count(Decision::Rejected)),
    }
    .insert(tx)
    .await?;
    passports::event(
        tx,
        clock,
        actor,
        p.id,
        "ACCEPTED",
        Some(t.id),
        Some(&format!(
            "{} accepted, {} need a local check, {} rejected",
            row.accepted_count, row.local_check_count, row.rejected_count
        )),
    )
    .await?;
    Ok((row, eval))
}

/// The decisions stored in an acceptance.
///
/// # Errors
/// Internal error for a damaged row.
pub fn decisions_of(a: &acceptance::Model) -> Result<Vec<ItemDecision>> {
    serde_json::from_value(a.items.clone())
        .map_err(|e| internal(format!("stored decisions do not parse: {e}")))
}

/// A trust's acceptances, newest first, each with the passport as it stands now (so a revoked or
/// suspended passport the trust relied on shows at once). For HR and trust admins of the trust.
///
/// # Errors
/// Not found; forbidden.
pub async fn of_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<(acceptance::Model, passport::Model)>> {
    staffbank_bank::access::authorize_at_trust(
        conn,
        actor,
        trust_id,
        &[Role::Hr, Role::TrustAdmin],
    )
    .await?;
    let rows = acceptance::Entity::find()
        .filter(acceptance::Column::TrustId.eq(trust_id))
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|a| a.passport_id).collect();
    let ps = passport::Entity::find()
        .filter(passport::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    let mut out: Vec<(acceptance::Model, passport::Model)> = rows
        .into_iter()
        .filter_map(|a| {
            let p = ps.iter().find(|p| p.id == a.passport_id)?.clone();
            Some((a, p))
        })
        .collect();
    out.sort_by_key(|(a, _)| std::cmp::Reverse(a.id));
    Ok(out)
}

/// The acceptances of a passport (for batched loading and revocation; callers check access).
///
/// # Errors
/// Database errors.
pub async fn of_passport(
    conn: &impl ConnectionTrait,
    passport_id: Uuid,
) -> Result<Vec<acceptance::Model>> {
    Ok(acceptance::Entity::find()
        .filter(acceptance::Column::PassportId.eq(passport_id))
        .all(conn)
        .await?)
}
