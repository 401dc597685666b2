//! Compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), written by hand so the rules are
//! visible in one place: only `EdDSA` is accepted (`none`, HMAC, RSA and ECDSA are refused before
//! any key is looked at), keys come only from the trust registry (a header may not carry its own
//! key: `jwk`, `jku`, `x5u`, `x5c` are refused), unknown critical extensions are refused, and
//! base64url must be canonical and unpadded.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};

/// The largest token accepted, in bytes; a passport of every catalogue item is far smaller.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// The one signature algorithm accepted.
pub const ALGORITHM: &str = "EdDSA";
/// The media type of a passport and a status list credential.
pub const VC_JWT: &str = "vc+jwt";

/// Header parameters that would let a token name its own key (key confusion), or that we do not
/// understand.
const FORBIDDEN_HEADER: [&str; 6] = ["jwk", "jku", "x5u", "x5c", "crit", "b64"];

/// Why a token is not a well-formed, acceptable JWS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    /// Longer than [`MAX_TOKEN_BYTES`].
    #[error("the token is {0} bytes; at most {MAX_TOKEN_BYTES} are accepted")]
    TooLarge(usize),
    /// Not three dot-separated parts.
    #[error("{0}")]
    Malformed(String),
    /// A part is not canonical unpadded base64url.
    #[error("the {0} is not base64url")]
    Base64(&'static str),
    /// The header or payload is not a JSON object.
    #[error("the {0} is not a JSON object")]
    Json(&'static str),
    /// `alg` is not `EdDSA`.
    #[error("algorithm '{0}' is not accepted: only EdDSA (Ed25519) is")]
    Algorithm(String),
    /// `typ` is not `vc+jwt`.
    #[error("type '{0}' is not accepted: expected vc+jwt")]
    Type(String),
    /// No `kid`.
    #[error("the header names no key (kid)")]
    MissingKeyId,
    /// A header parameter that is refused.
    #[error("header parameter '{0}' is not accepted: keys come from the trust registry only")]
    ForbiddenHeader(String),
    /// The signature does not verify (or is not 64 bytes).
    #[error("{0}")]
    Signature(String),
}

/// A token split and decoded, its signature not yet checked.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The protected header.
    pub header: Map<String, Value>,
    /// `kid` from the header.
    pub kid: String,
    /// The payload.
    pub payload: Map<String, Value>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`: what was signed.
    pub signing_input: String,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

fn b64(part: &str, what: &'static str) -> Result<Vec<u8>, JwsError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwsError::Base64(what))
}

fn object(bytes: &[u8], what: &'static str) -> Result<Map<String, Value>, JwsError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(JwsError::Json(what)),
    }
}

/// Whether a `typ` value names `vc+jwt` (compared without case; `application/` may be left out,
/// RFC 7515 section 4.1.9).
fn is_vc_jwt(typ: &str) -> bool {
    let t = typ.to_ascii_lowercase();
    t == VC_JWT || t == "application/vc+jwt"
}

/// Splits and decodes a compact JWS and applies the header policy. The checks run in a fixed
/// order (size, structure, header, algorithm, type, key id, payload, signature encoding) and the
/// first failure is reported.
///
/// # Errors
/// [`JwsError`] saying what is wrong.
pub fn parse(token: &str) -> Result<Parsed, JwsError> {
    let token = token.trim();
    if token.len() > MAX_TOKEN_BYTES {
        return Err(JwsError::TooLarge(token.len()));
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        return Err(JwsError::Malformed(format!(
            "a compact JWS has 3 parts separated by dots; this has {}",
            parts.len()
        )));
    };
    if h.is_empty() || p.is_empty() {
        return Err(JwsError::Malformed(
            "the header or payload part is empty".into(),
        ));
    }
    let header = object(&b64(h, "header")?, "header")?;
    match header.get("alg") {
        Some(Value::String(a)) if a == ALGORITHM => {}
        Some(Value::String(a)) => return Err(JwsError::Algorithm(a.clone())),
        Some(other) => return Err(JwsError::Algorithm(other.to_string())),
        None => return Err(JwsError::Algorithm("(missing)".into())),
    }
    match header.get("typ") {
        Some(Value::String(t)) if is_vc_jwt(t) => {}
        Some(Value::String(t)) => return Err(JwsError::Type(t.clone())),
        Some(other) => return Err(JwsError::Type(other.to_string())),
        None => return Err(JwsError::Type("(missing)".into())),
    }
    if let Some(bad) = FORBIDDEN_HEADER.iter().find(|k| header.contains_key(**k)) {
        return Err(JwsError::ForbiddenHeader((*bad).to_owned()));
    }
    let kid = match header.get("kid") {
        Some(Value::String(k)) if !k.is_empty() && k.len() <= 200 => k.clone(),
        _ => return Err(JwsError::MissingKeyId),
    };
    let payload = object(&b64(p, "payload")?, "payload")?;
    let signature = b64(s, "signature")?;
    if signature.len() != 64 {
        return Err(JwsError::Signature(format!(
            "an Ed25519 signature is 64 bytes; this one is {}",
            signature.len()
        )));
    }
    Ok(Parsed {
        header,
        kid,
        payload,
        signing_input: format!("{h}.{p}"),
        signature,
    })
}

/// Checks an Ed25519 signature over `signing_input` (strict verification: small-order and
/// non-canonical points are refused).
///
/// # Errors
/// [`JwsError::Signature`].
pub fn verify_signature(
    key: &VerifyingKey,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<(), JwsError> {
    let sig = Signature::from_slice(signature)
        .map_err(|_| JwsError::Signature("the signature is not 64 bytes".into()))?;
    key.verify_strict(signing_input, &sig).map_err(|_| {
        JwsError::Signature("the signature does not match the header and payload".into())
    })
}

/// Signs `payload` as a compact JWS with header `{"alg":"EdDSA","typ":"vc+jwt","kid":kid}`.
///
/// # Errors
/// Only if the payload cannot be serialised (it always can).
pub fn sign(key: &SigningKey, kid: &str, payload: &Value) -> Result<String, serde_json::Error> {
    let header = serde_json::json!({ "alg": ALGORITHM, "typ": VC_JWT, "kid": kid });
    let h = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header)?);
    let p = URL_SAFE_NO_PAD.encode(serde_json::to_vec(payload)?);
    let signing_input = format!("{h}.{p}");
    let sig = key.sign(signing_input.as_bytes());
    Ok(format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(sig.to_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwk::Jwk;

    /// RFC 8037 Appendix A.1/A.2 key and the A.4 JWS of "Example of Ed25519 signing".
    const RFC8037_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    const RFC8037_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    const RFC8037_JWS: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    fn rfc_key() -> Result<VerifyingKey, Box<dyn std::error::Error>> {
        let jwk = Jwk {
            kty: "OKP".into(),
            crv: Some("Ed25519".into()),
            x: Some(RFC8037_X.into()),
            kid: None,
            alg: None,
            use_: None,
        };
        Ok(jwk.verifying_key()?)
    }

    #[test]
    fn rfc8037_a4_vector_verifies_with_our_signature_step() -> Result<(), Box<dyn std::error::Error>>
    {
        let key = rfc_key()?;
        let (input, sig) = RFC8037_JWS.rsplit_once('.').ok_or("no dot")?;
        let sig = URL_SAFE_NO_PAD.decode(sig)?;
        verify_signature(&key, input.as_bytes(), &sig)?;
        assert_eq!(
            URL_SAFE_NO_PAD.decode(input.split_once('.').ok_or("no dot")?.1)?,
            b"Example of Ed25519 signing"
        );
        // The private key of A.1 gives the public key of A.1 and, Ed25519 being deterministic,
        // exactly the signature of A.4.
        let d: [u8; 32] = URL_SAFE_NO_PAD
            .decode(RFC8037_D)?
            .try_into()
            .map_err(|_| "d")?;
        let signing = SigningKey::from_bytes(&d);
        assert_eq!(signing.verifying_key(), key);
        assert_eq!(
            URL_SAFE_NO_PAD.encode(signing.sign(input.as_bytes()).to_bytes()),
            RFC8037_JWS.rsplit_once('.').ok_or("no dot")?.1
        );
        // One flipped bit of the message fails.
        let mut tampered = input.as_bytes().to_vec();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(verify_signature(&key, &tampered, &sig).is_err());
        Ok(())
    }

    #[test]
    fn the_rfc_vector_fails_our_header_policy() {
        // It has no typ and no kid: fine as a signature test, not as a passport.
        assert!(matches!(parse(RFC8037_JWS), Err(JwsError::Type(_))));
    }

    #[test]
    fn header_policy() -> Result<(), Box<dyn std::error::Error>> {
        let enc = |v: serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let sig = URL_SAFE_NO_PAD.encode([0u8; 64]);
        let p = enc(serde_json::json!({"a": 1}));
        let case = |h: serde_json::Value| parse(&format!("{}.{p}.{sig}", enc(h)));
        assert_eq!(
            case(serde_json::json!({"alg":"none","typ":"vc+jwt","kid":"k"})).err(),
            Some(JwsError::Algorithm("none".into()))
        );
        assert_eq!(
            case(serde_json::json!({"alg":"HS256","typ":"vc+jwt","kid":"k"})).err(),
            Some(JwsError::Algorithm("HS256".into()))
        );
        assert!(matches!(
            case(serde_json::json!({"alg":"EdDSA","typ":"vc+jwt","kid":"k","jwk":{}})),
            Err(JwsError::ForbiddenHeader(_))
        ));
        assert_eq!(
            case(serde_json::json!({"alg":"EdDSA","typ":"vc+jwt"})).err(),
            Some(JwsError::MissingKeyId)
        );
        assert!(
            case(serde_json::json!({"alg":"EdDSA","typ":"application/VC+JWT","kid":"k"})).is_ok()
        );
        assert!(matches!(parse("a.b"), Err(JwsError::Malformed(_))));
        assert!(matches!(parse("a*b.c.d"), Err(JwsError::Base64("header"))));
        Ok(())
    }
}
