//! Text from people, kept survivable end to end: every text input has a maximum length and refuses
//! control characters (line breaks only where the field is free text, such as a reason), checked
//! by one [`Field`] rule that the domain functions call; and the few ways text is made safe on the
//! way out — a subject [`shorten`]ed rather than refused, a spreadsheet cell that cannot start a
//! formula ([`csv_field`]), an uploaded [`file_name`] with no control or direction characters.
//!
//! The maxima are the constants below; the gateway's input descriptions quote them, and an
//! end-to-end test checks each description against the limit enforced.

use std::borrow::Cow;

use crate::error::Error;

/// The rule for one text field: its name in the API, its words for people, its maximum length
/// in characters, and whether it is free text (line breaks allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The input's name in the API (e.g. `givenName`), given in the error's details.
    pub name: &'static str,
    /// What people call it, with its article (e.g. "a given name"); starts the error message.
    pub label: &'static str,
    /// Longest value accepted, in characters, after surrounding spaces are trimmed.
    pub max: usize,
    /// Whether line breaks are allowed (free text).
    pub multiline: bool,
}

impl Field {
    /// A one-line field: no control characters at all.
    #[must_use]
    pub const fn line(name: &'static str, label: &'static str, max: usize) -> Self {
        Self {
            name,
            label,
            max,
            multiline: false,
        }
    }

    /// A free-text field: line breaks (and tabs) allowed, other control characters not.
    #[must_use]
    pub const fn free(name: &'static str, label: &'static str, max: usize) -> Self {
        Self {
            name,
            label,
            max,
            multiline: true,
        }
    }

    /// The value trimmed (and, in free text, with `\r\n` made `\n`), when it has 1 to `max`
    /// characters and no character the field refuses.
    ///
    /// # Errors
    /// [`Error::InvalidText`] naming the field.
    pub fn required(&self, raw: &str) -> Result<String, Error> {
        let value = self.normalise(raw);
        if value.is_empty() || value.chars().count() > self.max {
            return Err(self.error(format!(
                "{} must have 1 to {} characters",
                self.label, self.max
            )));
        }
        self.refuse_controls(&value)?;
        Ok(value)
    }

    /// As [`Field::required`], but a missing or blank value is `None`.
    ///
    /// # Errors
    /// [`Error::InvalidText`] naming the field.
    pub fn optional(&self, raw: Option<&str>) -> Result<Option<String>, Error> {
        match raw {
            Some(r) if !r.trim().is_empty() => self.required(r).map(Some),
            _ => Ok(None),
        }
    }

    /// Checks a value used only to look something up (a code, a search, a token) without keeping
    /// it: at most `max` characters and no control characters. Counting stops at `max + 1`, so a
    /// huge value costs no more than a short one.
    ///
    /// # Errors
    /// [`Error::InvalidText`] naming the field.
    pub fn check(&self, raw: &str) -> Result<(), Error> {
        if raw.chars().take(self.max + 1).count() > self.max {
            return Err(self.error(format!(
                "{} must have at most {} characters",
                self.label, self.max
            )));
        }
        self.refuse_controls(raw)
    }

    fn normalise(&self, raw: &str) -> String {
        // Bound the work before anything else: a value this long is refused anyway.
        let bounded: String = raw.chars().take(self.max.saturating_mul(4) + 64).collect();
        let trimmed = bounded.trim();
        if self.multiline {
            trimmed.replace("\r\n", "\n")
        } else {
            trimmed.to_owned()
        }
    }

    fn refuse_controls(&self, value: &str) -> Result<(), Error> {
        let allowed = |c: char| self.multiline && (c == '\n' || c == '\t');
        if value.chars().any(|c| refused(c) && !allowed(c)) {
            let what = if self.multiline {
                "control characters"
            } else {
                "line breaks or control characters"
            };
            return Err(self.error(format!("{} must not contain {what}", self.label)));
        }
        Ok(())
    }

    fn error(&self, message: String) -> Error {
        Error::InvalidText {
            field: self.name,
            max: self.max,
            message,
        }
    }
}

