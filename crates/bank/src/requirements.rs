//! Requirement profiles: which checks and training each trust requires, of which staff group and on
//! which ward, at what level and how recent. A trust starts from the defaults of the Employment
//! Check Standards and the Core Skills Training Framework and changes its own.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::{Actor, Clock, Role, StaffGroup, db, new_id};
use uuid::Uuid;

use crate::access::{authorize_at_trust, authorize_at_trust_for};
use crate::catalogue;
use crate::entity::requirement;
use crate::error::{Result, not_found, validation};
use crate::organisation;

/// Staff groups that must hold a professional registration.
const REGISTERED: [StaffGroup; 4] = [
    StaffGroup::NursingMidwiferyRegistered,
    StaffGroup::AlliedHealthProfessionals,
    StaffGroup::MedicalDental,
    StaffGroup::HealthcareScientists,
];

/// Staff groups in patient-facing clinical roles (manual handling yearly; level 2 safeguarding
/// and resuscitation).
const CLINICAL: [StaffGroup; 4] = [
    StaffGroup::NursingMidwiferyRegistered,
    StaffGroup::AdditionalClinicalServices,
    StaffGroup::AlliedHealthProfessionals,
    StaffGroup::MedicalDental,
];

/// One item of a profile before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequirement {
    /// Credential kind.
    pub kind: String,
    /// Minimum level.
    pub min_level: Option<i32>,
    /// Maximum age in days.
    pub max_age_days: Option<i32>,
    /// Only for this staff group.
    pub staff_group: Option<StaffGroup>,
    /// Only on this ward.
    pub ward_id: Option<Uuid>,
}

fn item(kind: &str, min_level: Option<i32>, group: Option<StaffGroup>) -> NewRequirement {
    let renewal = catalogue::kind(kind)
        .ok()
        .and_then(|k| k.default_renewal_days);
    NewRequirement {
        kind: kind.to_owned(),
        min_level,
        max_age_days: renewal,
        staff_group: group,
        ward_id: None,
    }
}

/// The default profile of a newly admitted trust.
#[must_use]
pub fn default_profile() -> Vec<NewRequirement> {
    let mut items = vec![
        item("IDENTITY", None, None),
        item("RIGHT_TO_WORK", None, None),
        item("EMPLOYMENT_HISTORY", None, None),
        item("DBS", Some(2), None),
        item("OCCUPATIONAL_HEALTH", None, None),
    ];
    for g in REGISTERED {
        items.push(item("PROFESSIONAL_REGISTRATION", None, Some(g)));
    }
    for k in catalogue::KINDS
        .iter()
        .filter(|k| k.category == catalogue::Category::CoreTraining)
    {
        let level = (!k.levels.is_empty()).then_some(1);
        items.push(item(k.code, level, None));
    }
    for g in CLINICAL {
        for kind in [
            "SAFEGUARDING_ADULTS",
            "SAFEGUARDING_CHILDREN",
            "RESUSCITATION",
        ] {
            items.push(item(kind, Some(2), Some(g)));
        }
        let mut handling = item("MOVING_HANDLING", Some(1), Some(g));
        handling.max_age_days = Some(365);
        items.push(handling);
    }
    items
}

async fn insert(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    trust_id: Uuid,
    r: &NewRequirement,
) -> Result<requirement::Model> {
    Ok(requirement::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(trust_id),
        kind: Set(r.kind.clone()),
        min_level: Set(r.min_level),
        max_age_days: Set(r.max_age_days),
        staff_group: Set(r.staff_group),
        ward_id: Set(r.ward_id),
        created_at: Set(clock.now()),
        retired_at: Set(None),
    }
    .insert(conn)
    .await?)
}

/// Gives a new trust the default profile (called when it is admitted).
///
/// # Errors
/// Database errors.
pub async fn install_defaults(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    trust_id: Uuid,
) -> Result<()> {
    for r in default_profile() {
        insert(conn, clock, trust_id, &r).await?;
    }
    Ok(())
}

/// Adds an item to a trust's profile (its trust admins and HR).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation (unknown kind, level, age, a ward of another trust).
pub async fn add_requirement(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    r: &NewRequirement,
) -> Result<requirement::Model> {
    db::write(db, |tx| {
        Box::pin(async move { add_requirement_in(&tx, clock, actor, trust_id, r).await })
    })
    .await
}

/// The work of [`add_requirement`], in the caller's transaction.
async fn add_requirement_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    r: &NewRequirement,
) -> Result<requirement::Model> {
    authorize_at_trust(tx, actor, trust_id, &[Role::TrustAdmin, Role::Hr]).await?;
    let kind = catalogue::kind(&r.kind)?;
    if let Some(l) = r.min_level {
        kind.check_level(Some(l))?;
    }
    if r.max_age_days.is_some_and(|d| d <= 0) {
        return Err(validation("maxAgeDays must be positive"));
    }
    if let Some(ward_id) = r.ward_id {
        // A ward of another bank's trust is "not found", as if it did not exist.
        let w = crate::estate::visible_ward(tx, actor, ward_id).await?;
        if w.trust_id != trust_id {
            return Err(validation("the ward belongs to another trust"));
        }
    }
    insert(tx, clock, trust_id, r).await
}

/// Retires an item: it stops applying from now; history keeps it.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden.
pub async fn retire_requirement(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    requirement_id: Uuid,
) -> Result<requirement::Model> {
    db::write(db, |tx| {
        Box::pin(async move { retire_requirement_in(&tx, clock, actor, requirement_id).await })
    })
    .await
}

/// The work of [`retire_requirement`], in the caller's transaction.
async fn retire_requirement_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    requirement_id: Uuid,
) -> Result<requirement::Model> {
    let row = requirement::Entity::find_by_id(requirement_id)
        .one(tx)
        .await?
        .filter(|r| r.retired_at.is_none())
        .ok_or_else(|| not_found("requirement"))?;
    authorize_at_trust_for(
        tx,
        actor,
        row.trust_id,
        &[Role::TrustAdmin, Role::Hr],
        "requirement",
    )
    .await?;
    let mut active: requirement::ActiveModel = row.into();
    active.retired_at = Set(Some(clock.now()));
    Ok(active.update(tx).await?)
}

/// A trust's current profile, for the people of its collaborative bank (requirements are not
/// personal data, but they are the bank's own).
///
/// # Errors
/// Not found (the trust; also when the caller is not of its bank).
pub async fn visible_profile(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<requirement::Model>> {
    let t = organisation::visible_trust(conn, actor, trust_id).await?;
    profile(conn, t.id).await
}

/// A trust's current profile (no checks: for domain functions).
///
/// # Errors
/// Database errors.
pub async fn profile(
    conn: &impl ConnectionTrait,
    trust_id: Uuid,
) -> Result<Vec<requirement::Model>> {
    Ok(requirement::Entity::find()
        .filter(requirement::Column::TrustId.eq(trust_id))
        .filter(requirement::Column::RetiredAt.is_null())
        .order_by_asc(requirement::Column::Id)
        .all(conn)
        .await?)
}
