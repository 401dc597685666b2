//! A trust's request to engage the worker, and their engagements: accepting or declining a
//! request, and ending an engagement (`/worker/record/engagements/{trust_id}/{accept,decline,end}`).
//! Each is a page that says what it means and asks to confirm, then `acceptEngagement`,
//! `declineEngagement` or `endEngagement`; back on the record, a banner says it is done. Works
//! without JavaScript: plain links and forms that POST.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::Errors;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

/// What the worker does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Accept a request.
    Accept,
    /// Decline a request.
    Decline,
    /// End an engagement.
    End,
}

impl Step {
    /// From the address.
    fn parse(s: &str) -> Option<Self> {
        match s {
            "accept" => Some(Self::Accept),
            "decline" => Some(Self::Decline),
            "end" => Some(Self::End),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::End => "end",
        }
    }

    /// The banner on the record once done.
    #[must_use]
    pub fn done(self, trust: &str) -> String {
        match self {
            Self::Accept => format!("{trust} can now see your full record"),
            Self::Decline => format!("You have declined {trust}'s request"),
            Self::End => format!("You no longer work for {trust} through the bank"),
        }
    }

    /// From the record page's `done` value.
    #[must_use]
    pub fn from_done(s: &str) -> Option<Self> {
        match s {
            "accepted" => Some(Self::Accept),
            "declined" => Some(Self::Decline),
            "ended" => Some(Self::End),
            _ => None,
        }
    }

    fn done_code(self) -> &'static str {
        match self {
            Self::Accept => "accepted",
            Self::Decline => "declined",
            Self::End => "ended",
        }
    }
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct EngagementsQuery {
    me: Viewer,
    my_worker: Worker,
}

#[derive(cynic::QueryFragment)]
struct Worker {
    memberships: Vec<Membership>,
}

/// The API's `EngagementConsent`.
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngagementConsent {
    /// Asked, not answered.
    Proposed,
    /// Accepted.
    Accepted,
    /// Declined.
    Declined,
    /// Ended.
    Ended,
}

#[derive(cynic::QueryFragment)]
struct Membership {
    consent: EngagementConsent,
    home: bool,
    trust: Trust,
}

#[derive(cynic::QueryFragment)]
struct Trust {
    id: Uuid,
    name: String,
}

#[derive(Template)]
#[template(path = "worker/record/engagement.html")]
struct ConfirmPage {
    layout: Layout,
    errors: Errors,
    heading: String,
    paragraphs: Vec<String>,
    button: &'static str,
    button_class: &'static str,
    action: String,
    back: &'static str,
    back_text: &'static str,
}

/// The name of `trust_id` if the worker has an engagement there in which `step` makes sense.
async fn trust_for(
    state: &WebState,
    visitor: &Visitor,
    trust_id: Uuid,
    step: Step,
) -> Result<(Viewer, String), PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        EngagementsQuery::build(()),
    )
    .await?;
    let m = data
        .my_worker
        .memberships
        .into_iter()
        .find(|m| m.trust.id == trust_id)
        .ok_or(PageError::NotFound)?;
    let fits = match step {
        Step::Accept | Step::Decline => m.consent == EngagementConsent::Proposed,
        Step::End => m.consent == EngagementConsent::Accepted && !m.home,
    };
    if !fits {
        return Err(PageError::NotFound);
    }
    Ok((data.me, m.trust.name))
}

