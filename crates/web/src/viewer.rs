//! The signed-in person as every page needs them: their name for the header, and their roles,
//! which decide the areas they may open (read from the API on each request, so a removed role
//! takes effect at once).

use crate::schema::{Uuid, schema};

/// A role (the API's `Role`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// A bank worker.
    Worker,
    /// A trust's bank office.
    BankOffice,
    /// HR and compliance.
    Hr,
    /// A ward manager.
    WardManager,
    /// A trust's administrator.
    TrustAdmin,
    /// A collaborative bank's administrator.
    SystemAdmin,
}

/// One role grant, as far as the pages need it.
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "RoleGrant")]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The trust, for trust-scoped roles.
    pub trust: Option<GrantTrust>,
    /// The ward, when a ward manager's grant is limited to one ward.
    pub ward_id: Option<Uuid>,
}

/// The trust of a grant: its id (for the operations a page runs) and name (for the header).
#[derive(cynic::QueryFragment, Debug, Clone, PartialEq, Eq)]
#[cynic(graphql_type = "Trust")]
pub struct GrantTrust {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
}

/// The signed-in account (the API's `me`).
#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "Account")]
pub struct Viewer {
    /// Their name.
    pub display_name: String,
    /// Their roles.
    pub roles: Vec<Grant>,
}

impl Viewer {
    /// Whether they hold `role` anywhere.
    #[must_use]
    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    /// The trusts at which they hold `role`, each once, by name.
    #[must_use]
    pub fn trusts_as(&self, role: Role) -> Vec<GrantTrust> {
        let mut trusts: Vec<GrantTrust> = self
            .roles
            .iter()
            .filter(|g| g.role == role)
            .filter_map(|g| g.trust.clone())
            .collect();
        trusts.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        trusts.dedup_by(|a, b| a.id == b.id);
        trusts
    }

    /// The areas of the app their roles open, each once, in a fixed order.
    #[must_use]
    pub fn areas(&self) -> Vec<Area> {
        let mut roles: Vec<Role> = self.roles.iter().map(|g| g.role).collect();
        roles.sort();
        roles.dedup();
        roles.into_iter().map(Area::of).collect()
    }
}

/// A part of the app for one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    /// The role.
    pub role: Role,
    /// Its home page.
    pub href: &'static str,
    /// What it is called.
    pub title: &'static str,
    /// Who it is for, in a phrase ("bank offices").
    pub who: &'static str,
    /// What you do there.
    pub description: &'static str,
}

impl Area {
    /// The area of a role.
    #[must_use]
    pub fn of(role: Role) -> Self {
        let (href, title, who, description) = match role {
            Role::Worker => (
                "/worker",
                "Work bank shifts",
                "bank workers",
                "Find and book shifts, submit timesheets, keep your record and passports up to date.",
            ),
            Role::BankOffice => (
                "/office",
                "Run the bank office",
                "bank offices",
                "Post shifts, see who can work them, book workers and approve pay.",
            ),
            Role::Hr => (
                "/hr",
                "Check workers' compliance",
                "HR and compliance teams",
                "Verify checks and training, issue and accept passports.",
            ),
            Role::WardManager => (
                "/ward",
                "Approve timesheets",
                "ward managers",
                "Approve or query the timesheets of your ward.",
            ),
            Role::TrustAdmin => (
                "/admin",
                "Manage your trust",
                "trust administrators",
                "Sites, wards, requirements, rate cards and staff accounts.",
            ),
            Role::SystemAdmin => (
                "/bank-admin",
                "Manage the collaborative bank",
                "collaborative bank administrators",
                "Member trusts, the passporting agreement and bank-wide reports.",
            ),
        };
        Self {
            role,
            href,
            title,
            who,
            description,
        }
    }
}
