//! `GET /hr/workers`: the workers engaged at this trust, found by part of their name and by staff
//! group (a GET form, the input kept), in pages.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_form};
use crate::filters;
use crate::forms::{Errors, Input, Select};
use crate::fragments::StaffGroup;
use crate::layout::Layout;
use crate::pagination::Pagination;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;

/// Workers on one page of results.
const PER_PAGE: i32 = 20;

#[derive(cynic::QueryVariables)]
struct SearchVariables {
    trust_id: Option<Uuid>,
    staff_group: Option<StaffGroup>,
    name: Option<String>,
    first: Option<i32>,
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SearchVariables")]
struct SearchQuery {
    #[arguments(trustId: $trust_id, staffGroup: $staff_group, name: $name, first: $first, after: $after)]
    workers: WorkerConnection,
}

#[derive(cynic::QueryFragment)]
struct WorkerConnection {
    nodes: Vec<Found>,
    page_info: PageInfo,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct Found {
    id: Uuid,
    given_name: String,
    family_name: String,
    staff_group: Option<StaffGroup>,
    grade: String,
}

struct Row {
    href: String,
    name: String,
    group: String,
    grade: String,
}

#[derive(Template)]
#[template(path = "hr/workers/search.html")]
struct SearchPage {
    layout: Layout,
    errors: Errors,
    trust_name: String,
    name: Input,
    group: Select,
    searched: bool,
    rows: Vec<Row>,
    pagination: Pagination,
}

/// The search form's fields, as typed.
#[derive(Debug, Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    name: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    after: String,
}

impl Params {
    fn href(&self, after: &str) -> String {
        filters::href(
            "/hr/workers",
            &[
                ("name", self.name.trim()),
                ("group", self.group.trim()),
                ("after", after),
            ],
        )
    }
}

/// `GET /hr/workers`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(&state, &visitor).await?;
    let mut errors = Errors::new();
    filters::check_name(&params.name, &mut errors);
    let group = filters::staff_group(&params.group, &mut errors);
    let mut rows = Vec::new();
    let mut next = None;
    if errors.is_empty() {
        let result = api::run(
            state.api.as_ref(),
            &visitor.caller,
            SearchQuery::build(SearchVariables {
                trust_id: Some(hr.trust.id),
                staff_group: group,
                name: filters::typed(&params.name),
                first: Some(PER_PAGE),
                after: filters::typed(&params.after),
            }),
        )
        .await;
        match result {
            Ok(data) => {
                rows = data
                    .workers
                    .nodes
                    .into_iter()
                    .map(|w| Row {
                        href: format!("/hr/workers/{}", w.id),
                        name: format!("{} {}", w.given_name, w.family_name),
                        group: w.staff_group.map_or("", StaffGroup::name).to_owned(),
                        grade: crate::views::worker::shifts::grade_name(&w.grade),
                    })
                    .collect();
                let more = data.workers.page_info;
                next =
                    filters::next_page(more.has_next_page, more.end_cursor, |end| params.href(end));
            }
            Err(e) if e.code == Code::Validation => {
                errors.add("name", crate::format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let previous = (!params.after.trim().is_empty()).then(|| params.href(""));
    let invalid = !errors.is_empty();
    let page = SearchPage {
        layout: hr
            .layout(&visitor, "Workers", "/hr/workers")
            .with_errors(invalid),
        trust_name: hr.trust.name.clone(),
        name: filters::name_input(&params.name, &errors),
        group: filters::group_select(&params.group, &errors),
        searched: !params.name.trim().is_empty() || !params.group.trim().is_empty(),
        rows,
        pagination: Pagination { previous, next },
        errors,
    };
    render_form(&page, invalid)
}
