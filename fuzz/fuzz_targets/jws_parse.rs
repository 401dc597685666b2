//! A compact JWS from anywhere (a passport pasted into the verify page or the command line): the
//! header policy of `jws::parse`, then the whole offline verification against the fixture's
//! registry and status lists, and both reports. Nothing may panic, and a token that parses keeps
//! the invariants the verifier relies on.

#![no_main]

use libfuzzer_sys::fuzz_target;
use staffbank_fuzz::FIXTURE;
use staffbank_passport::{jws, offline, verify};

fuzz_target!(init: staffbank_fuzz::write_seeds_if_asked(), |data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let f = &*FIXTURE;
    if let Ok(parsed) = jws::parse(token) {
        assert_eq!(parsed.signature.len(), 64);
        assert!(!parsed.kid.is_empty() && parsed.kid.len() <= 200);
        assert!(token.trim().starts_with(&parsed.signing_input));
        assert_eq!(
            parsed.header.get("alg").and_then(|a| a.as_str()),
            Some(jws::ALGORITHM)
        );
    }
    let v = verify::verify_offline(token, &f.registry, &f.list_tokens, f.now);
    if v.valid() {
        // Only the fixture's own key signs; a valid answer carries the passport it verified.
        assert!(v.passport.is_some() && v.issuer.is_some());
    }
    let _ = offline::report(&v);
    let _ = offline::report_json(&v);
});
