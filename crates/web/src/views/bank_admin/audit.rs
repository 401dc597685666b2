//! `GET /bank-admin/audit`: every look at a worker's details from another organisation, newest
//! first, narrowed by the trust that looked, the worker, why they could, and a range of days (a
//! GET form, so a filtered list can be bookmarked; paged). `GET /bank-admin/audit/csv` downloads
//! the same filtered rows, every page of them. From the API's `accessAudit`.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::BankAdmin;
use super::trusts::member_trusts;
use crate::WebState;
use crate::api::{self, Code};
use crate::charts::csv_field;
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{DateInput, DateValue, Errors, Select};
use crate::layout::Layout;
use crate::pagination::Pagination;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::{Visitor, urlencode};

/// Rows on a page.
const PAGE: i32 = 25;
/// Rows fetched at a time for the CSV (the API's largest page).
const CSV_PAGE: i32 = 200;
/// The most rows a CSV holds: past this, narrow the filter.
const CSV_MAX_ROWS: usize = 20_000;

#[derive(cynic::QueryVariables)]
struct AuditVariables {
    system_id: Uuid,
    trust_id: Option<Uuid>,
    worker_id: Option<Uuid>,
    purpose: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    first: Option<i32>,
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "AuditVariables")]
struct AuditQuery {
    #[arguments(systemId: $system_id, trustId: $trust_id, workerId: $worker_id, purpose: $purpose, from: $from, to: $to, first: $first, after: $after)]
    access_audit: AuditConnection,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "AccessLogEntryConnection")]
struct AuditConnection {
    page_info: PageInfo,
    nodes: Vec<Entry>,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "AccessLogEntry")]
struct Entry {
    at: DateTime<Utc>,
    what: String,
    purpose: String,
    worker_id: Uuid,
    viewer_trust: Option<Looker>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct Looker {
    name: String,
}

#[derive(cynic::QueryVariables)]
struct WorkersVariables {
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "WorkersVariables")]
struct WorkersQuery {
    #[arguments(first: 200, after: $after)]
    workers: WorkerConnection,
}

#[derive(cynic::QueryFragment)]
struct WorkerConnection {
    page_info: PageInfo,
    nodes: Vec<WorkerName>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct WorkerName {
    id: Uuid,
    given_name: String,
    family_name: String,
}

/// Why an organisation could look, from the bank's side (the API's purposes), in the order the
/// filter lists them.
const PURPOSES: &[(&str, &str)] = &[
    (
        "ENGAGED_AT_TRUST",
        "The worker works for them through the bank",
    ),
    (
        "PASSPORT_SHARED",
        "The worker shared their passport with them",
    ),
    ("PASSPORT_ISSUER", "They issued the worker's passport"),
    (
        "PASSPORT_PRESENTED",
        "The worker's passport was shown to them to check",
    ),
    (
        "COMPLIANCE_CHECK",
        "They checked whether the worker could work there",
    ),
    ("BANK_ADMINISTRATION", "They run the collaborative bank"),
];

fn why_in_words(code: &str) -> String {
    PURPOSES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| format::code_words(code), |(_, w)| (*w).to_owned())
}

/// What was seen, in words (the API's codes).
fn what_in_words(code: &str) -> String {
    match code {
        "RECORD" => "Their details, such as date of birth and contact details".to_owned(),
        "CREDENTIALS" => "Their checks and training".to_owned(),
        "PASSPORT" => "Their passport".to_owned(),
        "COMPLIANCE" => "Whether they meet the trust's requirements".to_owned(),
        other => format::code_words(other),
    }
}

/// The filter as typed.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Filter {
    #[serde(default)]
    trust: String,
    #[serde(default)]
    worker: String,
    #[serde(default)]
    purpose: String,
    #[serde(rename = "from-day", default)]
    from_day: String,
    #[serde(rename = "from-month", default)]
    from_month: String,
    #[serde(rename = "from-year", default)]
    from_year: String,
    #[serde(rename = "to-day", default)]
    to_day: String,
    #[serde(rename = "to-month", default)]
    to_month: String,
    #[serde(rename = "to-year", default)]
    to_year: String,
    #[serde(default)]
    after: String,
}

impl Filter {
    fn first_day(&self) -> DateValue {
        DateValue {
            day: self.from_day.clone(),
            month: self.from_month.clone(),
            year: self.from_year.clone(),
        }
    }
    fn last_day(&self) -> DateValue {
        DateValue {
            day: self.to_day.clone(),
            month: self.to_month.clone(),
            year: self.to_year.clone(),
        }
    }

