//! The trust registry file — what `staffbank passport verify --registry FILE` takes as its trust
//! anchor, and what the gateway publishes: `offline::read_registry`, every key's JWK turned into a
//! verifying key, the lookups the verifier makes, then `verify::check` of the fixture's passport
//! against the registry read (the issuer, key, retirement and key-validity rules over arbitrary
//! registry contents).

#![no_main]

use libfuzzer_sys::fuzz_target;
use staffbank_fuzz::FIXTURE;
use staffbank_passport::{jwk, offline, verify};

fuzz_target!(init: staffbank_fuzz::write_seeds_if_asked(), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(registry) = offline::read_registry(text) else {
        return;
    };
    let f = &*FIXTURE;
    for t in &registry.trusts {
        assert!(registry.trust(&t.issuer).is_some());
        for k in &t.keys {
            assert!(t.key(&k.kid).is_some());
            if let Ok(vk) = k.jwk.verifying_key() {
                // A usable key's JWK is the one the gateway would publish for it.
                let back = jwk::Jwk::ed25519(&vk);
                assert_eq!(back.verifying_key().ok(), Some(vk));
            }
            if let Some(x) = &k.jwk.x {
                let _ = jwk::thumbprint(x);
            }
        }
    }
    let v = verify::check(&f.token, &registry, f.now);
    let _ = offline::report(&v);
    // The passport is only ever valid under a registry holding the key that signed it.
    if v.valid() {
        let vk = f.key.verifying_key();
        assert!(registry.trusts.iter().any(|t| t
            .keys
            .iter()
            .any(|k| k.jwk.verifying_key().ok() == Some(vk))));
    }
});
