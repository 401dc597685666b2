//! Who may act for whom: the check every trust-scoped command and query makes
//! ([`authorize_at_trust`]), and staff accounts and their role grants. A trust admin manages the
//! roles at their own trust; a system admin manages every trust of their collaborative bank and its system
//! admins. Worker roles are not granted here: an account becomes a worker by being linked to a
//! worker record.
//!
//! Creating an account and granting a role email the person concerned. The email is enqueued
//! through the same connection as the change, so callers run these functions in one write
//! transaction (`staffbank_core::db::write`): the change and its email commit together or not at
//! all.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, ModelTrait,
    QueryFilter, QueryOrder,
};
use staffbank_core::entity::{account, role_grant};
use staffbank_core::sessions::{self, EndReason};
use staffbank_core::{Actor, Clock, Email, Grant, NewPassword, Role, accounts, db};
use staffbank_notify::outbox;
use uuid::Uuid;

use crate::account_mail;
use crate::entity::trust;
use crate::error::{Result, conflict, forbidden, not_found, validation};
use crate::organisation::{self, system};
use crate::scope;

/// What role to grant, and where.
#[derive(Debug, Clone)]
pub struct GrantRequest {
    /// The role.
    pub role: Role,
    /// The trust, for trust-scoped roles.
    pub trust_id: Option<Uuid>,
    /// Optionally one ward, for a ward manager.
    pub ward_id: Option<Uuid>,
    /// The collaborative bank, for a system admin.
    pub system_id: Option<Uuid>,
}

/// A grant the caller may make, and the name of the place it applies to (for emails).
struct Authorized {
    grant: Grant,
    place: String,
}

/// Checks that `actor` may grant or revoke `grant`, and that the grant is well formed.
async fn authorize_grant(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    req: &GrantRequest,
) -> Result<Authorized> {
    match req.role {
        Role::Worker => Err(validation(
            "the WORKER role is given by linking an account to a worker record, not granted",
        )),
        Role::SystemAdmin => {
            let system_id = req
                .system_id
                .ok_or_else(|| validation("a SYSTEM_ADMIN grant needs a systemId"))?;
            let sys = system(conn, system_id).await?;
            actor.require_system_admin(sys.id)?;
            Ok(Authorized {
                grant: Grant {
                    role: req.role,
                    trust_id: None,
                    ward_id: None,
                    system_id: Some(sys.id),
                    worker_id: None,
                },
                place: sys.name,
            })
        }
        role => {
            let trust_id = req
                .trust_id
                .ok_or_else(|| validation(format!("a {role} grant needs a trustId")))?;
            if req.ward_id.is_some() && role != Role::WardManager {
                return Err(validation("only a WARD_MANAGER grant may name a ward"));
            }
            let t = authorize_at_trust(conn, actor, trust_id, &[Role::TrustAdmin]).await?;
            Ok(Authorized {
                grant: Grant {
                    role,
                    trust_id: Some(t.id),
                    ward_id: req.ward_id,
                    system_id: None,
                    worker_id: None,
                },
                place: t.name,
            })
        }
    }
}

/// Grants a role to the account with `email`, and emails its holder. Run it in a write
/// transaction (see the module docs).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden unless the caller administers the scope; not found for an unknown email; conflict when
/// the account already holds that grant.
pub async fn grant_role(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    email: &Email,
    req: &GrantRequest,
) -> Result<role_grant::Model> {
    db::write(db, |tx| {
        Box::pin(async move { grant_role_in(&tx, clock, actor, email, req).await })
    })
    .await
}

/// The work of [`grant_role`], in the caller's transaction.
async fn grant_role_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    email: &Email,
    req: &GrantRequest,
) -> Result<role_grant::Model> {
    let Authorized { grant, place } = authorize_grant(tx, actor, req).await?;
    let acc = accounts::find_by_email(tx, email)
        .await?
        .ok_or_else(|| not_found("account"))?;
    if accounts::grants_of(tx, acc.id).await?.contains(&grant) {
        return Err(conflict(format!("{email} already holds this role")));
    }
    let row = accounts::insert_grant(tx, clock, acc.id, &grant, actor.account_id()).await?;
    let message = account_mail::role_granted(email, &acc.display_name, grant.role, &place);
    let key = account_mail::role_granted_key(row.id);
    outbox::enqueue(tx, clock, &message, Some(&key)).await?;
    Ok(row)
}

/// Creates a staff account with a first role at a trust or bank, in one step, and emails the new
/// account's holder (their role and where, never the password). Run it in a write transaction
/// (see the module docs).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// As [`grant_role`], plus validation of the email, name and password and conflict on a taken email.
pub async fn create_staff_account(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    email: &Email,
    display_name: &str,
    password: &NewPassword,
    req: &GrantRequest,
) -> Result<account::Model> {
    db::write(db, |tx| {
        Box::pin(async move {
            create_staff_account_in(&tx, clock, actor, email, display_name, password, req).await
        })
    })
    .await
}

/// The work of [`create_staff_account`], in the caller's transaction.
async fn create_staff_account_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    email: &Email,
    display_name: &str,
    password: &NewPassword,
    req: &GrantRequest,
) -> Result<account::Model> {
    let Authorized { grant, place } = authorize_grant(tx, actor, req).await?;
    let acc = accounts::create(tx, clock, email, display_name, password).await?;
    accounts::insert_grant(tx, clock, acc.id, &grant, actor.account_id()).await?;
    let message = account_mail::account_created(email, &acc.display_name, grant.role, &place);
    let key = account_mail::account_created_key(acc.id);
    outbox::enqueue(tx, clock, &message, Some(&key)).await?;
    Ok(acc)
}

