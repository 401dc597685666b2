//! The seed corpora: the fixture's passport, status lists and registry (made by the passport
//! crate's own signer and types), one refused header of each kind, and real examples of every other
//! input. Written by any target's binary when `STAFFBANK_FUZZ_WRITE_SEEDS` names a directory (see
//! FUZZING.md), so no second, uninstrumented build is needed.

use std::fs;
use std::path::Path;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::FIXTURE;

fn write_to(root: &Path, target: &str, name: &str, bytes: &[u8]) {
    let dir = root.join(target);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(name), bytes).unwrap();
}

fn with_mode(mode: u8, rest: &[u8]) -> Vec<u8> {
    let mut v = vec![mode];
    v.extend_from_slice(rest);
    v
}

/// Writes every target's seed corpus under `root/<target>/`.
///
/// # Panics
/// When a file cannot be written (a tool run by hand).
pub fn write_all(root: &Path) {
    let f = &*FIXTURE;
    let write = |target: &str, name: &str, bytes: &[u8]| write_to(root, target, name, bytes);
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());

    // jws_parse: the genuine passport and lists, and one of each header the policy refuses.
    write("jws_parse", "passport.jws", f.token.as_bytes());
    for (i, t) in f.list_tokens.iter().enumerate() {
        write("jws_parse", &format!("status_list_{i}.jws"), t.as_bytes());
    }
    let (_, rest) = f.token.split_once('.').unwrap();
    for (name, h) in [
        ("alg_none", json!({"alg":"none","typ":"vc+jwt","kid":f.kid})),
        (
            "alg_hs256",
            json!({"alg":"HS256","typ":"vc+jwt","kid":f.kid}),
        ),
        (
            "jwk_header",
            json!({"alg":"EdDSA","typ":"vc+jwt","kid":f.kid,"jwk":{"kty":"OKP"}}),
        ),
        (
            "crit_header",
            json!({"alg":"EdDSA","typ":"vc+jwt","kid":f.kid,"crit":["b64"]}),
        ),
        ("no_kid", json!({"alg":"EdDSA","typ":"application/vc+jwt"})),
        (
            "unknown_kid",
            json!({"alg":"EdDSA","typ":"vc+jwt","kid":"old-key"}),
        ),
    ] {
        write(
            "jws_parse",
            &format!("{name}.jws"),
            format!("{}.{rest}", b64(&h)).as_bytes(),
        );
    }

    // passport_payload: the passport's payload, and variants at the edges of the dates.
    let payload = Value::Object(f.passport_payload.clone());
    write(
        "passport_payload",
        "passport.json",
        payload.to_string().as_bytes(),
    );
    for (name, field, value) in [
        ("iat_max", "iat", json!(8_210_266_876_799_i64)),
        ("iat_min", "iat", json!(i64::MIN)),
        ("expired", "validUntil", json!("2026-01-01T00:00:00Z")),
        ("future", "validFrom", json!("2027-06-01T00:00:00Z")),
    ] {
        let mut p = f.passport_payload.clone();
        p.insert(field.into(), value);
        write(
            "passport_payload",
            &format!("{name}.json"),
            Value::Object(p).to_string().as_bytes(),
        );
    }

    // status_list: each list credential, and encoded lists to decode.
    for (p, list) in &f.list_payloads {
        let mode = match p {
            staffbank_passport::status_list::Purpose::Revocation => 0,
            staffbank_passport::status_list::Purpose::Suspension => 1,
        };
        let text = Value::Object(list.clone()).to_string();
        write(
            "status_list",
            &format!("list_{mode}.json"),
            &with_mode(mode, text.as_bytes()),
        );
        if let Some(enc) = list["credentialSubject"]["encodedList"].as_str() {
            write(
                "status_list",
                &format!("encoded_{mode}"),
                &with_mode(2, enc.as_bytes()),
            );
        }
    }

    // registry: the registry file as the gateway publishes it, compact and pretty.
    write("registry", "registry.json", f.registry_json.as_bytes());
    write(
        "registry",
        "registry_compact.json",
        serde_json::to_string(&f.registry).unwrap().as_bytes(),
    );

    // newtypes: a valid and an awkward example of each.
    let cursor = |s: &str| staffbank_core::page::encode_cursor(s);
    let examples: Vec<(u8, String)> = vec![
        (0, "  Jane.Doe@Trust.NHS.uk ".into()),
        (0, "a@b.c".into()),
        (1, "ab 12 34 56 c".into()),
        (1, "QQ123456C".into()),
        (2, "HCPC".into()),
        (3, "12a3456e".into()),
        (4, "7654321".into()),
        (5, "PYL12345".into()),
        (6, "band_8a".into()),
        (6, "CONSULTANT".into()),
        (7, "MEDICAL_DENTAL".into()),
        (8, "correct horse battery".into()),
        (
            9,
            cursor("1733000000000000|0193a000-0000-7000-8000-000000000001"),
        ),
        (
            10,
            "1733000000000000|0193a000-0000-7000-8000-000000000001".into(),
        ),
        (
            11,
            "1|-2147483648|0193a000-0000-7000-8000-000000000001".into(),
        ),
        (11, "0|42|0193a000-0000-7000-8000-000000000001".into()),
        (12, "2026-12".into()),
        (13, "TRUST_ADMIN".into()),
        (13, "REVOKED".into()),
        (14, "critical care\nTHEATRES\nIV".into()),
        (14, "FIRE_SAFETY 1".into()),
        (15, "2026-10-25T01:30:00".into()),
        (15, "2026-03-29T01:30:00".into()),
        (15, "2026-12-01T12:00:00Z".into()),
        (15, "2026-12-01".into()),
        // The ends of chrono's range, as a client can send them (the crashes fixed so far).
        (15, "-262143-01-01T00:00:00Z".into()),
        (15, "+262142-12-31".into()),
    ];
    for (i, (mode, s)) in examples.iter().enumerate() {
        write(
            "newtypes",
            &format!("{i:02}_{mode}"),
            &with_mode(*mode, s.as_bytes()),
        );
    }

    // graphql_variables: a valid variables object for each input type (first byte picks it).
    let trust = "0193a000-0000-7000-8000-000000000001";
    let site = "0193a000-0000-7000-8000-000000000002";
    let ward = "0193a000-0000-7000-8000-000000000003";
    let gql: Vec<Value> = vec![
        json!({"trustId":trust,"siteId":site,"wardId":ward,"staffGroup":"NURSING_MIDWIFERY_REGISTERED",
               "grade":"BAND_5","fallbackGrades":["BAND_6"],"skills":["IV"],"startsLocal":"2026-12-24T20:00:00",
               "endsLocal":"2026-12-25T08:00:00","breakMinutes":60,"reason":"VACANCY","payBasis":"SHIFT_GRADE",
               "positions":2,"notes":"Night",
               "cascade":[{"audience":"PREFERRED","anchor":"POSTING","offsetMinutes":0}]}),
        json!({"trustId":trust,"givenName":"Grace","familyName":"Okafor","email":"grace@example.org",
               "dateOfBirth":"1990-04-12","staffGroup":"NURSING_MIDWIFERY_REGISTERED","grade":"BAND_5",
               "niNumber":"AB123456C","registrationBody":"NMC","registrationNumber":"12A3456E",
               "phone":"07700900123","skills":["IV"]}),
        json!({"givenName":"Grace","familyName":"Okafor","dateOfBirth":"1990-04-12","niNumber":"AB 12 34 56 C",
               "staffGroup":"NURSING_MIDWIFERY_REGISTERED","grade":"BAND_5"}),
        json!({"trustId":trust,"effectiveFrom":"2027-01-01","rates":[{"grade":"BAND_5","hourlyRate":"18.7500"}],
               "enhancements":[{"band":5,"saturdayOrNight":"0.30","sundayOrPublicHoliday":"0.60"}],
               "holidayUplift":"0.1207"}),
        json!({"siteId":site,"name":"Ward 7","costCentre":"CC-107","requiredSkills":["IV"]}),
        json!({"trustId":trust,"kind":"DBS","minLevel":3,"maxAgeDays":1095,
               "staffGroup":"NURSING_MIDWIFERY_REGISTERED","wardId":ward}),
        json!({"workerId":trust,"kind":"FIRE_SAFETY","level":1,"issuer":"Fuzz Training Ltd","reference":"FS-1",
               "validFrom":"2026-01-05","expiresOn":"2028-01-05"}),
        json!({"role":"BANK_OFFICE","trustId":trust,"wardId":null}),
        json!({"email":"hr@example.org","displayName":"Hana Reed","password":"correct horse battery",
               "scope":{"role":"HR","trustId":trust}}),
        json!({"workerShortNoticeMinutes":120,"trustLateCancellationMinutes":1440,"strikeLimit":3,"dormancyDays":365}),
        json!({"maxPassportDays":180,"rules":[{"kind":"DBS","recognised":true,"maxAgeDays":1095,"note":"Enhanced"}]}),
        json!([{"audience":"PREFERRED","anchor":"POSTING","offsetMinutes":0}]),
    ];
    for (i, v) in gql.iter().enumerate() {
        let mode = u8::try_from(i).unwrap();
        write(
            "graphql_variables",
            &format!("{i:02}.json"),
            &with_mode(mode, v.to_string().as_bytes()),
        );
    }
}
