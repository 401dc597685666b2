//! Identifiers of people, validated at the edge: National Insurance numbers and professional
//! registrations (NMC PIN, GMC number, HCPC number). There is no national NHS employee number, so
//! these are what tell two records of the same person apart.

use std::fmt;

use crate::error::{Result, validation};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{ActiveEnum as _, DeriveActiveEnum, EnumIter};

/// A National Insurance number, normalised (upper case, no spaces), e.g. `AB123456C`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NiNumber(String);

impl NiNumber {
    /// Parses and checks the HMRC format: two prefix letters (not D, F, I, Q, U, V; second not O;
    /// not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A-D.
    ///
    /// # Errors
    /// Validation error.
    pub fn parse(raw: &str) -> Result<Self> {
        let s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let b = s.as_bytes();
        let bad = || {
            validation(format!(
                "'{}' is not a National Insurance number (e.g. AB 12 34 56 C)",
                raw.trim()
            ))
        };
        if b.len() != 9 {
            return Err(bad());
        }
        let (p1, p2) = (b[0], b[1]);
        let letters_ok = p1.is_ascii_uppercase()
            && p2.is_ascii_uppercase()
            && !b"DFIQUV".contains(&p1)
            && !b"DFIQUVO".contains(&p2)
            && !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&&s[..2]);
        let digits_ok = b[2..8].iter().all(u8::is_ascii_digit);
        let suffix_ok = b"ABCD".contains(&b[8]);
        if !(letters_ok && digits_ok && suffix_ok) {
            return Err(bad());
        }
        Ok(Self(s))
    }

    /// As stored.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NiNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A regulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum RegistrationBody {
    /// Nursing and Midwifery Council.
    #[sea_orm(string_value = "NMC")]
    Nmc,
    /// General Medical Council.
    #[sea_orm(string_value = "GMC")]
    Gmc,
    /// Health and Care Professions Council.
    #[sea_orm(string_value = "HCPC")]
    Hcpc,
}

impl fmt::Display for RegistrationBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// HCPC register prefixes (profession codes).
const HCPC_PREFIXES: [&str; 16] = [
    "AS", "BS", "CH", "CS", "DT", "HAD", "OD", "OR", "OT", "PA", "PH", "PO", "PYL", "RA", "SL",
    "SW",
];

/// A professional registration: body and normalised number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The regulator.
    pub body: RegistrationBody,
    /// The number, normalised.
    pub number: String,
}

impl Registration {
    /// Checks the number's format for its body: NMC PIN `12A3456E` (2 digits, letter, 4 digits,
    /// letter); GMC 7 digits; HCPC a profession prefix and 5-6 digits (e.g. `PA123456`).
    ///
    /// # Errors
    /// Validation error.
    pub fn parse(body: RegistrationBody, raw: &str) -> Result<Self> {
        let n: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let b = n.as_bytes();
        let ok = match body {
            RegistrationBody::Nmc => {
                b.len() == 8
                    && b[..2].iter().all(u8::is_ascii_digit)
                    && b[2].is_ascii_uppercase()
                    && b[3..7].iter().all(u8::is_ascii_digit)
                    && b[7].is_ascii_uppercase()
            }
            RegistrationBody::Gmc => b.len() == 7 && b.iter().all(u8::is_ascii_digit),
            RegistrationBody::Hcpc => HCPC_PREFIXES.iter().any(|p| {
                n.strip_prefix(p).is_some_and(|rest| {
                    (5..=6).contains(&rest.len()) && rest.bytes().all(|c| c.is_ascii_digit())
                })
            }),
        };
        if !ok {
            let example = match body {
                RegistrationBody::Nmc => "12A3456E",
                RegistrationBody::Gmc => "1234567",
                RegistrationBody::Hcpc => "PA123456",
            };
            return Err(validation(format!(
                "'{}' is not a valid {} number (e.g. {example})",
                raw.trim(),
                body
            )));
        }
        Ok(Self { body, number: n })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ni_numbers() {
        assert_eq!(
            NiNumber::parse("ab 12 34 56 c")
                .map(|n| n.0)
                .ok()
                .as_deref(),
            Some("AB123456C")
        );
        for bad in [
            "",
            "QQ123456C",
            "AB123456",
            "AB123456E",
            "DQ123456A",
            "QO123456A",
            "GB123456A",
            "Q1123456A",
            "QQ12345XA",
        ] {
            assert!(NiNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn registrations() {
        use RegistrationBody::*;
        assert!(Registration::parse(Nmc, "12a3456e").is_ok());
        assert!(Registration::parse(Nmc, "1234567").is_err());
        assert!(Registration::parse(Gmc, "7654321").is_ok());
        assert!(Registration::parse(Gmc, "765432").is_err());
        assert!(Registration::parse(Hcpc, "PA12345").is_ok());
        assert!(Registration::parse(Hcpc, "XX12345").is_err());
    }
}
