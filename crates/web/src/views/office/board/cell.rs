//! A cell of the board opened: the shifts of one ward on one day (`/office/board/shifts?ward=&day=`,
//! and `group=` when the board was filtered by staff group), each with its times, grade, places
//! booked, where it stands and a link to the shift's own page (`/office/shifts/{id}`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use super::query::{CellQuery, CellShift, CellVariables, ShiftStatus, StaffGroup};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;
use crate::views::office::Office;

/// The cell asked for.
#[derive(Debug, Default, Deserialize)]
pub struct CellParams {
    #[serde(default)]
    ward: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    group: String,
}

struct Row {
    href: String,
    time: String,
    grade: String,
    booked: String,
    tag: (&'static str, &'static str),
    tier: Option<String>,
}

#[derive(Template)]
#[template(path = "office/board/cell.html")]
struct CellPage {
    layout: Layout,
    ward: String,
    site: String,
    day: String,
    group: Option<&'static str>,
    rows: Vec<Row>,
    back: String,
}

fn tag(s: &CellShift) -> (&'static str, &'static str) {
    match s.status {
        ShiftStatus::Cancelled => ("nhsuk-tag--grey", "Cancelled"),
        ShiftStatus::Filled => ("nhsuk-tag--green", "Filled"),
        ShiftStatus::Escalated => ("nhsuk-tag--red", "With agency"),
        _ if s.filled_positions > 0 => ("nhsuk-tag--yellow", "Partly filled"),
        ShiftStatus::Unfilled => ("nhsuk-tag--orange", "Started unfilled"),
        ShiftStatus::Pending => ("nhsuk-tag--white", "Not released yet"),
        ShiftStatus::Open => ("nhsuk-tag--blue", "Open"),
    }
}

/// `GET /office/board/shifts`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<CellParams>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let office = Office::of(&state, &visitor).await?;
    let ward_id: Uuid = params
        .ward
        .trim()
        .parse()
        .map_err(|_| PageError::NotFound)?;
    let day: NaiveDate = params.day.trim().parse().map_err(|_| PageError::NotFound)?;
    let group = match params.group.trim() {
        "" => None,
        g => Some(StaffGroup::from_code(g).ok_or(PageError::NotFound)?),
    };
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        CellQuery::build(CellVariables {
            trust_id: office.trust.id,
            ward_id: Some(ward_id),
            day: Some(day),
        }),
    )
    .await?;
    let (site, ward) = data
        .trust
        .sites
        .iter()
        .find_map(|s| {
            s.wards
                .iter()
                .find(|w| w.id == ward_id)
                .map(|w| (s.name.clone(), w.name.clone()))
        })
        .ok_or(PageError::NotFound)?;
    let rows = data
        .shifts
        .nodes
        .iter()
        // The list of one ward's day is short: the board's staff group filter is applied here.
        .filter(|s| group.is_none_or(|g| s.staff_group == Some(g)))
        .map(|s| Row {
            href: format!("/office/shifts/{}", s.id),
            time: format!(
                "{} to {}",
                format::time(s.starts_local),
                format::time(s.ends_local)
            ),
            grade: crate::views::worker::shifts::grade_name(&s.grade),
            booked: format!("{} of {} booked", s.filled_positions, s.positions),
            tag: tag(s),
            tier: s.open_tier.map(|t| format!("Open to {}", t.words())),
        })
        .collect();
    let title = format!("{ward}, {}", format::date(day));
    let mut back = "/office".to_owned();
    if let Some(g) = group {
        back = format!("/office?group={}", g.code());
    }
    render(&CellPage {
        layout: office.layout(&visitor, &title, "/office"),
        ward,
        site,
        day: format::date(day),
        group: group.map(StaffGroup::name),
        rows,
        back,
    })
}
