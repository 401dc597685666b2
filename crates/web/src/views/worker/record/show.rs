//! `GET /worker/record`: the worker's own record as the API keeps it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::CredentialStatus;
use super::engagement::{EngagementConsent, Step};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
pub use crate::fragments::StaffGroup;
use crate::fragments::Trust;
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;
use crate::views::worker::timesheets::Tag;

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query")]
struct RecordQuery {
    me: Viewer,
    my_worker: Worker,
}

#[derive(cynic::QueryFragment)]
struct Worker {
    given_name: String,
    family_name: String,
    staff_group: Option<StaffGroup>,
    grade: String,
    skills: Vec<String>,
    home_trust: Trust,
    detail: Option<WorkerDetail>,
    memberships: Vec<Membership>,
    credentials: Vec<Credential>,
}

#[derive(cynic::QueryFragment)]
struct WorkerDetail {
    date_of_birth: NaiveDate,
    ni_number: String,
    email: String,
    phone: Option<String>,
    registration_body: Option<String>,
    registration_number: Option<String>,
    working_time_opt_out_at: Option<DateTime>,
}

/// The API's `MembershipState`.
#[derive(cynic::Enum, Clone, Copy, Debug)]
enum MembershipState {
    Active,
    Suspended,
    Dormant,
}

#[derive(cynic::QueryFragment)]
struct Membership {
    state: MembershipState,
    state_reason: Option<String>,
    consent: EngagementConsent,
    home: bool,
    created_at: DateTime,
    decided_at: Option<DateTime>,
    ended_at: Option<DateTime>,
    trust: EngagingTrust,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct EngagingTrust {
    id: Uuid,
    name: String,
}

#[derive(cynic::QueryFragment)]
struct Credential {
    id: Uuid,
    kind_name: String,
    level: Option<i32>,
    issuer: String,
    reference: Option<String>,
    valid_from: NaiveDate,
    expires_on: Option<NaiveDate>,
    status: CredentialStatus,
    status_reason: Option<String>,
    evidence: Option<Evidence>,
}

#[derive(cynic::QueryFragment)]
struct Evidence {
    filename: String,
}

struct Detail {
    key: &'static str,
    value: String,
}

struct MembershipRow {
    trust: String,
    tag: Tag,
    reason: Option<String>,
    /// "Your home trust", for the one that registered them.
    home: bool,
    /// Where to end it (none for the home trust).
    end: Option<String>,
}

/// A trust's request, waiting for the worker's answer.
struct RequestRow {
    trust: String,
    asked_on: String,
    accept: String,
    decline: String,
}

/// A trust the worker declined or stopped working for: it sees only what the bank shows every
/// trust (a trust can ask again).
struct PastRow {
    trust: String,
    what: String,
}

struct CredentialRow {
    name: String,
    tag: Tag,
    reason: Option<String>,
    issuer: String,
    reference: Option<String>,
    valid_from: String,
    expires: String,
    document: Option<String>,
    /// Where to add a document: only while the credential is waiting for checks (a decided one
    /// keeps the document it was decided on).
    add_document: Option<String>,
}

#[derive(Template)]
#[template(path = "worker/record/show.html")]
struct RecordPage {
    layout: Layout,
    banner: Option<String>,
    name: String,
    details: Vec<Detail>,
    memberships: Vec<MembershipRow>,
    requests: Vec<RequestRow>,
    past: Vec<PastRow>,
    credentials: Vec<CredentialRow>,
    opted_out: Option<String>,
}

/// What the record page's address may carry: what was just done.
#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
    trust: Option<Uuid>,
}

/// `GET /worker/record`.
pub async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(state.api.as_ref(), &visitor.caller, RecordQuery::build(())).await?;
    let w = data.my_worker;
    let opted_out = w
        .detail
        .as_ref()
        .and_then(|d| d.working_time_opt_out_at)
        .map(|at| format::date(format::london(at).date()));
    render(&RecordPage {
        layout: super::super::layout(&visitor, &data.me, "My record", "/worker/record"),
        banner: banner(&done, &w, opted_out.is_some()),
        name: format!("{} {}", w.given_name, w.family_name),
        details: details(&w),
        requests: w.memberships.iter().filter_map(RequestRow::of).collect(),
        past: w.memberships.iter().filter_map(PastRow::of).collect(),
        memberships: w
            .memberships
            .into_iter()
            .filter_map(MembershipRow::of)
            .collect(),
        credentials: w.credentials.into_iter().map(CredentialRow::of).collect(),
        opted_out,
    })
}

