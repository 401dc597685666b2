//! The market policy: its form as typed, and `POST /admin/market/policy`.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::super::TrustAdmin;
use super::cascade::CascadeForm;
use super::hours::{hours, minutes, whole};
use super::operations::{Policy, PolicyInput, PolicyVariables, SetPolicy, load};
use super::page::market_page;
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render_invalid};
use crate::format;
use crate::forms::Errors;
use crate::session::Visitor;

/// The policy form, as typed.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct PolicyForm {
    #[serde(default, rename = "short-notice")]
    pub(super) short_notice: String,
    #[serde(default, rename = "late-cancellation")]
    pub(super) late_cancellation: String,
    #[serde(default)]
    pub(super) fee: String,
    #[serde(default, rename = "strike-limit")]
    pub(super) strike_limit: String,
    #[serde(default, rename = "strike-window")]
    pub(super) strike_window: String,
    #[serde(default)]
    pub(super) dormancy: String,
}

impl PolicyForm {
    pub(super) fn of(p: &Policy) -> Self {
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

/// `POST /admin/market/policy`.
pub(super) async fn set_policy(
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
