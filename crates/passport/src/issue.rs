//! Issuing a passport: HR of a trust where the worker is engaged signs the worker's verified checks
//! and training that the trust recognises. The passport is valid from now until the earliest of
//! the items' expiry dates and the bank's maximum passport age, and gets an entry in the issuer's
//! status lists.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, Set,
};
use staffbank_bank::catalogue::{self, Category};
use staffbank_bank::credentials::{self, CredentialStatus};
use staffbank_bank::entity::credential;
use staffbank_bank::membership::{self, MembershipState};
use staffbank_bank::{organisation, workers};
use staffbank_core::time::{london_date, start_of_london_day};
use staffbank_core::{Actor, Clock, Role, code, db, new_id};
use uuid::Uuid;

use crate::Env;
use crate::agreement;
use crate::entity::passport;
use crate::error::{Result, forbidden, internal, validation};
use crate::jws;
use crate::keys;
use crate::passports::{self, PassportStatus};
use crate::status_list::{self, Purpose};
use crate::vc::{
    self, Issuer, Item, PASSPORT_TYPE, Passport, Registration, StatusEntry, Subject, VC_CONTEXT_V2,
    VC_TYPE,
};

/// When an item stops being valid, as an instant: the start of its expiry date in London.
fn item_end(expires_on: Option<NaiveDate>) -> Option<DateTime<Utc>> {
    expires_on.map(start_of_london_day)
}

/// Picks, per kind, the credential worth carrying: the highest level, then the latest expiry.
fn best_per_kind(creds: Vec<credential::Model>) -> Vec<credential::Model> {
    let mut best: BTreeMap<String, credential::Model> = BTreeMap::new();
    for c in creds {
        let key = |m: &credential::Model| (m.level, m.expires_on.unwrap_or(NaiveDate::MAX));
        match best.get(&c.kind) {
            Some(b) if key(b) >= key(&c) => {}
            _ => {
                best.insert(c.kind.clone(), c);
            }
        }
    }
    best.into_values().collect()
}

