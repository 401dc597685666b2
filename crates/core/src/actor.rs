//! Who is acting. The gateway builds an [`Actor`] for each request from the account's role grants,
//! read fresh from the database, and every domain function decides with it what the caller may do.

use std::collections::BTreeSet;
use std::fmt;
use std::future::Future;

use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::Error;

/// A role, always held for a scope: one trust (or one ward of it), or one collaborative bank. Stored
/// (and named in the API) by its code, e.g. `WARD_MANAGER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum Role {
    /// A bank worker; the grant names the worker record, not a trust.
    #[sea_orm(string_value = "WORKER")]
    Worker,
    /// A trust's bank office: posts shifts, books workers.
    #[sea_orm(string_value = "BANK_OFFICE")]
    BankOffice,
    /// A trust's HR / compliance team: verifies checks, issues and accepts passports.
    #[sea_orm(string_value = "HR")]
    Hr,
    /// Manages one ward (or all wards of a trust when no ward is named): approves timesheets.
    #[sea_orm(string_value = "WARD_MANAGER")]
    WardManager,
    /// Administers one trust: its sites, wards, rules and staff accounts.
    #[sea_orm(string_value = "TRUST_ADMIN")]
    TrustAdmin,
    /// Administers a collaborative bank: admits trusts, sets shared rules.
    #[sea_orm(string_value = "SYSTEM_ADMIN")]
    SystemAdmin,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 6] = [
        Role::Worker,
        Role::BankOffice,
        Role::Hr,
        Role::WardManager,
        Role::TrustAdmin,
        Role::SystemAdmin,
    ];

    /// Whether this role is held for one trust.
    #[must_use]
    pub fn is_trust_scoped(self) -> bool {
        matches!(
            self,
            Role::BankOffice | Role::Hr | Role::WardManager | Role::TrustAdmin
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// One role held by an account, with its scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The trust, for trust-scoped roles.
    pub trust_id: Option<Uuid>,
    /// The ward, when a ward manager's grant is limited to one ward.
    pub ward_id: Option<Uuid>,
    /// The collaborative bank, for system admins.
    pub system_id: Option<Uuid>,
    /// The worker record, for workers.
    pub worker_id: Option<Uuid>,
}

/// The caller of a domain function.
#[derive(Debug, Clone)]
pub enum Actor {
    /// A signed-in account with its current grants.
    Account {
        /// The account.
        account_id: Uuid,
        /// Its roles as read at the start of this request.
        grants: Vec<Grant>,
        /// The sign-in session the request came with (none when the service acts as an account
        /// outside any request, e.g. loading demo data).
        session_id: Option<Uuid>,
        /// The collaborative banks these grants make the caller one of, once worked out.
        banks: BanksMemo,
    },
    /// The service itself (scheduled jobs, demo loading, migrations); never a request.
    Service,
}

/// The collaborative banks an account's grants make it one of, besides those it administers:
/// what [`BanksMemo`] keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantBanks {
    /// The banks of the trusts where it holds a trust-scoped (staff) role.
    pub staff: BTreeSet<Uuid>,
    /// The banks of its worker records.
    pub worker: BTreeSet<Uuid>,
}

/// A memo of the collaborative banks an account's grants make it one of, worked out at most once
/// per [`Actor`] (the bank crate's `scope` fills it), so the many resolvers and loaders of one
/// request, which share their request's actor by reference, do not each read the caller's
/// trusts and worker record again.
///
/// It lives exactly as long as the actor it is in, which is built afresh for each request with
/// the grants read then, and it is never shared: cloning an actor gives the clone an empty memo of
/// its own, so a clone kept beyond the request (or handed to other work) reads the banks afresh.
/// What it keeps cannot go stale meanwhile: it follows from the actor's grants, and a trust's or
/// a worker record's bank never changes.
#[derive(Default)]
pub struct BanksMemo(OnceCell<GrantBanks>);

