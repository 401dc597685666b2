//! What a message says: a subject and a body in plain text and HTML, to one recipient. Producers
//! write paragraphs; [`Message::from_paragraphs`] renders both bodies from them, escaping every
//! character that means something in HTML, so text from users (names, trust names) can never
//! become markup.

use staffbank_core::{Email, text};

use crate::error::{Error, Result};

/// Longest subject accepted, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;

/// One email to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What it is about, e.g. `account.created`; stored for operators and tests, never shown.
    pub kind: String,
    /// The recipient.
    pub to: Email,
    /// Subject line (one line).
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body (a whole document).
    pub html: String,
}

impl Message {
    /// A message whose plain-text and HTML bodies are rendered from `paragraphs`. A line break
    /// inside a paragraph is kept (`<br>` in HTML). A subject built from names is made one line
    /// and shortened to [`MAX_SUBJECT_CHARS`], never refused.
    #[must_use]
    pub fn from_paragraphs<P: AsRef<str>>(
        kind: impl Into<String>,
        to: Email,
        subject: impl Into<String>,
        paragraphs: &[P],
    ) -> Self {
        let subject = one_line_subject(&subject.into());
        Self {
            kind: kind.into(),
            to,
            text: render_text(paragraphs),
            html: render_html(&subject, paragraphs),
            subject,
        }
    }

    /// Checks what the database and the transports rely on: a kind, a one-line subject, a body.
    ///
    /// # Errors
    /// [`Error::InvalidMessage`] saying what is wrong.
    pub fn validate(&self) -> Result<()> {
        let invalid = |why: &str| Err(Error::InvalidMessage(why.to_owned()));
        if self.kind.trim().is_empty() {
            return invalid("a message needs a kind");
        }
        let subject = self.subject.trim();
        if subject.is_empty() || subject.chars().count() > MAX_SUBJECT_CHARS {
            return invalid("a subject must have 1 to 200 characters");
        }
        // A line break in a header would let text add headers of its own.
        if self.subject.chars().any(char::is_control) {
            return invalid("a subject must be one line without control characters");
        }
        if self.text.trim().is_empty() || self.html.trim().is_empty() {
            return invalid("a message needs a text and an HTML body");
        }
        Ok(())
    }
}

/// `raw` as a subject line: control and direction characters become spaces, runs of spaces one,
/// and the whole at most [`MAX_SUBJECT_CHARS`] characters (cut with "…").
#[must_use]
pub fn one_line_subject(raw: &str) -> String {
    let spaced: String = raw
        .chars()
        .map(|c| if text::refused(c) { ' ' } else { c })
        .collect();
    let joined = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    text::shorten(&joined, MAX_SUBJECT_CHARS).into_owned()
}

/// The plain-text body: paragraphs separated by a blank line, ending with a line break.
#[must_use]
pub fn render_text<P: AsRef<str>>(paragraphs: &[P]) -> String {
    let mut out = paragraphs
        .iter()
        .map(|p| p.as_ref().trim().replace("\r\n", "\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    out.push('\n');
    out
}

/// The HTML body: a small, valid document with one `<p>` per paragraph.
#[must_use]
pub fn render_html<P: AsRef<str>>(title: &str, paragraphs: &[P]) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
    out.push_str("<meta charset=\"utf-8\">\n<title>");
    out.push_str(&escape_html(title));
    out.push_str("</title>\n</head>\n<body>\n");
    for p in paragraphs {
        let lines: Vec<String> = p
            .as_ref()
            .trim()
            .replace("\r\n", "\n")
            .lines()
            .map(escape_html)
            .collect();
        out.push_str("<p>");
        out.push_str(&lines.join("<br>\n"));
        out.push_str("</p>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Escapes the five characters that are markup in HTML text and attribute values.
#[must_use]
pub fn escape_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "a test fails by panicking")]

    use super::*;

    fn to() -> Email {
        Email::parse("jane@trust.nhs.uk").unwrap()
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html(r#"<b>Tom & "Jerry's"</b>"#),
            "&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;"
        );
        assert_eq!(escape_html("plain £ text"), "plain £ text");
    }

    #[test]
    fn renders_paragraphs_in_both_bodies() {
        let m = Message::from_paragraphs(
            "test",
            to(),
            "Hello <you>",
            &["Dear <script>alert(1)</script>,", "line one\nline two"],
        );
        assert_eq!(
            m.text,
            "Dear <script>alert(1)</script>,\n\nline one\nline two\n"
        );
        assert!(m.html.contains("<title>Hello &lt;you&gt;</title>"));
        assert!(
            m.html
                .contains("<p>Dear &lt;script&gt;alert(1)&lt;/script&gt;,</p>")
        );
        assert!(m.html.contains("<p>line one<br>\nline two</p>"));
        assert!(!m.html.contains("<script>"));
        m.validate().unwrap();
    }

    #[test]
    fn refuses_bad_subjects() {
        for subject in [
            "",
            "   ",
            "two\nlines",
            "bcc\r\nBcc: x@y.z",
            &"x".repeat(201),
        ] {
            let mut m = Message::from_paragraphs("test", to(), "ok", &["body"]);
            subject.clone_into(&mut m.subject);
            assert!(
                matches!(m.validate(), Err(Error::InvalidMessage(_))),
                "{subject:?}"
            );
        }
    }

    #[test]
    fn subjects_built_from_names_are_shortened_not_refused() {
        let ward = "W".repeat(200);
        let m = Message::from_paragraphs(
            "test",
            to(),
            format!("A timesheet on {ward}\r\nBcc: x@y.z has waited"),
            &["body"],
        );
        m.validate().unwrap();
        assert_eq!(m.subject.chars().count(), MAX_SUBJECT_CHARS);
        assert!(m.subject.starts_with("A timesheet on WWW"));
        assert!(m.subject.ends_with('…'));
        assert!(!m.subject.contains(['\r', '\n']));
    }
}
