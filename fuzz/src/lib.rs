//! What the fuzz targets share: one trust with one Ed25519 key in a trust registry, a passport
//! that trust signed (every catalogue kind, as a real passport carries), and its two status list
//! credentials — built with the passport crate's own types and signer, deterministically, so the
//! seed corpora and the targets agree. The same fixture writes the seed corpora ([`seeds`]).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a fixture built once, never on input"
)]

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use ed25519_dalek::SigningKey;
use serde_json::{Map, Value};
use staffbank_bank::catalogue;
use staffbank_passport::jwk::Jwk;
use staffbank_passport::jws;
use staffbank_passport::registry::{REGISTRY_TYPE, Registry, RegistryKey, RegistryTrust};
use staffbank_passport::status_list::{self, ListCredential, Purpose};
use staffbank_passport::vc::{self, Issuer, Item, Passport, Registration, StatusEntry, Subject};
use uuid::Uuid;

pub mod seeds;

/// Writes the seed corpora and exits when `STAFFBANK_FUZZ_WRITE_SEEDS` names a directory; every
/// target calls it first.
pub fn write_seeds_if_asked() {
    if let Some(dir) = std::env::var_os("STAFFBANK_FUZZ_WRITE_SEEDS") {
        seeds::write_all(std::path::Path::new(&dir));
        std::process::exit(0);
    }
}

/// Everything a target verifies against.
pub struct Fixture {
    /// The moment of verification.
    pub now: DateTime<Utc>,
    /// The trust's key.
    pub key: SigningKey,
    /// Its id.
    pub kid: String,
    /// The registry holding the trust and its key.
    pub registry: Registry,
    /// The registry file as the gateway publishes it.
    pub registry_json: String,
    /// The passport.
    pub passport: Passport,
    /// The passport's payload.
    pub passport_payload: Map<String, Value>,
    /// The passport as a compact JWS.
    pub token: String,
    /// The two status list credentials' payloads (revocation, suspension).
    pub list_payloads: Vec<(Purpose, Map<String, Value>)>,
    /// The same, signed.
    pub list_tokens: Vec<String>,
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!("a struct serialises to an object"),
    }
}

/// The fixture, built once per process.
pub static FIXTURE: LazyLock<Fixture> = LazyLock::new(build);

fn build() -> Fixture {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let jwk = Jwk::ed25519(&key.verifying_key());
    let kid = jwk.kid.clone().unwrap();
    let trust_id = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);
    let issuer = format!("https://bank.example/trusts/{trust_id}");
    let registry = Registry {
        kind: REGISTRY_TYPE.into(),
        system_id: Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0002),
        name: "North Fuzz Collaborative Bank".into(),
        generated_at: now,
        trusts: vec![RegistryTrust {
            trust_id,
            name: "Fuzz Hospitals NHS Foundation Trust".into(),
            ods_code: "RFZ".into(),
            issuer: issuer.clone(),
            jwks_uri: format!("{issuer}/jwks.json"),
            keys: vec![
                RegistryKey {
                    kid: "old-key".into(),
                    jwk: Jwk::ed25519(&SigningKey::from_bytes(&[9u8; 32]).verifying_key()),
                    valid_from: now - TimeDelta::days(400),
                    valid_until: Some(now - TimeDelta::days(30)),
                    retired_at: None,
                },
                RegistryKey {
                    kid: kid.clone(),
                    jwk,
                    valid_from: now - TimeDelta::days(30),
                    valid_until: None,
                    retired_at: None,
                },
            ],
        }],
    };
    let registry_json = serde_json::to_string_pretty(&registry).unwrap();
    let mut n = 0x0193_0000_0000_7000_8000_0000_0001_0000_u128;
    let mut next_id = || {
        n += 1;
        Uuid::from_u128(n)
    };
    let mut item = |k: &catalogue::Kind| Item {
        id: vc::urn(next_id()),
        kind: k.code.into(),
        name: k.name.into(),
        level: k.levels.last().map(|(l, _)| *l),
        level_name: k.levels.last().map(|(_, n)| (*n).to_owned()),
        issued_by: "Fuzz Training Ltd".into(),
        issued_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        expires_on: NaiveDate::from_ymd_opt(2028, 1, 5),
        verified_at: now - TimeDelta::days(3),
        verified_by: "Fuzz Hospitals NHS Foundation Trust".into(),
    };
    let checks: Vec<Item> = catalogue::KINDS
        .iter()
        .filter(|k| k.category == catalogue::Category::EmploymentCheck)
        .map(&mut item)
        .collect();
    let training: Vec<Item> = catalogue::KINDS
        .iter()
        .filter(|k| k.category != catalogue::Category::EmploymentCheck)
        .map(&mut item)
        .collect();
    let list_id = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0003);
    let entry = |p: Purpose| {
        let url = status_list::url(&issuer, list_id, p);
        StatusEntry {
            id: format!("{url}#4242"),
            kind: "BitstringStatusListEntry".into(),
            status_purpose: p.as_str().into(),
            status_list_index: "4242".into(),
            status_list_credential: url,
        }
    };
    let id = vc::urn(Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0004));
    let passport = Passport {
        context: vec![vc::VC_CONTEXT_V2.into()],
        id: id.clone(),
        types: vec![vc::VC_TYPE.into(), vc::PASSPORT_TYPE.into()],
        issuer: Issuer {
            id: issuer.clone(),
            name: "Fuzz Hospitals NHS Foundation Trust".into(),
        },
        valid_from: now - TimeDelta::days(1),
        valid_until: now + TimeDelta::days(180),
        credential_subject: Subject {
            id: vc::urn(Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0005)),
            given_name: "Grace".into(),
            family_name: "Okafor".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 4, 12).unwrap(),
            staff_group: "NURSING_MIDWIFERY_REGISTERED".into(),
            grade: "BAND_5".into(),
            professional_registration: Some(Registration {
                body: "NMC".into(),
                number: "12A3456E".into(),
            }),
            checks,
            training,
        },
        credential_status: vec![entry(Purpose::Revocation), entry(Purpose::Suspension)],
        iss: issuer.clone(),
        iat: (now - TimeDelta::days(1)).timestamp(),
        jti: id,
    };
    let passport_payload = object(serde_json::to_value(&passport).unwrap());
    let token = jws::sign(&key, &kid, &Value::Object(passport_payload.clone())).unwrap();
    let mut list_payloads = Vec::new();
    let mut list_tokens = Vec::new();
    for p in Purpose::ALL {
        let mut bits = vec![0u8; usize::try_from(status_list::SIZE_BITS).unwrap() / 8];
        // Some other passports of the list are revoked or suspended; this one is not.
        for i in [1, 4241, 4243, 99_999] {
            status_list::set_bit(&mut bits, i);
        }
        let c = ListCredential::new(
            passport.issuer.clone(),
            status_list::url(&issuer, list_id, p),
            p,
            &bits,
            now - TimeDelta::hours(1),
        )
        .unwrap();
        let payload = object(serde_json::to_value(&c).unwrap());
        list_tokens.push(jws::sign(&key, &kid, &Value::Object(payload.clone())).unwrap());
        list_payloads.push((p, payload));
    }
    Fixture {
        now,
        key,
        kid,
        registry,
        registry_json,
        passport,
        passport_payload,
        token,
        list_payloads,
        list_tokens,
    }
}

/// The registry's trust and the key the fixture signs with.
#[must_use]
pub fn trust_and_key(f: &Fixture) -> (&RegistryTrust, &RegistryKey) {
    let trust = &f.registry.trusts[0];
    (trust, &trust.keys[1])
}
