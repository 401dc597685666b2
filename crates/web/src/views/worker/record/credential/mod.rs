//! Adding a check or training certificate with its document, in one form
//! (`/worker/record/credentials/new`): `recordCredential`, then `attachEvidence` with the file.
//! The API judges the document (type by its content, and size); when it refuses the document
//! after the credential was recorded, the worker lands on the credential's "add a document" page
//! saying exactly that — the credential is kept and shown, and the document can be sent again.

mod evidence;
mod new;
mod operations;
mod upload;

pub use evidence::{attach_form, evidence_form};
pub use new::{create, new_form};
