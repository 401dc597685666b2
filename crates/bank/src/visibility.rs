//! Who may see what of a worker. A worker sees all of their own record. Staff of a trust where the
//! worker is engaged see their full record and credentials; staff of the other trusts of the same
//! collaborative bank see only name, staff group, grade and skills; anyone else sees nothing. Every
//! full look from a trust other than the worker's home trust is written to the access log, which
//! the worker can read.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use staffbank_core::{Actor, Clock, Role, new_id};
use uuid::Uuid;

use crate::entity::{access_log_entry, membership, trust, worker};
use crate::error::{Result, not_found};

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
            .all(conn)
            .await?
    };
    let staff_systems: Vec<Uuid> = if staff_trusts.is_empty() {
        Vec::new()
    } else {
        trust::Entity::find()
            .filter(trust::Column::Id.is_in(staff_trusts))
            .all(conn)
            .await?
            .into_iter()
            .map(|t| t.system_id)
            .collect()
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
#[derive(Debug, Clone, Copy)]
pub enum Viewed {
    /// Identity and contact details.
    Record,
    /// Credentials and their evidence.
    Credentials,
    /// A passport.
    Passport,
}

impl Viewed {
    fn as_str(self) -> &'static str {
        match self {
            Viewed::Record => "RECORD",
            Viewed::Credentials => "CREDENTIALS",
            Viewed::Passport => "PASSPORT",
        }
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
                    what: Set(what.as_str().to_owned()),
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
/// Database errors.
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
    access_log_entry::ActiveModel {
        id: Set(new_id()),
        worker_id: Set(worker_id),
        viewer_account_id: Set(account_id),
        viewer_trust_id: Set(viewer_trust_id),
        what: Set(what.as_str().to_owned()),
        purpose: Set(purpose.to_owned()),
        at: Set(clock.now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Who looked at a worker's details: the worker themself, or a system admin of their bank.
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
    if actor.worker_id() != Some(w.id) && !actor.is_system_admin(w.system_id) {
        return Err(staffbank_core::actor::forbidden_for(
            &[Role::Worker, Role::SystemAdmin],
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
