//! Accounts and sign-in. An account is a person with an email and a password; what they may do
//! comes from their role grants, which are read afresh for every request ([`load_actor`], together
//! with the request's sign-in session), so a removed role stops working at once. Repeated failed
//! sign-ins for one email or one client address are refused for a while, so passwords cannot be
//! guessed at speed.

use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{account, login_attempt, role_grant, session};
use crate::sessions::{self, EndReason, SignedIn};
use crate::{Actor, Clock, Email, Error, Grant, NewPassword, Password, Role, new_id, password};

/// Failed attempts for one email, within [`THROTTLE_WINDOW_MINUTES`], before sign-in is refused.
pub const MAX_FAILURES_PER_EMAIL: u64 = 5;
/// Failed attempts from one client address, within the window, before sign-in is refused.
pub const MAX_FAILURES_PER_IP: u64 = 30;
/// The sliding window over which failures count.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;

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
        if crate::db::violated_constraint(&e).is_some() {
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
        role: Set(grant.role.as_str().to_owned()),
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
/// Database errors, or [`Error::Internal`] for a role name the code does not know.
pub async fn grants_of(conn: &impl ConnectionTrait, account_id: Uuid) -> Result<Vec<Grant>, Error> {
    grant_rows(conn, account_id)
        .await?
        .into_iter()
        .map(|g| {
            let role: Role = g
                .role
                .parse()
                .map_err(|_| Error::Internal(format!("unknown role in database: {}", g.role)))?;
            Ok(Grant {
                role,
                trust_id: g.trust_id,
                ward_id: g.ward_id,
                system_id: g.system_id,
                worker_id: g.worker_id,
            })
        })
        .collect()
}

/// The actor for a request: the account signed in with this session, with its grants as they are
/// now. The session is read with the account (one query), so a session that has ended refuses its
/// token at once.
///
/// # Errors
/// [`Error::Unauthenticated`] when the session is unknown or another account's, or the account no
/// longer exists or is disabled; [`Error::SessionEnded`] when the session has ended.
pub async fn load_actor(conn: &impl ConnectionTrait, signed_in: SignedIn) -> Result<Actor, Error> {
    let found = session::Entity::find_by_id(signed_in.session_id)
        .find_also_related(account::Entity)
        .one(conn)
        .await?;
    let Some((s, account)) = found else {
        return Err(Error::Unauthenticated);
    };
    sessions::check(&s, signed_in.account_id)?;
    match account {
        Some(a) if a.disabled_at.is_none() => Ok(Actor::Account {
            account_id: a.id,
            grants: grants_of(conn, a.id).await?,
            session_id: Some(s.id),
        }),
        _ => Err(Error::Unauthenticated),
    }
}

/// The actor for an account outside any request (demo data, tools): its grants as they are now,
/// and no session.
///
/// # Errors
/// [`Error::Unauthenticated`] when the account no longer exists or is disabled.
pub async fn actor_for(conn: &impl ConnectionTrait, account_id: Uuid) -> Result<Actor, Error> {
    let account = account::Entity::find_by_id(account_id).one(conn).await?;
    match account {
        Some(a) if a.disabled_at.is_none() => Ok(Actor::Account {
            account_id,
            grants: grants_of(conn, account_id).await?,
            session_id: None,
        }),
        _ => Err(Error::Unauthenticated),
    }
}

/// Changes the caller's own password, given the current one, and ends every other session of the
/// account (whoever knew the old password is signed out everywhere else); the caller's own session
/// goes on. Run it in a write transaction, so the new password and the ended sessions commit
/// together.
///
/// # Errors
/// [`Error::Unauthenticated`] for a service actor; [`Error::BadCredentials`] when the current
/// password is wrong; [`Error::Validation`] when the new one breaks the policy or equals the old.
pub async fn change_password(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    current: &str,
    new: &Password,
) -> Result<(), Error> {
    let id = actor.account_id().ok_or(Error::Unauthenticated)?;
    let account = get(conn, id).await?;
    if !password::verify(current, &account.password_hash) {
        return Err(Error::BadCredentials);
    }
    if password::verify(new.expose(), &account.password_hash) {
        return Err(Error::Validation(
            "the new password must differ from the current one".into(),
        ));
    }
    let hash = new.hash()?;
    account::ActiveModel {
        id: Set(id),
        password_hash: Set(hash),
        ..Default::default()
    }
    .update(conn)
    .await?;
    sessions::end_others(
        conn,
        clock,
        id,
        actor.session_id(),
        EndReason::PasswordChanged,
    )
    .await?;
    Ok(())
}

/// Checks an email and password.
///
/// Every attempt is recorded before the password is checked, so parallel guesses count too. When
/// the email or the client address has too many recent failures the attempt is refused without
/// checking the password. A wrong email and a wrong password give the same error and take the same
/// time.
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
    let email_key = email.trim().to_lowercase();
    let now = clock.now();
    let attempt_id = new_id();
    login_attempt::ActiveModel {
        id: Set(attempt_id),
        email: Set(email_key.clone()),
        ip: Set(ip.to_owned()),
        succeeded: Set(false),
        at: Set(now),
    }
    .insert(db)
    .await?;

    let since = now - Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::Email.eq(&email_key))
        .filter(login_attempt::Column::Succeeded.eq(true))
        .filter(login_attempt::Column::At.gte(since))
        .order_by_desc(login_attempt::Column::At)
        .one(db)
        .await?
        .map(|a| a.at);
    let count_from = last_success.map_or(since, |s| s.max(since));
    let email_failures = failures(db, login_attempt::Column::Email, &email_key, count_from).await?;
    let ip_failures = failures(db, login_attempt::Column::Ip, ip, since).await?;
    if email_failures > MAX_FAILURES_PER_EMAIL || ip_failures > MAX_FAILURES_PER_IP {
        let oldest = login_attempt::Entity::find()
            .filter(login_attempt::Column::Succeeded.eq(false))
            .filter(login_attempt::Column::At.gte(count_from))
            .filter(if email_failures > MAX_FAILURES_PER_EMAIL {
                login_attempt::Column::Email.eq(&email_key)
            } else {
                login_attempt::Column::Ip.eq(ip)
            })
            .order_by_asc(login_attempt::Column::At)
            .one(db)
            .await?
            .map_or(now, |a| a.at);
        let retry_after_secs = (oldest + Duration::minutes(THROTTLE_WINDOW_MINUTES) - now)
            .num_seconds()
            .max(1);
        tracing::warn!(email = %email_key, %ip, "sign-in refused: too many failures");
        return Err(Error::TooManyAttempts { retry_after_secs });
    }

    let account = match Email::parse(&email_key) {
        Ok(e) => find_by_email(db, &e).await?,
        Err(_) => None,
    };
    let ok = match &account {
        Some(a) => password::verify(password_attempt, &a.password_hash) && a.disabled_at.is_none(),
        None => {
            password::verify_decoy(password_attempt);
            false
        }
    };
    match account {
        Some(a) if ok => {
            login_attempt::ActiveModel {
                id: Set(attempt_id),
                succeeded: Set(true),
                ..Default::default()
            }
            .update(db)
            .await?;
            Ok(a)
        }
        _ => Err(Error::BadCredentials),
    }
}

async fn failures(
    db: &DatabaseConnection,
    column: login_attempt::Column,
    value: &str,
    since: chrono::DateTime<chrono::Utc>,
) -> Result<u64, Error> {
    Ok(login_attempt::Entity::find()
        .filter(column.eq(value))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::At.gte(since))
        .count(db)
        .await?)
}