/// Characters no text input accepts: control characters, the line and paragraph separators, and
/// the bidirectional embeddings, overrides and isolates (which make text read differently from
/// what it holds).
#[must_use]
pub fn refused(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{200E}' | '\u{200F}')
}

/// Caps a list input before any database work.
///
/// # Errors
/// [`Error::InvalidText`] naming the list when it has more than `max` items.
pub fn cap_list<T>(
    name: &'static str,
    label: &'static str,
    items: &[T],
    max: usize,
) -> Result<(), Error> {
    if items.len() > max {
        return Err(Error::InvalidText {
            field: name,
            max,
            message: format!("{label} may have at most {max} items"),
        });
    }
    Ok(())
}

/// `s` cut to at most `max` characters, ending with "…" when cut (at a word boundary when one is
/// near): for subject lines built from names, which are shortened rather than refused.
#[must_use]
pub fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    if s.chars().count() <= max {
        return Cow::Borrowed(s);
    }
    let keep = max.saturating_sub(1);
    let cut: String = s.chars().take(keep).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if cut[..i].chars().count() + 20 >= keep => cut[..i].to_owned(),
        _ => cut,
    };
    Cow::Owned(format!("{}…", cut.trim_end()))
}

/// One CSV field: quoted when it holds a comma, quote or line break, and — so that a spreadsheet
/// never runs it as a formula (OWASP "CSV injection") — prefixed with `'` when it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return.
#[must_use]
pub fn csv_field(raw: &str) -> String {
    let neutral = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{raw}"))
    } else {
        Cow::Borrowed(raw)
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral.into_owned()
    }
}

/// Longest stored file name, in characters.
pub const MAX_FILE_NAME: usize = 120;

/// An uploaded file's name made safe to store and show: its last path component only, without
/// control, format (bidirectional and zero-width) or path-separator characters, without leading
/// dots, at most [`MAX_FILE_NAME`] characters (the extension kept); `evidence` when nothing is left.
#[must_use]
pub fn file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let clean: String = last
        .chars()
        .take(4096)
        .filter(|&c| !refused(c) && !is_format(c) && c != ':')
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    if clean.is_empty() {
        return "evidence".to_owned();
    }
    if clean.chars().count() <= MAX_FILE_NAME {
        return clean.to_owned();
    }
    let ext = clean
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty() && e.chars().count() <= 10)
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let stem: String = clean
        .chars()
        .take(MAX_FILE_NAME - ext.chars().count())
        .collect();
    format!("{}{ext}", stem.trim_end())
}

/// Unicode format characters (category Cf) a file name has no use for: zero-width spaces and
/// joiners, the byte-order mark, soft hyphen, and the like.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// A `Content-Disposition: attachment` value for `name`: an ASCII `filename` (other characters
/// become `_`) and the exact name as UTF-8 in `filename*` (RFC 6266).
#[must_use]
pub fn attachment_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The maxima of the text inputs. The API's descriptions say them; change both together.
pub mod limits {
    use super::Field;

    /// A person's given or family name.
    pub const PERSON_NAME: usize = 100;
    /// A name shown for an account.
    pub const DISPLAY_NAME: usize = 200;
    /// The name of a collaborative bank, trust, site or ward.
    pub const PLACE_NAME: usize = 200;
    /// An email address (RFC 5321's path limit).
    pub const EMAIL: usize = 254;
    /// A reason given for a decision (free text).
    pub const REASON: usize = 500;
    /// Notes for workers on a shift (free text).
    pub const NOTES: usize = 1000;
    /// A note on a passporting rule (free text).
    pub const RULE_NOTE: usize = 300;
    /// Who issued a credential.
    pub const ISSUER: usize = 200;
    /// A credential's certificate or document reference.
    pub const REFERENCE: usize = 200;
    /// A code: credential kind, skill, grade, registration body, cost centre.
    pub const CODE: usize = 64;
    /// A ward's cost centre code.
    pub const COST_CENTRE_CODE: usize = 40;
    /// A public holiday's name.
    pub const HOLIDAY_NAME: usize = 100;
    /// An idempotency key.
    pub const IDEMPOTENCY_KEY: usize = 200;
    /// An invitation code.
    pub const INVITATION_CODE: usize = 200;
    /// A signing key id.
    pub const KID: usize = 200;
    /// A phone number as typed (spaces, `+`, brackets allowed).
    pub const PHONE: usize = 32;
    /// A National Insurance number or professional registration number as typed.
    pub const IDENTIFIER: usize = 20;
    /// A name searched for.
    pub const NAME_SEARCH: usize = 100;
    /// Skills (and other codes) in one list.
    pub const LIST: usize = 50;

