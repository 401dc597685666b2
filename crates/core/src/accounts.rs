//! Accounts and sign-in. An account is a person with an email and a password; what they may do
//! comes from their role grants, which are read afresh for every request ([`load_actor`], together
//! with the request's sign-in session), so a removed role stops working at once. Failed sign-ins
//! slow an account down ([`crate::throttle`]), so passwords cannot be guessed at speed, without a
//! stranger being able to lock the owner out for long.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::db::Constraint;
use crate::entity::{account, role_grant, session};
use crate::sessions::{self, EndReason, SignedIn};
use crate::{Actor, Clock, Email, Error, Grant, NewPassword, Password, new_id, password, throttle};

/// One account per email: breaking it is a duplicate account, whichever engine reports it.
const ACCOUNT_EMAIL: Constraint = Constraint {
    name: "accounts_email_key",
    sqlite_columns: "accounts.email",
};

/// Creates an account. Used by the service (demo data, accepted invitations) and by admin functions
/// that have already checked the caller's rights.
///
/// # Errors
/// [`Error::Conflict`] when the email is taken; [`Error::Validation`] for a blank name.
pub async fn create(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    email: &Email,
    display_name: &str,
    password: &NewPassword,
) -> Result<account::Model, Error> {
    let display_name = crate::text::limits::DISPLAY.required(display_name)?;
    let display_name = display_name.as_str();
    if find_by_email(conn, email).await?.is_some() {
        return Err(Error::Conflict(format!(
            "an account with the email {email} already exists"
        )));
    }
    let model = account::ActiveModel {
        id: Set(new_id()),
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(password.phc().to_owned()),
        created_at: Set(clock.now()),
        disabled_at: Set(None),
    };
    model.insert(conn).await.map_err(|e| {
        if ACCOUNT_EMAIL.is_broken_by(&e) {
            Error::Conflict(format!("an account with the email {email} already exists"))
        } else {
            Error::Db(e)
        }
    })
}

/// The account with this email, if any.
///
/// # Errors
/// Database errors.
pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<account::Model>, Error> {
    Ok(account::Entity::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .one(conn)
        .await?)
}

/// The account with this id.
///
/// # Errors
/// [`Error::NotFound`].
pub async fn get(conn: &impl ConnectionTrait, id: Uuid) -> Result<account::Model, Error> {
    account::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::NotFound("account"))
}

/// Records a grant. Callers check the granting actor's rights first.
///
/// # Errors
/// Database errors.
pub async fn insert_grant(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    account_id: Uuid,
    grant: &Grant,
    granted_by: Option<Uuid>,
) -> Result<role_grant::Model, Error> {
    let model = role_grant::ActiveModel {
        id: Set(new_id()),
        account_id: Set(account_id),
        role: Set(grant.role),
        trust_id: Set(grant.trust_id),
        ward_id: Set(grant.ward_id),
        system_id: Set(grant.system_id),
        worker_id: Set(grant.worker_id),
        granted_by: Set(granted_by),
        created_at: Set(clock.now()),
    };
    Ok(model.insert(conn).await?)
}

/// The grant rows of an account, oldest first.
///
/// # Errors
/// Database errors.
pub async fn grant_rows(
    conn: &impl ConnectionTrait,
    account_id: Uuid,
) -> Result<Vec<role_grant::Model>, Error> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .order_by_asc(role_grant::Column::Id)
        .all(conn)
        .await?)
}

/// The grants an account holds now.
///
/// # Errors
/// Database errors (a role name the code does not know fails the row's decode).
pub async fn grants_of(conn: &impl ConnectionTrait, account_id: Uuid) -> Result<Vec<Grant>, Error> {
    Ok(grant_rows(conn, account_id)
        .await?
        .iter()
        .map(grant_of)
        .collect())
}

/// The grant a grant row records.
fn grant_of(g: &role_grant::Model) -> Grant {
    Grant {
        role: g.role,
        trust_id: g.trust_id,
        ward_id: g.ward_id,
        system_id: g.system_id,
        worker_id: g.worker_id,
    }
}

/// The caller of a request as [`load_caller`] found them: the actor, and the account and grant
/// rows its grants were read from (so the request's `me` needs no second read of them).
#[derive(Clone)]
pub struct Caller {
    /// Who is acting, with the grants read now.
    pub actor: Actor,
    /// Their account, as read with the session.
    pub account: account::Model,
    /// The account's grant rows the actor's grants come from, oldest first.
    pub grant_rows: Vec<role_grant::Model>,
}

impl std::fmt::Debug for Caller {
    /// The actor and the account's id: the account row holds the password hash, which no log
    /// should carry.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Caller")
            .field("actor", &self.actor)
            .field("account_id", &self.account.id)
            .field("grant_rows", &self.grant_rows)
            .finish_non_exhaustive()
    }
}

/// The caller of a request: the account signed in with this session, with its grants as they
/// are now, and the account row. The session is read with the account (one query), so a session
/// that has ended refuses its token at once.
///
/// # Errors
/// [`Error::Unauthenticated`] when the session is unknown or another account's, or the account no
/// longer exists or is disabled; [`Error::SessionEnded`] when the session has ended.
pub async fn load_caller(
    conn: &impl ConnectionTrait,
    signed_in: SignedIn,
) -> Result<Caller, Error> {
    let found = session::Entity::find_by_id(signed_in.session_id)
        .find_also_related(account::Entity)
        .one(conn)
        .await?;
    let Some((s, account)) = found else {
        return Err(Error::Unauthenticated);
    };
    sessions::check(&s, signed_in.account_id)?;
    match account {
        Some(a) if a.disabled_at.is_none() => {
            let grant_rows = grant_rows(conn, a.id).await?;
            let grants = grant_rows.iter().map(grant_of).collect();
            Ok(Caller {
                actor: Actor::account(a.id, grants, Some(s.id)),
                account: a,
                grant_rows,
            })
        }
        _ => Err(Error::Unauthenticated),
    }
}

