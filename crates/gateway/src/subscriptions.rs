//! `GET /graphql/ws`: GraphQL subscriptions over WebSocket (the graphql-ws protocol, and the
//! older subscriptions-transport-ws). The caller signs in with `{"token": "..."}` (or
//! `{"Authorization": "Bearer ..."}`) in the `connection_init` payload, as any API client; the web
//! app's pages, which hold no token in script, are signed in by their session cookie — only when
//! the upgrade comes from this site's own pages (its `Origin` is this host), so another site cannot
//! ride a signed-in browser's cookie.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::Data;
use async_graphql::dataloader::DataLoader;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;

use crate::graphql::context::{Credentials, RequestContext};
use crate::graphql::loaders::DbLoader;
use crate::server::{AppState, token_credentials};

/// How long a client may leave a keep-alive ping unanswered before the connection is closed.
const KEEPALIVE: Duration = Duration::from_secs(60);

/// Upgrades to a GraphQL WebSocket.
pub async fn handler(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let session = same_site(&headers)
        .then(|| {
            CookieJar::from_headers(&headers)
                .get(staffbank_web::session::COOKIE)
                .map(|c| c.value().to_owned())
        })
        .flatten()
        .filter(|t| !t.is_empty());
    let ip = peer.ip().to_string();
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let schema = state.schema.clone();
            GraphQLWebSocket::new(socket, schema, protocol)
                .keepalive_timeout(KEEPALIVE)
                .on_connection_init(move |payload| async move {
                    let token = payload_token(&payload).or(session);
                    let credentials = match token {
                        Some(t) => token_credentials(&state, &t),
                        None => Credentials::Anonymous,
                    };
                    Ok(connection_data(&state, ip, credentials))
                })
                .serve()
        })
}

/// What every operation on the connection sees: the caller, and a batching loader as over HTTP.
fn connection_data(state: &AppState, ip: String, credentials: Credentials) -> Data {
    let ctx = Arc::new(RequestContext::new(ip, credentials));
    let loader = DataLoader::new(
        DbLoader {
            db: state.services.db.clone(),
            clock: state.services.clock.clone(),
            request: ctx.clone(),
        },
        tokio::spawn,
    );
    let mut data = Data::default();
    data.insert(ctx);
    data.insert(loader);
    data
}

/// The token in a `connection_init` payload: `token`, or an `Authorization` bearer value.
fn payload_token(payload: &serde_json::Value) -> Option<String> {
    if let Some(t) = payload.get("token").and_then(serde_json::Value::as_str) {
        return Some(t.trim().to_owned());
    }
    ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(serde_json::Value::as_str))
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned())
}

/// Whether the upgrade was asked for by a page of this very host (`Origin` names the `Host`).
fn same_site(headers: &HeaderMap) -> bool {
    let (Some(origin), Some(host)) = (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|o| o == host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_hosts_pages_use_the_session() {
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            "bank.example:8080"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert!(!same_site(&h), "no origin: not a page");
        h.insert(
            header::ORIGIN,
            "https://evil.example"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert!(!same_site(&h));
        h.insert(
            header::ORIGIN,
            "http://bank.example:8080"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert!(same_site(&h));
    }

    #[test]
    fn a_token_is_read_from_either_payload_shape() {
        let a = serde_json::json!({"token": "abc"});
        let b = serde_json::json!({"Authorization": "Bearer def"});
        assert_eq!(payload_token(&a).as_deref(), Some("abc"));
        assert_eq!(payload_token(&b).as_deref(), Some("def"));
        assert_eq!(payload_token(&serde_json::json!({})), None);
    }
}
