//! Handing a passport to HR at another trust: a QR code to show on the phone, and the passport
//! file to send. The QR code carries the passport's reference (`staffbank-passport:<id>`), not
//! the signed token itself: a token holding a worker's checks and training runs to several
//! kilobytes, past what a QR code holds (2,953 bytes at most) and far past what a phone camera
//! reads reliably, while the reference makes a small code any camera reads. HR's receive page
//! turns the reference back into the token through the API (`passport(id, trustId)`), which
//! hands it over only to a trust the worker has shared the passport with, so the code is no
//! use to anyone the worker has not agreed to.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::WebState;
use crate::api;
use crate::errors::PageError;
use crate::schema::{Uuid, schema};
use crate::session::Visitor;

/// What a passport's QR code says before its id.
pub const REFERENCE_PREFIX: &str = "staffbank-passport:";

/// The text a passport's QR code carries.
#[must_use]
pub fn reference(id: Uuid) -> String {
    format!("{REFERENCE_PREFIX}{id}")
}

/// The passport a reference names (`staffbank-passport:<id>`, any case, space around allowed).
#[must_use]
pub fn parse_reference(text: &str) -> Option<Uuid> {
    let text = text.trim();
    let rest = text
        .get(..REFERENCE_PREFIX.len())
        .filter(|p| p.eq_ignore_ascii_case(REFERENCE_PREFIX))
        .and_then(|_| text.get(REFERENCE_PREFIX.len()..))?;
    rest.trim().parse().ok()
}

/// `text` as a QR code: an inline SVG (no XML declaration) labelled `label` for screen readers,
/// dark on light with the quiet zone the standard asks for. None if it cannot be encoded.
#[must_use]
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#212b32"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = image.find("<svg")?;
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    Some(image[start..].replacen(
        "<svg ",
        &format!(r#"<svg role="img" aria-label="{label}" focusable="false" class="app-qr" "#),
        1,
    ))
}

#[derive(cynic::QueryVariables)]
struct TokenVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TokenVariables")]
struct TokenQuery {
    #[arguments(id: $id)]
    passport: Token,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Passport")]
struct Token {
    token: String,
}

/// `GET /worker/passports/{id}/passport.jwt`: the passport itself, as a file to send to HR (a
/// compact JWS, `application/jwt`).
pub async fn file(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        TokenQuery::build(TokenVariables { id }),
    )
    .await?;
    let mut response = data.passport.token.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jwt"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"staffbank-passport-{id}.jwt\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_reads_back_as_its_passport() {
        let id = Uuid::new_v4();
        assert_eq!(parse_reference(&reference(id)), Some(id));
        assert_eq!(
            parse_reference(&format!("  STAFFBANK-PASSPORT: {id}\n")),
            Some(id)
        );
        assert_eq!(parse_reference(&id.to_string()), None);
        assert_eq!(parse_reference("staffbank-passport:nonsense"), None);
        assert_eq!(parse_reference("eyJhbGciOiJFZERTQSJ9.e30.sig"), None);
    }

    #[test]
    fn the_code_is_an_inline_labelled_svg() {
        let Some(image) = svg(&reference(Uuid::new_v4()), "QR code of \"your\" passport") else {
            panic!("a reference fits a QR code");
        };
        assert!(
            image.starts_with(
                r#"<svg role="img" aria-label="QR code of &quot;your&quot; passport""#
            )
        );
        assert!(!image.contains("<?xml"));
        assert!(image.ends_with("</svg>"));
    }
}