/// The actor for a request ([`load_caller`] without the account row).
///
/// # Errors
/// As [`load_caller`].
pub async fn load_actor(conn: &impl ConnectionTrait, signed_in: SignedIn) -> Result<Actor, Error> {
    Ok(load_caller(conn, signed_in).await?.actor)
}

/// The actor for an account outside any request (demo data, tools): its grants as they are now,
/// and no session.
///
/// # Errors
/// [`Error::Unauthenticated`] when the account no longer exists or is disabled.
pub async fn actor_for(conn: &impl ConnectionTrait, account_id: Uuid) -> Result<Actor, Error> {
    let account = account::Entity::find_by_id(account_id).one(conn).await?;
    match account {
        Some(a) if a.disabled_at.is_none() => Ok(Actor::account(
            account_id,
            grants_of(conn, account_id).await?,
            None,
        )),
        _ => Err(Error::Unauthenticated),
    }
}

/// Changes the caller's own password, given the current one, and ends every other session of the
/// account (whoever knew the old password is signed out everywhere else); the caller's own session
/// goes on. The passwords are checked and the new one hashed off the async worker threads and
/// before any write; the write (in its own short transaction) replaces the hash only if it is still
/// the one checked, so the new password and the ended sessions commit together.
///
/// # Errors
/// [`Error::Unauthenticated`] for a service actor; [`Error::BadCredentials`] when the current
/// password is wrong; [`Error::Validation`] when the new one breaks the policy or equals the old;
/// [`Error::Conflict`] when the password changed meanwhile.
pub async fn change_password(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    current: &str,
    new: &Password,
) -> Result<(), Error> {
    let id = actor.account_id().ok_or(Error::Unauthenticated)?;
    if current.chars().count() > password::MAX_LEN {
        return Err(Error::BadCredentials);
    }
    let account = get(db, id).await?;
    if !password::verify_off_thread(current, &account.password_hash).await? {
        return Err(Error::BadCredentials);
    }
    if password::verify_off_thread(new.expose(), &account.password_hash).await? {
        return Err(Error::Validation(
            "the new password must differ from the current one".into(),
        ));
    }
    let hash = NewPassword::parse_off_thread(new.expose()).await?;
    let old = account.password_hash;
    let session = actor.session_id();
    crate::db::write(db, |tx| {
        let (hash, old) = (hash.phc().to_owned(), old.clone());
        Box::pin(async move {
            let changed = account::Entity::update_many()
                .col_expr(account::Column::PasswordHash, Expr::value(hash))
                .filter(account::Column::Id.eq(id))
                .filter(account::Column::PasswordHash.eq(old))
                .exec(&*tx)
                .await?
                .rows_affected;
            if changed == 0 {
                return Err(Error::Conflict(
                    "the password was changed meanwhile; sign in again".into(),
                ));
            }
            sessions::end_others(&*tx, clock, id, session, EndReason::PasswordChanged).await?;
            Ok(())
        })
    })
    .await
}

/// Checks an email and password, throttled ([`throttle`]): after a few failures for the account
/// (from this address, or from anywhere) or from this address, each next attempt must wait a
/// delay that doubles up to a short cap, and is refused without checking the password until
/// then. Cheap checks come first: a refused or impossible attempt costs no hashing; the hashing
/// runs off the async worker threads. A wrong email and a wrong password give the same error and
/// take the same time.
///
/// # Errors
/// [`Error::BadCredentials`], [`Error::TooManyAttempts`].
pub async fn login(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    email: &str,
    password_attempt: &str,
    ip: &str,
) -> Result<account::Model, Error> {
    let key = throttle::email_key(email);
    throttle::attempt(db, clock, &key, ip, async {
        // No account's password is longer than the policy allows: nothing to hash.
        if password_attempt.chars().count() > password::MAX_LEN {
            return Err(Error::BadCredentials);
        }
        let account = match Email::parse(&key) {
            Ok(e) => find_by_email(db, &e).await?,
            Err(_) => None,
        };
        match account {
            Some(a) => {
                let ok = password::verify_off_thread(password_attempt, &a.password_hash).await?;
                if ok && a.disabled_at.is_none() {
                    Ok(a)
                } else {
                    Err(Error::BadCredentials)
                }
            }
            None => {
                password::verify_decoy_off_thread(password_attempt).await;
                Err(Error::BadCredentials)
            }
        }
    })
    .await
}

/// Disables an account: it can no longer sign in, and every session it has ends at once (its
/// tokens are refused on the next request, on every replica). Callers check the caller's rights
/// first; run it in a write transaction.
///
/// # Errors
/// [`Error::NotFound`]; [`Error::Conflict`] when it is already disabled.
pub async fn disable(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    account_id: Uuid,
) -> Result<(), Error> {
    let a = get(conn, account_id).await?;
    if a.disabled_at.is_some() {
        return Err(Error::Conflict("this account is already disabled".into()));
    }
    account::ActiveModel {
        id: Set(account_id),
        disabled_at: Set(Some(clock.now())),
        ..Default::default()
    }
    .update(conn)
    .await?;
    sessions::end_others(conn, clock, account_id, None, EndReason::AccountDisabled).await?;
    Ok(())
}