impl BanksMemo {
    /// The banks, worked out by `init` the first time they are asked for (callers asking at the
    /// same time wait for that one answer); an error is not kept, so the next caller tries again.
    ///
    /// # Errors
    /// The error of `init`.
    pub async fn get_or_try_init<E, F, Fut>(&self, init: F) -> Result<&GrantBanks, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<GrantBanks, E>>,
    {
        self.0.get_or_try_init(init).await
    }

    /// The banks, if they have been worked out already.
    #[must_use]
    pub fn get(&self) -> Option<&GrantBanks> {
        self.0.get()
    }
}

impl Clone for BanksMemo {
    /// An empty memo: a memo is never shared between two actors.
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl fmt::Debug for BanksMemo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.get() {
            Some(ids) => f.debug_tuple("BanksMemo").field(ids).finish(),
            None => f.write_str("BanksMemo(not yet worked out)"),
        }
    }
}

impl Actor {
    /// An account acting with these grants, through `session_id` when in a request.
    #[must_use]
    pub fn account(account_id: Uuid, grants: Vec<Grant>, session_id: Option<Uuid>) -> Self {
        Actor::Account {
            account_id,
            grants,
            session_id,
            banks: BanksMemo::default(),
        }
    }

    /// The memo of the caller's collaborative banks (none for the service, which belongs to
    /// every bank).
    #[must_use]
    pub fn banks_memo(&self) -> Option<&BanksMemo> {
        match self {
            Actor::Account { banks, .. } => Some(banks),
            Actor::Service => None,
        }
    }

    /// The account id, if a person is acting.
    #[must_use]
    pub fn account_id(&self) -> Option<Uuid> {
        match self {
            Actor::Account { account_id, .. } => Some(*account_id),
            Actor::Service => None,
        }
    }

    /// The sign-in session of the request, if a person is acting through one.
    #[must_use]
    pub fn session_id(&self) -> Option<Uuid> {
        match self {
            Actor::Account { session_id, .. } => *session_id,
            Actor::Service => None,
        }
    }

    /// The grants held (none for the service).
    #[must_use]
    pub fn grants(&self) -> &[Grant] {
        match self {
            Actor::Account { grants, .. } => grants,
            Actor::Service => &[],
        }
    }

    /// Whether this is the service itself.
    #[must_use]
    pub fn is_service(&self) -> bool {
        matches!(self, Actor::Service)
    }

    /// The worker record this account is, if any.
    #[must_use]
    pub fn worker_id(&self) -> Option<Uuid> {
        self.grants()
            .iter()
            .find(|g| g.role == Role::Worker)
            .and_then(|g| g.worker_id)
    }

    /// Whether the caller holds `role` at `trust_id`.
    #[must_use]
    pub fn has_trust_role(&self, role: Role, trust_id: Uuid) -> bool {
        self.grants()
            .iter()
            .any(|g| g.role == role && g.trust_id == Some(trust_id))
    }

    /// Whether the caller holds any of `roles` at `trust_id` (the service holds all).
    #[must_use]
    pub fn has_any_trust_role(&self, roles: &[Role], trust_id: Uuid) -> bool {
        self.is_service() || roles.iter().any(|r| self.has_trust_role(*r, trust_id))
    }

    /// Whether the caller administers the collaborative bank `system_id` (the service does).
    #[must_use]
    pub fn is_system_admin(&self, system_id: Uuid) -> bool {
        self.is_service()
            || self
                .grants()
                .iter()
                .any(|g| g.role == Role::SystemAdmin && g.system_id == Some(system_id))
    }

