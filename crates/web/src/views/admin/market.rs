//! Market rules: `GET /admin/market` shows the trust's market policy (cancellation windows and
//! fee, strikes that suspend self-booking, dormancy) and the release cascade new shifts get by
//! default (who is offered a shift, and when), each a form of its own
//! (`POST /admin/market/policy`, `POST /admin/market/cascade`). Times are asked in hours, as
//! people think of them, and sent in minutes.

use std::str::FromStr;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use super::TrustAdmin;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, Input, Select};
use crate::layout::Layout;
use crate::schema::{Decimal, Uuid, schema};
use crate::session::Visitor;

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct RulesQuery {
    #[arguments(trustId: $trust_id)]
    market_policy: Policy,
    #[arguments(trustId: $trust_id)]
    default_cascade: Vec<Tier>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "MarketPolicy")]
struct Policy {
    worker_short_notice_minutes: i32,
    trust_late_cancellation_minutes: i32,
    late_cancellation_fee_minutes: i32,
    strike_limit: i32,
    strike_window_days: i32,
    dormancy_days: i32,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CascadeTierRule")]
struct Tier {
    audience: Audience,
    anchor: Anchor,
    offset_minutes: i32,
}

/// Who a tier reaches (the API's `CascadeAudience`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CascadeAudience")]
enum Audience {
    Preferred,
    OwnTrust,
    Collaborative,
    Agency,
}

impl Audience {
    const ALL: [Self; 4] = [
        Self::Preferred,
        Self::OwnTrust,
        Self::Collaborative,
        Self::Agency,
    ];

    fn code(self) -> &'static str {
        match self {
            Self::Preferred => "preferred",
            Self::OwnTrust => "own",
            Self::Collaborative => "collaborative",
            Self::Agency => "agency",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Self::Preferred => "The ward's preferred workers",
            Self::OwnTrust => "Workers engaged at your trust",
            Self::Collaborative => "Everyone in the collaborative bank",
            Self::Agency => "Agencies",
        }
    }
}

/// What a tier's time is measured from (the API's `CascadeAnchor`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "CascadeAnchor")]
enum Anchor {
    Posting,
    Start,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "MarketPolicyInput")]
struct PolicyInput {
    worker_short_notice_minutes: Option<i32>,
    trust_late_cancellation_minutes: Option<i32>,
    late_cancellation_fee_minutes: Option<i32>,
    strike_limit: Option<i32>,
    strike_window_days: Option<i32>,
    dormancy_days: Option<i32>,
}

#[derive(cynic::QueryVariables)]
struct PolicyVariables {
    trust_id: Uuid,
    input: PolicyInput,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "PolicyVariables")]
struct SetPolicy {
    #[arguments(trustId: $trust_id, input: $input)]
    set_market_policy: Policy,
}

#[derive(cynic::InputObject)]
#[cynic(graphql_type = "CascadeTierInput")]
struct TierInput {
    audience: Audience,
    anchor: Anchor,
    offset_minutes: i32,
}

#[derive(cynic::QueryVariables)]
struct CascadeVariables {
    trust_id: Uuid,
    tiers: Vec<TierInput>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "CascadeVariables")]
struct SetCascade {
    #[arguments(trustId: $trust_id, tiers: $tiers)]
    set_default_cascade: Vec<Tier>,
}

/// Minutes as hours typed: "24", "1.5".
fn hours(minutes: i32) -> String {
    (Decimal::from(minutes) / Decimal::from(60))
        .round_dp(2)
        .normalize()
        .to_string()
}

/// Hours typed as minutes, or what to say.
fn minutes(typed: &str, what: &str) -> Result<i32, String> {
    let h = Decimal::from_str(typed.trim())
        .map_err(|_| format!("{what} must be a number of hours, like 24 or 1.5"))?;
    if h < Decimal::ZERO {
        return Err(format!("{what} must be 0 hours or more"));
    }
    h.checked_mul(Decimal::from(60))
        .and_then(|m| m.round().to_string().parse::<i32>().ok())
        .ok_or_else(|| format!("{what} is too long"))
}

