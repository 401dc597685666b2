//! Who is acting. The gateway builds an [`Actor`] for each request from the account's role grants,
//! read fresh from the database, and every domain function decides with it what the caller may do.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::Error;

/// A role, always held for a scope: one trust (or one ward of it), or one collaborative bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A bank worker; the grant names the worker record, not a trust.
    Worker,
    /// A trust's bank office: posts shifts, books workers.
    BankOffice,
    /// A trust's HR / compliance team: verifies checks, issues and accepts passports.
    Hr,
    /// Manages one ward (or all wards of a trust when no ward is named): approves timesheets.
    WardManager,
    /// Administers one trust: its sites, wards, rules and staff accounts.
    TrustAdmin,
    /// Administers a collaborative bank: admits trusts, sets shared rules.
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

    /// The name used in the database and the API.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Worker => "WORKER",
            Role::BankOffice => "BANK_OFFICE",
            Role::Hr => "HR",
            Role::WardManager => "WARD_MANAGER",
            Role::TrustAdmin => "TRUST_ADMIN",
            Role::SystemAdmin => "SYSTEM_ADMIN",
        }
    }

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
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| Error::Validation(format!("unknown role '{s}'")))
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
    },
    /// The service itself (scheduled jobs, demo loading, migrations); never a request.
    Service,
}

impl Actor {
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
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    Error::Forbidden(format!(
        "this needs the role {} for {scope}",
        names.join(" or ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, trust: Uuid) -> Actor {
        Actor::Account {
            account_id: Uuid::nil(),
            grants: vec![Grant {
                role,
                trust_id: Some(trust),
                ward_id: None,
                system_id: None,
                worker_id: None,
            }],
            session_id: None,
        }
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

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().ok(), Some(r));
        }
        assert!("ADMIN".parse::<Role>().is_err());
    }
}
