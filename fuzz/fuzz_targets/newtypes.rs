//! The validated newtypes and enum codes every input passes through: `Email`, `NiNumber`,
//! `RegistrationBody` and `Registration` (NMC, GMC, HCPC), `Grade` (and `parse_for` each staff
//! group), `StaffGroup`, the password policy, pagination (`PageRequest::new`, cursors, and the
//! keyset cursors of the shift, booking and candidate lists), pay periods, every stored enum code,
//! skill lists and credential kinds, and dates and times as the GraphQL scalars read them (through
//! the London-time helpers and the lists' date filters). The first byte picks the parser; the rest
//! is the text. Nothing may panic, and what parses is normalised: parsing its normal form again
//! gives the same value.

#![no_main]

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use staffbank_bank::identity::{NiNumber, Registration, RegistrationBody};
use staffbank_core::page::{decode_cursor, encode_cursor};
use staffbank_core::{Email, Grade, PageRequest, Password, Role, StaffGroup};
use staffbank_market::fuzzing as market;

fn codes(s: &str) {
    macro_rules! parse_all {
        ($($t:ty),* $(,)?) => { $( let _ = <$t>::from_str(s); )* };
    }
    parse_all!(
        Role,
        StaffGroup,
        staffbank_core::sessions::EndReason,
        staffbank_bank::membership::MembershipState,
        staffbank_bank::credentials::CredentialStatus,
        staffbank_bank::organisation::SystemModel,
        staffbank_passport::passports::PassportStatus,
        staffbank_market::shifts::ShiftStatus,
        staffbank_market::release_cascade::Audience,
        staffbank_market::release_cascade::Anchor,
        staffbank_market::pay::timesheets::TimesheetState,
        staffbank_market::booking::BookingState,
        staffbank_market::posting::ShiftReason,
        staffbank_market::posting::PayBasis,
        staffbank_market::restrictions::RestrictionKind,
    );
    let _ = staffbank_passport::status_list::Purpose::parse(s);
}

/// Dates and times as the GraphQL scalars read them, through the London-time helpers every shift,
/// pay period and expiry goes through.
fn times(s: &str) {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
    use staffbank_core::time::{from_london, london_date, london_local, start_of_london_day};
    let instants = [
        s.parse::<DateTime<Utc>>().ok(),
        DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc()),
    ];
    for at in instants.into_iter().flatten() {
        let _ = london_date(at);
        let _ = london_local(at);
    }
    let locals = [
        s.parse::<NaiveDateTime>().ok(),
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok(),
    ];
    for local in locals.into_iter().flatten() {
        if let Ok(at) = from_london(local) {
            let _ = london_local(at);
        }
    }
    let dates = [
        s.parse::<NaiveDate>().ok(),
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
    ];
    for d in dates.into_iter().flatten() {
        let start = start_of_london_day(d);
        let _ = london_date(start);
        // A list's `from`/`to` filter (shifts, the shift feed, bookings): as from, as to, as both.
        let _ = market::date_conditions(Some(d), None);
        let _ = market::date_conditions(None, Some(d));
        let _ = market::date_conditions(Some(d), Some(d));
    }
}

fuzz_target!(init: staffbank_fuzz::write_seeds_if_asked(), |data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(s) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 16 {
        0 => {
            if let Ok(e) = Email::parse(s) {
                assert!(e.as_str().len() <= 254);
                assert_eq!(Email::parse(e.as_str()).ok(), Some(e));
            }
        }
        1 => {
            if let Ok(n) = NiNumber::parse(s) {
                assert_eq!(n.as_str().len(), 9);
                assert_eq!(NiNumber::parse(n.as_str()).ok(), Some(n));
            }
        }
        2 => {
            if let Ok(b) = RegistrationBody::parse(s) {
                assert_eq!(b.as_str(), s);
            }
        }
        3..=5 => {
            let body = [
                RegistrationBody::Nmc,
                RegistrationBody::Gmc,
                RegistrationBody::Hcpc,
            ][usize::from(which % 16 - 3)];
            if let Ok(r) = Registration::parse(body, s) {
                assert_eq!(Registration::parse(body, &r.number).ok(), Some(r));
            }
        }
        6 => {
            if let Ok(g) = Grade::parse(s) {
                assert_eq!(Grade::parse(g.code()).ok(), Some(g));
                let _ = (g.name(), g.afc_band(), g.rank());
            }
            for group in StaffGroup::ALL {
                if let Ok(g) = Grade::parse_for(s, group) {
                    assert_eq!(g.ladder(), group.ladder());
                }
            }
        }
        7 => {
            if let Ok(g) = StaffGroup::from_str(s) {
                assert_eq!(g.as_str(), s);
            }
        }
        8 => {
            if let Ok(p) = Password::parse(s) {
                assert_eq!(p.expose(), s);
            }
        }
        9 => {
            if let Ok(key) = decode_cursor(s) {
                assert_eq!(decode_cursor(&encode_cursor(&key)).ok(), Some(key));
            }
        }
        10 | 11 => {
            // The cursor as a client sends it, and the key inside a cursor the service encoded.
            for after in [s.to_owned(), encode_cursor(s)] {
                let page = PageRequest {
                    first: 50,
                    after: Some(after),
                };
                if which % 16 == 10 {
                    let _ = market::shift_cursor(&page);
                } else {
                    let _ = market::matching_cursor(&page);
                }
            }
        }
        12 => {
            if let Ok(p) = staffbank_market::pay::periods::parse_period(s) {
                assert_eq!(p, s);
            }
            let first = rest
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .map(i32::from_le_bytes);
            if let Ok(p) = PageRequest::new(first, None) {
                assert!(p.first <= staffbank_core::page::MAX_PAGE_SIZE);
            }
        }
        13 => codes(s),
        14 => {
            // A list input (one item a line): skill codes, and a credential kind with its level.
            let items: Vec<String> = s.lines().map(str::to_owned).collect();
            if let Ok(skills) = staffbank_bank::skills::normalise(&items) {
                let stored = staffbank_bank::skills::to_json(&skills);
                assert_eq!(staffbank_bank::skills::from_json(&stored), skills);
                assert_eq!(staffbank_bank::skills::normalise(&skills).ok(), Some(skills));
            }
            let (code, level) = s.split_once(' ').unwrap_or((s, ""));
            if let Ok(kind) = staffbank_bank::catalogue::kind(code) {
                let _ = kind.check_level(level.parse().ok());
            }
        }
        _ => times(s),
    }
});
