//! Who may see what of a worker. A worker sees all of their own record. Staff of a trust where the
//! worker is engaged — their home trust, or a trust whose proposal they accepted and have not ended
//! (see [`crate::membership`]) — see their full record and credentials; staff of the other trusts
//! of the same collaborative bank (a proposal waiting, declined or ended among them) see only name,
//! staff group, grade and skills, plus what a passport the worker shared with them holds; anyone
//! else sees nothing. This is read from the database on every request, never cached.
//!
//! Every look at identity details or credentials from another organisation than the worker's home
//! trust is written to the access log with its purpose, which the worker can read. An entry names
//! only a trust at which the viewer holds a role: the trust is derived from the caller's roles,
//! and a caller naming another is refused.

use sea_orm::entity::prelude::StringLen;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sea_orm::{DeriveActiveEnum, EnumIter};
use staffbank_core::{Actor, Clock, Role, new_id};
use uuid::Uuid;

use crate::entity::{access_log_entry, membership, worker};
use crate::error::{Result, forbidden, not_found};
use crate::membership::Consent;

/// Roles that work with workers' records at a trust.
pub const TRUST_STAFF: [Role; 4] = [
    Role::BankOffice,
    Role::Hr,
    Role::TrustAdmin,
    Role::WardManager,
];

/// How much of a worker the caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Everything: it is the worker themself.
    Own,
    /// Everything, as staff of `trust_id` where the worker is engaged.
    Engaged {
        /// The trust the caller acts for.
        trust_id: Uuid,
    },
    /// Everything, as the service.
    Service,
    /// Name, staff group, grade and skills only.
    Summary,
}

impl Access {
    /// Whether the full record may be shown.
    #[must_use]
    pub fn is_full(self) -> bool {
        !matches!(self, Access::Summary)
    }
}

/// The caller's access to each of `workers` (two queries whatever the number of workers); workers
/// the caller may not see at all are left out.
///
/// # Errors
/// Database errors.
pub async fn access_to_many(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    workers: &[worker::Model],
) -> Result<Vec<(Uuid, Access)>> {
    if actor.is_service() {
        return Ok(workers.iter().map(|w| (w.id, Access::Service)).collect());
    }
    let staff_trusts = actor.trusts_with(&TRUST_STAFF);
    let ids: Vec<Uuid> = workers.iter().map(|w| w.id).collect();
    let engaged: Vec<membership::Model> = if staff_trusts.is_empty() {
        Vec::new()
    } else {
        membership::Entity::find()
            .filter(membership::Column::WorkerId.is_in(ids))
            .filter(membership::Column::TrustId.is_in(staff_trusts.clone()))
            .filter(membership::Column::Consent.eq(Consent::Accepted))
            .all(conn)
            .await?
    };
    // The banks of the caller's staff trusts (`TRUST_STAFF` are the trust-scoped roles), read
    // once per request.
    let staff_systems: Vec<Uuid> = if staff_trusts.is_empty() {
        Vec::new()
    } else {
        crate::scope::grant_banks(conn, actor)
            .await?
            .map(|b| b.staff.iter().copied().collect())
            .unwrap_or_default()
    };
    let admin_systems: Vec<Uuid> = actor
        .grants()
        .iter()
        .filter(|g| g.role == Role::SystemAdmin)
        .filter_map(|g| g.system_id)
        .collect();
    Ok(workers
        .iter()
        .filter_map(|w| {
            if actor.worker_id() == Some(w.id) {
                return Some((w.id, Access::Own));
            }
            if let Some(m) = engaged.iter().find(|m| m.worker_id == w.id) {
                return Some((
                    w.id,
                    Access::Engaged {
                        trust_id: m.trust_id,
                    },
                ));
            }
            (staff_systems.contains(&w.system_id) || admin_systems.contains(&w.system_id))
                .then_some((w.id, Access::Summary))
        })
        .collect())
}

/// The caller's access to one worker.
///
/// # Errors
/// Not found when the caller may not see the worker at all.
pub async fn access_to(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    w: &worker::Model,
) -> Result<Access> {
    access_to_many(conn, actor, std::slice::from_ref(w))
        .await?
        .first()
        .map(|(_, a)| *a)
        .ok_or_else(|| not_found("worker"))
}

/// What was looked at, for the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Viewed {
    /// Identity and contact details.
    #[sea_orm(string_value = "RECORD")]
    Record,
    /// Credentials and their evidence.
    #[sea_orm(string_value = "CREDENTIALS")]
    Credentials,
    /// A passport.
    #[sea_orm(string_value = "PASSPORT")]
    Passport,
    /// How their credentials stand against a trust's requirements.
    #[sea_orm(string_value = "COMPLIANCE")]
    Compliance,
}

