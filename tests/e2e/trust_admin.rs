//! The trust admin's API added for their pages (issue 13, item 5): the pay preview of a rate card
//! before it is saved (`rateCardPreview`: example shifts under the card in force and under the
//! new one, nothing saved), and who holds which role at the trust (`trustStaff`), whose
//! revocation signs the holder out at once.

use serde_json::{Value, json};

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, error_code, error_message};
use crate::market_fixtures::monday;
use crate::on_both_databases;

on_both_databases!(
    rate_card_preview_prices_examples_and_saves_nothing,
    trust_staff_lists_people_and_revoking_signs_out,
);

const PREVIEW: &str = "query($i: SetRateCardInput!, $g: String!){ rateCardPreview(input:$i, grade:$g){ kind startsAt endsAt breakMinutes now { hourlyRate total rateCardEffectiveFrom } new { hourlyRate total lines { code hours } } } }";

fn pounds(v: &Value) -> f64 {
    v.as_str().unwrap_or("NaN").parse().unwrap_or(f64::NAN)
}

fn card(trust: uuid::Uuid, from: &str, rate: &str) -> Value {
    json!({"trustId": trust, "effectiveFrom": from, "holidayUplift": "0",
           "rates": [{"grade": "BAND_5", "hourlyRate": rate}]})
}

