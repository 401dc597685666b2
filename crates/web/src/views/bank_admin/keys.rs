//! `GET /bank-admin/keys`: each trust's passport signing keys (which signs new passports, which
//! only verify what they signed, which verify nothing), and the trust registry that verifiers
//! download. Rotating a trust's key (`/bank-admin/keys/{trust}/rotate`) and retiring a rotated
//! one (`/bank-admin/keys/{trust}/retire?key=…`) each ask for confirmation first: a GET shows what
//! will happen, the POST does it.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::BankAdmin;
use super::trusts::{MemberTrust, member_trusts};
use crate::WebState;
use crate::api;
use crate::errors::{PageError, render};
use crate::format;
use crate::forms::CsrfField;
use crate::layout::Layout;
use crate::schema::{Uuid, schema};
use crate::session::{Visitor, urlencode};

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct KeysQuery {
    #[arguments(trustId: $trust_id)]
    trust_keys: Vec<Key>,
}

#[derive(cynic::QueryFragment, Debug, Clone)]
#[cynic(graphql_type = "TrustKey")]
struct Key {
    kid: String,
    state: KeyState,
    valid_from: DateTime<Utc>,
    valid_until: Option<DateTime<Utc>>,
    retired_at: Option<DateTime<Utc>>,
}

/// The API's `TrustKeyState`.
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "TrustKeyState")]
enum KeyState {
    Active,
    Rotated,
    Retired,
}

#[derive(cynic::QueryVariables)]
struct SystemVariables {
    system_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "SystemVariables")]
struct RegistryQuery {
    #[arguments(systemId: $system_id)]
    trust_registry: Registry,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "TrustRegistry")]
struct Registry {
    url: String,
    document: serde_json::Value,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "TrustVariables")]
struct Rotate {
    #[arguments(trustId: $trust_id)]
    rotate_trust_key: Key,
}

#[derive(cynic::QueryVariables)]
struct RetireVariables {
    trust_id: Uuid,
    kid: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RetireVariables")]
struct Retire {
    #[arguments(trustId: $trust_id, kid: $kid)]
    retire_trust_key: Key,
}

/// A key as the page shows it.
struct KeyRow {
    name: String,
    state: &'static str,
    what: &'static str,
    from: String,
    until: String,
    /// Where to retire it (a replaced key only).
    retire: Option<String>,
}

/// A short name for a key: the first characters of its id, which is long and random.
fn key_name(kid: &str) -> String {
    format!("Key {}", kid.chars().take(8).collect::<String>())
}

fn key_row(trust_id: Uuid, k: &Key) -> KeyRow {
    let (state, what) = match k.state {
        KeyState::Active => ("Active", "Signs new passports"),
        KeyState::Rotated => (
            "Replaced",
            "Still checks the passports it signed; signs no new ones",
        ),
        KeyState::Retired => ("Retired", "Checks nothing: passports it signed fail"),
    };
    KeyRow {
        name: key_name(&k.kid),
        state,
        what,
        from: format::when(k.valid_from),
        until: match (k.retired_at, k.valid_until) {
            (Some(r), _) => format!("Retired {}", format::when(r)),
            (None, Some(u)) => format::when(u),
            (None, None) => "Now".to_owned(),
        },
        retire: (k.state == KeyState::Rotated).then(|| {
            format!(
                "/bank-admin/keys/{trust_id}/retire?key={}",
                urlencode(&k.kid)
            )
        }),
    }
}

struct TrustKeys {
    id: Uuid,
    name: String,
    keys: Vec<KeyRow>,
}

#[derive(Template)]
#[template(path = "bank_admin/keys.html")]
struct KeysPage {
    layout: Layout,
    bank: String,
    done: String,
    registry_url: String,
    registry_keys: usize,
    trusts: Vec<TrustKeys>,
}

async fn keys_of(
    state: &WebState,
    visitor: &Visitor,
    trust_id: Uuid,
) -> Result<Vec<Key>, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        KeysQuery::build(TrustVariables { trust_id }),
    )
    .await?
    .trust_keys)
}

/// What the page was sent back with.
#[derive(Debug, Deserialize, Default)]
struct Done {
    done: Option<String>,
    trust: Option<String>,
}

/// `GET /bank-admin/keys`.
async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let admin = BankAdmin::of(&state, &visitor).await?;
    let members = member_trusts(&state, &visitor, &admin).await?;
    let mut trusts = Vec::with_capacity(members.len());
    for t in &members {
        let keys = keys_of(&state, &visitor, t.id).await?;
        trusts.push(TrustKeys {
            id: t.id,
            name: t.name.clone(),
            keys: keys.iter().map(|k| key_row(t.id, k)).collect(),
        });
    }
    let registry = api::run(
        state.api.as_ref(),
        &visitor.caller,
        RegistryQuery::build(SystemVariables {
            system_id: admin.bank.id,
        }),
    )
    .await?
    .trust_registry;
    let registry_keys = registry
        .document
        .get("trusts")
        .and_then(serde_json::Value::as_array)
        .map_or(0, |ts| {
            ts.iter()
                .filter_map(|t| t.get("keys").and_then(serde_json::Value::as_array))
                .map(Vec::len)
                .sum()
        });
    let trust_name = done
        .trust
        .as_deref()
        .and_then(|id| members.iter().find(|t| t.id.to_string() == id))
        .map(|t| t.name.clone());
    let done = match (done.done.as_deref(), trust_name) {
        (Some("rotated"), Some(n)) => {
            format!("{n} has a new signing key. Its old key still checks the passports it signed.")
        }
        (Some("retired"), Some(n)) => {
            format!("The key of {n} is retired. Passports it signed no longer pass a check.")
        }
        _ => String::new(),
    };
    render(&KeysPage {
        layout: admin.layout(&visitor, "Keys and the trust registry", "/bank-admin/keys"),
        bank: admin.bank.name.clone(),
        done,
        registry_url: registry.url,
        registry_keys,
        trusts,
    })
}

