//! Receiving a passport from a worker: paste it, upload the file they sent, or scan the QR code
//! on their phone (`passport-scan.js` fills the form in where the browser has a camera and a
//! QR reader; without them the page is the same form). The passport is then verified
//! (`verifyPassport`) and, when genuine, weighed item by item against this trust's requirements
//! and the bank's passporting agreement (`evaluatePassport`), all said in plain English; HR
//! accepts it (`acceptPassport`) and sees the checks it saved the trust (`passportSavings`).
//!
//! A QR code carries the passport's reference, not the passport: the result page fetches the
//! passport itself through `passport(id, trustId)`, which the API allows only once the worker
//! has shared it with this trust. A pasted or uploaded passport is verified first and, once its
//! signature holds, is read the same way, so every result page has an address (post, redirect,
//! get) and accepting it never carries the token through the browser again.

mod accepted;
mod evaluation;
mod form;
mod result_page;
mod verification;

pub use accepted::accepted;
pub use form::{form, submit};
pub use result_page::{accept, result};