    /// `givenName`.
    pub const GIVEN_NAME: Field = Field::line("givenName", "a given name", PERSON_NAME);
    /// `familyName`.
    pub const FAMILY_NAME: Field = Field::line("familyName", "a family name", PERSON_NAME);
    /// `email`.
    pub const EMAIL_ADDRESS: Field = Field::line("email", "an email address", EMAIL);
    /// `phone`.
    pub const PHONE_NUMBER: Field = Field::line("phone", "a phone number", PHONE);
    /// `niNumber`.
    pub const NI_NUMBER: Field = Field::line("niNumber", "a National Insurance number", IDENTIFIER);
    /// `registrationNumber`.
    pub const REGISTRATION_NUMBER: Field =
        Field::line("registrationNumber", "a registration number", IDENTIFIER);
    /// `displayName`.
    pub const DISPLAY: Field = Field::line("displayName", "a display name", DISPLAY_NAME);
    /// `reason`.
    pub const REASON_TEXT: Field = Field::free("reason", "a reason", REASON);
    /// `notes`.
    pub const SHIFT_NOTES: Field = Field::free("notes", "notes for workers", NOTES);
    /// `note` of a passporting rule.
    pub const RULE_NOTE_TEXT: Field = Field::free("note", "a rule's note", RULE_NOTE);
    /// `issuer`.
    pub const ISSUER_TEXT: Field = Field::line("issuer", "who issued it", ISSUER);
    /// `reference`.
    pub const REFERENCE_TEXT: Field = Field::line("reference", "the reference", REFERENCE);
    /// `costCentre`.
    pub const COST_CENTRE: Field = Field::line("costCentre", "a cost centre", COST_CENTRE_CODE);
    /// `name` of a public holiday.
    pub const HOLIDAY: Field = Field::line("name", "a holiday's name", HOLIDAY_NAME);
    /// `idempotencyKey`.
    pub const IDEMPOTENCY: Field =
        Field::line("idempotencyKey", "an idempotency key", IDEMPOTENCY_KEY);
    /// `code` of an invitation.
    pub const INVITATION: Field = Field::line("code", "an invitation code", INVITATION_CODE);
    /// `kid`.
    pub const KEY_ID: Field = Field::line("kid", "a key id", KID);
    /// `name` searched for among workers.
    pub const SEARCH: Field = Field::line("name", "a name to search for", NAME_SEARCH);
    /// A code (`kind`, `grade`, a skill, `registrationBody`) looked up, not stored as given.
    pub const fn code(name: &'static str, label: &'static str) -> Field {
        Field::line(name, label, CODE)
    }
    /// A place's `name`.
    pub const fn place(label: &'static str) -> Field {
        Field::line("name", label, PLACE_NAME)
    }
}

