//! Accounts, sign-in and roles in GraphQL.

use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use staffbank_bank::access::{self, GrantRequest};
use staffbank_core::entity::{account, role_grant, session};
use staffbank_core::sessions::{self, SignedIn};
use staffbank_core::{Email, ErrorKind, NewPassword, Password, accounts};
use uuid::Uuid;

use crate::graphql::context::{ContextExt, Services};
use crate::graphql::error::{GqlResultExt, gateway_error};
use crate::graphql::loaders::{DbLoader, SystemId, TrustId};
use crate::graphql::organisations::{CollaborativeBank, Trust};

/// A role; every grant of it has a scope (a trust, a ward, a collaborative bank or a worker).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "Role", remote = "staffbank_core::Role")]
pub enum RoleName {
    /// A bank worker.
    Worker,
    /// A trust's bank office.
    BankOffice,
    /// A trust's HR / compliance team.
    Hr,
    /// A ward manager.
    WardManager,
    /// A trust's administrator.
    TrustAdmin,
    /// A collaborative bank's administrator.
    SystemAdmin,
}

/// A person who signs in.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct Account {
    /// Id.
    pub id: Uuid,
    /// Email (lower case).
    pub email: String,
    /// Name shown in the service.
    pub display_name: String,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// Its grant rows when already read in this request (`me`: with the caller), so `roles`
    /// need not read them again.
    #[graphql(skip)]
    pub grant_rows: Option<Vec<role_grant::Model>>,
}

impl From<account::Model> for Account {
    fn from(m: account::Model) -> Self {
        Self {
            id: m.id,
            email: m.email,
            display_name: m.display_name,
            created_at: m.created_at,
            grant_rows: None,
        }
    }
}

#[ComplexObject]
impl Account {
    /// The roles this account holds now.
    async fn roles(&self, ctx: &Context<'_>) -> Result<Vec<RoleGrant>> {
        let rows = match &self.grant_rows {
            Some(rows) => rows.clone(),
            None => accounts::grant_rows(&ctx.services().db, self.id)
                .await
                .gql()?,
        };
        rows.into_iter().map(RoleGrant::try_from).collect()
    }
}

/// One role held, with its scope.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct RoleGrant {
    /// Id (to revoke it).
    pub id: Uuid,
    /// The account holding it.
    pub account_id: Uuid,
    /// The role.
    pub role: RoleName,
    /// The ward, when a ward manager's grant is limited to one ward.
    pub ward_id: Option<Uuid>,
    /// The worker record, for a worker.
    pub worker_id: Option<Uuid>,
    /// When granted.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub trust_id: Option<Uuid>,
    #[graphql(skip)]
    pub system_id: Option<Uuid>,
}

impl TryFrom<role_grant::Model> for RoleGrant {
    type Error = async_graphql::Error;
    fn try_from(m: role_grant::Model) -> Result<Self> {
        let role = m.role;
        Ok(Self {
            id: m.id,
            account_id: m.account_id,
            role: role.into(),
            ward_id: m.ward_id,
            worker_id: m.worker_id,
            created_at: m.created_at,
            trust_id: m.trust_id,
            system_id: m.system_id,
        })
    }
}

#[ComplexObject]
impl RoleGrant {
    /// The trust, for trust-scoped roles.
    async fn trust(&self, ctx: &Context<'_>) -> Result<Option<Trust>> {
        let Some(id) = self.trust_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<DataLoader<DbLoader>>()
            .load_one(TrustId(id))
            .await?
            .map(Trust::from))
    }

    /// The collaborative bank, for system admins.
    async fn collaborative_bank(&self, ctx: &Context<'_>) -> Result<Option<CollaborativeBank>> {
        let Some(id) = self.system_id else {
            return Ok(None);
        };
        Ok(ctx
            .data_unchecked::<DataLoader<DbLoader>>()
            .load_one(SystemId(id))
            .await?
            .map(CollaborativeBank::from))
    }
}

/// A bearer token and who it is for.
#[derive(SimpleObject, Debug)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The signed-in account.
    pub account: Account,
}