async fn rate_card_preview_prices_examples_and_saves_nothing(backend: Backend) {
    // Monday 2 March 2026.
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: monday(),
            ..Default::default()
        },
    )
    .await;
    let bank = fixtures::bank(&app, 2).await;
    let admin = fixtures::staff(&app, &bank, "admin0@t.test", "TRUST_ADMIN", bank.trusts[0]).await;
    let office =
        fixtures::staff(&app, &bank, "office0@t.test", "BANK_OFFICE", bank.trusts[0]).await;
    let other = fixtures::staff(&app, &bank, "admin1@t.test", "TRUST_ADMIN", bank.trusts[1]).await;
    let t = bank.trusts[0];

    let v = app
        .ok(
            Some(&admin),
            PREVIEW,
            json!({"i": card(t, "2026-03-02", "20.00"), "g": "band_5"}),
        )
        .await;
    let examples = v["rateCardPreview"].as_array().unwrap();
    let kinds: Vec<&str> = examples
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["WEEKDAY_DAY", "WEEKDAY_NIGHT", "SATURDAY", "PUBLIC_HOLIDAY"],
        "{v}"
    );
    let starts: Vec<&str> = examples
        .iter()
        .map(|e| &e["startsAt"].as_str().unwrap()[..16])
        .collect();
    // Monday 2 March 8am; Monday night 8pm; Saturday 7 March; Good Friday, 3 April, in summer time.
    assert_eq!(
        starts,
        [
            "2026-03-02T08:00",
            "2026-03-02T20:00",
            "2026-03-07T08:00",
            "2026-04-03T07:00"
        ],
        "{v}"
    );
    // Now: the built-in card, BAND_5 = 31,049 / 52.143 / 37.5 = £15.88.
    for e in examples {
        assert_eq!(pounds(&e["now"]["hourlyRate"]), 15.88, "{e}");
        assert_eq!(e["now"]["rateCardEffectiveFrom"], "2025-04-01", "{e}");
        assert_eq!(pounds(&e["new"]["hourlyRate"]), 20.0, "{e}");
    }
    // New card, no holiday uplift: day 7.5 h x £20 = £150; Saturday 7.5 h x £26 (+30%) = £195;
    // Good Friday 7.5 h x £32 (+60%) = £240. The night is 11 paid hours, most at +30% (8pm to
    // 6am) and the rest plain.
    let totals: Vec<f64> = examples
        .iter()
        .map(|e| pounds(&e["new"]["total"]))
        .collect();
    assert_eq!(totals[0], 150.0, "{v}");
    assert_eq!(totals[2], 195.0, "{v}");
    assert_eq!(totals[3], 240.0, "{v}");
    // The night pays more than 11 plain hours and less than 11 enhanced ones.
    assert!(totals[1] > 220.0 && totals[1] < 286.0, "{v}");
    // The day under the built-in card: 7.5 x 15.88 = 119.10, + 12.07% holiday pay (14.38).
    assert_eq!(pounds(&examples[0]["now"]["total"]), 133.48, "{v}");

    // Nothing was saved: only the built-in card is listed.
    let cards = app
        .ok(
            Some(&admin),
            "query($t:UUID!){ rateCards(trustId:$t){ builtIn } }",
            json!({"t": t}),
        )
        .await;
    assert_eq!(cards["rateCards"], json!([{"builtIn": true}]), "{cards}");

    // Bad input is refused as saving it would be, with a clear message.
    let v = app
        .gql(
            Some(&admin),
            PREVIEW,
            json!({"i": card(t, "2026-03-02", "-1"), "g": "BAND_5"}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    assert!(error_message(&v).contains("more than £0"), "{v}");
    let v = app
        .gql(
            Some(&admin),
            PREVIEW,
            json!({"i": card(t, "2026-03-01", "20"), "g": "BAND_5"}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    assert!(error_message(&v).contains("today or a later date"), "{v}");
    let v = app
        .gql(
            Some(&admin),
            PREVIEW,
            json!({"i": card(t, "2026-03-02", "20"), "g": "BAND_99"}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
    // A grade the new card has no rate for is priced as nothing, not as zero.
    let v = app
        .ok(
            Some(&admin),
            PREVIEW,
            json!({"i": card(t, "2026-03-02", "20"), "g": "BAND_6"}),
        )
        .await;
    assert!(v["rateCardPreview"][0]["new"].is_null(), "{v}");
    assert!(v["rateCardPreview"][0]["now"].is_object(), "{v}");

    // Only the trust's own admins.
    for (token, code) in [(&office, "FORBIDDEN"), (&other, "FORBIDDEN")] {
        let v = app
            .gql(
                Some(token),
                PREVIEW,
                json!({"i": card(t, "2026-03-02", "20"), "g": "BAND_5"}),
            )
            .await;
        assert_eq!(error_code(&v), code, "{v}");
    }

    // A saved card becomes what "now" compares against.
    app.ok(
        Some(&admin),
        "mutation($i: SetRateCardInput!){ setRateCard(input:$i){ effectiveFrom } }",
        json!({"i": card(t, "2026-03-02", "20.00")}),
    )
    .await;
    let v = app
        .ok(
            Some(&admin),
            PREVIEW,
            json!({"i": card(t, "2026-03-09", "22.00"), "g": "BAND_5"}),
        )
        .await;
    assert_eq!(
        pounds(&v["rateCardPreview"][0]["now"]["total"]),
        150.0,
        "{v}"
    );
    assert_eq!(
        pounds(&v["rateCardPreview"][0]["new"]["total"]),
        165.0,
        "{v}"
    );
}

const STAFF: &str = "query($t:UUID!){ trustStaff(trustId:$t){ email displayName disabled roles { id role trust { id } } } }";

async fn trust_staff_lists_people_and_revoking_signs_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank = fixtures::bank(&app, 2).await;
    let t = bank.trusts[0];
    let admin = fixtures::staff(&app, &bank, "zoe.admin@t.test", "TRUST_ADMIN", t).await;
    let hr = fixtures::staff(&app, &bank, "amy.hr@t.test", "HR", t).await;
    let office = fixtures::staff(&app, &bank, "bo@t.test", "BANK_OFFICE", bank.trusts[1]).await;
    // Amy also joins the bank office, granted by the trust admin.
    app.ok(
        Some(&admin),
        "mutation($e:String!,$s:RoleScopeInput!){ grantRole(email:$e, scope:$s){ id } }",
        json!({"e": "amy.hr@t.test", "s": {"role": "BANK_OFFICE", "trustId": t}}),
    )
    .await;
    let v = app.ok(Some(&admin), STAFF, json!({"t": t})).await;
    let staff = v["trustStaff"].as_array().unwrap();
    let people: Vec<(&str, Vec<&str>)> = staff
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap(),
                m["roles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["role"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    // By name (the fixture names each account by its email); the other trust's people are not here.
    assert_eq!(
        people,
        [
            ("amy.hr@t.test", vec!["HR", "BANK_OFFICE"]),
            ("zoe.admin@t.test", vec!["TRUST_ADMIN"]),
        ],
        "{v}"
    );
    assert!(staff.iter().all(|m| m["disabled"] == false), "{v}");
    assert!(
        staff
            .iter()
            .flat_map(|m| m["roles"].as_array().unwrap())
            .all(|r| r["trust"]["id"] == json!(t)),
        "{v}"
    );

    // Not for HR, nor another trust's staff.
    for token in [&hr, &office] {
        let v = app.gql(Some(token), STAFF, json!({"t": t})).await;
        assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    }
    // A grant id that does not exist is refused and nothing changes.
    let v = app
        .gql(
            Some(&admin),
            "mutation($g:UUID!){ revokeRole(grantId:$g) }",
            json!({"g": uuid::Uuid::nil()}),
        )
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND", "{v}");
    let v = app.ok(Some(&admin), STAFF, json!({"t": t})).await;
    assert_eq!(v["trustStaff"][0]["roles"].as_array().unwrap().len(), 2);

    // Revoking Amy's HR role signs her out at once; she signs in again with the role left.
    let hr_grant = v["trustStaff"][0]["roles"][0]["id"].clone();
    app.ok(
        Some(&admin),
        "mutation($g:UUID!){ revokeRole(grantId:$g) }",
        json!({"g": hr_grant}),
    )
    .await;
    let v = app.gql(Some(&hr), "{ me { email } }", json!({})).await;
    assert_eq!(error_code(&v), "UNAUTHENTICATED", "{v}");
    let again = app.login("amy.hr@t.test", PASSWORD).await;
    let me = app
        .ok(Some(&again), "{ me { roles { role } } }", json!({}))
        .await;
    assert_eq!(me["me"]["roles"], json!([{"role": "BANK_OFFICE"}]), "{me}");
    let v = app.ok(Some(&admin), STAFF, json!({"t": t})).await;
    assert_eq!(
        v["trustStaff"][0]["roles"],
        json!([{"id": v["trustStaff"][0]["roles"][0]["id"], "role": "BANK_OFFICE", "trust": {"id": t}}]),
        "{v}"
    );
}
