//! `POST` a decision: approve or query the timesheets ticked on the list (several at once), or
//! the one on its page. Querying needs a reason; choosing none is an error; either way the form
//! comes back with what was ticked and typed, and nothing changes. A decision is all or none
//! (`approveTimesheets` / `queryTimesheets`): if one of them was decided meanwhile, the page says
//! so and nothing changes. Then back to the list, which says what was done.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use super::Desk;
use super::list::{self, Chosen, Done};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::PageError;
use crate::forms::Errors;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct ApproveVariables {
    ids: Vec<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ApproveVariables")]
struct Approve {
    #[arguments(ids: $ids)]
    approve_timesheets: Vec<Decided>,
}

#[derive(cynic::QueryVariables)]
struct QueryVariables {
    ids: Vec<Uuid>,
    reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "QueryVariables")]
struct QueryThem {
    #[arguments(ids: $ids, reason: $reason)]
    query_timesheets: Vec<Decided>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Timesheet")]
struct Decided {
    id: Uuid,
}

fn decided(done: &[Decided]) -> usize {
    let mut ids: Vec<Uuid> = done.iter().map(|t| t.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// What the form sent: `ids` (repeated), `reason`, `decision` (approve or query), and `from`
/// (a timesheet's id when sent from its own page).
struct Sent {
    ids: Vec<Uuid>,
    reason: String,
    decision: String,
    from: Option<Uuid>,
}

fn read(fields: Vec<(String, String)>) -> Sent {
    let mut sent = Sent {
        ids: Vec::new(),
        reason: String::new(),
        decision: String::new(),
        from: None,
    };
    for (k, v) in fields {
        match k.as_str() {
            "ids" => {
                if let Ok(id) = v.parse() {
                    sent.ids.push(id);
                }
            }
            "reason" => sent.reason = v,
            "decision" => sent.decision = v,
            "from" => sent.from = v.parse().ok(),
            _ => {}
        }
    }
    sent
}

/// `POST /ward/timesheets/decide` or `/office/timesheets/decide`.
pub async fn several(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
    desk: Desk,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let sent = read(fields);
    let query = sent.decision == "query";
    let mut errors = Errors::new();
    if sent.ids.is_empty() {
        errors.add("ids", "Choose at least one timesheet");
    }
    if query && sent.reason.trim().is_empty() {
        errors.add("reason", "Enter why you are querying the timesheet");
    }
    let back = |errors: Errors| {
        let state = &state;
        let visitor = &visitor;
        let sent = &sent;
        async move {
            match sent.from {
                Some(id) => {
                    super::show::build(state, visitor, desk, id, &sent.reason, errors).await
                }
                None => {
                    let chosen = Chosen {
                        ids: sent.ids.clone(),
                        reason: sent.reason.clone(),
                    };
                    list::build(state, visitor, desk, &chosen, &Done::default(), errors).await
                }
            }
        }
    };
    if !errors.is_empty() {
        return back(errors).await;
    }
    // How many the API says it decided (each id once, however often it was sent).
    let ran = if query {
        api::run(
            state.api.as_ref(),
            &visitor.caller,
            QueryThem::build(QueryVariables {
                ids: sent.ids.clone(),
                reason: sent.reason.clone(),
            }),
        )
        .await
        .map(|d| decided(&d.query_timesheets))
    } else {
        api::run(
            state.api.as_ref(),
            &visitor.caller,
            Approve::build(ApproveVariables {
                ids: sent.ids.clone(),
            }),
        )
        .await
        .map(|d| decided(&d.approve_timesheets))
    };
    match ran {
        Ok(n) => {
            let what = if query { "queried" } else { "approved" };
            Ok(Redirect::to(&format!("{}?{what}={n}", desk.home())).into_response())
        }
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            let field = match (e.message.contains("reason"), sent.from) {
                (true, _) => "reason",
                (false, Some(_)) => "approve",
                (false, None) => "ids",
            };
            errors.add(
                field,
                format!(
                    "{}. Nothing was changed",
                    crate::format::error_message(&e.message)
                ),
            );
            back(errors).await
        }
        Err(e) => Err(e.into()),
    }
}
