//! Email notifications, sent reliably: producers write messages to an `outbox` table in the same
//! transaction as the change that causes them ([`outbox::enqueue`]); a delivery worker
//! ([`delivery::run`]) claims and sends them after commit, over SMTP or into a mailbox folder
//! ([`transport`]), retrying with backoff, safely with several server replicas on one database.

pub mod delivery;
pub mod entity;
pub mod error;
pub mod message;
pub mod outbox;
pub mod transport;

pub use delivery::{Policy, Worker};
pub use error::{Error, Result};
pub use message::Message;
pub use outbox::{State, enqueue};
pub use transport::{SmtpSettings, TlsMode, Transport};