fn whole(typed: &str, what: &str) -> Result<i32, String> {
    match typed.trim().parse::<i32>() {
        Ok(n) if n >= 0 => Ok(n),
        Ok(_) => Err(format!("{what} must be 0 or more")),
        Err(_) => Err(format!("{what} must be a whole number")),
    }
}

/// The policy form, as typed.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct PolicyForm {
    #[serde(default, rename = "short-notice")]
    short_notice: String,
    #[serde(default, rename = "late-cancellation")]
    late_cancellation: String,
    #[serde(default)]
    fee: String,
    #[serde(default, rename = "strike-limit")]
    strike_limit: String,
    #[serde(default, rename = "strike-window")]
    strike_window: String,
    #[serde(default)]
    dormancy: String,
}

impl PolicyForm {
    fn of(p: &Policy) -> Self {
        Self {
            short_notice: hours(p.worker_short_notice_minutes),
            late_cancellation: hours(p.trust_late_cancellation_minutes),
            fee: hours(p.late_cancellation_fee_minutes),
            strike_limit: p.strike_limit.to_string(),
            strike_window: p.strike_window_days.to_string(),
            dormancy: p.dormancy_days.to_string(),
        }
    }
}

/// The cascade form, as typed: for each audience, when (`none`, `posting`, `start`) and hours.
#[derive(Debug, Default, Clone)]
struct CascadeForm {
    rows: Vec<(Audience, String, String)>,
}

impl CascadeForm {
    fn of(tiers: &[Tier]) -> Self {
        Self {
            rows: Audience::ALL
                .iter()
                .map(|a| {
                    tiers.iter().find(|t| t.audience == *a).map_or_else(
                        || (*a, "none".to_owned(), String::new()),
                        |t| {
                            let when = match t.anchor {
                                Anchor::Posting => "posting",
                                Anchor::Start => "start",
                            };
                            (*a, when.to_owned(), hours(t.offset_minutes))
                        },
                    )
                })
                .collect(),
        }
    }

    fn typed(pairs: &[(String, String)]) -> Self {
        let get = |k: String| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            rows: Audience::ALL
                .iter()
                .map(|a| {
                    (
                        *a,
                        get(format!("{}-when", a.code())),
                        get(format!("{}-hours", a.code())),
                    )
                })
                .collect(),
        }
    }
}

/// One tier's fields.
struct TierFields {
    who: &'static str,
    when: Select,
    hours: Input,
}

#[derive(Template)]
#[template(path = "admin/market.html")]
struct MarketPage {
    layout: Layout,
    errors: Errors,
    done: &'static str,
    short_notice: Input,
    late_cancellation: Input,
    fee: Input,
    strike_limit: Input,
    strike_window: Input,
    dormancy: Input,
    tiers: Vec<TierFields>,
}

