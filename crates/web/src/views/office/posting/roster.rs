//! Posting many shifts from a roster file: the upload page documenting the columns (with the
//! template to download), the upload itself (the file goes to the API as it is: the domain reads,
//! checks and keeps it, so every client of the API gets the same rules, and duplicate detection
//! works on the file's real bytes), the import's page — a preview of its rows, or every problem
//! by row and column — and posting it, all or nothing. A large import is posted in the
//! background: its page then shows how far posting has got, with a "Check progress" link to
//! reload it (a page that refreshed itself would break WCAG 2.2.1), which `upload-progress.js`
//! does by itself when JavaScript runs; then the confirmation, or what went wrong.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, Code, Upload};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{CsrfField, Errors, FileUpload};
use crate::layout::Layout;
use crate::multipart;
use crate::schema::{DateTime, Uuid, schema};
use crate::session::Visitor;
use crate::views::office::Office;

/// Rows shown in the preview of a ready file.
const PREVIEW_ROWS: i32 = 50;

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct ColumnsQuery {
    roster_columns: Vec<RosterColumn>,
}

#[derive(cynic::QueryFragment)]
struct RosterColumn {
    header: String,
    required: bool,
    description: String,
    example: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct TemplateQuery {
    roster_template: String,
}

#[derive(cynic::QueryVariables)]
struct UploadVariables {
    trust_id: Uuid,
    file: crate::schema::Upload,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "UploadVariables")]
