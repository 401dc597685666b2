//! The board, the bank office's home (`/office`): the trust's shifts for the next 14 days as a grid
//! of days × wards, each cell counting open, partly filled, filled, escalated and cancelled shifts
//! and saying who can book now and who next; a list of the same by day for small screens (and on
//! any screen with `view=list`). Filters by site, ward and staff group are a GET form. Each cell
//! links to its shifts (`/office/board/shifts`). `board.js` keeps the page live: it subscribes to
//! `shiftChanges` and redraws the cells a change touches; without it a refresh shows the same.

mod cell;
pub(crate) mod query;
mod view;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use self::query::{BoardQuery, BoardVariables, Estate, StaffGroup};
use self::view::{Day, WardHead};
use super::Office;
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::forms::{Errors, Select};
use crate::layout::Layout;
use crate::schema::Uuid;
use crate::session::Visitor;

/// The board's routes.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/office", get(page))
        .route("/office/board/shifts", get(cell::page))
}

/// The filters as the address carries them (as typed: kept when they are wrong).
#[derive(Debug, Default, Deserialize)]
pub struct BoardParams {
    #[serde(default)]
    site: String,
    #[serde(default)]
    ward: String,
    #[serde(default)]
    group: String,
    /// `list` shows the list view at every width.
    #[serde(default)]
    view: String,
}

impl BoardParams {
    /// The address of this board with `view` set (empty: the default).
    fn href(&self, view: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("site", &self.site),
            ("ward", &self.ward),
            ("group", &self.group),
            ("view", view),
        ];
        pairs.retain(|(_, v)| !v.trim().is_empty());
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if q.is_empty() {
            "/office".to_owned()
        } else {
            format!("/office?{q}")
        }
    }
}

/// The filters, checked against the trust's estate.
struct Filters {
    site_id: Option<Uuid>,
    ward_id: Option<Uuid>,
    group: Option<StaffGroup>,
}

fn check(p: &BoardParams, estate: &Estate, errors: &mut Errors) -> Filters {
    let site_id = match p.site.trim() {
        "" => None,
        v => match v
            .parse::<Uuid>()
            .ok()
            .filter(|id| estate.sites.iter().any(|s| s.id == *id))
        {
            Some(id) => Some(id),
            None => {
                errors.add("site", "Select a site from the list");
                None
            }
        },
    };
    let ward_id = match p.ward.trim() {
        "" => None,
        v => {
            let found = v.parse::<Uuid>().ok().and_then(|id| {
                estate
                    .sites
                    .iter()
                    .find(|s| s.wards.iter().any(|w| w.id == id))
                    .map(|s| (id, s))
            });
            match found {
                Some((id, s)) if site_id.is_none_or(|chosen| chosen == s.id) => Some(id),
                Some(_) => {
                    errors.add("ward", "Select a ward at the site you chose, or all wards");
                    None
                }
                None => {
                    errors.add("ward", "Select a ward from the list");
                    None
                }
            }
        }
    };
    let group = match p.group.trim() {
        "" => None,
        v => StaffGroup::from_code(v).or_else(|| {
            errors.add("group", "Select a staff group from the list");
            None
        }),
    };
    Filters {
        site_id,
        ward_id,
        group,
    }
}

/// The trust's estate, the filters checked against it, and the board they select. Both are
/// asked for in one query, with the filters as typed; only when the estate then refuses one of
/// them (the board would have been refused too, or drawn for a filter the page does not accept)
/// is the board asked for again, with the filters that stand.
async fn estate_and_board(
    state: &WebState,
    visitor: &Visitor,
    trust_id: Uuid,
    params: &BoardParams,
    errors: &mut Errors,
) -> Result<(Estate, Filters, query::ShiftBoard), PageError> {
    use cynic::QueryBuilder;
    let board_for = |site_id, ward_id, staff_group| {
        BoardQuery::build(BoardVariables {
            trust_id,
            from: None,
            site_id,
            ward_id,
            staff_group,
        })
    };
    let typed_site = params.site.trim().parse::<Uuid>().ok();
    let typed_ward = params.ward.trim().parse::<Uuid>().ok();
    let typed_group = StaffGroup::from_code(params.group.trim());
    let both = api::run(
        state.api.as_ref(),
        &visitor.caller,
        query::EstateAndBoardQuery::build(BoardVariables {
            trust_id,
            from: None,
            site_id: typed_site,
            ward_id: typed_ward,
            staff_group: typed_group,
        }),
    )
    .await;
    let (estate, board) = match both {
        Ok(both) => (both.trust, Some(both.shift_board)),
        // A filter the board refused (a site or ward not of the trust); without filters, the
        // error is the page's.
        Err(_) if typed_site.is_some() || typed_ward.is_some() => {
            let estate = api::run(
                state.api.as_ref(),
                &visitor.caller,
                query::EstateQuery::build(query::EstateVariables { trust_id }),
            )
            .await?
            .trust;
            (estate, None)
        }
        Err(e) => return Err(e.into()),
    };
    let f = check(params, &estate, errors);
    let board = match board {
        Some(board) if (f.site_id, f.ward_id) == (typed_site, typed_ward) => board,
        _ => {
            api::run(
                state.api.as_ref(),
                &visitor.caller,
                board_for(f.site_id, f.ward_id, f.group),
            )
            .await?
            .shift_board
        }
    };
    Ok((estate, f, board))
}

#[derive(Template)]
#[template(path = "office/board/board.html")]
struct BoardPage {
    layout: Layout,
    errors: Errors,
    trust_id: Uuid,
    trust_name: String,
    filtered: bool,
    list_only: bool,
    list_href: String,
    grid_href: String,
    site: Select,
    ward: Select,
    group: Select,
    wards: Vec<WardHead>,
    days: Vec<Day>,
    range: String,
}

/// `GET /office`: the board.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<BoardParams>,
) -> Result<Response, PageError> {
    let office = Office::of(&state, &visitor).await?;
    let trust_id = office.trust.id;
    let mut errors = Errors::new();
    let (estate, f, shift_board) =
        estate_and_board(&state, &visitor, trust_id, &params, &mut errors).await?;
    let board = view::Board::of(&shift_board, f.group);

    let mut site_options = vec![(String::new(), "All sites".to_owned())];
    site_options.extend(
        estate
            .sites
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone())),
    );
    let mut ward_options = vec![(String::new(), "All wards".to_owned())];
    for s in &estate.sites {
        ward_options.extend(
            s.wards
                .iter()
                .map(|w| (w.id.to_string(), format!("{} ({})", w.name, s.name))),
        );
    }
    let mut group_options = vec![(String::new(), "All staff groups".to_owned())];
    group_options.extend(
        StaffGroup::ALL
            .iter()
            .map(|g| (g.code().to_owned(), g.name().to_owned())),
    );
    let title = "Shift board";
    render(&BoardPage {
        layout: office
            .layout(&visitor, title, "/office")
            .with_errors(!errors.is_empty()),
        trust_id,
        trust_name: office.trust.name.clone(),
        filtered: f.site_id.is_some() || f.ward_id.is_some() || f.group.is_some(),
        list_only: params.view.trim() == "list",
        list_href: params.href("list"),
        grid_href: params.href(""),
        site: Select::new("site", "Site", site_options)
            .selected(params.site.trim())
            .error_from(&errors),
        ward: Select::new("ward", "Ward", ward_options)
            .selected(params.ward.trim())
            .error_from(&errors),
        group: Select::new("group", "Staff group", group_options)
            .selected(params.group.trim())
            .error_from(&errors),
        range: board.range,
        wards: board.wards,
        days: board.days,
        errors,
    })
}
