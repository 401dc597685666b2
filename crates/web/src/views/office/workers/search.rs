//! `GET /office/workers`: search the bank by name, staff group, grade and skill. The form is a
//! GET, so a search is an address that can be kept; bad input is shown the NHS way and what was
//! typed stays.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_form};
use crate::filters;
use crate::format;
use crate::forms::{Errors, Input, Select};
use crate::fragments::StaffGroup;
use crate::layout::Layout;
use crate::pagination::Pagination;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;

/// Workers on one page of results.
const PER_PAGE: i32 = 20;

#[derive(cynic::QueryVariables)]
struct SearchVariables {
    trust_id: Uuid,
    staff_group: Option<StaffGroup>,
    name: Option<String>,
    grade: Option<String>,
    skill: Option<String>,
    first: Option<i32>,
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SearchVariables")]
struct SearchQuery {
    #[arguments(staffGroup: $staff_group, name: $name, grade: $grade, skill: $skill, first: $first, after: $after)]
    workers: WorkerConnection,
}

#[derive(cynic::QueryFragment)]
#[cynic(variables = "SearchVariables")]
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
#[cynic(graphql_type = "Worker", variables = "SearchVariables")]
struct Found {
    id: Uuid,
    given_name: String,
    family_name: String,
    staff_group: Option<StaffGroup>,
    grade: String,
    skills: Vec<String>,
    #[arguments(trustId: $trust_id)]
    engagement_here: Option<Engagement>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Membership")]
struct Engagement {
    consent: super::show::Consent,
}

/// One worker found, as the table shows them.
struct Row {
    href: String,
    name: String,
    group: String,
    grade: String,
    skills: String,
    here: &'static str,
}

#[derive(Template)]
#[template(path = "office/workers/search.html")]
struct SearchPage {
    layout: Layout,
    errors: Errors,
    trust_name: String,
    name: Input,
    group: Select,
    grade: Input,
    skill: Input,
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
    grade: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    after: String,
}

impl Params {
    fn href(&self, after: &str) -> String {
        filters::href(
            "/office/workers",
            &[
                ("name", self.name.trim()),
                ("group", self.group.trim()),
                ("grade", self.grade.trim()),
                ("skill", self.skill.trim()),
                ("after", after),
            ],
        )
    }

    fn any(&self) -> bool {
        [&self.name, &self.group, &self.grade, &self.skill]
            .iter()
            .any(|v| !v.trim().is_empty())
    }
}

/// One worker found, as the table shows them.
fn row(w: Found, trust: &str) -> Row {
    Row {
        href: format!("/office/workers/{}", w.id),
        name: format!("{} {}", w.given_name, w.family_name),
        group: w.staff_group.map_or("", StaffGroup::name).to_owned(),
        grade: crate::views::worker::shifts::grade_name(&w.grade),
        skills: format::skills_words(&w.skills),
        here: super::show::here_words(w.engagement_here.map(|e| e.consent), trust),
    }
}

/// Where the API's refusal of the search belongs, in the form's words.
fn refused(message: &str, errors: &mut Errors) {
    let m = message.to_lowercase();
    if m.contains("grade") {
        errors.add(
            "grade",
            "Enter a grade of the staff group, like BAND_5 or ST3",
        );
    } else if m.contains("skill") {
        errors.add(
            "skill",
            "Enter a skill in letters, numbers and underscores, like CRITICAL_CARE",
        );
    } else if m.contains("name") {
        errors.add("name", filters::NAME_TOO_LONG);
    } else {
        errors.add("name", "Check what you searched for");
    }
}

/// `GET /office/workers`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let office = Office::of(&state, &visitor).await?;
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
                trust_id: office.trust.id,
                staff_group: group,
                name: filters::typed(&params.name),
                grade: filters::typed(&params.grade),
                skill: filters::typed(&params.skill),
                first: Some(PER_PAGE),
                after: filters::typed(&params.after),
            }),
        )
        .await;
        match result {
            Ok(data) => {
                let trust = &office.trust.name;
                rows = data
                    .workers
                    .nodes
                    .into_iter()
                    .map(|w| row(w, trust))
                    .collect();
                let more = data.workers.page_info;
                next =
                    filters::next_page(more.has_next_page, more.end_cursor, |end| params.href(end));
            }
            Err(e) if e.code == Code::Validation => refused(&e.message, &mut errors),
            Err(e) => return Err(e.into()),
        }
    }
    let previous = (!params.after.trim().is_empty()).then(|| params.href(""));
    let invalid = !errors.is_empty();
    let page = SearchPage {
        layout: office
            .layout(&visitor, "Find a worker", "/office/workers")
            .with_errors(invalid),
        trust_name: office.trust.name.clone(),
        name: filters::name_input(&params.name, &errors),
        group: filters::group_select(&params.group, &errors),
        grade: Input::new("grade", "Grade")
            .hint("For example, BAND_5 or ST3")
            .value(params.grade.trim())
            .width("nhsuk-input--width-10")
            .error_from(&errors),
        skill: Input::new("skill", "Skill")
            .hint("For example, CRITICAL_CARE")
            .value(params.skill.trim())
            .width("nhsuk-input--width-20")
            .error_from(&errors),
        searched: params.any(),
        rows,
        pagination: Pagination { previous, next },
        errors,
    };
    render_form(&page, invalid)
}
