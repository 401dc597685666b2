//! Email addresses, validated once at the edge and kept in lower case so that lookups match.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses an address.
    ///
    /// # Errors
    /// [`Error::Validation`] when it is not of the form `local@domain.tld`;
    /// [`Error::InvalidText`] when longer than 254 characters or holding control characters.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        crate::text::limits::EMAIL_ADDRESS.check(raw.trim())?;
        let s = raw.trim().to_lowercase();
        let invalid =
            || Error::Validation(format!("'{}' is not a valid email address", raw.trim()));
        if s.len() > crate::text::limits::EMAIL || s.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'));
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(s))
    }

    /// The address as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = Error;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn accepts_and_normalises() {
        let e = Email::parse("  Jane.Doe@Trust.NHS.uk ").map(|e| e.to_string());
        assert_eq!(e.ok().as_deref(), Some("jane.doe@trust.nhs.uk"));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "jane",
            "jane@",
            "@nhs.uk",
            "jane@nhs",
            "ja ne@nhs.uk",
            "a@b@c.uk",
            "a@.uk",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