fn market_page(
    admin: &TrustAdmin,
    visitor: &Visitor,
    policy: &PolicyForm,
    cascade: &CascadeForm,
    errors: Errors,
    done: &'static str,
) -> MarketPage {
    let hours_input = |name: &str, label: &str, hint: &str, value: &str| {
        Input::new(name, label)
            .hint(hint)
            .value(value.trim())
            .inputmode("decimal")
            .width("nhsuk-input--width-5")
            .error_from(&errors)
    };
    let whole_input = |name: &str, label: &str, hint: &str, value: &str| {
        Input::new(name, label)
            .hint(hint)
            .value(value.trim())
            .inputmode("numeric")
            .width("nhsuk-input--width-5")
            .error_from(&errors)
    };
    let tiers = cascade
        .rows
        .iter()
        .map(|(a, when, h)| TierFields {
            who: a.words(),
            when: Select::new(
                &format!("{}-when", a.code()),
                &format!("When {} are offered a shift", a.words().to_lowercase()),
                vec![
                    ("none".to_owned(), "Never".to_owned()),
                    ("posting".to_owned(), "Hours after it is posted".to_owned()),
                    ("start".to_owned(), "Hours before it starts".to_owned()),
                ],
            )
            .selected(when.trim())
            .error_from(&errors),
            hours: Input::new(&format!("{}-hours", a.code()), "Hours")
                .value(h.trim())
                .inputmode("decimal")
                .width("nhsuk-input--width-5")
                .error_from(&errors),
        })
        .collect();
    MarketPage {
        layout: admin
            .layout(visitor, "Market rules", "/admin/market")
            .with_errors(!errors.is_empty()),
        short_notice: hours_input(
            "short-notice",
            "A worker cancelling this many hours or less before a shift is cancelling at short notice",
            "In hours, for example 24",
            &policy.short_notice,
        ),
        late_cancellation: hours_input(
            "late-cancellation",
            "Your trust cancelling this many hours or less before a shift owes the worker a fee",
            "In hours, for example 24",
            &policy.late_cancellation,
        ),
        fee: hours_input(
            "fee",
            "The fee, in hours of the worker's pay",
            "For example, 2",
            &policy.fee,
        ),
        strike_limit: whole_input(
            "strike-limit",
            "Short-notice cancellations and no-shows that stop a worker booking your shifts themselves",
            "Enter 0 to never stop them",
            &policy.strike_limit,
        ),
        strike_window: whole_input(
            "strike-window",
            "Counted over this many days",
            "For example, 90",
            &policy.strike_window,
        ),
        dormancy: whole_input(
            "dormancy",
            "Days without a shift or confirming they are available before a worker is dormant",
            "For example, 90",
            &policy.dormancy,
        ),
        tiers,
        errors,
        done,
    }
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    admin: &TrustAdmin,
) -> Result<RulesQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        RulesQuery::build(TrustVariables {
            trust_id: admin.trust.id,
        }),
    )
    .await?)
}

/// What was just done.
#[derive(Debug, Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    done: String,
}

/// `GET /admin/market`.
async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let data = load(&state, &visitor, &admin).await?;
    let said = match done.done.as_str() {
        "policy" => "Market policy saved. It applies from now.",
        "cascade" => {
            "Release cascade saved. Shifts posted from now get it; shifts already posted keep theirs."
        }
        _ => "",
    };
    render(&market_page(
        &admin,
        &visitor,
        &PolicyForm::of(&data.market_policy),
        &CascadeForm::of(&data.default_cascade),
        Errors::new(),
        said,
    ))
}