/// The trust a look is made for, as the access log may name it: `claimed` when the caller holds a
/// role there, else refused; when nothing is claimed, the caller's HR trust, else any trust where
/// they are staff, else none (e.g. a system admin, who acts for the whole bank).
///
/// # Errors
/// Forbidden when `claimed` is a trust at which the caller holds no role.
pub fn viewer_trust(actor: &Actor, claimed: Option<Uuid>) -> Result<Option<Uuid>> {
    let staff = actor.trusts_with(&TRUST_STAFF);
    match claimed {
        Some(t) if staff.contains(&t) || actor.is_service() => Ok(Some(t)),
        Some(_) => Err(forbidden(
            "you hold no role at the trust you say you act for",
        )),
        None => Ok(actor
            .trusts_with(&[Role::Hr])
            .first()
            .copied()
            .or_else(|| staff.first().copied())),
    }
}

/// One look at a worker: whose record, their home trust, and the access it was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Look {
    /// The worker.
    pub worker_id: Uuid,
    /// Their home trust.
    pub home_trust_id: Uuid,
    /// The access.
    pub access: Access,
}

impl Look {
    /// A look at `w` with `access`.
    #[must_use]
    pub fn at(w: &worker::Model, access: Access) -> Self {
        Self {
            worker_id: w.id,
            home_trust_id: w.home_trust_id,
            access,
        }
    }
}

/// A worker as one caller may see them, with the access the bank decided: the summary (name,
/// staff group, grade, skills, home trust) always; identity and contact details only through
/// [`VisibleWorker::detail`], with a [`Shown`] that [`crate::workers::details`] hands out for full
/// looks alone, once it has logged them. Nothing else of the record can be read from it.
#[derive(Debug, Clone)]
pub struct VisibleWorker {
    model: worker::Model,
    access: Access,
}

impl VisibleWorker {
    /// `w` as seen with `access`, which must be what this module decided for the caller
    /// ([`access_to`], [`access_to_many`], or a domain function that returns it).
    #[must_use]
    pub fn new(w: worker::Model, access: Access) -> Self {
        Self { model: w, access }
    }

    /// The worker's id.
    #[must_use]
    pub fn id(&self) -> Uuid {
        self.model.id
    }

    /// Given name(s).
    #[must_use]
    pub fn given_name(&self) -> &str {
        &self.model.given_name
    }

    /// Family name.
    #[must_use]
    pub fn family_name(&self) -> &str {
        &self.model.family_name
    }

    /// Staff group.
    #[must_use]
    pub fn staff_group(&self) -> staffbank_core::StaffGroup {
        self.model.staff_group
    }

    /// Grade code.
    #[must_use]
    pub fn grade(&self) -> &str {
        &self.model.grade
    }

    /// Skill codes.
    #[must_use]
    pub fn skills(&self) -> Vec<String> {
        crate::skills::from_json(&self.model.skills)
    }

    /// The trust that registered them.
    #[must_use]
    pub fn home_trust_id(&self) -> Uuid {
        self.model.home_trust_id
    }

    /// How much of them the caller may see.
    #[must_use]
    pub fn access(&self) -> Access {
        self.access
    }

    /// This look, for the functions that log and filter by it.
    #[must_use]
    pub fn look(&self) -> Look {
        Look::at(&self.model, self.access)
    }

    /// Identity and contact details, when `shown` is this worker's (so the look was full, and
    /// logged where it must be).
    #[must_use]
    pub fn detail(&self, shown: Shown) -> Option<WorkerDetail> {
        (self.access.is_full() && shown.worker_id == self.model.id).then(|| WorkerDetail {
            date_of_birth: self.model.date_of_birth,
            ni_number: self.model.ni_number.clone(),
            email: self.model.email.clone(),
            phone: self.model.phone.clone(),
            registration_body: self
                .model
                .registration_body
                .as_ref()
                .map(staffbank_core::code::of),
            registration_number: self.model.registration_number.clone(),
            working_time_opt_out_at: self.model.wtr_opt_out_at,
        })
    }
}

/// That a full look at a worker's identity and contact details was made (and logged, when from
/// another trust than their home trust): only [`crate::workers::details`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shown {
    worker_id: Uuid,
}

impl Shown {
    /// For the look `workers::details` has just logged.
    pub(crate) fn of(worker_id: Uuid) -> Self {
        Self { worker_id }
    }

    /// The worker.
    #[must_use]
    pub fn worker_id(self) -> Uuid {
        self.worker_id
    }
}

/// A worker's identity and contact details (full access only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerDetail {
    /// Date of birth.
    pub date_of_birth: chrono::NaiveDate,
    /// National Insurance number.
    pub ni_number: String,
    /// Email.
    pub email: String,
    /// Phone.
    pub phone: Option<String>,
    /// NMC, GMC or HCPC.
    pub registration_body: Option<String>,
    /// Registration number.
    pub registration_number: Option<String>,
    /// When they opted out of the 48-hour weekly average.
    pub working_time_opt_out_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Logs full looks by staff of trusts other than each worker's home trust.
