//! The form: paste a passport, upload its file, or scan its QR code, and what the form sent read
//! into the passport's text (`POST`), which is verified and then shown at its own address.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::result_page::ResultPage;
use super::verification::{VerifyQuery, VerifyVariables, checks_in_words};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::{Errors, FileUpload, Textarea};
use crate::layout::Layout;
use crate::multipart;
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::hr::passports::SECTION;
use crate::views::worker::passports::qr;

/// The longest passport the API takes (64 KiB), and so the largest file worth reading.
const MAX_TOKEN_BYTES: usize = 65_536;

// --- The form ----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "hr/passports/receive.html")]
struct ReceivePage {
    layout: Layout,
    errors: Errors,
    trust: String,
    token: Textarea,
    file: FileUpload,
}

fn receive_page(hr: &Hr, visitor: &Visitor, errors: Errors, typed: &str) -> ReceivePage {
    ReceivePage {
        layout: hr
            .layout(visitor, "Receive a passport", SECTION)
            .with_errors(!errors.is_empty()),
        trust: hr.trust.name.clone(),
        token: Textarea::new("token", "Paste the passport")
            .hint(
                "All of the text of the passport the worker sent you, or the reference under \
                 the QR code on their phone (it starts staffbank-passport:)",
            )
            .value(typed)
            .error_from(&errors),
        file: FileUpload::new("passport", "Or upload the passport file")
            .native()
            .hint("The file the worker downloaded from their passport page. It ends in .jwt")
            .accept(".jwt,.txt,application/jwt,text/plain")
            .error_from(&errors),
        errors,
    }
}

/// `GET /hr/passports/receive`.
pub async fn form(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let hr = Hr::of(&state, &visitor).await?;
    render(&receive_page(&hr, &visitor, Errors::new(), ""))
}

/// What the form sent: the pasted text, and the uploaded file (None when none was chosen).
async fn read_form(multipart: Multipart) -> Result<(String, Option<Vec<u8>>), PageError> {
    let sent = multipart::read(multipart, "passport").await?;
    let typed = sent.field("token");
    let file = sent.file.filter(|f| !f.is_missing()).map(|f| f.bytes);
    Ok((typed, file))
}

/// `POST /hr/passports/receive` (multipart): on to the passport's result page, or the form
/// again with what is wrong.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(&state, &visitor).await?;
    let (typed, file) = read_form(multipart).await?;
    let invalid = |field: &str, message: &str| {
        let mut errors = Errors::new();
        errors.add(field, message);
        render_invalid(&receive_page(&hr, &visitor, errors, &typed))
    };
    let text = match file {
        Some(bytes) if bytes.is_empty() => {
            return invalid("passport", "The selected file is empty");
        }
        Some(bytes) if bytes.len() > MAX_TOKEN_BYTES => {
            return invalid(
                "passport",
                "The selected file is too large to be a passport. Choose the .jwt file the worker sent you",
            );
        }
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                return invalid(
                    "passport",
                    "The selected file is not a passport. Choose the .jwt file the worker sent you",
                );
            }
        },
        None => typed.clone(),
    };
    let text: String = text.split_whitespace().collect::<Vec<_>>().join("");
    if text.is_empty() {
        return invalid(
            "token",
            "Paste the passport, or choose the file the worker sent you",
        );
    }
    if let Some(id) = qr::parse_reference(&text) {
        return Ok(Redirect::to(&format!("/hr/passports/received/{id}")).into_response());
    }
    let not_a_passport = "This is not a passport. Paste all of the text the worker sent you, or \
                          upload their file";
    if text.len() > MAX_TOKEN_BYTES {
        return invalid("token", not_a_passport);
    }
    let verification = match api::run(
        state.api.as_ref(),
        &visitor.caller,
        VerifyQuery::build(VerifyVariables {
            token: text,
            trust_id: Some(hr.trust.id),
        }),
    )
    .await
    {
        Ok(data) => data.verify_passport,
        Err(e) if e.code == Code::Validation => return invalid("token", not_a_passport),
        Err(e) => return Err(e.into()),
    };
    if let Some(id) = verification.passport_id {
        return Ok(Redirect::to(&format!("/hr/passports/received/{id}")).into_response());
    }
    if verification
        .failures
        .iter()
        .any(|f| f.reason.not_a_passport())
    {
        return invalid("token", not_a_passport);
    }
    // Shaped like a passport but not genuine: say why, with nothing to accept.
    render(&ResultPage {
        layout: hr.layout(&visitor, "This passport is not genuine", SECTION),
        errors: Errors::new(),
        heading: "This passport is not genuine".to_owned(),
        trust: hr.trust.name.clone(),
        checks: checks_in_words(&verification),
        valid: false,
        subject: Vec::new(),
        evaluation: None,
        refused: None,
        still_required: Vec::new(),
        accept_href: String::new(),
    })
}