    /// The filter's query string (`?…`), without the page's cursor unless `after` is given.
    fn query(&self, after: &str) -> String {
        let pairs = [
            ("trust", &self.trust),
            ("worker", &self.worker),
            ("purpose", &self.purpose),
            ("from-day", &self.from_day),
            ("from-month", &self.from_month),
            ("from-year", &self.from_year),
            ("to-day", &self.to_day),
            ("to-month", &self.to_month),
            ("to-year", &self.to_year),
        ];
        let mut parts: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v.trim())))
            .collect();
        if !after.is_empty() {
            parts.push(format!("after={}", urlencode(after)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    fn is_blank(&self) -> bool {
        self.query("").is_empty()
    }
}

/// What the filter asks the API for.
struct Asked {
    trust_id: Option<Uuid>,
    worker_id: Option<Uuid>,
    purpose: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// The filter read, or the errors to show. An id the lists did not offer is refused the same
/// way as a choice made by hand.
fn asked(f: &Filter) -> Result<Asked, Errors> {
    let mut errors = Errors::new();
    let id = |s: &str, field: &str, message: &str, errors: &mut Errors| {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        s.parse::<Uuid>()
            .map_err(|_| errors.add(field, message))
            .ok()
    };
    let trust_id = id(
        &f.trust,
        "trust",
        "Select a trust from the list",
        &mut errors,
    );
    let worker_id = id(
        &f.worker,
        "worker",
        "Select a worker from the list",
        &mut errors,
    );
    let purpose = Some(f.purpose.trim().to_owned()).filter(|p| !p.is_empty());
    if purpose
        .as_deref()
        .is_some_and(|p| !PURPOSES.iter().any(|(c, _)| *c == p))
    {
        errors.add("purpose", "Select why they looked from the list");
    }
    let date = |v: DateValue, field: &str, what: &str, errors: &mut Errors| {
        if v.is_blank() {
            return None;
        }
        v.parse(what).map_err(|m| errors.add(field, m)).ok()
    };
    let from = date(f.first_day(), "from-day", "the first day", &mut errors);
    let to = date(f.last_day(), "to-day", "the last day", &mut errors);
    if let (Some(a), Some(b)) = (from, to)
        && b < a
    {
        errors.add(
            "to-day",
            "The last day must be the same as or after the first day",
        );
    }
    if errors.is_empty() {
        Ok(Asked {
            trust_id,
            worker_id,
            purpose,
            from,
            to,
        })
    } else {
        Err(errors)
    }
}

/// Every worker of the bank by id, named (the worker filter's list).
async fn worker_names(
    state: &WebState,
    visitor: &Visitor,
) -> Result<Vec<(Uuid, String)>, PageError> {
    use cynic::QueryBuilder;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = api::run(
            state.api.as_ref(),
            &visitor.caller,
            WorkersQuery::build(WorkersVariables { after }),
        )
        .await?
        .workers;
        out.extend(
            page.nodes
                .into_iter()
                .map(|w| (w.id, format!("{} {}", w.given_name, w.family_name))),
        );
        match page.page_info.end_cursor {
            Some(c) if page.page_info.has_next_page && out.len() < CSV_MAX_ROWS => {
                after = Some(c);
            }
            _ => break,
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// One page of the audit.
async fn audit_page(
    state: &WebState,
    visitor: &Visitor,
    admin: &BankAdmin,
    a: &Asked,
    first: i32,
    after: Option<String>,
) -> Result<AuditConnection, api::ApiError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        AuditQuery::build(AuditVariables {
            system_id: admin.bank.id,
            trust_id: a.trust_id,
            worker_id: a.worker_id,
            purpose: a.purpose.clone(),
            from: a.from,
            to: a.to,
            first: Some(first),
            after,
        }),
    )
    .await?
    .access_audit)
}

/// A look, in words.
struct Row {
    when: String,
    worker: String,
    trust: String,
    what: String,
    why: String,
}

fn row(e: &Entry, names: &HashMap<Uuid, String>) -> Row {
    Row {
        when: format::when(e.at),
        worker: names
            .get(&e.worker_id)
            .cloned()
            .unwrap_or_else(|| "A worker of the bank".to_owned()),
        trust: e
            .viewer_trust
            .as_ref()
            .map_or_else(|| "The collaborative bank".to_owned(), |t| t.name.clone()),
        what: what_in_words(&e.what),
        why: why_in_words(&e.purpose),
    }
}

#[derive(Template)]
#[template(path = "bank_admin/audit.html")]
struct AuditPage {
    layout: Layout,
    errors: Errors,
    bank: String,
    trust: Select,
    worker: Select,
    purpose: Select,
    from: DateInput,
    to: DateInput,
    filtered: bool,
    rows: Vec<Row>,
    pagination: Pagination,
    csv_href: String,
}

/// `GET /bank-admin/audit`.
async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let trusts = member_trusts(&state, &visitor, &admin).await?;
    let workers = worker_names(&state, &visitor).await?;
    let asked = asked(&filter);
    let mut errors = asked.as_ref().err().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    let mut pagination = Pagination::default();
    if let Ok(a) = &asked {
        let after = Some(filter.after.trim().to_owned()).filter(|s| !s.is_empty());
        match audit_page(&state, &visitor, &admin, a, PAGE, after).await {
            Ok(conn) => {
                let names: HashMap<Uuid, String> = workers.iter().cloned().collect();
                rows = conn.nodes.iter().map(|e| row(e, &names)).collect();
                pagination.previous = (!filter.after.trim().is_empty())
                    .then(|| format!("/bank-admin/audit{}", filter.query("")));
                pagination.next = conn
                    .page_info
                    .end_cursor
                    .filter(|_| conn.page_info.has_next_page)
                    .map(|c| format!("/bank-admin/audit{}", filter.query(&c)));
            }
            // A trust or worker not of this bank (typed into the address).
            Err(e) if e.code == Code::Validation => {
                let field = if e.message.contains("worker") {
                    "worker"
                } else if e.message.contains("purpose") {
                    "purpose"
                } else if e.message.contains("day") {
                    "to-day"
                } else {
                    "trust"
                };
                errors.add(field, format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut trust_options = vec![(String::new(), "Any trust".to_owned())];
    trust_options.extend(trusts.iter().map(|t| (t.id.to_string(), t.name.clone())));
    let mut worker_options = vec![(String::new(), "Any worker".to_owned())];
    worker_options.extend(workers.iter().map(|(id, n)| (id.to_string(), n.clone())));
    let mut purpose_options = vec![(String::new(), "Any reason".to_owned())];
    purpose_options.extend(
        PURPOSES
            .iter()
            .map(|(c, w)| ((*c).to_owned(), (*w).to_owned())),
    );
    let page = AuditPage {
        layout: admin
            .layout(&visitor, "Access audit", "/bank-admin/audit")
            .with_errors(!errors.is_empty()),
        bank: admin.bank.name.clone(),
        trust: Select::new("trust", "Trust that looked", trust_options)
            .selected(filter.trust.trim())
            .error_from(&errors),
        worker: Select::new("worker", "Worker", worker_options)
            .selected(filter.worker.trim())
            .error_from(&errors),
        purpose: Select::new("purpose", "Why they could look", purpose_options)
            .selected(filter.purpose.trim())
            .error_from(&errors),
        from: DateInput::new("from", "From")
            .hint("For example, 3 11 2026. Leave empty for no first day")
            .value(&filter.first_day())
            .error_from(&errors),
        to: DateInput::new("to", "To")
            .hint("Leave empty for no last day")
            .value(&filter.last_day())
            .error_from(&errors),
        filtered: !filter.is_blank(),
        rows,
        pagination,
        csv_href: format!("/bank-admin/audit/csv{}", filter.query("")),
        errors,
    };
    if page.errors.is_empty() {
        render(&page)
    } else {
        render_invalid(&page)
    }
}

/// `GET /bank-admin/audit/csv`: the filtered rows, every page, as CSV.
async fn csv(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(filter): Query<Filter>,
) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let Ok(a) = asked(&filter) else {
        return Err(PageError::NotFound);
    };
    let names: HashMap<Uuid, String> = worker_names(&state, &visitor).await?.into_iter().collect();
    let mut out = String::from("when,worker_id,worker,trust_that_looked,what_they_saw,purpose\n");
    let mut after = None;
    let mut count = 0usize;
    loop {
        let conn = match audit_page(&state, &visitor, &admin, &a, CSV_PAGE, after).await {
            Ok(c) => c,
            Err(e) if e.code == Code::Validation => return Err(PageError::NotFound),
            Err(e) => return Err(e.into()),
        };
        for e in &conn.nodes {
            let cells = [
                e.at.to_rfc3339(),
                e.worker_id.to_string(),
                names.get(&e.worker_id).cloned().unwrap_or_default(),
                e.viewer_trust
                    .as_ref()
                    .map(|t| t.name.clone())
                    .unwrap_or_default(),
                e.what.clone(),
                e.purpose.clone(),
            ];
            let cells: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        count += conn.nodes.len();
        match conn.page_info.end_cursor {
            Some(c) if conn.page_info.has_next_page && count < CSV_MAX_ROWS => after = Some(c),
            _ => break,
        }
    }
    Ok(crate::views::office::pay::csv_file(
        &format!("access-audit-{}.csv", format::today()),
        out,
    ))
}

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/bank-admin/audit", get(page))
        .route("/bank-admin/audit/csv", get(csv))
}