///
/// # Errors
/// Database errors.
pub async fn log_views(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    looks: &[Look],
    what: Viewed,
) -> Result<()> {
    let Some(account_id) = actor.account_id() else {
        return Ok(());
    };
    let rows: Vec<access_log_entry::ActiveModel> = looks
        .iter()
        .filter_map(|l| match l.access {
            Access::Engaged { trust_id } if trust_id != l.home_trust_id => {
                Some(access_log_entry::ActiveModel {
                    id: Set(new_id()),
                    worker_id: Set(l.worker_id),
                    viewer_account_id: Set(account_id),
                    viewer_trust_id: Set(Some(trust_id)),
                    what: Set(what),
                    purpose: Set("ENGAGED_AT_TRUST".to_owned()),
                    at: Set(clock.now()),
                })
            }
            _ => None,
        })
        .collect();
    if !rows.is_empty() {
        access_log_entry::Entity::insert_many(rows)
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Records one look with an explicit purpose (e.g. a passport shared with the viewer's trust).
///
/// # Errors
/// Forbidden when `viewer_trust_id` names a trust at which the caller holds no role (the log never
/// names one); database errors.
pub async fn log_view(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    worker_id: Uuid,
    viewer_trust_id: Option<Uuid>,
    what: Viewed,
    purpose: &str,
) -> Result<()> {
    let Some(account_id) = actor.account_id() else {
        return Ok(());
    };
    if let Some(t) = viewer_trust_id
        && !actor.has_any_trust_role(&TRUST_STAFF, t)
    {
        return Err(forbidden(
            "you hold no role at the trust you say you act for",
        ));
    }
    access_log_entry::ActiveModel {
        id: Set(new_id()),
        worker_id: Set(worker_id),
        viewer_account_id: Set(account_id),
        viewer_trust_id: Set(viewer_trust_id),
        what: Set(what),
        purpose: Set(purpose.to_owned()),
        at: Set(clock.now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Logs a look at how a worker's credentials stand against `trust_id`'s requirements (a compliance
/// answer), unless it is the worker's own, the service's, or their home trust's: for staff of that
/// trust, naming it, with purpose `ENGAGED_AT_TRUST` when it engages the worker and
/// `COMPLIANCE_CHECK` otherwise; for anyone else allowed to ask (a system admin of the bank), naming
/// no trust, with purpose `BANK_ADMINISTRATION`.
///
/// # Errors
/// Database errors.
pub async fn log_compliance_look(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    w: &worker::Model,
    trust_id: Uuid,
) -> Result<()> {
    if actor.is_service() || actor.worker_id() == Some(w.id) {
        return Ok(());
    }
    if actor.has_any_trust_role(&TRUST_STAFF, trust_id) {
        if trust_id == w.home_trust_id {
            return Ok(());
        }
        let purpose = if crate::membership::find(conn, w.id, trust_id)
            .await?
            .is_some()
        {
            "ENGAGED_AT_TRUST"
        } else {
            "COMPLIANCE_CHECK"
        };
        return log_view(
            conn,
            clock,
            actor,
            w.id,
            Some(trust_id),
            Viewed::Compliance,
            purpose,
        )
        .await;
    }
    log_view(
        conn,
        clock,
        actor,
        w.id,
        None,
        Viewed::Compliance,
        "BANK_ADMINISTRATION",
    )
    .await
}

/// Who looked at a worker's details: the worker themself, a system admin of their bank, or HR of
/// a trust engaging them (the same entries the worker sees, so HR can answer the worker's
/// questions about them).
///
/// # Errors
/// Not found or forbidden.
pub async fn access_log(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    worker_id: Uuid,
) -> Result<Vec<access_log_entry::Model>> {
    let w = worker::Entity::find_by_id(worker_id)
        .one(conn)
        .await?
        .ok_or_else(|| not_found("worker"))?;
    let mut allowed = actor.worker_id() == Some(w.id) || actor.is_system_admin(w.system_id);
    if !allowed {
        for t in actor.trusts_with(&[Role::Hr]) {
            if crate::membership::find(conn, w.id, t).await?.is_some() {
                allowed = true;
                break;
            }
        }
    }
    if !allowed {
        return Err(staffbank_core::actor::forbidden_for(
            &[Role::Worker, Role::SystemAdmin, Role::Hr],
            "this worker's access log",
        )
        .into());
    }
    Ok(access_log_entry::Entity::find()
        .filter(access_log_entry::Column::WorkerId.eq(w.id))
        .order_by_desc(access_log_entry::Column::At)
        .all(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_staff_are_the_trust_scoped_roles() {
        // `access_to_many` takes the banks of the caller's staff trusts from the memo
        // `scope::grant_banks` keeps, which counts the trust-scoped roles.
        let scoped: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.is_trust_scoped())
            .collect();
        assert_eq!(scoped.len(), TRUST_STAFF.len());
        assert!(TRUST_STAFF.iter().all(|r| scoped.contains(r)));
    }
}
