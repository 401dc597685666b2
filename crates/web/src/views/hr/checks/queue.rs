//! `GET /hr`: the credentials waiting for this trust's HR to check, oldest first, filtered by kind
//! and staff group with a GET form (so a filtered queue is an address that can be kept), in pages.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_form};
use crate::filters;
use crate::format;
use crate::forms::{Errors, Select};
use crate::fragments::StaffGroup;
use crate::layout::Layout;
use crate::pagination::Pagination;
use crate::schema::{DateTime, NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;

/// Credentials on one page of the queue.
const PER_PAGE: i32 = 20;

#[derive(cynic::QueryVariables)]
struct QueueVariables {
    trust_id: Uuid,
    kind: Option<String>,
    staff_group: Option<StaffGroup>,
    first: Option<i32>,
    after: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "QueueVariables")]
struct QueueQuery {
    #[arguments(trustId: $trust_id, kind: $kind, staffGroup: $staff_group, first: $first, after: $after)]
    credentials_awaiting_verification: Connection,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialToVerifyConnection")]
struct Connection {
    nodes: Vec<Waiting>,
    page_info: PageInfo,
}

#[derive(cynic::QueryFragment)]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialToVerify")]
struct Waiting {
    credential: WaitingCredential,
    worker: WaitingWorker,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Credential")]
struct WaitingCredential {
    id: Uuid,
    kind_name: String,
    level: Option<i32>,
    created_at: DateTime,
    evidence: Option<Document>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Evidence")]
struct Document {
    content_type: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct WaitingWorker {
    given_name: String,
    family_name: String,
    staff_group: Option<StaffGroup>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct KindsQuery {
    credential_kinds: Vec<Kind>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CredentialKind")]
struct Kind {
    code: String,
    name: String,
}

/// One waiting credential, as the table shows it.
struct Row {
    href: String,
    worker: String,
    group: String,
    check: String,
    recorded: String,
    waiting: String,
    document: &'static str,
}

#[derive(Template)]
#[template(path = "hr/checks/queue.html")]
struct QueuePage {
    layout: Layout,
    errors: Errors,
    trust_name: String,
    kind: Select,
    group: Select,
    filtered: bool,
    rows: Vec<Row>,
    pagination: Pagination,
}

/// The filter form's fields, as chosen.
#[derive(Debug, Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    after: String,
}

impl Params {
    fn href(&self, after: &str) -> String {
        filters::href(
            "/hr",
            &[
                ("kind", self.kind.trim()),
                ("group", self.group.trim()),
                ("after", after),
            ],
        )
    }
}

/// "Basic life support, level 2".
pub(crate) fn check_name(kind_name: &str, level: Option<i32>) -> String {
    match level {
        Some(l) => format!("{kind_name}, level {l}"),
        None => kind_name.to_owned(),
    }
}

/// What kind of document is attached, in words.
pub(crate) fn document_words(content_type: Option<&str>) -> &'static str {
    match content_type {
        Some("application/pdf") => "PDF",
        Some(t) if t.starts_with("image/") => "Image",
        Some(_) => "Document",
        None => "None",
    }
}

/// `GET /hr`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(params): Query<Params>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(&state, &visitor).await?;
    let kinds = api::run(state.api.as_ref(), &visitor.caller, KindsQuery::build(()))
        .await?
        .credential_kinds;
    let mut errors = Errors::new();
    let kind = match params.kind.trim() {
        "" => None,
        code if kinds.iter().any(|k| k.code == code) => Some(code.to_owned()),
        _ => {
            errors.add("kind", "Select a check from the list");
            None
        }
    };
    let group = filters::staff_group(&params.group, &mut errors);
    let mut rows = Vec::new();
    let mut next = None;
    if errors.is_empty() {
        let result = api::run(
            state.api.as_ref(),
            &visitor.caller,
            QueueQuery::build(QueueVariables {
                trust_id: hr.trust.id,
                kind,
                staff_group: group,
                first: Some(PER_PAGE),
                after: filters::typed(&params.after),
            }),
        )
        .await;
        match result {
            Ok(data) => {
                let today = format::today();
                let queue = data.credentials_awaiting_verification;
                rows = queue
                    .nodes
                    .into_iter()
                    .map(|w| Row::of(&w, today))
                    .collect();
                let more = queue.page_info;
                next =
                    filters::next_page(more.has_next_page, more.end_cursor, |end| params.href(end));
            }
            Err(e) if e.code == Code::Validation => {
                errors.add("kind", format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let previous = (!params.after.trim().is_empty()).then(|| params.href(""));
    let mut kind_options = vec![(String::new(), "All checks".to_owned())];
    kind_options.extend(kinds.into_iter().map(|k| (k.code, k.name)));
    let invalid = !errors.is_empty();
    let page = QueuePage {
        layout: hr
            .layout(&visitor, "Checks to do", "/hr")
            .with_errors(invalid),
        trust_name: hr.trust.name.clone(),
        kind: Select::new("kind", "Check", kind_options)
            .selected(params.kind.trim())
            .error_from(&errors),
        group: filters::group_select(&params.group, &errors),
        filtered: !params.kind.trim().is_empty() || !params.group.trim().is_empty(),
        rows,
        pagination: Pagination { previous, next },
        errors,
    };
    render_form(&page, invalid)
}

impl Row {
    /// One credential waiting, and for how long (`today` in London).
    fn of(w: &Waiting, today: NaiveDate) -> Self {
        let recorded = format::london(w.credential.created_at).date();
        let days = (today - recorded).num_days().max(0);
        Self {
            href: format!("/hr/credentials/{}", w.credential.id),
            worker: format!("{} {}", w.worker.given_name, w.worker.family_name),
            group: w.worker.staff_group.map_or("", StaffGroup::name).to_owned(),
            check: check_name(&w.credential.kind_name, w.credential.level),
            recorded: format::date(recorded),
            waiting: if days == 0 {
                "Today".to_owned()
            } else {
                format::count(days, "day")
            },
            document: document_words(
                w.credential
                    .evidence
                    .as_ref()
                    .map(|e| e.content_type.as_str()),
            ),
        }
    }
}
