//! The roles a trust admin gives at their trust, in the forms' codes and words.

use crate::forms::{Errors, Select};
use crate::viewer::Role;

/// The roles a trust admin gives at their trust, as the forms list them.
const ROLES: [Role; 4] = [
    Role::BankOffice,
    Role::Hr,
    Role::WardManager,
    Role::TrustAdmin,
];

fn role_code(r: Role) -> &'static str {
    match r {
        Role::Worker => "worker",
        Role::BankOffice => "bank-office",
        Role::Hr => "hr",
        Role::WardManager => "ward-manager",
        Role::TrustAdmin => "trust-admin",
        Role::SystemAdmin => "system-admin",
    }
}

pub(super) fn role_words(r: Role) -> &'static str {
    match r {
        Role::Worker => "Bank worker",
        Role::BankOffice => "Bank office",
        Role::Hr => "HR and compliance",
        Role::WardManager => "Ward manager",
        Role::TrustAdmin => "Trust administrator",
        Role::SystemAdmin => "System administrator",
    }
}

pub(super) fn role_of(code: &str) -> Option<Role> {
    ROLES.into_iter().find(|r| role_code(*r) == code)
}

pub(super) fn role_select(errors: &Errors, selected: &str) -> Select {
    let mut options = vec![(String::new(), "Choose a role".to_owned())];
    options.extend(
        ROLES
            .iter()
            .map(|r| (role_code(*r).to_owned(), role_words(*r).to_owned())),
    );
    Select::new("role", "Role", options)
        .selected(selected)
        .error_from(errors)
}
