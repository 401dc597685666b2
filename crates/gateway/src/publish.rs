//! Documents published for verifiers, without sign-in, at stable URLs: each trust's public keys as
//! a JWK Set at `{issuer}/jwks.json` (the issuer id is `{public_url}/trusts/{trust id}`), each
//! status list credential at `{issuer}/status/{list id}/{purpose}`, and each collaborative bank's
//! trust registry at `/systems/{system id}/trust-registry.json` — the file the offline verifier
//! takes.

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, DurationRound};
use staffbank_core::{Classify, ErrorKind};
use staffbank_passport::status_list::{self, ListCredential, Purpose};
use staffbank_passport::vc::Issuer;
use staffbank_passport::{jws, keys, registry};
use uuid::Uuid;

use crate::server::AppState;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/trusts/{trust_id}/jwks.json", get(jwks))
        .route(
            "/trusts/{trust_id}/status/{list_id}/{purpose}",
            get(status_list_credential),
        )
        .route(
            "/systems/{system_id}/trust-registry.json",
            get(trust_registry),
        )
}

fn failure(e: &dyn Classify) -> Response {
    match e.kind() {
        ErrorKind::NotFound => (StatusCode::NOT_FOUND, "not found").into_response(),
        _ => {
            tracing::error!(error = %e, "publishing a verifier document failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error; it has been logged",
            )
                .into_response()
        }
    }
}

fn with_type(mut r: Response, content_type: &'static str) -> Response {
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("max-age=60"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

async fn jwks(State(state): State<AppState>, UrlPath(trust_id): UrlPath<Uuid>) -> Response {
    let s = &state.services;
    match keys::jwks(&s.db, trust_id, s.clock.now()).await {
        Ok(set) => with_type(axum::Json(set).into_response(), "application/jwk-set+json"),
        Err(e) => failure(&e),
    }
}

async fn trust_registry(
    State(state): State<AppState>,
    UrlPath(system_id): UrlPath<Uuid>,
) -> Response {
    let s = &state.services;
    match registry::build(&s.db, &s.public_url(), system_id, s.clock.now()).await {
        Ok(r) => with_type(axum::Json(r).into_response(), "application/json"),
        Err(e) => failure(&e),
    }
}

async fn status_list_credential(
    State(state): State<AppState>,
    UrlPath((trust_id, list_id, purpose)): UrlPath<(Uuid, Uuid, String)>,
) -> Response {
    let Some(purpose) = Purpose::parse(&purpose) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    match sign_list(&state, trust_id, list_id, purpose).await {
        Ok(token) => with_type(token.into_response(), "application/vc+jwt"),
        Err(e) => failure(&e),
    }
}

async fn sign_list(
    state: &AppState,
    trust_id: Uuid,
    list_id: Uuid,
    purpose: Purpose,
) -> Result<String, staffbank_passport::Error> {
    let s = &state.services;
    let (list, bits) = status_list::bits(&s.db, list_id, purpose).await?;
    if list.trust_id != trust_id {
        return Err(staffbank_core::Error::NotFound("status list").into());
    }
    let t = staffbank_bank::organisation::trust(&s.db, trust_id).await?;
    let (key, signing) = keys::current_signing_key(&s.db, &s.kek, trust_id).await?;
    let issuer = registry::issuer_id(&s.public_url(), trust_id);
    let now = s
        .clock
        .now()
        .duration_trunc(Duration::seconds(1))
        .unwrap_or_else(|_| s.clock.now());
    let url = status_list::url(&issuer, list_id, purpose);
    let credential = ListCredential::new(
        Issuer {
            id: issuer,
            name: t.name,
        },
        url,
        purpose,
        &bits,
        now,
    )?;
    let payload = serde_json::to_value(&credential)
        .map_err(|e| staffbank_core::Error::Internal(e.to_string()))?;
    Ok(jws::sign(&signing, &key.kid, &payload)
        .map_err(|e| staffbank_core::Error::Internal(e.to_string()))?)
}
