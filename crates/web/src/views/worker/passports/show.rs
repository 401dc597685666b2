//! `GET /worker/passports/{id}`: one passport in full — its issuer, dates and status, every
//! check and training item it holds, and each trust it is or was shared with — with the ways to
//! share it and to stop sharing it. After a withdrawal it says so in a banner.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{Holdings, KindCategory, Passport, PassportView, SECTION};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
pub(super) struct PassportVariables {
    pub(super) id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PassportVariables")]
pub(super) struct PassportQuery {
    pub(super) me: Viewer,
    #[arguments(id: $id)]
    pub(super) passport: Passport,
    pub(super) credential_kinds: Vec<KindCategory>,
}

#[derive(Template)]
#[template(path = "worker/passports/show.html")]
struct ShowPage {
    layout: Layout,
    passport: PassportView,
    holdings: Holdings,
    withdrawn_from: Option<String>,
    /// The QR code to show HR (an inline SVG), while the passport is active.
    qr: Option<String>,
    /// What the QR code says, for anyone who cannot scan it.
    reference: String,
    /// The passport file to send.
    file_href: String,
}

/// What the address may carry.
#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    /// A share just withdrawn (for the banner).
    withdrawn: Option<Uuid>,
}

/// Runs the passport query.
///
/// # Errors
/// The API's.
pub(super) async fn passport(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<PassportQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        PassportQuery::build(PassportVariables { id }),
    )
    .await?)
}

/// `GET /worker/passports/{id}`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<Uuid>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let data = passport(&state, &visitor, id).await?;
    let withdrawn_from = q.withdrawn.and_then(|share_id| {
        data.passport
            .shares
            .iter()
            .find(|s| s.id == share_id && !s.active)
            .map(|s| s.trust.name.clone())
    });
    let view = PassportView::of(&data.passport);
    let reference = super::qr::reference(id);
    let qr = (data.passport.status == super::PassportStatus::Active)
        .then(|| {
            super::qr::svg(
                &reference,
                &format!("QR code of your passport from {}", view.issuer),
            )
        })
        .flatten();
    render(&ShowPage {
        qr,
        reference,
        file_href: format!("/worker/passports/{id}/passport.jwt"),
        layout: super::super::layout(
            &visitor,
            &data.me,
            &format!("Passport from {}", view.issuer),
            SECTION,
        ),
        holdings: Holdings::of(&data.passport.items, &data.credential_kinds),
        passport: view,
        withdrawn_from,
    })
}
