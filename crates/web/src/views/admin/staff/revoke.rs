//! Removing a role (`GET|POST /admin/staff/revoke/{grant}`, `revokeRole`): it asks first, because
//! it signs the person out everywhere at once.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::super::TrustAdmin;
use super::done_to;
use super::operations::{Revoke, RevokeVariables, staff};
use super::roles::role_words;
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::office::shift::parse_id;

#[derive(Template)]
#[template(path = "admin/revoke.html")]
struct RevokePage {
    layout: Layout,
    id: Uuid,
    name: String,
    role: String,
    trust_name: String,
}

/// The person holding a grant, and the grant's role in words.
async fn holder(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
    id: Uuid,
) -> Result<(String, String), PageError> {
    staff(state, visitor, admin)
        .await?
        .into_iter()
        .find_map(|m| {
            m.roles
                .iter()
                .find(|g| g.id == id)
                .map(|g| (m.display_name.clone(), role_words(g.role).to_lowercase()))
        })
        .ok_or(PageError::NotFound)
}

/// `GET /admin/staff/revoke/{grant}`: are you sure?
pub(super) async fn revoke_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let (name, role) = holder(&state, &visitor, &admin, id).await?;
    render(&RevokePage {
        layout: admin.layout(&visitor, &format!("Remove {name}'s role?"), "/admin/staff"),
        id,
        name,
        role,
        trust_name: admin.trust.name.clone(),
    })
}

/// `POST /admin/staff/revoke/{grant}`.
pub(super) async fn revoke(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let (name, _) = holder(&state, &visitor, &admin, id).await?;
    let done = api::run(
        state.api.as_ref(),
        &visitor.caller,
        Revoke::build(RevokeVariables { grant_id: id }),
    )
    .await?;
    if !done.revoke_role {
        return Err(PageError::NotFound);
    }
    Ok(done_to("revoked", &name))
}
