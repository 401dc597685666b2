//! How messages leave: over SMTP (any relay: host, port, TLS mode, optional credentials), or into
//! a mailbox folder of `.eml` files (the default, so a demo or a laptop needs no mail server).
//! Either way each message goes out as the same MIME email: `multipart/alternative` with a plain
//! text and an HTML part, `From` the configured sender, and `Message-ID: <{outbox id}@staffbank>`,
//! so a message sent again after a crash can be recognised as the same one by its recipient.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::{Deserialize, Serialize};
use staffbank_core::Secret;
use tokio::io::AsyncWriteExt;

use crate::entity::outbox;
use crate::error::{Error, Result};

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain text, then `STARTTLS`, which must succeed (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or in tests.
    None,
}

/// Where and how to reach an SMTP relay.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Host name (also the name the TLS certificate must carry).
    pub host: String,
    /// Port.
    pub port: u16,
    /// How the connection is secured.
    pub tls: TlsMode,
    /// User name, when the relay wants one.
    pub username: Option<String>,
    /// Password, with the user name.
    pub password: Option<Secret>,
    /// Longest wait for one SMTP command.
    pub command_timeout: Duration,
}

/// Sends one message, as configured.
pub struct Transport {
    from: Mailbox,
    channel: Channel,
}

enum Channel {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        describe: String,
    },
    Folder(PathBuf),
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the credentials.
        write!(f, "Transport({}, from {})", self.describe(), self.from)
    }
}

fn parse_from(from: &str) -> Result<Mailbox> {
    from.parse()
        .map_err(|e| Error::Config(format!("mail.from '{from}' is not an address: {e}")))
}

impl Transport {
    /// An SMTP transport, with a pool of connections; no connection is made until the first
    /// message. Call it inside a Tokio runtime (the pool runs a task there).
    ///
    /// # Errors
    /// [`Error::Config`] for a sender that is not an address, a user name without a password (or
    /// the reverse), TLS settings lettre refuses, or no Tokio runtime.
    pub fn smtp(from: &str, settings: &SmtpSettings) -> Result<Self> {
        let from = parse_from(from)?;
        // lettre's pool spawns a task when built, and panics outside a runtime.
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::Config(
                "the SMTP transport must be made inside a Tokio runtime".into(),
            ));
        }
        let host = settings.host.trim();
        if host.is_empty() {
            return Err(Error::Config("mail.smtp.host is required for SMTP".into()));
        }
        let tls_parameters = || {
            TlsParameters::new(host.to_owned())
                .map_err(|e| Error::Config(format!("TLS for {host}: {e}")))
        };
        let tls = match settings.tls {
            TlsMode::Starttls => Tls::Required(tls_parameters()?),
            TlsMode::Tls => Tls::Wrapper(tls_parameters()?),
            TlsMode::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(settings.command_timeout));
        match (&settings.username, &settings.password) {
            (Some(user), Some(password)) => {
                builder = builder
                    .credentials(Credentials::new(user.clone(), password.expose().to_owned()));
            }
            (None, None) => {}
            _ => {
                return Err(Error::Config(
                    "mail.smtp.username and mail.smtp.password are given together or not at all"
                        .into(),
                ));
            }
        }
        let tls_name = match settings.tls {
            TlsMode::Starttls => "starttls",
            TlsMode::Tls => "tls",
            TlsMode::None => "no tls",
        };
        Ok(Self {
            from,
            channel: Channel::Smtp {
                transport: Box::new(builder.build()),
                describe: format!("smtp {host}:{} ({tls_name})", settings.port),
            },
        })
    }

    /// A transport that writes each message to `{dir}/{id}.eml`.
    ///
    /// # Errors
    /// [`Error::Config`] for a sender that is not an address.
    pub fn mailbox(from: &str, dir: impl Into<PathBuf>) -> Result<Self> {
        Ok(Self {
            from: parse_from(from)?,
            channel: Channel::Folder(dir.into()),
        })
    }

    /// Where messages go, for logs (never credentials).
    #[must_use]
    pub fn describe(&self) -> String {
        match &self.channel {
            Channel::Smtp { describe, .. } => describe.clone(),
            Channel::Folder(dir) => format!("mailbox folder {}", dir.display()),
        }
    }

    /// The email for an outbox row. The same row always gives the same headers (the `Date` is when
    /// it was enqueued), so a resent message is recognisably the same.
    ///
    /// # Errors
    /// [`Error::InvalidMessage`] when the recipient or the contents cannot make an email; sending
    /// again would not help.
    pub fn email(&self, row: &outbox::Model) -> Result<lettre::Message> {
        let to: Mailbox = row
            .recipient
            .parse()
            .map_err(|e| Error::InvalidMessage(format!("recipient '{}': {e}", row.recipient)))?;
        lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone())
            .message_id(Some(message_id(row)))
            .date(SystemTime::from(row.created_at))
            .multipart(MultiPart::alternative_plain_html(
                row.body_text.clone(),
                row.body_html.clone(),
            ))
            .map_err(|e| Error::InvalidMessage(e.to_string()))
    }

    /// Sends one message.
    ///
    /// # Errors
    /// [`Error::InvalidMessage`] (permanent), [`Error::Send`] (worth trying again).
    pub async fn send(&self, row: &outbox::Model) -> Result<()> {
        let email = self.email(row)?;
        match &self.channel {
            Channel::Smtp { transport, .. } => transport
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| Error::Send(error_chain(&e))),
            Channel::Folder(dir) => write_eml(dir, row, &email.formatted())
                .await
                .map_err(|e| Error::Send(format!("mailbox folder {}: {e}", dir.display()))),
        }
    }
}

/// `<{id}@staffbank>`: one per outbox row, whichever replica sends it and however often.
#[must_use]
pub fn message_id(row: &outbox::Model) -> String {
    format!("<{}@staffbank>", row.id)
}

/// Writes `{dir}/{id}.eml` atomically: a reader sees no file or the whole file, and writing the
/// same message again replaces it, so the folder holds each message once.
async fn write_eml(dir: &Path, row: &outbox::Model, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let path = dir.join(format!("{}.eml", row.id));
    let tmp = dir.join(format!(".{}.eml.tmp", row.id));
    let mut file = tokio::fs::File::create(&tmp).await?;
    file.write_all(bytes).await?;
    file.sync_all().await?;
    drop(file);
    tokio::fs::rename(&tmp, &path).await
}

/// An error and its causes, one line (lettre puts the server's answer in the source).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}