/// When a session starting now ends: the token's lifetime from now.
fn session_ends(services: &Services) -> DateTime<Utc> {
    services.clock.now() + services.tokens.ttl()
}

/// The bearer token for a session that has just started, and who it is for.
pub(crate) fn signed_in(
    ctx: &Context<'_>,
    account: account::Model,
    session: &session::Model,
) -> Result<LoginPayload> {
    let who = SignedIn {
        account_id: account.id,
        session_id: session.id,
    };
    let token = ctx
        .services()
        .tokens
        .issue(who, session.created_at, session.expires_at)
        .map_err(|e| {
            tracing::error!(error = %e, "token signing failed");
            gateway_error(ErrorKind::Internal, "internal error; it has been logged")
        })?;
    Ok(LoginPayload {
        token,
        expires_at: session.expires_at,
        account: account.into(),
    })
}

/// Where a role applies.
#[derive(InputObject, Debug)]
pub struct RoleScopeInput {
    /// The role to grant.
    pub role: RoleName,
    /// The trust (for BANK_OFFICE, HR, WARD_MANAGER, TRUST_ADMIN).
    pub trust_id: Option<Uuid>,
    /// One ward (WARD_MANAGER only; omit for all wards of the trust).
    pub ward_id: Option<Uuid>,
    /// The collaborative bank (SYSTEM_ADMIN).
    pub collaborative_bank_id: Option<Uuid>,
}

impl From<&RoleScopeInput> for GrantRequest {
    fn from(i: &RoleScopeInput) -> Self {
        GrantRequest {
            role: i.role.into(),
            trust_id: i.trust_id,
            ward_id: i.ward_id,
            system_id: i.collaborative_bank_id,
        }
    }
}

/// A new staff account (bank office, HR, ward manager, admin) and its first role.
#[derive(InputObject, Debug)]
pub struct CreateStaffAccountInput {
    /// Email address; the account's sign-in name (at most 254 characters).
    pub email: String,
    /// Name shown in the service: 1 to 200 characters, one line.
    pub display_name: String,
    /// First password (10 to 128 characters).
    pub password: String,
    /// The first role.
    pub scope: RoleScopeInput,
}

/// Queries about the caller and accounts.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The signed-in account, with its roles.
    async fn me(&self, ctx: &Context<'_>) -> Result<Account> {
        // The account and its grants as read with the request's session when the caller was
        // loaded (a query changes no grants, so they are still the ones held now).
        let caller = ctx.caller().await?;
        Ok(Account {
            grant_rows: Some(caller.grant_rows.clone()),
            ..Account::from(caller.account.clone())
        })
    }

    /// The role grants held at a trust (its trust admins and system admins).
    async fn trust_role_grants(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Vec<RoleGrant>> {
        let actor = ctx.actor().await?;
        let rows = access::grants_at_trust(&ctx.services().db, actor, trust_id)
            .await
            .gql()?;
        rows.into_iter().map(RoleGrant::try_from).collect()
    }

    /// The people holding roles at a trust, by name, each with their roles there (its trust
    /// admins and system admins).
    async fn trust_staff(&self, ctx: &Context<'_>, trust_id: Uuid) -> Result<Vec<StaffMember>> {
        let actor = ctx.actor().await?;
        let staff = access::staff_at_trust(&ctx.services().db, actor, trust_id)
            .await
            .gql()?;
        staff
            .into_iter()
            .map(|m| {
                Ok(StaffMember {
                    account_id: m.account.id,
                    email: m.account.email,
                    display_name: m.account.display_name,
                    disabled: m.account.disabled_at.is_some(),
                    roles: m
                        .grants
                        .into_iter()
                        .map(RoleGrant::try_from)
                        .collect::<Result<_>>()?,
                })
            })
            .collect()
    }
}

/// Someone holding roles at a trust.
#[derive(SimpleObject, Debug, Clone)]
pub struct StaffMember {
    /// Their account.
    pub account_id: Uuid,
    /// Their email (lower case).
    pub email: String,
    /// Their name as shown in the service.
    pub display_name: String,
    /// Whether their account is disabled (it cannot sign in).
    pub disabled: bool,
    /// Their roles at the trust, oldest first.
    pub roles: Vec<RoleGrant>,
}

