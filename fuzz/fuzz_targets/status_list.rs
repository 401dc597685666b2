//! Status list credentials (Bitstring Status List v1.0) after their signature has verified: read as
//! a `BitstringStatusListCredential`, checked against the fixture's passport (issuer, purpose,
//! expiry), the `encodedList` decoded (multibase, base64url, GZIP, with the 2 MiB bomb guard) and
//! the passport's bit read — exactly what `verify::verify_offline` runs per list (through
//! `verify::fuzzing`). The first byte picks the purpose, or (2 and above) feeds the rest straight
//! to `status_list::decode` as an `encodedList`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use staffbank_fuzz::FIXTURE;
use staffbank_passport::status_list::{self, Purpose};
use staffbank_passport::verify::fuzzing;

fuzz_target!(init: staffbank_fuzz::write_seeds_if_asked(), |data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let f = &*FIXTURE;
    let purpose = match mode % 3 {
        0 => Purpose::Revocation,
        1 => Purpose::Suspension,
        _ => {
            if let Ok(s) = std::str::from_utf8(rest) {
                if let Ok(bits) = status_list::decode(s) {
                    assert!(bits.len() <= 2 * 1024 * 1024);
                    // Whatever decodes re-encodes to something that decodes to the same bits.
                    if let Ok(again) = status_list::encode(&bits) {
                        assert_eq!(status_list::decode(&again).ok(), Some(bits));
                    }
                }
            }
            return;
        }
    };
    let Ok(payload) = serde_json::from_slice::<Map<String, Value>>(rest) else {
        return;
    };
    let _ = fuzzing::check_status_list(payload, &f.passport, purpose, f.now);
});