#[derive(Template)]
#[template(path = "bank_admin/key_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    trust: String,
    heading: String,
    warning: String,
    action: String,
    button: &'static str,
    kid: String,
}

/// The trust of the bank named in the address.
async fn member(
    state: &WebState,
    visitor: &Visitor,
    admin: &BankAdmin,
    id: &str,
) -> Result<MemberTrust, PageError> {
    let id: Uuid = id.parse().map_err(|_| PageError::NotFound)?;
    member_trusts(state, visitor, admin)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or(PageError::NotFound)
}

/// `GET /bank-admin/keys/{trust}/rotate`.
async fn rotate_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(trust): Path<String>,
) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let t = member(&state, &visitor, &admin, &trust).await?;
    render(&ConfirmPage {
        layout: admin.layout(&visitor, "Rotate the signing key", "/bank-admin/keys"),
        heading: format!("Give {} a new signing key?", t.name),
        warning: "Passports it issues from now on are signed with the new key. The key it has now \
                  stops signing but still checks the passports it signed, until you retire it."
            .to_owned(),
        action: format!("/bank-admin/keys/{}/rotate", t.id),
        button: "Rotate the key",
        kid: String::new(),
        trust: t.name,
    })
}

/// `POST /bank-admin/keys/{trust}/rotate`.
async fn rotate(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(trust): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = BankAdmin::of(&state, &visitor).await?;
    let t = member(&state, &visitor, &admin, &trust).await?;
    let done = api::run(
        state.api.as_ref(),
        &visitor.caller,
        Rotate::build(TrustVariables { trust_id: t.id }),
    )
    .await?;
    tracing::debug!(kid = %done.rotate_trust_key.kid, "key rotated");
    Ok(Redirect::to(&format!("/bank-admin/keys?done=rotated&trust={}", t.id)).into_response())
}

/// The key named in the address.
#[derive(Debug, Deserialize, Default)]
struct KeyAsked {
    #[serde(default)]
    key: String,
}

/// `GET /bank-admin/keys/{trust}/retire?key=…`.
async fn retire_confirm(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(trust): Path<String>,
    Query(asked): Query<KeyAsked>,
) -> Result<Response, PageError> {
    let admin = BankAdmin::of(&state, &visitor).await?;
    let t = member(&state, &visitor, &admin, &trust).await?;
    let keys = keys_of(&state, &visitor, t.id).await?;
    let Some(k) = keys
        .iter()
        .find(|k| k.kid == asked.key && k.state == KeyState::Rotated)
    else {
        return Err(PageError::NotFound);
    };
    render(&ConfirmPage {
        layout: admin.layout(&visitor, "Retire a signing key", "/bank-admin/keys"),
        heading: format!("Retire {} of {}?", key_name(&k.kid), t.name),
        warning: format!(
            "Every passport signed with this key will fail its check from now on, wherever it is \
             checked, including passports workers hold now. {} will need to issue them again. \
             This cannot be undone.",
            t.name
        ),
        action: format!("/bank-admin/keys/{}/retire", t.id),
        button: "Retire the key",
        kid: k.kid.clone(),
        trust: t.name,
    })
}

/// The retire form.
#[derive(Debug, Deserialize, Default)]
struct RetireForm {
    #[serde(default)]
    kid: String,
}

/// `POST /bank-admin/keys/{trust}/retire`.
async fn retire(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(trust): Path<String>,
    Form(form): Form<RetireForm>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let admin = BankAdmin::of(&state, &visitor).await?;
    let t = member(&state, &visitor, &admin, &trust).await?;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        Retire::build(RetireVariables {
            trust_id: t.id,
            kid: form.kid,
        }),
    )
    .await
    {
        // Retiring a key already retired (say, in another tab) is done already, not an error.
        Ok(done) => tracing::debug!(kid = %done.retire_trust_key.kid, "key retired"),
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/bank-admin/keys?done=retired&trust={}", t.id)).into_response())
}

/// The routes of this part.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/bank-admin/keys", get(page))
        .route(
            "/bank-admin/keys/{trust}/rotate",
            get(rotate_confirm).post(rotate),
        )
        .route(
            "/bank-admin/keys/{trust}/retire",
            get(retire_confirm).post(retire),
        )
}