    /// The trusts at which the caller holds any of `roles`.
    #[must_use]
    pub fn trusts_with(&self, roles: &[Role]) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self
            .grants()
            .iter()
            .filter(|g| roles.contains(&g.role))
            .filter_map(|g| g.trust_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Succeeds when the caller holds one of `roles` at `trust_id`, or administers its system.
    ///
    /// # Errors
    /// [`Error::Forbidden`] naming the roles that would do.
    pub fn require_trust_role(
        &self,
        roles: &[Role],
        trust_id: Uuid,
        system_id: Uuid,
    ) -> Result<(), Error> {
        if self.has_any_trust_role(roles, trust_id) || self.is_system_admin(system_id) {
            return Ok(());
        }
        Err(forbidden_for(roles, "this trust"))
    }

    /// Succeeds when the caller administers `system_id`.
    ///
    /// # Errors
    /// [`Error::Forbidden`].
    pub fn require_system_admin(&self, system_id: Uuid) -> Result<(), Error> {
        if self.is_system_admin(system_id) {
            Ok(())
        } else {
            Err(forbidden_for(
                &[Role::SystemAdmin],
                "this collaborative bank",
            ))
        }
    }
}

/// A [`Error::Forbidden`] that says which roles would be allowed, for the named scope.
#[must_use]
pub fn forbidden_for(roles: &[Role], scope: &str) -> Error {
    let names: Vec<String> = roles.iter().map(ActiveEnum::to_value).collect();
    Error::Forbidden(format!(
        "this needs the role {} for {scope}",
        names.join(" or ")
    ))
}

#[cfg(test)]
mod tests {
    #![expect(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "a test fails by panicking"
    )]
    use super::*;

    fn actor(role: Role, trust: Uuid) -> Actor {
        Actor::account(
            Uuid::nil(),
            vec![Grant {
                role,
                trust_id: Some(trust),
                ward_id: None,
                system_id: None,
                worker_id: None,
            }],
            None,
        )
    }

    #[test]
    fn roles_are_scoped_to_their_trust() {
        let (a, b, sys) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let office = actor(Role::BankOffice, a);
        assert!(
            office
                .require_trust_role(&[Role::BankOffice], a, sys)
                .is_ok()
        );
        assert!(
            office
                .require_trust_role(&[Role::BankOffice], b, sys)
                .is_err()
        );
        assert!(office.require_trust_role(&[Role::Hr], a, sys).is_err());
    }

    #[tokio::test]
    async fn a_banks_memo_is_worked_out_once_and_never_shared_by_a_clone() {
        let trust = Uuid::now_v7();
        let office = actor(Role::BankOffice, trust);
        let memo = office.banks_memo().expect("an account has a memo");
        let banks = GrantBanks {
            staff: BTreeSet::from([Uuid::now_v7()]),
            worker: BTreeSet::new(),
        };
        let mut asked = 0;
        for _ in 0..3 {
            let found = memo
                .get_or_try_init(|| {
                    asked += 1;
                    let banks = banks.clone();
                    async move { Ok::<_, Error>(banks) }
                })
                .await
                .unwrap();
            assert_eq!(found, &banks);
        }
        assert_eq!(asked, 1, "worked out once for the actor");
        let copy = office.clone();
        let copy_memo = copy.banks_memo().expect("a clone has a memo");
        assert!(
            copy_memo.get().is_none(),
            "a clone starts with an empty memo"
        );
        copy_memo
            .get_or_try_init(|| async { Ok::<_, Error>(GrantBanks::default()) })
            .await
            .unwrap();
        assert_eq!(memo.get(), Some(&banks), "the original keeps its own");
        assert!(Actor::Service.banks_memo().is_none());
    }

    #[tokio::test]
    async fn a_failed_banks_lookup_is_not_remembered() {
        let office = actor(Role::BankOffice, Uuid::now_v7());
        let memo = office.banks_memo().expect("an account has a memo");
        let failed = memo
            .get_or_try_init(|| async { Err::<GrantBanks, _>(Error::Internal("down".into())) })
            .await;
        assert!(failed.is_err());
        assert!(memo.get().is_none());
        let found = memo
            .get_or_try_init(|| async { Ok::<_, Error>(GrantBanks::default()) })
            .await
            .unwrap();
        assert_eq!(found, &GrantBanks::default());
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(
                crate::code::parse::<Role>(&r.to_value(), "role").ok(),
                Some(r)
            );
        }
        assert!(crate::code::parse::<Role>("ADMIN", "role").is_err());
    }
}
