//! Invitations: how a worker gets a login. Registering a worker sends them an invitation; a bank
//! office can also invite someone by email to register themselves. The invitation carries a
//! one-time code (only its SHA-256 is stored) that expires after 14 days. Accepting it creates the
//! worker's account — or, when the email already has an account, links it after checking that
//! account's password — and gives it the WORKER role for the worker record. The email links to the
//! web app's page that does it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, Set,
};
use sha2::{Digest, Sha256};
use staffbank_core::entity::{account, session};
use staffbank_core::{
    Actor, Clock, Email, Grant, NewPassword, Role, accounts, db, new_id, password, sessions,
};
use staffbank_notify::{Message, outbox};
use uuid::Uuid;

use crate::access::authorize_at_trust;
use crate::entity::{invitation, worker};
use crate::error::{Error, Result, conflict, not_found, validation};
use crate::organisation;
use crate::workers::{self, NewWorker};

/// How long an invitation can be used.
pub const VALID_DAYS: i64 = 14;
/// Kind of the invitation email.
pub const INVITATION: &str = "worker.invitation";

fn hash(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_token() -> String {
    let bytes: [u8; 24] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `raw` percent-encoded for a URL's query string: unreserved characters (RFC 3986) as they are,
/// every other byte as `%XX`.
fn query_value(raw: &str) -> String {
    raw.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Creates an invitation and enqueues its email, in the caller's transaction. The email's main
/// instruction is a link to the web app's page for it (`/invitation/accept` to set a password for
/// a worker a bank office registered, `/invitation/register` to register oneself); the code and
/// the API mutation follow for those who use the API.
async fn send(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    worker_id: Option<Uuid>,
    email: &Email,
    public_url: &str,
) -> Result<invitation::Model> {
    let t = organisation::trust(conn, trust_id).await?;
    let bank = organisation::system(conn, t.system_id).await?;
    let token = new_token();
    let now = clock.now();
    let row = invitation::ActiveModel {
        id: Set(new_id()),
        trust_id: Set(t.id),
        worker_id: Set(worker_id),
        email: Set(email.as_str().to_owned()),
        token_hash: Set(hash(&token)),
        invited_by: Set(actor.account_id()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(VALID_DAYS)),
        accepted_at: Set(None),
        account_id: Set(None),
    }
    .insert(conn)
    .await?;
    let code = query_value(&token);
    let (link, api) = if worker_id.is_some() {
        (
            format!(
                "Open this link to set up your login: {public_url}/invitation/accept?code={code}"
            ),
            "acceptInvitation(code, password)",
        )
    } else {
        (
            format!(
                "Open this link to register and set up your login: \
                 {public_url}/invitation/register?code={code}"
            ),
            "registerWithInvitation(code, details, password)",
        )
    };
    let message = Message::from_paragraphs(
        INVITATION,
        email.clone(),
        format!("Join the {} as a bank worker", bank.name),
        &[
            format!(
                "{} has invited you to work shifts through the {} on staffbank.",
                t.name, bank.name
            ),
            link,
            format!("The link works once and expires in {VALID_DAYS} days."),
            format!("Your invitation code is: {token}"),
            format!(
                "If you use the API instead, send the code with the mutation {api} to \
                 {public_url}/graphql."
            ),
            "If you were not expecting this email, you can ignore it.".to_owned(),
        ],
    );
    outbox::enqueue(
        conn,
        clock,
        &message,
        Some(&format!("{INVITATION}:{}", row.id)),
    )
    .await?;
    Ok(row)
}

/// Invites the worker registered in `worker` to set up their login (called when a bank office
/// registers a worker, in the same transaction: [`workers::create_worker`]).
///
/// # Errors
/// Database errors.
pub(crate) async fn invite_registered(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    w: &worker::Model,
    public_url: &str,
) -> Result<invitation::Model> {
    let email = Email::parse(&w.email)?;
    send(
        tx,
        clock,
        actor,
        w.home_trust_id,
        Some(w.id),
        &email,
        public_url,
    )
    .await
}

/// Invites someone by email to register themselves as a worker at a trust (its bank office or HR).
///
/// It runs in its own write transaction (retried on transient conflicts).
///
/// # Errors
/// Forbidden; validation (email).
pub async fn invite(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    email: &Email,
    public_url: &str,
) -> Result<invitation::Model> {
    db::write(db, |tx| {
        Box::pin(async move { invite_in(&tx, clock, actor, trust_id, email, public_url).await })
    })
    .await
}

/// The work of [`invite`], in the caller's transaction.
async fn invite_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    actor: &Actor,
    trust_id: Uuid,
    email: &Email,
    public_url: &str,
) -> Result<invitation::Model> {
    authorize_at_trust(tx, actor, trust_id, &[Role::BankOffice, Role::Hr]).await?;
    send(tx, clock, actor, trust_id, None, email, public_url).await
}

/// Finds an unused, unexpired invitation by its code.
async fn usable(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    code: &str,
) -> Result<invitation::Model> {
    staffbank_core::text::limits::INVITATION.check(code.trim())?;
    let inv = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash(code)))
        .one(conn)
        .await?
        .ok_or_else(|| not_found("invitation"))?;
    if inv.accepted_at.is_some() {
        return Err(conflict("this invitation has already been used"));
    }
    if inv.expires_at <= clock.now() {
        return Err(validation(
            "this invitation has expired; ask the bank office for a new one",
        ));
    }
    Ok(inv)
}