/// The banner for what was just done, if anything.
fn banner(done: &Done, w: &Worker, opted_out: bool) -> Option<String> {
    match done.done.as_deref() {
        Some("working-time") if opted_out => {
            Some("You have opted out of the 48-hour week".to_owned())
        }
        Some("working-time") => Some("You have not opted out of the 48-hour week".to_owned()),
        Some("credential") => Some("Your credential has been added".to_owned()),
        Some("evidence") => Some("Your document has been added".to_owned()),
        Some(code) => Step::from_done(code).and_then(|step| {
            let trust = w
                .memberships
                .iter()
                .find(|m| Some(m.trust.id) == done.trust)?;
            Some(step.done(&trust.trust.name))
        }),
        None => None,
    }
}

/// The worker's details: what every trust sees, then (when the API shows them) their own.
fn details(w: &Worker) -> Vec<Detail> {
    let mut details = vec![
        Detail {
            key: "Staff group",
            value: w
                .staff_group
                .map_or_else(|| "Not recorded".to_owned(), |g| g.words().to_owned()),
        },
        Detail {
            key: "Grade",
            value: grade_words(&w.grade),
        },
        Detail {
            key: "Skills",
            value: format::skills_words(&w.skills),
        },
        Detail {
            key: "Home trust",
            value: w.home_trust.name.clone(),
        },
    ];
    if let Some(d) = &w.detail {
        details.push(Detail {
            key: "Date of birth",
            value: format::date_short(d.date_of_birth),
        });
        details.push(Detail {
            key: "National Insurance number",
            value: d.ni_number.clone(),
        });
        details.push(Detail {
            key: "Email",
            value: d.email.clone(),
        });
        details.push(Detail {
            key: "Phone",
            value: d.phone.clone().unwrap_or_else(|| "Not recorded".to_owned()),
        });
        details.push(Detail {
            key: "Professional registration",
            value: match (&d.registration_body, &d.registration_number) {
                (Some(b), Some(n)) => format!("{b} {n}"),
                (Some(b), None) => b.clone(),
                (None, Some(n)) => n.clone(),
                (None, None) => "Not recorded".to_owned(),
            },
        });
    }
    details
}

impl RequestRow {
    /// A trust's request still waiting for an answer.
    fn of(m: &Membership) -> Option<Self> {
        (m.consent == EngagementConsent::Proposed).then(|| Self {
            trust: m.trust.name.clone(),
            asked_on: format::date(format::london(m.created_at).date()),
            accept: format!("/worker/record/engagements/{}/accept", m.trust.id),
            decline: format!("/worker/record/engagements/{}/decline", m.trust.id),
        })
    }
}

impl PastRow {
    /// A trust the worker declined or stopped working for.
    fn of(m: &Membership) -> Option<Self> {
        let (what, at) = match m.consent {
            EngagementConsent::Declined => ("You declined their request", m.decided_at),
            EngagementConsent::Ended => ("You stopped working for them", m.ended_at),
            EngagementConsent::Proposed | EngagementConsent::Accepted => return None,
        };
        Some(Self {
            trust: m.trust.name.clone(),
            what: match at {
                Some(at) => format!(
                    "{what} on {}",
                    format::date_short(format::london(at).date())
                ),
                None => what.to_owned(),
            },
        })
    }
}

impl MembershipRow {
    /// A trust the worker works for (accepted), and where it stands.
    fn of(m: Membership) -> Option<Self> {
        if m.consent != EngagementConsent::Accepted {
            return None;
        }
        let (text, class) = match m.state {
            MembershipState::Active => ("Active", "nhsuk-tag--green"),
            MembershipState::Suspended => ("Suspended", "nhsuk-tag--red"),
            MembershipState::Dormant => {
                ("Dormant: confirm you still want shifts", "nhsuk-tag--grey")
            }
        };
        Some(Self {
            end: (!m.home).then(|| format!("/worker/record/engagements/{}/end", m.trust.id)),
            home: m.home,
            trust: m.trust.name,
            tag: Tag { text, class },
            reason: m.state_reason,
        })
    }
}

impl CredentialRow {
    fn of(c: Credential) -> Self {
        Self {
            name: match c.level {
                Some(l) => format!("{} (level {l})", c.kind_name),
                None => c.kind_name,
            },
            add_document: (c.status == CredentialStatus::Pending)
                .then(|| format!("/worker/record/credentials/{}/evidence", c.id)),
            tag: c.status.tag(),
            reason: c.status_reason,
            issuer: c.issuer,
            reference: c.reference,
            valid_from: format::date_short(c.valid_from),
            expires: c
                .expires_on
                .map_or_else(|| "Does not expire".to_owned(), format::date_short),
            document: c.evidence.map(|e| e.filename),
        }
    }
}

/// "Band 5" for `BAND_5`; other codes (ST3, FY1) as they are.
fn grade_words(code: &str) -> String {
    code.strip_prefix("BAND_").map_or_else(
        || code.to_owned(),
        |n| format!("Band {}", n.replace('_', "")),
    )
}