struct UploadRoster {
    #[arguments(trustId: $trust_id, file: $file)]
    upload_roster: Uploaded,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RosterUpload")]
struct Uploaded {
    already_uploaded: bool,
    import: ImportId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RosterImport")]
struct ImportId {
    id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct ImportVariables {
    id: Uuid,
    first: i32,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "ImportVariables")]
struct ImportQuery {
    #[arguments(id: $id)]
    roster_import: RosterImport,
    roster_columns: Vec<ColumnHeader>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RosterColumn")]
struct ColumnHeader {
    header: String,
}

/// Where an import stands (the API's `RosterImportState`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
enum RosterImportState {
    Invalid,
    Ready,
    Queued,
    Posting,
    Posted,
    Failed,
}

#[derive(cynic::QueryFragment)]
#[cynic(variables = "ImportVariables")]
struct RosterImport {
    id: Uuid,
    trust_id: Uuid,
    filename: String,
    state: RosterImportState,
    row_count: i32,
    rows_posted: i32,
    uploaded_at: DateTime,
    posted_at: Option<DateTime>,
    rows_done: i32,
    failure: Option<String>,
    problems: Vec<Problem>,
    #[arguments(first: $first)]
    rows: Vec<Row>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RosterRowProblem")]
struct Problem {
    row: i32,
    column: String,
    message: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RosterRow")]
struct Row {
    row: i32,
    cells: Vec<String>,
    starts_local: Option<crate::schema::NaiveDateTime>,
    ends_local: Option<crate::schema::NaiveDateTime>,
}

#[derive(cynic::QueryVariables)]
struct PostVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PostVariables")]
struct PostImport {
    #[arguments(id: $id)]
    post_roster_import: PostedImport,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RosterImport")]
struct PostedImport {
    id: Uuid,
}

#[derive(Template)]
#[template(path = "office/posting/upload.html")]
struct UploadPage {
    layout: Layout,
    errors: Errors,
    trust: String,
    columns: Vec<RosterColumn>,
    file: FileUpload,
}

/// An import being posted in the background, or whose posting failed.
#[derive(Template)]
#[template(path = "office/posting/progress.html")]
struct ProgressPage {
    layout: Layout,
    filename: String,
    state: RosterImportState,
    rows: String,
    uploaded: String,
    again: bool,
    done: i32,
    total: i32,
    status: String,
    failure: String,
    href: String,
    action: String,
}

#[derive(Template)]
#[template(path = "office/posting/import.html")]
struct ImportPage {
    layout: Layout,
    errors: Errors,
    filename: String,
    state: RosterImportState,
    rows: String,
    uploaded: String,
    posted: Option<String>,
    posted_count: String,
    again: bool,
    problems: Vec<Problem>,
    preview: Vec<Preview>,
    more: Option<String>,
    action: String,
}

/// A row of the preview, as the bank office reads it.
struct Preview {
    row: i32,
    ward: String,
    when: String,
    grade: String,
    reason: String,
    workers: String,
}

impl Preview {
    /// From the cells, found by their column's header.
    fn of(row: Row, headers: &[String]) -> Self {
        let cell = |h: &str| {
            headers
                .iter()
                .position(|x| x == h)
                .and_then(|i| row.cells.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let fallback = cell("Fallback grades");
        let workers = cell("Workers");
        Self {
            row: row.row,
            ward: cell("Ward"),
            when: match (row.starts_local, row.ends_local) {
                (Some(s), Some(e)) => format::shift_time(s, e),
                _ => format!("{} {} to {}", cell("Date"), cell("Start"), cell("End")),
            },
            grade: if fallback.is_empty() {
                cell("Grade")
            } else {
                format!("{} (or {})", cell("Grade"), fallback)
            },
            reason: cell("Reason"),
            workers: if workers.is_empty() {
                "1".to_owned()
            } else {
                workers
            },
        }
    }
}

async fn upload_page(
    state: &WebState,
    visitor: &Visitor,
    office: &Office,
    errors: Errors,
) -> Result<UploadPage, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(state.api.as_ref(), &visitor.caller, ColumnsQuery::build(())).await?;
    Ok(UploadPage {
        layout: office
            .layout(
                visitor,
                "Post shifts from a roster file",
                "/office/shifts/new",
            )
            .with_errors(!errors.is_empty()),
        trust: office.trust.name.clone(),
        columns: data.roster_columns,
        file: FileUpload::new("roster", "Upload a roster file")
            .hint("A CSV file with the columns below, up to 2 MB (about 5,000 shifts)")
            .accept(".csv,text/csv")
            .native()
            .error_from(&errors),
        errors,
    })
}

/// `GET /office/shifts/upload`: the columns, the template and the upload form.
pub async fn form(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let office = Office::of(&state, &visitor).await?;
    render(&upload_page(&state, &visitor, &office, Errors::new()).await?)
}

/// `GET /office/shifts/upload/roster-template.csv`: the template to fill in.
pub async fn template(
    State(state): State<WebState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    Office::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        TemplateQuery::build(()),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"roster-template.csv\"",
            ),
        ],
        data.roster_template,
    )
        .into_response())
}

/// Reads the form's one file (the CSRF field is checked before the handler runs).
async fn read_file(multipart: Multipart) -> Result<Option<Upload>, PageError> {
    let sent = multipart::read(multipart, "roster").await?;
    Ok(sent.file.filter(|f| !f.is_missing()).map(|f| Upload {
        path: "variables.file".into(),
        filename: f.filename,
        content_type: f.content_type,
        bytes: f.bytes,
    }))
}

/// `POST /office/shifts/upload` (multipart): sends the file to be checked (nothing is posted),
/// then shows the import; or the form again saying what is wrong with the file.
pub async fn upload(
    State(state): State<WebState>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let office = Office::of(&state, &visitor).await?;
    let Some(file) = read_file(multipart).await? else {
        let mut errors = Errors::new();
        errors.add("roster", "Select a roster file");
        return render_invalid(&upload_page(&state, &visitor, &office, errors).await?);
    };
    let op = UploadRoster::build(UploadVariables {
        trust_id: office.trust.id,
        file: crate::schema::Upload,
    });
    match api::run_with_upload(state.api.as_ref(), &visitor.caller, op, Some(file)).await {
        Ok(done) => {
            let id = done.upload_roster.import.id;
            let again = if done.upload_roster.already_uploaded {
                "?again=1"
            } else {
                ""
            };
            Ok(Redirect::to(&format!("/office/shifts/imports/{id}{again}")).into_response())
        }
        Err(e) if e.code == Code::Validation => {
            let mut errors = Errors::new();
            let message = match e.message.strip_prefix("the file ") {
                Some(rest) => format!("The selected file {rest}"),
                None => format!("The selected file cannot be used: {}", e.message),
            };
            errors.add("roster", message);
            render_invalid(&upload_page(&state, &visitor, &office, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}

/// The query of the import page.
#[derive(Debug, Deserialize, Default)]
pub struct ImportParams {
    #[serde(default)]
    again: Option<String>,
}

/// The import's page: its preview, problems or confirmation, or how far posting it has got.
enum Page {
    Import(Box<ImportPage>),
    Progress(Box<ProgressPage>),
}

impl Page {
    fn render(&self, invalid: bool) -> Result<Response, PageError> {
        match (self, invalid) {
            (Self::Import(p), false) => render(p.as_ref()),
            (Self::Import(p), true) => render_invalid(p.as_ref()),
            (Self::Progress(p), _) => render(p.as_ref()),
        }
    }
}

/// What the progress page says of an import being posted.
fn status(state: RosterImportState, done: i32, total: i32) -> String {
    match (state, done) {
        (RosterImportState::Queued, _) => format!("Waiting to start posting {total} shifts."),
        (_, 0) => format!("Checking the {total} shifts again before posting them."),
        _ => {
            format!("{done} of {total} shifts made so far. None are posted until all of them are.")
        }
    }
}

async fn import_page(
    state: &WebState,
    visitor: &Visitor,
    raw: &str,
    again: bool,
    errors: Errors,
) -> Result<Page, PageError> {
    use cynic::QueryBuilder;
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    let office = Office::of(state, visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        ImportQuery::build(ImportVariables {
            id,
            first: PREVIEW_ROWS,
        }),
    )
    .await?;
    let i = data.roster_import;
    let headers: Vec<String> = data.roster_columns.into_iter().map(|c| c.header).collect();
    let mut errors = errors;
    if i.state == RosterImportState::Invalid && errors.is_empty() {
        errors.add(
            "problems",
            format!(
                "{} in the file, so no shifts have been posted",
                format::count(i64::try_from(i.problems.len()).unwrap_or(0), "problem")
            ),
        );
    }
    if i.trust_id != office.trust.id {
        return Err(PageError::NotFound);
    }
    let title = match i.state {
        RosterImportState::Invalid => "There are problems with the roster file",
        RosterImportState::Ready => "Check the shifts before posting them",
        RosterImportState::Posted => "Shifts posted from the roster file",
        RosterImportState::Queued | RosterImportState::Posting => "Posting the shifts",
        RosterImportState::Failed => "The shifts could not be posted",
    };
    if matches!(
        i.state,
        RosterImportState::Queued | RosterImportState::Posting | RosterImportState::Failed
    ) {
        return Ok(Page::Progress(Box::new(ProgressPage {
            layout: office.layout(visitor, title, "/office/shifts/new"),
            filename: i.filename,
            state: i.state,
            rows: format::count(i64::from(i.row_count), "shift"),
            uploaded: format::when(i.uploaded_at),
            again,
            done: i.rows_done,
            total: i.row_count,
            status: status(i.state, i.rows_done, i.row_count),
            failure: i.failure.unwrap_or_default(),
            href: format!("/office/shifts/imports/{}", i.id),
            action: format!("/office/shifts/imports/{}/post", i.id),
        })));
    }
    let more = (i.row_count > PREVIEW_ROWS).then(|| {
        format!(
            "Showing the first {PREVIEW_ROWS} of {} shifts.",
            i.row_count
        )
    });
    Ok(Page::Import(Box::new(ImportPage {
        layout: office
            .layout(visitor, title, "/office/shifts/new")
            .with_errors(!errors.is_empty()),
        errors,
        filename: i.filename,
        state: i.state,
        rows: format::count(i64::from(i.row_count), "shift"),
        uploaded: format::when(i.uploaded_at),
        posted: i.posted_at.map(format::when),
        posted_count: format::count(i64::from(i.rows_posted), "shift"),
        again,
        problems: i.problems,
        preview: i
            .rows
            .into_iter()
            .map(|r| Preview::of(r, &headers))
            .collect(),
        more,
        action: format!("/office/shifts/imports/{}/post", i.id),
    })))
}

/// `GET /office/shifts/imports/{id}`: the import — its problems, a preview to post, how far
/// posting it has got, or what was posted (or why it could not be).
pub async fn show(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
    Query(params): Query<ImportParams>,
) -> Result<Response, PageError> {
    import_page(
        &state,
        &visitor,
        &raw,
        params.again.is_some(),
        Errors::new(),
    )
    .await?
    .render(false)
}

/// `POST /office/shifts/imports/{id}/post`: posts every shift of the file, or none (a large file
/// in the background: the import's page then shows its progress).
pub async fn post(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id: Uuid = raw.parse().map_err(|_| PageError::NotFound)?;
    Office::of(&state, &visitor).await?;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        PostImport::build(PostVariables { id }),
    )
    .await
    {
        Ok(done) => Ok(Redirect::to(&format!(
            "/office/shifts/imports/{}",
            done.post_roster_import.id
        ))
        .into_response()),
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            errors.add("post", crate::format::error_message(&e.message));
            import_page(&state, &visitor, &raw, false, errors)
                .await?
                .render(true)
        }
        Err(e) => Err(e.into()),
    }
}
