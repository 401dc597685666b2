//! A credential's "add a document" page (`GET|POST /worker/record/credentials/{id}/evidence`):
//! what was saved, and the document sent again (or for the first time).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::operations::CredentialsQuery;
use super::upload::{attach, chosen, evidence_upload};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render_form};
use crate::format;
use crate::forms::{CsrfField, Errors, FileUpload};
use crate::layout::Layout;
use crate::multipart;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::worker::layout;

struct Saved {
    key: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "worker/record/evidence.html")]
struct EvidencePage {
    layout: Layout,
    errors: Errors,
    just_recorded: bool,
    name: String,
    saved: Vec<Saved>,
    document: Option<String>,
    action: String,
    evidence: FileUpload,
}

pub(super) async fn evidence_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    errors: Errors,
    just_recorded: bool,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        CredentialsQuery::build(()),
    )
    .await?;
    let c = data
        .my_worker
        .credentials
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(PageError::NotFound)?;
    let name = match c.level {
        Some(l) => format!("{} (level {l})", c.kind_name),
        None => c.kind_name,
    };
    let mut saved = vec![
        Saved {
            key: "What it is",
            value: name.clone(),
        },
        Saved {
            key: "Issued by",
            value: c.issuer,
        },
    ];
    if let Some(r) = c.reference {
        saved.push(Saved {
            key: "Reference",
            value: r,
        });
    }
    saved.push(Saved {
        key: "Valid from",
        value: format::date_short(c.valid_from),
    });
    saved.push(Saved {
        key: "Expires",
        value: c
            .expires_on
            .map_or_else(|| "Does not expire".to_owned(), format::date_short),
    });
    let has_errors = !errors.is_empty();
    let page = EvidencePage {
        layout: layout(visitor, &data.me, "Add a document", "/worker/record")
            .with_errors(has_errors),
        evidence: evidence_upload(state.settings.max_upload_bytes, &errors),
        errors,
        just_recorded,
        name,
        saved,
        document: c.evidence.map(|e| e.filename),
        action: format!("/worker/record/credentials/{id}/evidence"),
    };
    render_form(&page, has_errors)
}

/// `GET /worker/record/credentials/{id}/evidence`.
pub async fn evidence_form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    evidence_page(&state, &visitor, id, Errors::new(), false).await
}

/// `POST /worker/record/credentials/{id}/evidence` (multipart).
pub async fn attach_form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    let max = state.settings.max_upload_bytes;
    let file = multipart::read(multipart, "evidence").await?.file;
    let mut errors = Errors::new();
    if let Some(f) = chosen(file, max, &mut errors)
        && let Some(message) = attach(&state, &visitor, id, f).await?
    {
        errors.add("evidence", message);
    }
    if errors.is_empty() {
        Ok(Redirect::to("/worker/record?done=evidence#credentials").into_response())
    } else {
        evidence_page(&state, &visitor, id, errors, false).await
    }
}
