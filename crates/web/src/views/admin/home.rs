//! `GET /admin`: the trust admin's overview — how many sites, wards, requirements and staff the
//! trust has and the rate card in force today, each linking to its page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::TrustAdmin;
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::layout::Layout;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct Variables {
    trust_id: Uuid,
    today: NaiveDate,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "Variables")]
struct Overview {
    #[arguments(id: $trust_id)]
    trust: Trust,
    #[arguments(trustId: $trust_id)]
    trust_staff: Vec<Member>,
    #[arguments(trustId: $trust_id, date: $today)]
    rate_card_in_force: Card,
}

#[derive(cynic::QueryFragment)]
struct Trust {
    ods_code: String,
    sites: Vec<Named>,
    wards: Vec<WardId>,
    requirements: Vec<Requirement>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Site")]
#[expect(dead_code, reason = "selected only to count them")]
struct Named {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Ward")]
#[expect(dead_code, reason = "selected only to count them")]
struct WardId {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[expect(dead_code, reason = "selected only to count them")]
struct Requirement {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "StaffMember")]
#[expect(dead_code, reason = "selected only to count them")]
struct Member {
    account_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "RateCardView")]
struct Card {
    built_in: bool,
    effective_from: NaiveDate,
}

/// One section of the overview.
struct Section {
    href: &'static str,
    title: &'static str,
    summary: String,
}

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    layout: Layout,
    trust_name: String,
    ods_code: String,
    sections: Vec<Section>,
}

/// `GET /admin`.
async fn page(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        Overview::build(Variables {
            trust_id: admin.trust.id,
            today: format::today(),
        }),
    )
    .await?;
    let t = &data.trust;
    let n = |v: usize, noun: &str| format::count(i64::try_from(v).unwrap_or(i64::MAX), noun);
    let card = &data.rate_card_in_force;
    let sections = vec![
        Section {
            href: "/admin/wards",
            title: "Sites and wards",
            summary: format!(
                "{} and {}.",
                n(t.sites.len(), "site"),
                n(t.wards.len(), "ward")
            ),
        },
        Section {
            href: "/admin/requirements",
            title: "Requirements",
            summary: format!(
                "{} workers must meet.",
                n(t.requirements.len(), "check or training item")
            ),
        },
        Section {
            href: "/admin/rates",
            title: "Rate cards",
            summary: if card.built_in {
                "Paying the standard Agenda for Change rates.".to_owned()
            } else {
                format!(
                    "Paying your own rates since {}.",
                    format::date(card.effective_from)
                )
            },
        },
        Section {
            href: "/admin/market",
            title: "Market rules",
            summary:
                "Cancellation terms, strikes, dormancy and who new shifts are offered to, when."
                    .to_owned(),
        },
        Section {
            href: "/admin/staff",
            title: "Staff accounts and roles",
            summary: match data.trust_staff.len() {
                1 => "1 person with a role here.".to_owned(),
                k => format!("{k} people with a role here."),
            },
        },
    ];
    render(&HomePage {
        layout: admin.layout(&visitor, &admin.trust.name, "/admin"),
        trust_name: admin.trust.name.clone(),
        ods_code: t.ods_code.clone(),
        sections,
    })
}

/// The overview.
pub fn routes() -> Router<WebState> {
    Router::new().route("/admin", get(page))
}