fn confirm_page(
    visitor: &Visitor,
    me: &Viewer,
    trust: &str,
    trust_id: Uuid,
    step: Step,
    errors: Errors,
) -> ConfirmPage {
    let (heading, paragraphs, button, button_class) = match step {
        Step::Accept => (
            format!("Accept {trust}'s request?"),
            vec![
                format!(
                    "{trust} will be able to see your full record: your date of birth, National \
                     Insurance number, contact details, and your checks and training."
                ),
                format!(
                    "Each time someone from {trust} looks at your details, it is recorded. You can \
                     see who looked, and when, in Passports and privacy."
                ),
                "You can end this at any time from your record.".to_owned(),
            ],
            "Accept",
            "",
        ),
        Step::Decline => (
            format!("Decline {trust}'s request?"),
            vec![
                format!(
                    "{trust} will go on seeing only your name, staff group, grade and skills, and \
                     what you choose to share in a passport."
                ),
                format!(
                    "You can still book shifts at {trust} that are open to the whole bank. If they \
                     ask again, you can answer again."
                ),
            ],
            "Decline",
            " nhsuk-button--secondary",
        ),
        Step::End => (
            format!("Stop working for {trust} through the bank?"),
            vec![
                format!(
                    "From now on, {trust} will see only your name, staff group, grade and skills, \
                     and what you choose to share in a passport."
                ),
                format!(
                    "Shifts you have already booked at {trust} stay booked. You can still book \
                     their shifts that are open to the whole bank."
                ),
            ],
            "Stop working for them",
            " nhsuk-button--warning",
        ),
    };
    ConfirmPage {
        layout: super::super::layout(visitor, me, &heading, "/worker/record")
            .with_errors(!errors.is_empty()),
        errors,
        heading,
        paragraphs,
        button,
        button_class,
        action: format!("/worker/record/engagements/{trust_id}/{}", step.path()),
        back: "/worker/record#trusts",
        back_text: match step {
            Step::Accept | Step::Decline => "Decide later and go back",
            Step::End => "Keep working for them and go back",
        },
    }
}

/// `GET /worker/record/engagements/{trust_id}/{step}`.
pub async fn confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((trust_id, step)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let step = Step::parse(&step).ok_or(PageError::NotFound)?;
    let (me, trust) = trust_for(&state, &visitor, trust_id, step).await?;
    render(&confirm_page(
        &visitor,
        &me,
        &trust,
        trust_id,
        step,
        Errors::new(),
    ))
}

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Membership")]
struct Answered {
    consent: EngagementConsent,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "TrustVariables")]
struct Accept {
    #[arguments(trustId: $trust_id)]
    accept_engagement: Answered,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "TrustVariables")]
struct Decline {
    #[arguments(trustId: $trust_id)]
    decline_engagement: Answered,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "TrustVariables")]
struct End {
    #[arguments(trustId: $trust_id)]
    end_engagement: Answered,
}

/// `POST /worker/record/engagements/{trust_id}/{step}`.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((trust_id, step)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let step = Step::parse(&step).ok_or(PageError::NotFound)?;
    let api = state.api.as_ref();
    let vars = TrustVariables { trust_id };
    let result = match step {
        Step::Accept => api::run(api, &visitor.caller, Accept::build(vars))
            .await
            .map(|d| d.accept_engagement.consent),
        Step::Decline => api::run(api, &visitor.caller, Decline::build(vars))
            .await
            .map(|d| d.decline_engagement.consent),
        Step::End => api::run(api, &visitor.caller, End::build(vars))
            .await
            .map(|d| d.end_engagement.consent),
    };
    match result {
        Ok(consent) => {
            tracing::debug!(%trust_id, ?consent, "engagement answered");
            Ok(Redirect::to(&format!(
                "/worker/record?done={}&trust={trust_id}#trusts",
                step.done_code()
            ))
            .into_response())
        }
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            // Answered already (e.g. in another tab): say why on the same page.
            let (me, trust) = match trust_for(&state, &visitor, trust_id, step).await {
                Ok(found) => found,
                Err(_) => {
                    return Ok(Redirect::to("/worker/record#trusts").into_response());
                }
            };
            let mut errors = Errors::new();
            errors.add("answer", crate::format::error_message(&e.message));
            render_invalid(&confirm_page(&visitor, &me, &trust, trust_id, step, errors))
        }
        Err(e) => Err(e.into()),
    }
}