/// Removes a grant and ends every session of its holder at once (their tokens and web sessions
/// are refused from their next request, on every replica; they sign in again with the roles they
/// have left). Run it in a write transaction, so the grant and the sessions go together.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden unless the caller could have granted it.
pub async fn revoke_role(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    grant_id: Uuid,
) -> Result<()> {
    db::write(db, |tx| {
        Box::pin(async move { revoke_role_in(&tx, clock, actor, grant_id).await })
    })
    .await
}

/// The work of [`revoke_role`], in the caller's transaction.
async fn revoke_role_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    grant_id: Uuid,
) -> Result<()> {
    let row = role_grant::Entity::find_by_id(grant_id)
        .one(tx)
        .await?
        .ok_or_else(|| not_found("role grant"))?;
    let role = row.role;
    authorize_grant(
        tx,
        actor,
        &GrantRequest {
            role,
            trust_id: row.trust_id,
            ward_id: row.ward_id,
            system_id: row.system_id,
        },
    )
    .await?;
    let holder = row.account_id;
    row.delete(tx).await?;
    sessions::end_others(tx, clock, holder, None, EndReason::RoleRevoked).await?;
    Ok(())
}

/// Disables a staff account: it can no longer sign in and every session it has ends at once. The
/// caller must be able to revoke every role the account holds (a trust admin for an account whose
/// roles are all at their trust; a system admin for their bank's trusts and admins), and may not
/// disable their own account. A worker's login is not disabled here.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Not found; forbidden (no rights over one of its roles, a worker's login, or oneself); conflict
/// when already disabled.
pub async fn disable_account(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    account_id: Uuid,
) -> Result<()> {
    db::write(db, |tx| {
        Box::pin(async move { disable_account_in(&tx, clock, actor, account_id).await })
    })
    .await
}

/// The work of [`disable_account`], in the caller's transaction.
async fn disable_account_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    account_id: Uuid,
) -> Result<()> {
    accounts::get(tx, account_id).await?;
    if actor.account_id() == Some(account_id) {
        return Err(forbidden("you cannot disable your own account"));
    }
    let grants = accounts::grant_rows(tx, account_id).await?;
    if grants.is_empty() {
        return Err(forbidden(
            "only an administrator over one of its roles may disable an account; it has none",
        ));
    }
    for g in &grants {
        let role = g.role;
        if role == Role::Worker {
            return Err(forbidden("a worker's login is not disabled here"));
        }
        authorize_grant(
            tx,
            actor,
            &GrantRequest {
                role,
                trust_id: g.trust_id,
                ward_id: g.ward_id,
                system_id: g.system_id,
            },
        )
        .await?;
    }
    accounts::disable(tx, clock, account_id).await?;
    Ok(())
}

/// The grants held at a trust, for its admins.
///
/// # Errors
/// Forbidden unless the caller administers the trust or its bank.
pub async fn grants_at_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<role_grant::Model>> {
    authorize_at_trust(conn, actor, trust_id, &[Role::TrustAdmin]).await?;
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::TrustId.eq(trust_id))
        .order_by_asc(role_grant::Column::Id)
        .all(conn)
        .await?)
}

/// One person holding roles at a trust: their account and those roles.
#[derive(Debug, Clone)]
pub struct StaffMember {
    /// The account (its name and email; never its password).
    pub account: account::Model,
    /// Their grants at the trust, oldest first.
    pub grants: Vec<role_grant::Model>,
}

/// The people holding roles at a trust, by name, with those roles (for its admins): who the
/// grants of [`grants_at_trust`] belong to, so an admin revokes the right person's role.
///
/// # Errors
/// Forbidden unless the caller administers the trust or its bank.
pub async fn staff_at_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
) -> Result<Vec<StaffMember>> {
    let mut grants = grants_at_trust(conn, actor, trust_id).await?;
    grants.sort_by_key(|g| g.created_at);
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(grants.iter().map(|g| g.account_id)))
        .all(conn)
        .await?;
    let mut staff: Vec<StaffMember> = accounts
        .into_iter()
        .map(|a| StaffMember {
            grants: grants
                .iter()
                .filter(|g| g.account_id == a.id)
                .cloned()
                .collect(),
            account: a,
        })
        .collect();
    staff.sort_by(|a, b| {
        (a.account.display_name.to_lowercase(), &a.account.email)
            .cmp(&(b.account.display_name.to_lowercase(), &b.account.email))
    });
    Ok(staff)
}

/// Succeeds when the caller holds one of `roles` at the trust or administers its bank; returns the
/// trust. A caller of another collaborative bank is told the trust does not exist (not found, not
/// forbidden), so a refusal reveals nothing of another bank.
///
/// # Errors
/// Not found (no such trust, or the caller is not of its bank), forbidden.
pub async fn authorize_at_trust(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
    roles: &[Role],
) -> Result<trust::Model> {
    authorize_at_trust_for(conn, actor, trust_id, roles, "trust").await
}

/// As [`authorize_at_trust`], for a thing of the trust (a ward, a site, a restriction) found by its
/// own id: a caller of another bank is told "`what` not found", as if the thing did not exist.
///
/// # Errors
/// Not found, forbidden.
pub async fn authorize_at_trust_for(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    trust_id: Uuid,
    roles: &[Role],
    what: &'static str,
) -> Result<trust::Model> {
    let t = organisation::trust(conn, trust_id)
        .await
        .map_err(|_| not_found(what))?;
    if let Err(refused) = actor.require_trust_role(roles, t.id, t.system_id) {
        scope::require_member(conn, actor, t.system_id, what).await?;
        return Err(refused.into());
    }
    Ok(t)
}
