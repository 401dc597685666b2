//! Stored codes: the enums whose values are kept in text columns (states, kinds, roles, audiences)
//! derive sea-orm's `DeriveActiveEnum`, so a row with a code the program does not know fails to
//! decode (an internal error) instead of reading as some default. These helpers turn such an enum
//! into its code and read one from a caller's text.

use sea_orm::ActiveEnum;

use crate::Error;

/// The code an enum is stored as (the `string_value` of its variant).
#[must_use]
pub fn of<E: ActiveEnum<Value = String>>(value: &E) -> String {
    value.to_value()
}

/// Reads a code given by a caller (an API input, a file), naming `what` it is in the error.
///
/// # Errors
/// [`Error::Validation`] for a code the enum does not have.
pub fn parse<E: ActiveEnum<Value = String>>(text: &str, what: &str) -> Result<E, Error> {
    E::try_from_value(&text.to_owned())
        .map_err(|_| Error::Validation(format!("unknown {what} '{text}'")))
}