/// Escapes `%`, `_` and the escape character itself for a SQL `LIKE … ESCAPE '\'` pattern, so a
/// search for "50%" finds "50%" and not everything.
#[must_use]
pub fn like_escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

    use super::limits::*;
    use super::*;
    use crate::Classify;

    #[test]
    fn keeps_a_value_at_its_maximum_and_refuses_one_more() {
        let at_max = "a".repeat(PERSON_NAME);
        assert_eq!(GIVEN_NAME.required(&at_max).unwrap(), at_max);
        let e = GIVEN_NAME.required(&format!("{at_max}a")).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation);
        assert_eq!(e.to_string(), "a given name must have 1 to 100 characters");
        assert_eq!(
            e.details().unwrap(),
            serde_json::json!({ "field": "givenName", "maxLength": 100 })
        );
        // Counted in characters, not bytes.
        assert!(GIVEN_NAME.required(&"é".repeat(PERSON_NAME)).is_ok());
    }

    #[test]
    fn trims_and_refuses_blank() {
        assert_eq!(GIVEN_NAME.required("  Ann  ").unwrap(), "Ann");
        assert!(GIVEN_NAME.required("   ").is_err());
        assert_eq!(REFERENCE_TEXT.optional(Some("  ")).unwrap(), None);
        assert_eq!(REFERENCE_TEXT.optional(None).unwrap(), None);
    }

    #[test]
    fn one_line_fields_refuse_line_breaks_and_controls() {
        for bad in [
            "Ann\nSmith",
            "Ann\rSmith",
            "Ann\tSmith",
            "Ann\u{0}",
            "Ann\u{7f}",
            "Ann\u{2028}x",
            "\u{202E}nnA",
            "Ann\u{2066}x",
        ] {
            let e = GIVEN_NAME.required(bad).unwrap_err();
            assert_eq!(
                e.to_string(),
                "a given name must not contain line breaks or control characters",
                "{bad:?}"
            );
        }
        assert!(GIVEN_NAME.required("Siân O'Neill-Jones").is_ok());
    }

    #[test]
    fn free_text_allows_line_breaks_only() {
        assert_eq!(
            REASON_TEXT.required("one\r\ntwo\tthree").unwrap(),
            "one\ntwo\tthree"
        );
        assert!(REASON_TEXT.required("bell\u{7}").is_err());
        assert!(REASON_TEXT.required("\u{202E}reversed").is_err());
    }

    #[test]
    fn check_is_cheap_and_strict() {
        assert!(SEARCH.check("Smith").is_ok());
        assert!(SEARCH.check(&"x".repeat(1_000_000)).is_err());
        assert!(SEARCH.check("Smi\nth").is_err());
    }

    #[test]
    fn caps_lists() {
        assert!(cap_list("skills", "skills", &[1; LIST], LIST).is_ok());
        let e = cap_list("skills", "skills", &[1; LIST + 1], LIST).unwrap_err();
        assert_eq!(e.to_string(), "skills may have at most 50 items");
    }

    #[test]
    fn shortens_subjects() {
        assert_eq!(shorten("short", 10), "short");
        let long = format!("A timesheet on {} has waited", "Ward ".repeat(60));
        let s = shorten(&long, 100);
        assert!(s.chars().count() <= 100, "{s}");
        assert!(s.ends_with('…'));
        let unbroken = "x".repeat(300);
        assert_eq!(shorten(&unbroken, 50).chars().count(), 50);
    }

    #[test]
    fn neutralises_formulae_in_csv() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("\rx"), "\"'\rx\"");
        assert_eq!(csv_field("Smith, Ann"), "\"Smith, Ann\"");
        assert_eq!(csv_field("Ann-Marie"), "Ann-Marie");
    }

    #[test]
    fn cleans_file_names() {
        assert_eq!(file_name("../../etc/passwd"), "passwd");
        assert_eq!(file_name("C:\\Users\\a\\dbs.pdf"), "dbs.pdf");
        assert_eq!(file_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(file_name("a\u{0}b\nc\u{200B}.pdf"), "abc.pdf");
        assert_eq!(file_name("..."), "evidence");
        assert_eq!(file_name(".hidden"), "hidden");
        let long = format!("{}.pdf", "n".repeat(500));
        let cut = file_name(&long);
        assert_eq!(cut.chars().count(), MAX_FILE_NAME);
        assert!(cut.ends_with(".pdf"));
    }

    #[test]
    fn disposition_is_ascii_with_the_exact_name_encoded() {
        let d = attachment_disposition("Siân \"dbs\".pdf");
        assert!(d.is_ascii());
        assert_eq!(
            d,
            "attachment; filename=\"Si_n _dbs_.pdf\"; filename*=UTF-8''Si%C3%A2n%20%22dbs%22.pdf"
        );
    }

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
