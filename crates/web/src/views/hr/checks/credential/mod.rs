//! `GET /hr/credentials/{id}`: one credential as HR checks it — the worker, the facts recorded,
//! the document shown in the page (an image, or a PDF in a frame, with a download link), its
//! history, and the decisions this trust may make: verify or reject (with a reason) a pending
//! credential, accept another trust's verification, or revoke (with a reason) one this trust
//! verified. The API decides every rule (only this trust's own decisions); the page says what it
//! refused. `GET /hr/credentials/{id}/evidence` serves the document through the service's
//! authorised download path, for the page to show inline.

mod decide;
mod evidence;
mod operations;
mod page;

pub use decide::{reject, revoke, verify};
pub use evidence::evidence;
pub use page::page;