/// HR of `trust_id`, where the worker is actively engaged, issues a passport for the worker.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (not HR there, worker not engaged there); validation (nothing verified to
/// carry, or everything expires today); key material and database errors.
pub async fn issue(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    env: &Env,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<passport::Model> {
    db::write(db, |tx| {
        Box::pin(async move { issue_in(&tx, clock, actor, env, worker_id, trust_id).await })
    })
    .await
}

/// The work of [`issue`], in the caller's transaction.
async fn issue_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    env: &Env,
    worker_id: Uuid,
    trust_id: Uuid,
) -> Result<passport::Model> {
    let w = workers::get(tx, worker_id).await?;
    let t = organisation::trust(tx, trust_id).await?;
    if !(actor.has_trust_role(Role::Hr, t.id) || actor.is_service()) {
        return Err(staffbank_core::actor::forbidden_for(&[Role::Hr], "this trust").into());
    }
    let engaged = membership::find(tx, w.id, t.id).await?;
    match engaged.map(|m| m.state) {
        Some(MembershipState::Active) => {}
        Some(_) => {
            return Err(forbidden(
                "the worker's engagement at this trust is not active",
            ));
        }
        None => {
            return Err(forbidden(
                "a passport is issued by a trust where the worker is engaged",
            ));
        }
    }
    // Whole seconds: what a JWT and an RFC 3339 date carry.
    let now = clock
        .now()
        .duration_trunc(Duration::seconds(1))
        .map_err(|e| internal(format!("time: {e}")))?;
    let today = london_date(now);

    let all = credential::Entity::find()
        .filter(credential::Column::WorkerId.eq(w.id))
        .all(tx)
        .await?;
    let ids: Vec<Uuid> = all.iter().map(|c| c.id).collect();
    let recognised: HashSet<Uuid> = credentials::recognitions_of(tx, &ids)
        .await?
        .into_iter()
        .filter(|r| r.trust_id == t.id)
        .map(|r| r.credential_id)
        .collect();
    let carried = best_per_kind(
        all.into_iter()
            .filter(|c| credentials::status_on(c, today) == CredentialStatus::Verified)
            .filter(|c| c.verified_at.is_some() && recognised.contains(&c.id))
            .collect(),
    );
    if carried.is_empty() {
        return Err(validation(
            "the worker has no verified check or training recognised by this trust to put in a \
             passport",
        ));
    }

    let agreement = agreement::current(tx, t.system_id).await?;
    let mut valid_until = now + Duration::days(i64::from(agreement.max_passport_days));
    for c in &carried {
        if let Some(end) = item_end(c.expires_on) {
            valid_until = valid_until.min(end);
        }
    }
    if valid_until <= now {
        return Err(validation(
            "an item expires today: renew it before issuing a passport",
        ));
    }

    let verifier_ids: Vec<Uuid> = carried.iter().filter_map(|c| c.verified_trust_id).collect();
    let verifiers = organisation::trusts_by_ids(tx, &verifier_ids).await?;
    let mut checks = Vec::new();
    let mut training = Vec::new();
    for c in &carried {
        let kind = catalogue::kind(&c.kind)?;
        let item = Item {
            id: vc::urn(c.id),
            kind: c.kind.clone(),
            name: kind.name.to_owned(),
            level: c.level,
            level_name: c.level.and_then(|l| {
                kind.levels
                    .iter()
                    .find(|(v, _)| *v == l)
                    .map(|(_, n)| (*n).to_owned())
            }),
            issued_by: c.issuer.clone(),
            issued_on: c.valid_from,
            expires_on: c.expires_on,
            verified_at: c
                .verified_at
                .unwrap_or(now)
                .duration_trunc(Duration::seconds(1))
                .unwrap_or(now),
            verified_by: verifiers
                .iter()
                .find(|v| Some(v.id) == c.verified_trust_id)
                .map(|v| v.name.clone())
                .unwrap_or_default(),
        };
        if kind.category == Category::EmploymentCheck {
            checks.push(item);
        } else {
            training.push(item);
        }
    }

    let passport_id = new_id();
    let issuer = env.issuer(t.id);
    let (list_id, index) = status_list::allocate(tx, clock, t.id).await?;
    let (key, signing) = keys::signing_key(tx, clock, &env.kek, t.id).await?;
    let status = |purpose: Purpose| {
        let url = status_list::url(&issuer, list_id, purpose);
        StatusEntry {
            id: format!("{url}#{index}"),
            kind: "BitstringStatusListEntry".into(),
            status_purpose: purpose.as_str().into(),
            status_list_index: index.to_string(),
            status_list_credential: url,
        }
    };
    let credential = Passport {
        context: vec![VC_CONTEXT_V2.into()],
        id: vc::urn(passport_id),
        types: vec![VC_TYPE.into(), PASSPORT_TYPE.into()],
        issuer: Issuer {
            id: issuer.clone(),
            name: t.name.clone(),
        },
        valid_from: now,
        valid_until,
        credential_subject: Subject {
            id: vc::urn(w.id),
            given_name: w.given_name.clone(),
            family_name: w.family_name.clone(),
            date_of_birth: w.date_of_birth,
            staff_group: code::of(&w.staff_group),
            grade: w.grade.clone(),
            professional_registration: match (&w.registration_body, &w.registration_number) {
                (Some(body), Some(number)) => Some(Registration {
                    body: code::of(body),
                    number: number.clone(),
                }),
                _ => None,
            },
            checks,
            training,
        },
        credential_status: vec![status(Purpose::Revocation), status(Purpose::Suspension)],
        iss: issuer,
        iat: now.timestamp(),
        jti: vc::urn(passport_id),
    };
    let payload = serde_json::to_value(&credential)
        .map_err(|e| internal(format!("passport does not serialise: {e}")))?;
    let token = jws::sign(&signing, &key.kid, &payload)
        .map_err(|e| internal(format!("passport does not serialise: {e}")))?;
    let items: Vec<&Item> = credential.credential_subject.items().collect();
    let row = passport::ActiveModel {
        id: Set(passport_id),
        worker_id: Set(w.id),
        system_id: Set(t.system_id),
        issuer_trust_id: Set(t.id),
        kid: Set(key.kid.clone()),
        token: Set(token),
        items: Set(serde_json::to_value(&items)
            .map_err(|e| internal(format!("items do not serialise: {e}")))?),
        valid_from: Set(now),
        valid_until: Set(valid_until),
        status_list_id: Set(list_id),
        status_index: Set(index),
        status: Set(PassportStatus::Active),
        status_reason: Set(None),
        issued_by: Set(actor.account_id()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(tx)
    .await?;
    passports::event(
        tx,
        clock,
        actor,
        row.id,
        "ISSUED",
        Some(t.id),
        Some(&format!("{} items", items.len())),
    )
    .await?;
    Ok(row)
}

/// The items a stored passport carries.
///
/// # Errors
/// Internal error for a damaged row.
pub fn items_of(p: &passport::Model) -> Result<Vec<Item>> {
    serde_json::from_value(p.items.clone())
        .map_err(|e| internal(format!("stored passport items do not parse: {e}")))
}