/// Sign-in and role changes.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs in, starting a session that lasts until the token expires or `logout` ends it. A
    /// wrong email and a wrong password give the same error; after repeated failures further
    /// attempts are refused for a while (`RATE_LIMITED`).
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An email address (at most 254 characters).")] email: String,
        password: String,
    ) -> Result<LoginPayload> {
        let s = ctx.services();
        let ip = ctx.request().ip.clone();
        let account = accounts::login(&s.db, s.clock.as_ref(), &email, &password, &ip)
            .await
            .gql()?;
        let id = account.id;
        let session = sessions::start(&s.db, s.clock.as_ref(), id, session_ends(s))
            .await
            .gql()?;
        tracing::info!(account = %account.id, session = %session.id, "signed in");
        signed_in(ctx, account, &session)
    }

    /// Signs out: ends the session of the token this request came with. From then on that token
    /// is refused (`UNAUTHENTICATED`) on every server; other sessions of the account go on.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        sessions::sign_out(&s.db, clock, actor).await.gql()?;
        tracing::info!(account = ?actor.account_id(), session = ?actor.session_id(), "signed out");
        Ok(true)
    }

    /// Grants a role to an existing account (trust admins for their trust; system admins for
    /// their bank).
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "An email address (at most 254 characters).")] email: String,
        scope: RoleScopeInput,
    ) -> Result<RoleGrant> {
        let actor = ctx.actor().await?;
        let email = Email::parse(&email).gql()?;
        let req = GrantRequest::from(&scope);
        let s = ctx.services();
        let clock = s.clock.as_ref();
        // One transaction: the grant and the email telling its holder commit together.
        let row = access::grant_role(&s.db, clock, actor, &email, &req)
            .await
            .gql()?;
        RoleGrant::try_from(row)
    }

    /// Changes the signed-in account's password (the current one is required). Every other
    /// session of the account is signed out; this one goes on.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<bool> {
        let actor = ctx.actor().await?;
        let new = Password::parse(&new_password).gql()?;
        let s = ctx.services();
        accounts::change_password(&s.db, s.clock.as_ref(), actor, &current_password, &new)
            .await
            .gql()?;
        Ok(true)
    }

    /// Removes a role grant and signs its holder out everywhere at once (their tokens and web
    /// sessions are refused from their next request; they sign in again with the roles left).
    async fn revoke_role(&self, ctx: &Context<'_>, grant_id: Uuid) -> Result<bool> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        access::revoke_role(&s.db, clock, actor, grant_id)
            .await
            .gql()?;
        Ok(true)
    }

    /// Disables a staff account: it can no longer sign in, and every session it has ends at once.
    /// You must administer every role it holds (a trust admin for roles at their trust, a system
    /// admin for their bank); not your own account, nor a worker's login.
    async fn disable_account(&self, ctx: &Context<'_>, account_id: Uuid) -> Result<bool> {
        let actor = ctx.actor().await?;
        let s = ctx.services();
        let clock = s.clock.as_ref();
        access::disable_account(&s.db, clock, actor, account_id)
            .await
            .gql()?;
        tracing::info!(by = ?actor.account_id(), account = %account_id, "account disabled");
        Ok(true)
    }

    /// Creates a staff account with its first role.
    async fn create_staff_account(
        &self,
        ctx: &Context<'_>,
        input: CreateStaffAccountInput,
    ) -> Result<Account> {
        let actor = ctx.actor().await?;
        let email = Email::parse(&input.email).gql()?;
        // Hashed before the write transaction, so no writer waits for the hashing.
        let password = NewPassword::parse_off_thread(&input.password).await.gql()?;
        let req = GrantRequest::from(&input.scope);
        let s = ctx.services();
        let clock = s.clock.as_ref();
        // One transaction: the account, its first role and its welcome email commit together.
        access::create_staff_account(
            &s.db,
            clock,
            actor,
            &email,
            &input.display_name,
            &password,
            &req,
        )
        .await
        .map(Account::from)
        .gql()
    }
}