/// The login an invitation will be accepted with, worked out before the write transaction (the
/// password checked or hashed off the async worker threads), so no writer waits for the hashing.
#[derive(Debug, Clone)]
pub enum Login {
    /// The invited email has no account yet: a new one with this password.
    New(NewPassword),
    /// The invited email has this account, whose password (this hash) was given.
    Existing {
        /// The account.
        account_id: Uuid,
        /// Its password hash as checked.
        phc: String,
    },
}

/// The longest invitation code looked at (codes issued here have 32 characters).
const MAX_CODE_CHARS: usize = 128;

/// The throttle key for attempts with this code ([`staffbank_core::throttle`]).
#[must_use]
pub fn throttle_key(code: &str) -> String {
    let h = hash(code);
    format!("invitation:{}", &h[..16])
}

/// The cheap checks of accepting or registering with an invitation, then the password's work: the
/// code must name a usable invitation of the right kind (`to_register`) and the password meet the
/// policy before any hashing; then
/// the password is checked against the invited email's existing account, or hashed for a new one.
///
/// # Errors
/// Not found (unknown code), conflict (used), validation (expired, password policy), bad
/// credentials (the email has an account with another password).
pub async fn prepare_login(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    code: &str,
    raw_password: &str,
    to_register: bool,
) -> Result<Login> {
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(not_found("invitation"));
    }
    let pw = staffbank_core::Password::parse(raw_password)?;
    let inv = usable(conn, clock, code).await?;
    match (inv.worker_id.is_some(), to_register) {
        (true, true) => {
            return Err(validation(
                "this invitation is to accept, not to register: use acceptInvitation",
            ));
        }
        (false, false) => {
            return Err(validation(
                "this invitation is to register: use registerWithInvitation",
            ));
        }
        _ => {}
    }
    let email = Email::parse(&inv.email)?;
    match accounts::find_by_email(conn, &email).await? {
        Some(existing) => {
            if password::verify_off_thread(pw.expose(), &existing.password_hash).await? {
                Ok(Login::Existing {
                    account_id: existing.id,
                    phc: existing.password_hash,
                })
            } else {
                Err(Error::Core(staffbank_core::Error::BadCredentials))
            }
        }
        None => Ok(Login::New(
            NewPassword::parse_off_thread(pw.expose()).await?,
        )),
    }
}

/// The account for the invited email, as [`prepare_login`] found it: a new one, or the existing
/// one whose password was checked — provided neither changed since.
async fn account_for(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    email: &Email,
    display_name: &str,
    login: &Login,
) -> Result<account::Model> {
    match (accounts::find_by_email(conn, email).await?, login) {
        (Some(existing), Login::Existing { account_id, phc })
            if existing.id == *account_id && existing.password_hash == *phc =>
        {
            Ok(existing)
        }
        // A display name made from two names at their maximum is shortened, not refused.
        (None, Login::New(pw)) => {
            let display_name = staffbank_core::text::shorten(
                display_name,
                staffbank_core::text::limits::DISPLAY_NAME,
            );
            Ok(accounts::create(conn, clock, email, &display_name, pw).await?)
        }
        _ => Err(conflict(
            "the login for this email changed meanwhile; try again",
        )),
    }
}

