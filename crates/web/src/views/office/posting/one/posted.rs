//! The confirmation (`GET /office/shifts/{id}/posted`), linking to the shift and to post another.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::super::catalogue;
use super::operations::{ShiftQuery, ShiftVariables, choices};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::office::Office;

#[derive(Template)]
#[template(path = "office/posting/posted.html")]
struct PostedPage {
    layout: Layout,
    when: String,
    ward: String,
    grade: String,
    workers: String,
    href: String,
}

/// `GET /office/shifts/{id}/posted`: the confirmation, linking to the shift and to post another.
pub async fn posted(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    let office = Office::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        ShiftQuery::build(ShiftVariables { id }),
    )
    .await?;
    let s = data.shift;
    if s.trust.id != office.trust.id {
        return Err(PageError::NotFound);
    }
    let choices = choices(&state, &visitor, &office).await?;
    render(&PostedPage {
        layout: office.layout(&visitor, "Shift posted", "/office/shifts/new"),
        when: format::shift_time(s.starts_local, s.ends_local),
        ward: s.ward.name,
        grade: catalogue::grade_name(&s.grade, &choices.grades),
        workers: format::count(i64::from(s.positions), "worker"),
        href: format!("/office/shifts/{id}"),
    })
}
