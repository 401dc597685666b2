//! The passport credential (VC payload) after its signature has verified — as a member trust's key
//! signs whatever its issuer puts in it: the shape checks of `vc::check_shape`, the key's validity
//! at `iat`, the validity window, the status entries against the fixture's status lists, and both
//! reports. Runs exactly what `verify::check` and `verify::verify_offline` run after
//! authentication (through `verify::fuzzing`), without forging signatures.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use staffbank_fuzz::{FIXTURE, trust_and_key};
use staffbank_passport::verify::fuzzing;
use staffbank_passport::{offline, vc};

fuzz_target!(init: staffbank_fuzz::write_seeds_if_asked(), |data: &[u8]| {
    let Ok(payload) = serde_json::from_slice::<Map<String, Value>>(data) else {
        return;
    };
    let f = &*FIXTURE;
    let (trust, key) = trust_and_key(f);
    let shape = vc::check_shape(&payload);
    let mut v = fuzzing::check_claims(&f.kid, &payload, trust, key, f.now);
    assert_eq!(shape.is_ok(), v.passport.is_some());
    if let Some(p) = v.passport.clone() {
        for (purpose, list) in &f.list_payloads {
            if let Ok((_, Some(set))) = fuzzing::check_status_list(list.clone(), &p, *purpose, f.now)
            {
                v.record_status(*purpose, set);
            }
        }
        for i in p.credential_subject.items() {
            let _ = i.credential_id();
        }
        let _ = p.passport_id();
        let _ = p.credential_subject.worker_id();
    }
    let _ = offline::report(&v);
    let _ = offline::report_json(&v);
});