async fn link(
    conn: &impl ConnectionTrait,
    clock: &dyn Clock,
    inv: invitation::Model,
    account: &account::Model,
    worker_id: Uuid,
) -> Result<()> {
    if accounts::grants_of(conn, account.id)
        .await?
        .iter()
        .any(|g| g.role == Role::Worker)
    {
        return Err(conflict(
            "this account is already linked to a worker record",
        ));
    }
    let grant = Grant {
        role: Role::Worker,
        trust_id: None,
        ward_id: None,
        system_id: None,
        worker_id: Some(worker_id),
    };
    accounts::insert_grant(conn, clock, account.id, &grant, None).await?;
    let mut a: invitation::ActiveModel = inv.into();
    a.accepted_at = Set(Some(clock.now()));
    a.account_id = Set(Some(account.id));
    a.update(conn).await?;
    Ok(())
}

/// Accepts an invitation sent when a bank office registered the worker: sets up their login, as
/// [`prepare_login`] prepared it, and starts its first session, lasting `session_ttl`.
///
/// It runs in its own write transaction (retried on transient conflicts): the login and its
/// session commit together.
///
/// # Errors
/// Not found (unknown code), conflict (used), validation (expired, password policy; or the
/// invitation is to register, not to accept), bad credentials (the email has an account with
/// another password).
pub async fn accept(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    code: &str,
    pw: &Login,
    session_ttl: Duration,
) -> Result<(account::Model, session::Model)> {
    db::write(db, |tx| {
        Box::pin(async move {
            let account = accept_in(&tx, clock, code, pw).await?;
            let session = start_session(&tx, clock, account.id, session_ttl).await?;
            Ok((account, session))
        })
    })
    .await
}

/// The work of [`accept`], in the caller's transaction.
async fn accept_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    code: &str,
    pw: &Login,
) -> Result<account::Model> {
    let inv = usable(tx, clock, code).await?;
    let worker_id = inv
        .worker_id
        .ok_or_else(|| validation("this invitation is to register: use registerWithInvitation"))?;
    let w = workers::get(tx, worker_id).await?;
    let email = Email::parse(&inv.email)?;
    let account = account_for(
        tx,
        clock,
        &email,
        &format!("{} {}", w.given_name, w.family_name),
        pw,
    )
    .await?;
    link(tx, clock, inv, &account, worker_id).await?;
    Ok(account)
}

/// Registers oneself as a worker with an invitation to register: the worker record (at the inviting
/// trust, with the duplicate-person checks), the login, and the link between them; and starts the
/// login's first session, lasting `session_ttl`.
///
/// It runs in its own write transaction (retried on transient conflicts): the worker, the login
/// and its session commit together.
///
/// # Errors
/// As [`accept`], plus every validation of [`workers::create_worker`] and
/// [`Error::DuplicatePerson`].
pub async fn register(
    db: &DatabaseConnection,
    clock: &dyn Clock,
    code: &str,
    details: &NewWorker,
    pw: &Login,
    session_ttl: Duration,
) -> Result<(worker::Model, account::Model, session::Model)> {
    db::write(db, |tx| {
        Box::pin(async move {
            let (w, account) = register_in(&tx, clock, code, details, pw).await?;
            let session = start_session(&tx, clock, account.id, session_ttl).await?;
            Ok((w, account, session))
        })
    })
    .await
}

/// The first session of a login that an invitation has just set up, lasting `ttl` from now, in
/// the transaction that sets it up (so a failed acceptance leaves no session behind).
async fn start_session(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    account_id: Uuid,
    ttl: Duration,
) -> Result<session::Model> {
    let expires_at = clock.now() + ttl;
    Ok(sessions::start_in(tx, clock, account_id, expires_at).await?)
}

/// The work of [`register`], in the caller's transaction.
async fn register_in(
    tx: &DatabaseTransaction,
    clock: &dyn Clock,
    code: &str,
    details: &NewWorker,
    pw: &Login,
) -> Result<(worker::Model, account::Model)> {
    let inv = usable(tx, clock, code).await?;
    if inv.worker_id.is_some() {
        return Err(validation(
            "this invitation is to accept, not to register: use acceptInvitation",
        ));
    }
    let email = Email::parse(&inv.email)?;
    let mut details = details.clone();
    details.email = email.as_str().to_owned();
    // The invitation stands for the inviting trust's permission to register.
    let w = workers::create_worker_in(tx, clock, &Actor::Service, inv.trust_id, &details).await?;
    let account = account_for(
        tx,
        clock,
        &email,
        &format!("{} {}", w.given_name, w.family_name),
        pw,
    )
    .await?;
    link(tx, clock, inv, &account, w.id).await?;
    Ok((w, account))
}

#[cfg(test)]
mod tests {
    use super::query_value;

    #[test]
    fn codes_are_encoded_for_a_query_string() {
        assert_eq!(query_value("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(query_value("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