/// `POST /admin/market/policy`.
async fn set_policy(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(form): Form<PolicyForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let mut errors = Errors::new();
    let mut field = |name: &str, r: Result<i32, String>| match r {
        Ok(v) => Some(v),
        Err(m) => {
            errors.add(name, m);
            None
        }
    };
    let input = PolicyInput {
        worker_short_notice_minutes: field(
            "short-notice",
            minutes(&form.short_notice, "Short notice"),
        ),
        trust_late_cancellation_minutes: field(
            "late-cancellation",
            minutes(&form.late_cancellation, "Late cancellation"),
        ),
        late_cancellation_fee_minutes: field("fee", minutes(&form.fee, "The fee")),
        strike_limit: field("strike-limit", whole(&form.strike_limit, "Strikes")),
        strike_window_days: field("strike-window", whole(&form.strike_window, "Days counted")),
        dormancy_days: field("dormancy", whole(&form.dormancy, "Days before dormant")),
    };
    if errors.is_empty() {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            SetPolicy::build(PolicyVariables {
                trust_id: admin.trust.id,
                input,
            }),
        )
        .await
        {
            Ok(done) => {
                tracing::debug!(
                    dormancy = done.set_market_policy.dormancy_days,
                    "market policy set"
                );
                return Ok(Redirect::to("/admin/market?done=policy").into_response());
            }
            Err(e) if e.code == Code::Validation => {
                let m = e.message.to_lowercase();
                let name = if m.contains("short-notice") {
                    "short-notice"
                } else if m.contains("late-cancellation window") {
                    "late-cancellation"
                } else if m.contains("fee") {
                    "fee"
                } else if m.contains("strike limit") {
                    "strike-limit"
                } else if m.contains("strike window") {
                    "strike-window"
                } else {
                    "dormancy"
                };
                errors.add(name, format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let data = load(&state, &visitor, &admin).await?;
    render_invalid(&market_page(
        &admin,
        &visitor,
        &form,
        &CascadeForm::of(&data.default_cascade),
        errors,
        "",
    ))
}

/// `POST /admin/market/cascade`.
async fn set_cascade(
    State(state): State<WebState>,
    visitor: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = TrustAdmin::of(&state, &visitor).await?;
    let form = CascadeForm::typed(&pairs);
    let mut errors = Errors::new();
    let mut tiers = Vec::new();
    for (a, when, h) in &form.rows {
        let anchor = match when.trim() {
            "posting" => Anchor::Posting,
            "start" => Anchor::Start,
            _ => continue,
        };
        let name = format!("{}-hours", a.code());
        if h.trim().is_empty() {
            errors.add(
                name,
                format!("Enter how many hours for {}", a.words().to_lowercase()),
            );
            continue;
        }
        match minutes(h, &format!("The time for {}", a.words().to_lowercase())) {
            Ok(m) => tiers.push(TierInput {
                audience: *a,
                anchor,
                offset_minutes: m,
            }),
            Err(m) => errors.add(name, m),
        }
    }
    if tiers.is_empty() && errors.is_empty() {
        errors.add(
            format!("{}-when", Audience::ALL[1].code()),
            "Choose when at least one group of workers is offered a shift",
        );
    }
    if errors.is_empty() {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            SetCascade::build(CascadeVariables {
                trust_id: admin.trust.id,
                tiers,
            }),
        )
        .await
        {
            Ok(done) => {
                tracing::debug!(
                    tiers = done.set_default_cascade.len(),
                    "default cascade set"
                );
                return Ok(Redirect::to("/admin/market?done=cascade#cascade").into_response());
            }
            Err(e) if e.code == Code::Validation => {
                let m = e.message.to_lowercase();
                let first = if m.contains("agencies") {
                    Audience::Agency
                } else {
                    form.rows
                        .iter()
                        .find(|(_, w, _)| w != "none")
                        .map_or(Audience::OwnTrust, |(a, _, _)| *a)
                };
                let message = if m.contains("wider") {
                    "Each group must be offered shifts no earlier in the list than the one before: preferred workers, then your trust's, then the whole bank, then agencies".to_owned()
                } else {
                    format::error_message(&e.message)
                };
                errors.add(format!("{}-when", first.code()), message);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let data = load(&state, &visitor, &admin).await?;
    render_invalid(&market_page(
        &admin,
        &visitor,
        &PolicyForm::of(&data.market_policy),
        &form,
        errors,
        "",
    ))
}

/// The market rules pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/market", get(page))
        .route("/admin/market/policy", post(set_policy))
        .route("/admin/market/cascade", post(set_cascade))
}

#[cfg(test)]
mod tests {
    use super::minutes;

    #[test]
    fn hours_become_minutes_and_a_huge_number_is_refused_not_a_crash() {
        assert_eq!(minutes("1.5", "Notice"), Ok(90));
        assert_eq!(minutes(" 24 ", "Notice"), Ok(1440));
        assert_eq!(
            minutes("79228162514264337593543950335", "Notice"),
            Err("Notice is too long".to_owned())
        );
        assert_eq!(
            minutes("-1", "Notice"),
            Err("Notice must be 0 hours or more".to_owned())
        );
    }
}
