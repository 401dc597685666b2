//! Find shifts: the worker's feed (`myShiftFeed`) across every trust of their bank, soonest
//! first, ten a page. The filters are a GET form (works without JavaScript); the pages go on by
//! the feed's cursor, and every link keeps the filters.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{ShiftStatus, grade_name};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render_form};
use crate::format;
use crate::forms::{DateInput, DateValue, Errors, Select};
use crate::fragments::StaffGroup;
use crate::layout::Layout;
use crate::pagination::Pagination;
use crate::schema::{Decimal, NaiveDate, NaiveDateTime, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

/// Shifts a page.
const PAGE_SIZE: i32 = 10;

#[derive(cynic::QueryVariables)]
struct FeedVariables {
    trust_id: Option<Uuid>,
    site_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    grade: Option<String>,
    first: Option<i32>,
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "FeedVariables")]
struct FeedQuery {
    me: Viewer,
    my_worker: MyWorker,
    #[arguments(trustId: $trust_id, siteId: $site_id, from: $from, to: $to, grade: $grade, first: $first, after: $after)]
    my_shift_feed: FeedEntryConnection,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct MyWorker {
    grade: String,
    staff_group: Option<StaffGroup>,
    home_trust: HomeTrust,
}

#[derive(cynic::QueryVariables)]
struct GradesVariables {
    staff_group: StaffGroup,
}

/// The grades of the worker's staff group, for the filter.
#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "GradesVariables")]
struct GradesQuery {
    #[arguments(staffGroup: $staff_group)]
    grades: Vec<GradeOption>,
}

#[derive(cynic::QueryFragment)]
struct GradeOption {
    code: String,
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct HomeTrust {
    collaborative_bank: Bank,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CollaborativeBank")]
struct Bank {
    trusts: Vec<BankTrust>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct BankTrust {
    id: Uuid,
    name: String,
    sites: Vec<BankSite>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Site")]
struct BankSite {
    id: Uuid,
    name: String,
}

#[derive(cynic::QueryFragment)]
struct FeedEntryConnection {
    page_info: PageInfo,
    nodes: Vec<FeedEntry>,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(cynic::QueryFragment)]
struct FeedEntry {
    shift: FeedShift,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Shift")]
struct FeedShift {
    id: Uuid,
    grade: String,
    starts_local: NaiveDateTime,
    ends_local: NaiveDateTime,
    positions: i32,
    filled_positions: i32,
    status: ShiftStatus,
    my_pay: Option<PayTotal>,
    ward: Named,
    site: NamedSite,
    trust: NamedTrust,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PayQuote")]
struct PayTotal {
    total: Decimal,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Ward")]
struct Named {
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Site")]
struct NamedSite {
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct NamedTrust {
    name: String,
}

/// The filters and page as the address carries them (as typed: kept when they are wrong).
#[derive(Debug, Default, Deserialize)]
pub struct FeedParams {
    #[serde(default)]
    trust: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    grade: String,
    #[serde(default, rename = "from-day")]
    from_day: String,
    #[serde(default, rename = "from-month")]
    from_month: String,
    #[serde(default, rename = "from-year")]
    from_year: String,
    #[serde(default, rename = "to-day")]
    to_day: String,
    #[serde(default, rename = "to-month")]
    to_month: String,
    #[serde(default, rename = "to-year")]
    to_year: String,
    /// The cursor this page starts after.
    #[serde(default)]
    after: String,
    /// The cursors of the pages before, oldest first, `.`-separated (empty: the first page).
    #[serde(default)]
    trail: String,
}

impl FeedParams {
    fn date_from(&self) -> DateValue {
        DateValue {
            day: self.from_day.clone(),
            month: self.from_month.clone(),
            year: self.from_year.clone(),
        }
    }
    fn date_to(&self) -> DateValue {
        DateValue {
            day: self.to_day.clone(),
            month: self.to_month.clone(),
            year: self.to_year.clone(),
        }
    }
    fn any_filter(&self) -> bool {
        [
            &self.trust,
            &self.site,
            &self.grade,
            &self.from_day,
            &self.from_month,
            &self.from_year,
            &self.to_day,
            &self.to_month,
            &self.to_year,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }
    /// The filters as query pairs (for the page links), with a page position.
    fn link(&self, after: &str, trail: &str) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("trust", &self.trust),
            ("site", &self.site),
            ("from-day", &self.from_day),
            ("from-month", &self.from_month),
            ("from-year", &self.from_year),
            ("to-day", &self.to_day),
            ("to-month", &self.to_month),
            ("to-year", &self.to_year),
            ("grade", &self.grade),
        ];
        pairs.retain(|(_, v)| !v.trim().is_empty());
        if !after.is_empty() {
            pairs.push(("after", after));
        }
        if !trail.is_empty() {
            pairs.push(("trail", trail));
        }
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if q.is_empty() {
            "/worker/shifts".to_owned()
        } else {
            format!("/worker/shifts?{q}")
        }
    }
}

/// The filters, checked.
struct Filters {
    trust_id: Option<Uuid>,
    site_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    grade: Option<String>,
}

fn check(p: &FeedParams, errors: &mut Errors) -> Filters {
    let id = |v: &str, field: &str, message: &str, errors: &mut Errors| {
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        v.parse::<Uuid>().ok().or_else(|| {
            errors.add(field, message);
            None
        })
    };
    let trust_id = id(&p.trust, "trust", "Select a trust from the list", errors);
    let site_id = id(&p.site, "site", "Select a hospital from the list", errors);
    let date = |v: DateValue, field: &str, what: &str, errors: &mut Errors| {
        if v.is_blank() {
            return None;
        }
        match v.parse(what) {
            Ok(d) => Some(d),
            Err(m) => {
                errors.add(field, m);
                None
            }
        }
    };
    let from = date(p.date_from(), "from-day", "date from", errors);
    let to = date(p.date_to(), "to-day", "date to", errors);
    let (from, to) = match (from, to) {
        (Some(f), Some(t)) if t < f => {
            errors.add("to-day", "Date to must be the same as or after date from");
            (None, None)
        }
        other => other,
    };
    let grade = Some(p.grade.trim().to_owned()).filter(|g| !g.is_empty());
    Filters {
        trust_id,
        site_id,
        from,
        to,
        grade,
    }
}

#[derive(Template)]
#[template(path = "worker/shifts/find.html")]
struct FindPage {
    layout: Layout,
    errors: Errors,
    filters_open: bool,
    filtered: bool,
    trust: Select,
    site: Select,
    from: DateInput,
    to: DateInput,
    grade: Select,
    items: Vec<Item>,
    pagination: Pagination,
}

struct Item {
    href: String,
    when: String,
    ward: String,
    site: String,
    trust: String,
    grade: String,
    pay: Option<String>,
    tag: Option<(&'static str, String)>,
}

/// `GET /worker/shifts`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<FeedParams>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let mut errors = Errors::new();
    let f = check(&params, &mut errors);
    // A page of a filter that was wrong would be a page of another list: start again.
    let (after, trail) = if errors.is_empty() {
        (
            params.after.trim().to_owned(),
            params.trail.trim().to_owned(),
        )
    } else {
        (String::new(), String::new())
    };
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        FeedQuery::build(FeedVariables {
            trust_id: f.trust_id,
            site_id: f.site_id,
            from: f.from,
            to: f.to,
            grade: f.grade.clone(),
            first: Some(PAGE_SIZE),
            after: Some(after.clone()).filter(|a| !a.is_empty()),
        }),
    )
    .await?;

    let [trust_options, site_options] =
        place_options(&data.my_worker.home_trust.collaborative_bank.trusts);
    // The grades of the worker's staff group, lowest first; a grade asked for in the address
    // that is not one of them is kept, so the filter shows what the list is filtered by.
    let grades = match data.my_worker.staff_group {
        Some(group) => {
            api::run(
                state.api.as_ref(),
                &visitor.caller,
                GradesQuery::build(GradesVariables { staff_group: group }),
            )
            .await?
            .grades
        }
        _ => Vec::new(),
    };
    let grade_options = grade_options(grades, [Some(data.my_worker.grade.clone()), f.grade]);

    let items = data.my_shift_feed.nodes.iter().map(Item::of).collect();

    let pagination = pages(&params, &after, &trail, &data.my_shift_feed.page_info);

    let has_errors = !errors.is_empty();
    let page = FindPage {
        layout: super::super::layout(&visitor, &data.me, "Find shifts", "/worker/shifts")
            .with_errors(has_errors),
        filters_open: has_errors || params.any_filter(),
        filtered: params.any_filter() && !has_errors,
        trust: Select::new("trust", "Trust", trust_options)
            .selected(params.trust.trim())
            .error_from(&errors),
        site: Select::new("site", "Hospital", site_options)
            .selected(params.site.trim())
            .error_from(&errors),
        from: DateInput::new("from", "Date from")
            .hint("For example, 2 12 2026")
            .value(&params.date_from())
            .error_from(&errors),
        to: DateInput::new("to", "Date to")
            .hint("The last day a shift may start on")
            .value(&params.date_to())
            .error_from(&errors),
        grade: Select::new("grade", "Grade", grade_options)
            .selected(params.grade.trim())
            .error_from(&errors),
        items,
        pagination,
        errors,
    };
    render_form(&page, has_errors)
}

/// The trusts of the bank and their hospitals, as the two filters offer them.
fn place_options(trusts: &[BankTrust]) -> [Vec<(String, String)>; 2] {
    let mut trust_options = vec![(String::new(), "All trusts".to_owned())];
    trust_options.extend(trusts.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let mut site_options = vec![(String::new(), "All hospitals".to_owned())];
    for t in trusts {
        site_options.extend(
            t.sites
                .iter()
                .map(|s| (s.id.to_string(), format!("{} ({})", s.name, t.name))),
        );
    }
    [trust_options, site_options]
}

/// The grades the filter offers: those of the worker's staff group, then `kept` (the worker's
/// own and the one asked for) where they are not among them.
fn grade_options(grades: Vec<GradeOption>, kept: [Option<String>; 2]) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Any grade".to_owned())];
    options.extend(grades.into_iter().map(|g| (g.code, g.name)));
    for g in kept.into_iter().flatten() {
        if !options.iter().any(|(code, _)| *code == g) {
            options.push((g.clone(), grade_name(&g)));
        }
    }
    options
}

impl Item {
    /// A shift of the feed, as the list shows it.
    fn of(e: &FeedEntry) -> Self {
        let s = &e.shift;
        let left = s.positions - s.filled_positions;
        let tag = if s.status == ShiftStatus::Escalated {
            Some(("nhsuk-tag--orange", "Needed urgently".to_owned()))
        } else if s.positions > 1 {
            Some((
                "nhsuk-tag--blue",
                format!("{} of {} places left", left, s.positions),
            ))
        } else {
            None
        };
        Self {
            href: format!("/worker/shifts/{}", s.id),
            when: format::shift_time(s.starts_local, s.ends_local),
            ward: s.ward.name.clone(),
            site: s.site.name.clone(),
            trust: s.trust.name.clone(),
            grade: grade_name(&s.grade),
            pay: s.my_pay.as_ref().map(|p| format::money(p.total)),
            tag,
        }
    }
}

/// The links to the pages before and after: `trail` keeps the cursors of the pages before this
/// one (`-` for the first), so "Previous" needs no backward cursor from the API.
fn pages(params: &FeedParams, after: &str, trail: &str, page_info: &PageInfo) -> Pagination {
    let mut previous_trail: Vec<&str> = trail.split('.').filter(|c| !c.is_empty()).collect();
    let first_page = after.is_empty();
    let previous = (!first_page).then(|| {
        let back_to = previous_trail.pop().unwrap_or_default();
        let back_to = if back_to == "-" { "" } else { back_to };
        params.link(back_to, &previous_trail.join("."))
    });
    let next = page_info
        .has_next_page
        .then_some(page_info.end_cursor.as_deref())
        .flatten()
        .map(|end| {
            let mut t: Vec<&str> = trail.split('.').filter(|c| !c.is_empty()).collect();
            t.push(if after.is_empty() { "-" } else { after });
            params.link(end, &t.join("."))
        });
    Pagination { previous, next }
}
