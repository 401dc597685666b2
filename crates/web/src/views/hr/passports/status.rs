//! Suspending, reinstating and revoking a passport this trust issued: one page each that says
//! what it means for the worker and the trusts relying on it, asks why where the API wants a
//! reason (suspend, revoke), and then runs `suspendPassport`, `reinstatePassport` or
//! `revokePassport`; the worker's passports page says it is done in a banner.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{HrPassport, PassportRow, SECTION};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_form};
use crate::forms::{Errors, Textarea};
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::shift::parse_id;

/// What HR can do to a passport's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Suspend,
    Reinstate,
    Revoke,
}

impl Action {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "suspend" => Some(Self::Suspend),
            "reinstate" => Some(Self::Reinstate),
            "revoke" => Some(Self::Revoke),
            _ => None,
        }
    }

    /// The verb on the button and in the question.
    fn verb(self) -> &'static str {
        match self {
            Self::Suspend => "Suspend",
            Self::Reinstate => "Reinstate",
            Self::Revoke => "Revoke",
        }
    }

    /// For the banner afterwards (`?done=`).
    fn done(self) -> &'static str {
        match self {
            Self::Suspend => "suspended",
            Self::Reinstate => "reinstated",
            Self::Revoke => "revoked",
        }
    }

    fn needs_reason(self) -> bool {
        !matches!(self, Self::Reinstate)
    }

    /// What it means, in a sentence or two.
    fn meaning(self) -> &'static str {
        match self {
            Self::Suspend => {
                "While it is suspended, no trust can accept it, and trusts that check it are told \
                 it is suspended. You can reinstate it later."
            }
            Self::Reinstate => {
                "Trusts will be able to check and accept it again, until it expires or you \
                 suspend or revoke it."
            }
            Self::Revoke => {
                "This cannot be undone. No trust can accept it again, and trusts that accepted it \
                 are told it was revoked. The worker is told by email."
            }
        }
    }

    fn reason_missing(self) -> &'static str {
        match self {
            Self::Revoke => "Enter why you are revoking the passport",
            _ => "Enter why you are suspending the passport",
        }
    }
}

#[derive(cynic::QueryVariables)]
struct PassportVariables {
    id: Uuid,
    trust_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PassportVariables")]
struct PassportQuery {
    #[arguments(id: $id, trustId: $trust_id)]
    passport: HrPassport,
}

#[derive(Template)]
#[template(path = "hr/passports/status.html")]
struct StatusPage {
    layout: Layout,
    errors: Errors,
    title: String,
    verb: &'static str,
    meaning: &'static str,
    warning: bool,
    passport: PassportRow,
    reason: Option<Textarea>,
    back: String,
    action: String,
}

async fn status_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    action: Action,
    errors: Errors,
    reason: &str,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(state, visitor).await?;
    let p = api::run(
        state.api.as_ref(),
        &visitor.caller,
        PassportQuery::build(PassportVariables {
            id,
            trust_id: Some(hr.trust.id),
        }),
    )
    .await?
    .passport;
    let name = super::worker_name(state, visitor, p.worker_id).await?;
    let title = format!("{} the passport of {name}?", action.verb());
    let invalid = !errors.is_empty();
    let reason = action.needs_reason().then(|| {
        Textarea::new(
            "reason",
            match action {
                Action::Revoke => "Why are you revoking the passport?",
                _ => "Why are you suspending the passport?",
            },
        )
            .hint(match action {
                Action::Revoke => {
                    "The worker and the trusts that accepted it will see this. For example, the \
                     DBS check was withdrawn."
                }
                _ => "The worker will see this. For example, we are checking a concern about a reference.",
            })
            .value(reason)
            .error_from(&errors)
    });
    let page = StatusPage {
        layout: hr.layout(visitor, &title, SECTION).with_errors(invalid),
        errors,
        title,
        verb: action.verb(),
        meaning: action.meaning(),
        warning: action != Action::Reinstate,
        passport: PassportRow::of(&p, hr.trust.id),
        reason,
        back: format!("/hr/passports/workers/{}", p.worker_id),
        action: format!("/hr/passports/{id}/{}", action.path()),
    };
    render_form(&page, invalid)
}

impl Action {
    fn path(self) -> &'static str {
        match self {
            Self::Suspend => "suspend",
            Self::Reinstate => "reinstate",
            Self::Revoke => "revoke",
        }
    }
}

/// `GET /hr/passports/{id}/{suspend|reinstate|revoke}`.
pub async fn confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((id, action)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let Some(action) = Action::parse(&action) else {
        return Err(PageError::NotFound);
    };
    status_page(&state, &visitor, id, action, Errors::new(), "").await
}

/// The reason typed.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    reason: String,
}

#[derive(cynic::QueryVariables)]
struct ReasonVariables {
    passport_id: Uuid,
    reason: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ReasonVariables")]
struct Suspend {
    #[arguments(passportId: $passport_id, reason: $reason)]
    suspend_passport: Changed,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ReasonVariables")]
struct Revoke {
    #[arguments(passportId: $passport_id, reason: $reason)]
    revoke_passport: Changed,
}

#[derive(cynic::QueryVariables)]
struct ReinstateVariables {
    passport_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "ReinstateVariables")]
struct Reinstate {
    #[arguments(passportId: $passport_id)]
    reinstate_passport: Changed,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Passport")]
struct Changed {
    worker_id: Uuid,
}

/// `POST /hr/passports/{id}/{suspend|reinstate|revoke}`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<StatusForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let Some(action) = Action::parse(&action) else {
        return Err(PageError::NotFound);
    };
    let reason = form.reason.trim().to_owned();
    if action.needs_reason() && reason.is_empty() {
        let mut errors = Errors::new();
        errors.add("reason", action.reason_missing());
        return status_page(&state, &visitor, id, action, errors, &form.reason).await;
    }
    let caller = &visitor.caller;
    let api = state.api.as_ref();
    let result = match action {
        Action::Suspend => api::run(
            api,
            caller,
            Suspend::build(ReasonVariables {
                passport_id: id,
                reason,
            }),
        )
        .await
        .map(|d| d.suspend_passport),
        Action::Revoke => api::run(
            api,
            caller,
            Revoke::build(ReasonVariables {
                passport_id: id,
                reason,
            }),
        )
        .await
        .map(|d| d.revoke_passport),
        Action::Reinstate => api::run(
            api,
            caller,
            Reinstate::build(ReinstateVariables { passport_id: id }),
        )
        .await
        .map(|d| d.reinstate_passport),
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!(
            "/hr/passports/workers/{}?done={}",
            p.worker_id,
            action.done()
        ))
        .into_response()),
        Err(e) if e.code == Code::Validation && action.needs_reason() => {
            let mut errors = Errors::new();
            errors.add("reason", crate::format::error_message(&e.message));
            status_page(&state, &visitor, id, action, errors, &form.reason).await
        }
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            errors.add("confirm", crate::format::error_message(&e.message));
            status_page(&state, &visitor, id, action, errors, &form.reason).await
        }
        Err(e) => Err(e.into()),
    }
}
