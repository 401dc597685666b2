//! Sign-in sessions. Each sign-in (a password login, or accepting an invitation) starts a session
//! row, and its bearer token names the session. The session is read with the account on every
//! request ([`crate::accounts::load_actor`]), so ending it — signing out, or changing the password,
//! which ends the account's other sessions — refuses its token at once on every replica, long
//! before the token would expire.

use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::StringLen;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::db;
use crate::entity::session;
use crate::{Actor, Clock, Error, new_id};

/// What a genuine bearer token says: this account, signed in with this session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignedIn {
    /// The account.
    pub account_id: Uuid,
    /// The session (the token's `sid` claim).
    pub session_id: Uuid,
}

/// Why a session ended before its token expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum EndReason {
    /// The person signed out.
    #[sea_orm(string_value = "SIGNED_OUT")]
    SignedOut,
    /// The account's password was changed in another session.
    #[sea_orm(string_value = "PASSWORD_CHANGED")]
    PasswordChanged,
    /// An administrator removed one of the account's roles.
    #[sea_orm(string_value = "ROLE_REVOKED")]
    RoleRevoked,
    /// An administrator disabled the account.
    #[sea_orm(string_value = "ACCOUNT_DISABLED")]
    AccountDisabled,
}

impl EndReason {
    /// Every reason.
    pub const ALL: [Self; 4] = [
        Self::SignedOut,
        Self::PasswordChanged,
        Self::RoleRevoked,
        Self::AccountDisabled,
    ];

    /// What a client presenting the ended session's token is told.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Self::SignedOut => "you have signed out; sign in again",
            Self::PasswordChanged => {
                "your password was changed, which signed this session out; sign in again"
            }
            Self::RoleRevoked => {
                "an administrator changed your roles, which signed this session out; sign in again"
            }
            Self::AccountDisabled => "this account has been disabled; ask an administrator",
        }
    }
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// Starts a session for an account that has just proved who it is (a password sign-in, whose
/// check has committed already), in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Database errors.
pub async fn start(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    account_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<session::Model, Error> {
    db::write(db, |tx| {
        Box::pin(async move { start_in(&tx, clock, account_id, expires_at).await })
    })
    .await
}

/// Starts a session in the caller's transaction: run it in the transaction that signs the person
/// in (an invitation accepted, a sign-up), so a failed sign-in leaves no session behind.
///
/// # Errors
/// Database errors.
pub async fn start_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    account_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<session::Model, Error> {
    Ok(session::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account_id),
        created_at: Set(clock.now()),
        expires_at: Set(expires_at),
        ended_at: Set(None),
        end_reason: Set(None),
    }
    .insert(tx)
    .await?)
}

/// Whether a session lets its token in: it must be the account's and not ended.
///
/// # Errors
/// [`Error::Unauthenticated`] for a session that is missing or another account's;
/// [`Error::SessionEnded`] for one that has ended.
pub fn check(s: &session::Model, account_id: Uuid) -> Result<(), Error> {
    if s.account_id != account_id {
        return Err(Error::Unauthenticated);
    }
    if s.ended_at.is_some() {
        // An ended session with no recorded reason reads as signed out.
        let reason = s.end_reason.unwrap_or(EndReason::SignedOut);
        return Err(Error::SessionEnded(reason));
    }
    Ok(())
}

/// Signs the caller out: ends the session their request came with.
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// [`Error::Unauthenticated`] when the caller is not signed in with a session.
pub async fn sign_out(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<(), Error> {
    db::write(db, |tx| {
        Box::pin(async move { sign_out_in(&tx, clock, actor).await })
    })
    .await
}

/// The work of [`sign_out`], in the caller's transaction.
async fn sign_out_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<(), Error> {
    let (Some(account_id), Some(session_id)) = (actor.account_id(), actor.session_id()) else {
        return Err(Error::Unauthenticated);
    };
    session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(clock.now()))
        .col_expr(
            session::Column::EndReason,
            Expr::value(EndReason::SignedOut),
        )
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::EndedAt.is_null())
        .exec(tx)
        .await?;
    Ok(())
}

/// Ends every open session of an account except `keep` (none: all of them).
///
/// # Errors
/// Database errors.
pub async fn end_others(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    account_id: Uuid,
    keep: Option<Uuid>,
    reason: EndReason,
) -> Result<u64, Error> {
    let mut q = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(clock.now()))
        .col_expr(session::Column::EndReason, Expr::value(reason))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::EndedAt.is_null());
    if let Some(keep) = keep {
        q = q.filter(session::Column::Id.ne(keep));
    }
    Ok(q.exec(conn).await?.rows_affected)
}

/// How long ended and expired session rows are kept (for investigating what a session did).
pub const KEEP_DAYS: i64 = 30;

/// Deletes sessions that ended or expired more than [`KEEP_DAYS`] ago. Returns how many.
///
/// # Errors
/// Database errors.
pub async fn prune(conn: &impl ConnectionTrait, clock: &dyn Clock) -> Result<u64, Error> {
    let before = clock.now() - chrono::Duration::days(KEEP_DAYS);
    Ok(session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::ExpiresAt.lt(before))
                .add(session::Column::EndedAt.lt(before)),
        )
        .exec(conn)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(account_id: Uuid, ended: Option<EndReason>) -> session::Model {
        let now = Utc::now();
        session::Model {
            id: Uuid::now_v7(),
            account_id,
            created_at: now,
            expires_at: now,
            ended_at: ended.map(|_| now),
            end_reason: ended,
        }
    }

    #[test]
    fn a_session_lets_in_only_its_own_account_until_it_ends() {
        let me = Uuid::now_v7();
        assert!(check(&row(me, None), me).is_ok());
        assert!(matches!(
            check(&row(Uuid::now_v7(), None), me),
            Err(Error::Unauthenticated)
        ));
        assert!(matches!(
            check(&row(me, Some(EndReason::SignedOut)), me),
            Err(Error::SessionEnded(EndReason::SignedOut))
        ));
        assert!(matches!(
            check(&row(me, Some(EndReason::PasswordChanged)), me),
            Err(Error::SessionEnded(EndReason::PasswordChanged))
        ));
    }
}
