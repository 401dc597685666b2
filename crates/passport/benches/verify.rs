//! Passport verifications per second on one core, beside raw Ed25519 verifications measured in
//! the same run: `cargo bench -p staffbank-passport --bench verify`. Prints figures; asserts
//! nothing about time. Results go in BENCHMARKS.md at the repository root.

#![expect(clippy::unwrap_used, reason = "a benchmark")]

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DurationRound, NaiveDate, TimeDelta, Utc};
use ed25519_dalek::{Signature, SigningKey};
use staffbank_bank::catalogue;
use staffbank_passport::jwk::Jwk;
use staffbank_passport::registry::{Registry, RegistryKey, RegistryTrust};
use staffbank_passport::status_list::{self, ListCredential, Purpose};
use staffbank_passport::vc::{self, Issuer, Item, Passport, StatusEntry, Subject};
use staffbank_passport::{jws, verify};
use uuid::Uuid;

const RUN_FOR: Duration = Duration::from_secs(3);

fn rate(name: &str, mut f: impl FnMut()) -> f64 {
    for _ in 0..200 {
        f();
    }
    let start = Instant::now();
    let mut n: u64 = 0;
    while start.elapsed() < RUN_FOR {
        for _ in 0..100 {
            f();
        }
        n += 100;
    }
    let per_sec = n as f64 / start.elapsed().as_secs_f64();
    println!(
        "{name:<58} {per_sec:>10.0} /s  ({:.1} µs each)",
        1e6 / per_sec
    );
    per_sec
}

fn main() {
    let now = Utc::now().duration_trunc(TimeDelta::seconds(1)).unwrap();
    let key = SigningKey::from_bytes(&[42u8; 32]);
    let jwk = Jwk::ed25519(&key.verifying_key());
    let kid = jwk.kid.clone().unwrap();
    let trust_id = Uuid::now_v7();
    let issuer = format!("https://bank.example/trusts/{trust_id}");
    let registry = Registry {
        kind: staffbank_passport::registry::REGISTRY_TYPE.into(),
        system_id: Uuid::now_v7(),
        name: "Benchmark Bank".into(),
        generated_at: now,
        trusts: vec![RegistryTrust {
            trust_id,
            name: "Benchmark Trust".into(),
            ods_code: "XBM".into(),
            issuer: issuer.clone(),
            jwks_uri: format!("{issuer}/jwks.json"),
            keys: vec![RegistryKey {
                kid: kid.clone(),
                jwk,
                valid_from: now - TimeDelta::days(1),
                valid_until: None,
                retired_at: None,
            }],
        }],
    };
    // A realistic passport: every catalogue kind (6 checks, 15 training items).
    let item = |k: &catalogue::Kind| Item {
        id: vc::urn(Uuid::now_v7()),
        kind: k.code.into(),
        name: k.name.into(),
        level: k.levels.last().map(|(l, _)| *l),
        level_name: k.levels.last().map(|(_, n)| (*n).to_owned()),
        issued_by: "Benchmark Training Ltd".into(),
        issued_on: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
        expires_on: NaiveDate::from_ymd_opt(2028, 1, 5),
        verified_at: now - TimeDelta::days(3),
        verified_by: "Benchmark Trust".into(),
    };
    let list_id = Uuid::now_v7();
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
    let id = vc::urn(Uuid::now_v7());
    let passport = Passport {
        context: vec![vc::VC_CONTEXT_V2.into()],
        id: id.clone(),
        types: vec![vc::VC_TYPE.into(), vc::PASSPORT_TYPE.into()],
        issuer: Issuer {
            id: issuer.clone(),
            name: "Benchmark Trust".into(),
        },
        valid_from: now,
        valid_until: now + TimeDelta::days(180),
        credential_subject: Subject {
            id: vc::urn(Uuid::now_v7()),
            given_name: "Grace".into(),
            family_name: "Okafor".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1990, 4, 12).unwrap(),
            staff_group: "NURSING_MIDWIFERY_REGISTERED".into(),
            grade: "BAND_5".into(),
            professional_registration: None,
            checks: catalogue::KINDS
                .iter()
                .filter(|k| k.category == catalogue::Category::EmploymentCheck)
                .map(item)
                .collect(),
            training: catalogue::KINDS
                .iter()
                .filter(|k| k.category != catalogue::Category::EmploymentCheck)
                .map(item)
                .collect(),
        },
        credential_status: vec![entry(Purpose::Revocation), entry(Purpose::Suspension)],
        iss: issuer.clone(),
        iat: now.timestamp(),
        jti: id,
    };
    let token = jws::sign(&key, &kid, &serde_json::to_value(&passport).unwrap()).unwrap();
    let lists: Vec<String> = Purpose::ALL
        .iter()
        .map(|p| {
            let bits = vec![0u8; usize::try_from(status_list::SIZE_BITS).unwrap() / 8];
            let c = ListCredential::new(
                Issuer {
                    id: issuer.clone(),
                    name: "Benchmark Trust".into(),
                },
                status_list::url(&issuer, list_id, *p),
                *p,
                &bits,
                now,
            )
            .unwrap();
            jws::sign(&key, &kid, &serde_json::to_value(&c).unwrap()).unwrap()
        })
        .collect();
    assert!(verify::check(&token, &registry, now).valid());
    assert!(verify::verify_offline(&token, &registry, &lists, now).status_checked);

    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).unwrap()).unwrap();
    let vk = key.verifying_key();
    println!(
        "passport token: {} bytes, {} items; one core; {} s per figure",
        token.len(),
        passport.credential_subject.items().count(),
        RUN_FOR.as_secs()
    );
    let raw = rate("raw Ed25519 verify_strict (same signing input)", || {
        black_box(vk.verify_strict(black_box(input.as_bytes()), &sig)).unwrap();
    });
    let full = rate(
        "passport verification (JWS, registry, signature, VC, dates)",
        || {
            assert!(black_box(verify::check(black_box(&token), &registry, now)).valid());
        },
    );
    let offline = rate(
        "  + offline status: 2 signed 16 KiB status lists decoded",
        || {
            let v = verify::verify_offline(black_box(&token), &registry, &lists, now);
            assert!(black_box(v).status_checked);
        },
    );
    println!(
        "passport verification runs at {:.0}% of raw Ed25519 speed ({:.0}% with offline status lists)",
        100.0 * full / raw,
        100.0 * offline / raw
    );
}
