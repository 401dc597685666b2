//! The emails the bank sends about accounts and roles. They say what changed and where, and never
//! carry a password: whoever created the account passes that on by another route.

use staffbank_core::{Email, Role};
use staffbank_notify::Message;
use uuid::Uuid;

/// Kind of the welcome email to a new staff account.
pub const ACCOUNT_CREATED: &str = "account.created";
/// Kind of the email telling someone they hold a new role.
pub const ROLE_GRANTED: &str = "role.granted";

/// A role in the words of the people who hold it.
#[must_use]
pub fn role_title(role: Role) -> &'static str {
    match role {
        Role::Worker => "bank worker",
        Role::BankOffice => "bank office",
        Role::Hr => "HR and compliance",
        Role::WardManager => "ward manager",
        Role::TrustAdmin => "trust administrator",
        Role::SystemAdmin => "collaborative bank administrator",
    }
}

/// "Your staffbank account": to a new staff account, with its first role and where it applies
/// (`place`: the trust, or the collaborative bank for a system admin).
#[must_use]
pub fn account_created(to: &Email, display_name: &str, role: Role, place: &str) -> Message {
    Message::from_paragraphs(
        ACCOUNT_CREATED,
        to.clone(),
        "Your staffbank account",
        &[
            format!("Dear {display_name},"),
            format!(
                "An account has been created for you on staffbank, the shared staff bank. Your \
                 role is {} at {place}.",
                role_title(role)
            ),
            format!(
                "Sign in with this email address, {to}. Your password is never sent by email: \
                 the administrator who created your account will give it to you separately."
            ),
            "If you were not expecting this email, please tell your trust's bank office."
                .to_owned(),
        ],
    )
}

/// The dedupe key of the welcome email: one per account.
#[must_use]
pub fn account_created_key(account_id: Uuid) -> String {
    format!("{ACCOUNT_CREATED}:{account_id}")
}

/// "You have a new role on staffbank": to the holder of a new grant.
#[must_use]
pub fn role_granted(to: &Email, display_name: &str, role: Role, place: &str) -> Message {
    Message::from_paragraphs(
        ROLE_GRANTED,
        to.clone(),
        "You have a new role on staffbank",
        &[
            format!("Dear {display_name},"),
            format!(
                "You have been given the role of {} at {place}. You can use it from now on.",
                role_title(role)
            ),
            "If you were not expecting this email, please tell your trust's bank office."
                .to_owned(),
        ],
    )
}

/// The dedupe key of a new-role email: one per grant.
#[must_use]
pub fn role_granted_key(grant_id: Uuid) -> String {
    format!("{ROLE_GRANTED}:{grant_id}")
}
