//! The two password fields both invitation pages ask for, and the form's own checks of them (the
//! policy itself is the API's).

use crate::forms::{Errors, Input};

/// What the password hint says (the policy of `crates/core/src/password.rs`, which the API
/// enforces; its own message is shown when a password breaks it).
const PASSWORD_HINT: &str = "Your password must have 10 to 128 characters. A few words you \
                             will remember, with spaces between them, make a strong password.";

/// What to say when the email has a staff bank login already, with another password.
pub(super) const EXISTING_LOGIN: &str = "Your email address already has a staff bank login. Enter \
                                         the password of that login in both boxes.";

/// The form's own checks of the two password fields.
pub(super) fn check_passwords(password: &str, confirm: &str, errors: &mut Errors) {
    if password.is_empty() {
        errors.add("password", "Enter a password");
    }
    if confirm.is_empty() {
        if !password.is_empty() {
            errors.add(
                "confirm-password",
                "Enter your password again to confirm it",
            );
        }
    } else if password != confirm {
        errors.add(
            "confirm-password",
            "The passwords do not match. Enter the same password twice.",
        );
    }
}

pub(super) fn password_inputs(errors: &Errors) -> (Input, Input) {
    (
        Input::new("password", "Create a password")
            .kind("password")
            .autocomplete("new-password")
            .hint(PASSWORD_HINT)
            .error_from(errors),
        Input::new("confirm-password", "Confirm your password")
            .kind("password")
            .autocomplete("new-password")
            .error_from(errors),
    )
}
