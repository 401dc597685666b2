//! Every rule scoped to its collaborative bank: the people of one bank (its admin, a trust admin,
//! a bank office, HR, a worker) see nothing of another bank's trusts, sites, wards, requirements,
//! rate cards, policies, cascades, restrictions or public holidays — each read answers NOT_FOUND,
//! as for something that does not exist — and every change they try there is refused the same way
//! and changes nothing. Public holidays belong to each bank: its nation's bank holidays by default
//! (a Scottish bank pays St Andrew's Day at the holiday rate, an English one does not), and one
//! bank's edits leave another's pay as it was.

use chrono::{Duration, TimeZone, Utc};
use serde_json::{Value, json};
use staffbank_bank::organisation::Nation;
use uuid::Uuid;

use crate::fixtures::{self, Bank};
use crate::harness::{Backend, TestApp, error_code};
use crate::market_fixtures::{self as mf, london, open_to_all, post};
use crate::on_both_databases;

on_both_databases!(
    two_callers_at_once_each_see_their_own_bank,
    another_banks_people_see_nothing_of_this_bank,
    another_banks_people_change_nothing_of_this_bank,
    public_holidays_are_each_banks_own,
);

/// One trust of a bank with its people and estate.
struct Side {
    bank: Uuid,
    trust: Uuid,
    site: Uuid,
    ward: Uuid,
    system_admin: String,
    trust_admin: String,
    office: String,
    hr: String,
    worker: Uuid,
    worker_token: String,
}

impl Side {
    /// Every kind of person of this bank, by name.
    fn people(&self) -> [(&'static str, &str); 5] {
        [
            ("system admin", &self.system_admin),
            ("trust admin", &self.trust_admin),
            ("bank office", &self.office),
            ("HR", &self.hr),
            ("worker", &self.worker_token),
        ]
    }
}

fn id(v: &Value) -> Uuid {
    v.as_str()
        .unwrap_or_else(|| panic!("not an id: {v}"))
        .parse()
        .unwrap()
}

/// A bank's first trust, with a trust admin, bank office, HR, a site, a ward and a worker with a
/// login. `code` prefixes emails and names.
async fn side(app: &TestApp, bank: &Bank, code: &str, n: usize) -> Side {
    let trust = bank.trusts[0];
    let staff = |role: &'static str| {
        let email = format!(
            "{}.{code}@scope.test",
            role.to_lowercase().replace('_', "-")
        );
        async move { fixtures::staff(app, bank, &email, role, trust).await }
    };
    let trust_admin = staff("TRUST_ADMIN").await;
    let office = staff("BANK_OFFICE").await;
    let hr = staff("HR").await;
    let site = id(&app
        .ok(
            Some(&trust_admin),
            "mutation($t:UUID!,$n:String!){ createSite(trustId:$t, name:$n){ id } }",
            json!({"t": trust, "n": format!("{code} General Hospital")}),
        )
        .await["createSite"]["id"]);
    let ward = id(&app
        .ok(
            Some(&trust_admin),
            "mutation($s:UUID!,$n:String!,$c:String!){ createWard(input:{siteId:$s, name:$n, costCentre:$c, requiredSkills:[\"ELDERLY_CARE\"]}){ id } }",
            json!({"s": site, "n": format!("{code} Ash Ward"), "c": format!("{code}CC1")}),
        )
        .await["createWard"]["id"]);
    let worker = fixtures::worker(app, &office, trust, code, "Scope", &mf::ni(n)).await;
    let worker_token = fixtures::worker_login(
        app,
        worker,
        &format!("{}@worker.scope.test", code.to_lowercase()),
    )
    .await;
    Side {
        bank: bank.system_id,
        trust,
        site,
        ward,
        system_admin: bank.admin_token.clone(),
        trust_admin,
        office,
        hr,
        worker,
        worker_token,
    }
}

/// Bank X ("Avon", England and Wales) with a rate card, a policy, a cascade, a preferred worker, a
/// restriction and a holiday of its own; bank Y ("Lothian", Scotland). Returns X, Y, and ids of
/// X's requirement, restriction and second worker.
async fn two_banks(app: &TestApp) -> (Side, Side, Uuid, Uuid, Uuid) {
    let bank_x = fixtures::bank_in(app, "Avon Bank", "AV", Nation::EnglandAndWales, 1).await;
    let bank_y = fixtures::bank_in(app, "Lothian Bank", "LO", Nation::Scotland, 1).await;
    let x = side(app, &bank_x, "AV", 1).await;
    let y = side(app, &bank_y, "LO", 2).await;
    let other = fixtures::worker(app, &x.office, x.trust, "Other", "Avon", &mf::ni(3)).await;
    app.ok(
        Some(&x.trust_admin),
        "mutation($i: SetRateCardInput!){ setRateCard(input:$i){ effectiveFrom } }",
        json!({"i": {"trustId": x.trust, "effectiveFrom": "2026-03-02", "rates": [{"grade": "BAND_3", "hourlyRate": "14.25"}]}}),
    )
    .await;
    app.ok(
        Some(&x.trust_admin),
        "mutation($t:UUID!){ setMarketPolicy(trustId:$t, input:{strikeLimit:5}){ strikeLimit } }",
        json!({"t": x.trust}),
    )
    .await;
    app.ok(
        Some(&x.office),
        "mutation($t:UUID!){ setDefaultCascade(trustId:$t, tiers:[{audience:OWN_TRUST, anchor:POSTING, offsetMinutes:0}]){ audience } }",
        json!({"t": x.trust}),
    )
    .await;
    app.ok(
        Some(&x.office),
        "mutation($w:UUID!,$x:UUID!){ addPreferredWorker(wardId:$w, workerId:$x){ createdAt } }",
        json!({"w": x.ward, "x": x.worker}),
    )
    .await;
    let restriction = id(&app
        .ok(
            Some(&x.office),
            "mutation($t:UUID!,$w:UUID!){ blockWorker(trustId:$t, workerId:$w, reason:\"conduct investigation\"){ id } }",
            json!({"t": x.trust, "w": other}),
        )
        .await["blockWorker"]["id"]);
    app.ok(
        Some(&x.system_admin),
        "mutation($b:UUID!){ addPublicHoliday(collaborativeBankId:$b, date:\"2026-06-15\", name:\"Avon Show Day\"){ date } }",
        json!({"b": x.bank}),
    )
    .await;
    let requirement = id(&app
        .ok(
            Some(&x.trust_admin),
            "query($t:UUID!){ trust(id:$t){ requirements { id } } }",
            json!({"t": x.trust}),
        )
        .await["trust"]["requirements"][0]["id"]);
    (x, y, requirement, restriction, other)
}

/// Everything of bank X its own system admin sees, to compare before and after.
const SNAPSHOT: &str = "query($b:UUID!,$t:UUID!,$w:UUID!){
  collaborativeBank(id:$b){ name nation trusts { id name odsCode
    sites { id name wards { id name costCentre requiredSkills } } wards { id } requirements { id kind minLevel } } }
  marketPolicy(trustId:$t){ workerShortNoticeMinutes trustLateCancellationMinutes lateCancellationFeeMinutes strikeLimit strikeWindowDays dormancyDays }
  defaultCascade(trustId:$t){ audience anchor offsetMinutes }
  preferredWorkers(wardId:$w){ wardId worker { id } }
  workerRestrictions(trustId:$t, includeLifted:true){ id kind reason liftedAt }
  rateCards(trustId:$t){ builtIn effectiveFrom rates { grade hourlyRate } }
  publicHolidays(collaborativeBankId:$b, year:2026){ date name source }
}";

async fn snapshot(app: &TestApp, x: &Side) -> Value {
    app.ok(
        Some(&x.system_admin),
        SNAPSHOT,
        json!({"b": x.bank, "t": x.trust, "w": x.ward}),
    )
    .await
}

/// Asserts a refusal that says nothing: NOT_FOUND, no data, and no name of bank X's in the answer.
fn assert_nothing(v: &Value, who: &str, what: &str) {
    assert_eq!(error_code(v), "NOT_FOUND", "{who}: {what}: {v}");
    let text = v.to_string();
    for secret in ["Avon", "AVCC1", "14.25", "AV0"] {
        assert!(
            !text.contains(secret),
            "{who}: {what}: the answer names '{secret}': {v}"
        );
    }
    let data_empty = match &v["data"] {
        Value::Null => true,
        Value::Object(m) => m.values().all(Value::is_null),
        _ => false,
    };
    assert!(data_empty, "{who}: {what}: data leaked: {v}");
}

async fn another_banks_people_see_nothing_of_this_bank(backend: Backend) {
    let app = mf::start(backend).await;
    let (x, y, _, restriction, _) = two_banks(&app).await;
    let shift = post(&app, &x.office, shift_at(&x, 2026, 3, 10)).await;

    // Bank X's own people see it all (the positive control: the reads below are real ones).
    let own = snapshot(&app, &x).await;
    assert_eq!(
        own["collaborativeBank"]["trusts"][0]["sites"][0]["wards"][0]["costCentre"],
        "AVCC1"
    );
    assert_eq!(own["rateCards"].as_array().unwrap().len(), 2, "{own}");
    assert_eq!(own["workerRestrictions"][0]["id"], json!(restriction));
    for (who, token) in x.people() {
        let v = app
            .ok(
                Some(token),
                "query($t:UUID!,$w:UUID!){ trust(id:$t){ name sites { name } requirements { id } } ward(id:$w){ name } rateCards(trustId:$t){ builtIn } }",
                json!({"t": x.trust, "w": x.ward}),
            )
            .await;
        assert_eq!(v["trust"]["name"], "Avon Bank Trust 0", "{who}");
    }

    let reads: Vec<(&str, &str, Value)> = vec![
        (
            "the bank",
            "query($b:UUID!){ collaborativeBank(id:$b){ id name trusts { id } } }",
            json!({"b": x.bank}),
        ),
        (
            "the trust",
            "query($t:UUID!){ trust(id:$t){ id name odsCode } }",
            json!({"t": x.trust}),
        ),
        (
            "its sites",
            "query($t:UUID!){ trust(id:$t){ sites { id name } } }",
            json!({"t": x.trust}),
        ),
        (
            "its wards",
            "query($t:UUID!){ trust(id:$t){ wards { id name costCentre } } }",
            json!({"t": x.trust}),
        ),
        (
            "its requirements",
            "query($t:UUID!){ trust(id:$t){ requirements { id kind } } }",
            json!({"t": x.trust}),
        ),
        (
            "a ward",
            "query($w:UUID!){ ward(id:$w){ id name costCentre site { name } trust { name } } }",
            json!({"w": x.ward}),
        ),
        (
            "the market policy",
            "query($t:UUID!){ marketPolicy(trustId:$t){ strikeLimit } }",
            json!({"t": x.trust}),
        ),
        (
            "the default cascade",
            "query($t:UUID!){ defaultCascade(trustId:$t){ audience } }",
            json!({"t": x.trust}),
        ),
        (
            "the rate cards",
            "query($t:UUID!){ rateCards(trustId:$t){ builtIn rates { grade hourlyRate } } }",
            json!({"t": x.trust}),
        ),
        (
            "the rate card in force",
            "query($t:UUID!){ rateCardInForce(trustId:$t, date:\"2026-03-10\"){ rates { hourlyRate } } }",
            json!({"t": x.trust}),
        ),
        (
            "the preferred workers",
            "query($w:UUID!){ preferredWorkers(wardId:$w){ wardId } }",
            json!({"w": x.ward}),
        ),
        (
            "the restrictions",
            "query($t:UUID!){ workerRestrictions(trustId:$t, includeLifted:true){ id } }",
            json!({"t": x.trust}),
        ),
        (
            "the public holidays",
            "query($b:UUID!){ publicHolidays(collaborativeBankId:$b, year:2026){ date name } }",
            json!({"b": x.bank}),
        ),
        (
            "a shift",
            "query($s:UUID!){ shift(id:$s){ id trust { name } ward { name } } }",
            json!({"s": shift}),
        ),
    ];
    for (who, token) in y.people() {
        for (what, query, vars) in &reads {
            let v = app.gql(Some(token), query, vars.clone()).await;
            assert_nothing(&v, who, what);
        }
        // Their list of banks holds only their own.
        let v = app
            .ok(
                Some(token),
                "{ collaborativeBanks { id name trusts { id } } }",
                json!({}),
            )
            .await;
        assert_eq!(
            v["collaborativeBanks"],
            json!([{"id": y.bank, "name": "Lothian Bank", "trusts": [{"id": y.trust}]}]),
            "{who}"
        );
        // Their own bank still answers.
        let v = app
            .ok(
                Some(token),
                "query($t:UUID!){ trust(id:$t){ name collaborativeBank { nation } } }",
                json!({"t": y.trust}),
            )
            .await;
        assert_eq!(
            v["trust"]["collaborativeBank"]["nation"], "SCOTLAND",
            "{who}"
        );
    }
    // X's people see nothing of Y's either (the rule is each bank's, both ways).
    let v = app
        .gql(
            Some(&x.system_admin),
            "query($t:UUID!){ trust(id:$t){ name } }",
            json!({"t": y.trust}),
        )
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND", "{v}");
}

async fn another_banks_people_change_nothing_of_this_bank(backend: Backend) {
    let app = mf::start(backend).await;
    let (x, y, requirement, restriction, other) = two_banks(&app).await;
    let before = snapshot(&app, &x).await;

    let changes: Vec<(&str, &str, Value)> = vec![
        (
            "admit a trust",
            "mutation($b:UUID!){ admitTrust(collaborativeBankId:$b, name:\"Intruder Trust\", odsCode:\"INT1\"){ id } }",
            json!({"b": x.bank}),
        ),
        (
            "name the nation",
            "mutation($b:UUID!){ setCollaborativeBankNation(collaborativeBankId:$b, nation:SCOTLAND){ id } }",
            json!({"b": x.bank}),
        ),
        (
            "add a site",
            "mutation($t:UUID!){ createSite(trustId:$t, name:\"Intruder Site\"){ id } }",
            json!({"t": x.trust}),
        ),
        (
            "add a ward",
            "mutation($s:UUID!){ createWard(input:{siteId:$s, name:\"Intruder Ward\", costCentre:\"INT\"}){ id } }",
            json!({"s": x.site}),
        ),
        (
            "add a requirement",
            "mutation($t:UUID!){ addRequirement(input:{trustId:$t, kind:\"FIRE_SAFETY\", minLevel:null}){ id } }",
            json!({"t": x.trust}),
        ),
        (
            "retire a requirement",
            "mutation($r:UUID!){ retireRequirement(requirementId:$r){ id } }",
            json!({"r": requirement}),
        ),
        (
            "set the market policy",
            "mutation($t:UUID!){ setMarketPolicy(trustId:$t, input:{strikeLimit:9}){ strikeLimit } }",
            json!({"t": x.trust}),
        ),
        (
            "set the default cascade",
            "mutation($t:UUID!){ setDefaultCascade(trustId:$t, tiers:[{audience:COLLABORATIVE, anchor:POSTING, offsetMinutes:0}]){ audience } }",
            json!({"t": x.trust}),
        ),
        (
            "add a preferred worker",
            "mutation($w:UUID!,$x:UUID!){ addPreferredWorker(wardId:$w, workerId:$x){ createdAt } }",
            json!({"w": x.ward, "x": other}),
        ),
        (
            "remove a preferred worker",
            "mutation($w:UUID!,$x:UUID!){ removePreferredWorker(wardId:$w, workerId:$x) }",
            json!({"w": x.ward, "x": x.worker}),
        ),
        (
            "block a worker",
            "mutation($t:UUID!,$w:UUID!){ blockWorker(trustId:$t, workerId:$w, reason:\"intruder\"){ id } }",
            json!({"t": x.trust, "w": x.worker}),
        ),
        (
            "lift a restriction",
            "mutation($r:UUID!){ liftRestriction(restrictionId:$r){ id } }",
            json!({"r": restriction}),
        ),
        (
            "set a rate card",
            "mutation($t:UUID!){ setRateCard(input:{trustId:$t, effectiveFrom:\"2026-04-01\", rates:[{grade:\"BAND_3\", hourlyRate:\"99.00\"}]}){ builtIn } }",
            json!({"t": x.trust}),
        ),
        (
            "set the pay cut-off day",
            "mutation($t:UUID!){ setPayCutoffDay(trustId:$t, day:5) }",
            json!({"t": x.trust}),
        ),
        (
            "add a public holiday",
            "mutation($b:UUID!){ addPublicHoliday(collaborativeBankId:$b, date:\"2026-07-01\", name:\"Intruder Day\"){ date } }",
            json!({"b": x.bank}),
        ),
        (
            "remove a public holiday",
            "mutation($b:UUID!){ removePublicHoliday(collaborativeBankId:$b, date:\"2026-12-25\"){ date } }",
            json!({"b": x.bank}),
        ),
        (
            "remove the bank's own holiday",
            "mutation($b:UUID!){ removePublicHoliday(collaborativeBankId:$b, date:\"2026-06-15\"){ date } }",
            json!({"b": x.bank}),
        ),
        (
            "post a shift",
            "mutation($i: PostShiftInput!){ postShift(input:$i){ id } }",
            json!({"i": shift_at(&x, 2026, 3, 12)}),
        ),
    ];
    for (who, token) in y.people() {
        for (what, query, vars) in &changes {
            let v = app.gql(Some(token), query, vars.clone()).await;
            assert_nothing(&v, who, what);
        }
    }
    // At their own trust, naming X's ward or worker, is refused as if they did not exist.
    let v = app
        .gql(
            Some(&y.trust_admin),
            "mutation($t:UUID!,$w:UUID!){ addRequirement(input:{trustId:$t, kind:\"FIRE_SAFETY\", wardId:$w}){ id } }",
            json!({"t": y.trust, "w": x.ward}),
        )
        .await;
    assert_nothing(&v, "trust admin", "a requirement on another bank's ward");
    let v = app
        .gql(
            Some(&y.office),
            "mutation($t:UUID!,$w:UUID!){ blockWorker(trustId:$t, workerId:$w, reason:\"x\"){ id } }",
            json!({"t": y.trust, "w": x.worker}),
        )
        .await;
    assert_nothing(&v, "bank office", "blocking another bank's worker");
    let v = app
        .gql(
            Some(&y.office),
            "mutation($w:UUID!,$x:UUID!){ addPreferredWorker(wardId:$w, workerId:$x){ createdAt } }",
            json!({"w": y.ward, "x": x.worker}),
        )
        .await;
    assert_nothing(&v, "bank office", "preferring another bank's worker");

    // Nothing of X changed.
    assert_eq!(snapshot(&app, &x).await, before);
    // Within a bank a missing role is still FORBIDDEN (the rule above is for other banks only).
    let v = app
        .gql(
            Some(&x.office),
            "mutation($t:UUID!){ setMarketPolicy(trustId:$t, input:{strikeLimit:9}){ strikeLimit } }",
            json!({"t": x.trust}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
    let v = app
        .gql(
            Some(&x.trust_admin),
            "mutation($b:UUID!){ addPublicHoliday(collaborativeBankId:$b, date:\"2026-07-01\", name:\"Day\"){ date } }",
            json!({"b": x.bank}),
        )
        .await;
    assert_eq!(error_code(&v), "FORBIDDEN", "{v}");
}

/// An 8-hour healthcare-assistant shift at the side's ward, 08:00 to 16:00 London time.
fn shift_at(s: &Side, y: i32, m: u32, d: u32) -> Value {
    let start = Utc.with_ymd_and_hms(y, m, d, 8, 0, 0).unwrap();
    // Winter dates: London is UTC; summer dates are an hour ahead, so start an hour earlier.
    let start = if staffbank_core::time::london_local(start)
        .format("%H")
        .to_string()
        == "09"
    {
        start - Duration::hours(1)
    } else {
        start
    };
    json!({
        "trustId": s.trust, "siteId": s.site, "wardId": s.ward,
        "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3", "fallbackGrades": [],
        "startsLocal": london(start), "endsLocal": london(start + Duration::hours(8)),
        "breakMinutes": 30, "reason": "SICKNESS", "cascade": open_to_all()
    })
}

const PAY: &str =
    "query($s:UUID!){ shift(id:$s){ payAtGrade(grade:\"BAND_3\"){ total lines { code } } } }";

/// The pay for a shift at BAND_3 as the side's bank office sees it: total, and line codes.
async fn pay(app: &TestApp, s: &Side, shift: Uuid) -> (String, Vec<String>) {
    let v = app.ok(Some(&s.office), PAY, json!({"s": shift})).await;
    let q = &v["shift"]["payAtGrade"];
    let codes = q["lines"]
        .as_array()
        .unwrap_or_else(|| panic!("no pay: {v}"))
        .iter()
        .map(|l| l["code"].as_str().unwrap().to_owned())
        .collect();
    (q["total"].as_str().unwrap().to_owned(), codes)
}

fn holiday_dates(v: &Value) -> Vec<String> {
    v["publicHolidays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap().to_owned())
        .collect()
}

const HOLIDAYS: &str = "query($b:UUID!,$y:Int!){ publicHolidays(collaborativeBankId:$b, year:$y){ date name source } }";

async fn public_holidays_are_each_banks_own(backend: Backend) {
    let app = mf::start(backend).await;
    let bank_e = fixtures::bank_in(&app, "Wessex Bank", "WX", Nation::EnglandAndWales, 1).await;
    let bank_s = fixtures::bank_in(&app, "Lothian Bank", "LO", Nation::Scotland, 1).await;
    let e = side(&app, &bank_e, "WX", 1).await;
    let s = side(&app, &bank_s, "LO", 2).await;

    // Each bank's calendar is its nation's: Scotland keeps 2 January, St Andrew's Day and the
    // first Monday of August, and no Easter Monday.
    let v = app
        .ok(
            Some(&e.worker_token),
            HOLIDAYS,
            json!({"b": e.bank, "y": 2026}),
        )
        .await;
    assert_eq!(
        holiday_dates(&v),
        [
            "2026-01-01",
            "2026-04-03",
            "2026-04-06",
            "2026-05-04",
            "2026-05-25",
            "2026-08-31",
            "2026-12-25",
            "2026-12-28"
        ]
    );
    assert_eq!(
        v["publicHolidays"][7]["name"],
        "Boxing Day (substitute day)"
    );
    let v = app
        .ok(
            Some(&s.worker_token),
            HOLIDAYS,
            json!({"b": s.bank, "y": 2026}),
        )
        .await;
    assert_eq!(
        holiday_dates(&v),
        [
            "2026-01-01",
            "2026-01-02",
            "2026-04-03",
            "2026-05-04",
            "2026-05-25",
            "2026-08-03",
            "2026-11-30",
            "2026-12-25",
            "2026-12-28"
        ]
    );
    assert_eq!(
        v["publicHolidays"][6],
        json!({"date": "2026-11-30", "name": "St Andrew's Day", "source": "NATIONAL"})
    );

    // A shift on St Andrew's Day (Monday 30 November 2026): the Scottish bank pays it at the
    // Sunday and public holiday rate, the English one at the plain rate.
    let andrew_e = post(&app, &e.office, shift_at(&e, 2026, 11, 30)).await;
    let andrew_s = post(&app, &s.office, shift_at(&s, 2026, 11, 30)).await;
    let (total_e, codes_e) = pay(&app, &e, andrew_e).await;
    let (total_s, codes_s) = pay(&app, &s, andrew_s).await;
    assert!(
        codes_s.contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned()),
        "{codes_s:?}"
    );
    assert!(
        !codes_e.contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned()),
        "{codes_e:?}"
    );
    assert_ne!(total_e, total_s);
    // And the other way round on the last Monday of August (England's summer bank holiday).
    let august_e = post(&app, &e.office, shift_at(&e, 2026, 8, 31)).await;
    let august_s = post(&app, &s.office, shift_at(&s, 2026, 8, 31)).await;
    assert!(
        pay(&app, &e, august_e)
            .await
            .1
            .contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned())
    );
    assert!(
        !pay(&app, &s, august_s)
            .await
            .1
            .contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned())
    );

    // The English bank adds a day of its own and drops Christmas's neighbour; the Scottish bank's
    // pay for those days is what it was, and its calendar too.
    let local_e = post(&app, &e.office, shift_at(&e, 2026, 6, 15)).await;
    let local_s = post(&app, &s.office, shift_at(&s, 2026, 6, 15)).await;
    let boxing_e = post(&app, &e.office, shift_at(&e, 2026, 12, 28)).await;
    let boxing_s = post(&app, &s.office, shift_at(&s, 2026, 12, 28)).await;
    let before_local_e = pay(&app, &e, local_e).await;
    let before_local_s = pay(&app, &s, local_s).await;
    let before_boxing_s = pay(&app, &s, boxing_s).await;
    let scottish_calendar = app
        .ok(
            Some(&s.system_admin),
            HOLIDAYS,
            json!({"b": s.bank, "y": 2026}),
        )
        .await;
    let v = app
        .ok(
            Some(&e.system_admin),
            "mutation($b:UUID!){ addPublicHoliday(collaborativeBankId:$b, date:\"2026-06-15\", name:\"Wessex Show Day\"){ date name source } }",
            json!({"b": e.bank}),
        )
        .await;
    assert_eq!(
        v["addPublicHoliday"],
        json!({"date": "2026-06-15", "name": "Wessex Show Day", "source": "BANK"})
    );
    let v = app
        .ok(
            Some(&e.system_admin),
            "mutation($b:UUID!){ removePublicHoliday(collaborativeBankId:$b, date:\"2026-12-28\"){ date name } }",
            json!({"b": e.bank}),
        )
        .await;
    assert_eq!(
        v["removePublicHoliday"]["name"],
        "Boxing Day (substitute day)"
    );
    // Adding a day already on the calendar is a conflict; removing one that is not, not found.
    let v = app
        .gql(
            Some(&e.system_admin),
            "mutation($b:UUID!){ addPublicHoliday(collaborativeBankId:$b, date:\"2026-06-15\", name:\"Again\"){ date } }",
            json!({"b": e.bank}),
        )
        .await;
    assert_eq!(error_code(&v), "CONFLICT", "{v}");
    let v = app
        .gql(
            Some(&e.system_admin),
            "mutation($b:UUID!){ removePublicHoliday(collaborativeBankId:$b, date:\"2026-12-28\"){ date } }",
            json!({"b": e.bank}),
        )
        .await;
    assert_eq!(error_code(&v), "NOT_FOUND", "{v}");
    let v = app
        .gql(
            Some(&e.system_admin),
            "mutation($b:UUID!){ addPublicHoliday(collaborativeBankId:$b, date:\"2026-07-01\", name:\"Two\\nlines\"){ date } }",
            json!({"b": e.bank}),
        )
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");

    // The English bank's pay follows its edits...
    let after_local_e = pay(&app, &e, local_e).await;
    assert!(
        !before_local_e
            .1
            .contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned())
    );
    assert!(
        after_local_e
            .1
            .contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned()),
        "{after_local_e:?}"
    );
    assert!(
        !pay(&app, &e, boxing_e)
            .await
            .1
            .contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned())
    );
    // ...and the Scottish bank's pay and calendar are unchanged.
    assert_eq!(pay(&app, &s, local_s).await, before_local_s);
    assert_eq!(pay(&app, &s, boxing_s).await, before_boxing_s);
    assert!(
        before_boxing_s
            .1
            .contains(&"SUNDAY_OR_PUBLIC_HOLIDAY".to_owned())
    );
    assert_eq!(
        app.ok(
            Some(&s.system_admin),
            HOLIDAYS,
            json!({"b": s.bank, "y": 2026})
        )
        .await,
        scottish_calendar
    );

    // A bank that names another nation gets that nation's days: Northern Ireland's St Patrick's
    // Day and 12 July (Monday 13 July in 2026), the bank's own changes kept.
    let v = app
        .ok(
            Some(&e.system_admin),
            "mutation($b:UUID!){ setCollaborativeBankNation(collaborativeBankId:$b, nation:NORTHERN_IRELAND){ nation } }",
            json!({"b": e.bank}),
        )
        .await;
    assert_eq!(
        v["setCollaborativeBankNation"]["nation"],
        "NORTHERN_IRELAND"
    );
    let v = app
        .ok(Some(&e.office), HOLIDAYS, json!({"b": e.bank, "y": 2026}))
        .await;
    let dates = holiday_dates(&v);
    assert!(dates.contains(&"2026-03-17".to_owned()), "{dates:?}");
    assert!(dates.contains(&"2026-07-13".to_owned()), "{dates:?}");
    assert!(dates.contains(&"2026-06-15".to_owned()), "{dates:?}");
    assert!(!dates.contains(&"2026-12-28".to_owned()), "{dates:?}");
    // A year out of range is refused.
    let v = app
        .gql(Some(&e.office), HOLIDAYS, json!({"b": e.bank, "y": 1900}))
        .await;
    assert_eq!(error_code(&v), "VALIDATION", "{v}");
}

/// Each request works out its caller's banks once and keeps them for that request only: callers
/// of two banks asking at the same time, over and over, each see their own bank, and nothing of
/// the other's, in every answer.
async fn two_callers_at_once_each_see_their_own_bank(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bank_x = fixtures::bank_in(&app, "Avon Bank", "AV", Nation::EnglandAndWales, 1).await;
    let bank_y = fixtures::bank_in(&app, "Lothian Bank", "LO", Nation::Scotland, 1).await;
    let x = side(&app, &bank_x, "AV", 1).await;
    let y = side(&app, &bank_y, "LO", 2).await;
    // Every field here asks which banks the caller is of: the banks listed and their trusts,
    // each grant's trust and bank, and their own trust by id.
    let query = "query($own:UUID!){ collaborativeBanks { id } \
        me { roles { trust { id } collaborativeBank { id } } } \
        x: collaborativeBanks { trusts { id } } \
        own: trust(id:$own){ id } }";
    let ask = |token: String, own: Uuid| {
        let app = &app;
        async move {
            let v = app.gql(Some(&token), query, json!({"own": own})).await;
            assert!(v["errors"].is_null(), "{v}");
            v
        }
    };
    let callers = [
        (&x, &y, x.office.clone()),
        (&y, &x, y.office.clone()),
        (&x, &y, x.worker_token.clone()),
        (&y, &x, y.worker_token.clone()),
    ];
    for _ in 0..5 {
        let answers = futures::future::join_all(
            callers
                .iter()
                .map(|(me, _, token)| ask(token.clone(), me.trust)),
        )
        .await;
        for ((me, other, _), v) in callers.iter().zip(answers) {
            let v = &v["data"];
            assert_eq!(v["collaborativeBanks"], json!([{ "id": me.bank }]), "{v}");
            assert_eq!(v["x"], json!([{ "trusts": [{ "id": me.trust }] }]), "{v}");
            assert_eq!(v["own"]["id"], json!(me.trust), "{v}");
            let text = v.to_string();
            assert!(!text.contains(&other.bank.to_string()), "{v}");
            assert!(!text.contains(&other.trust.to_string()), "{v}");
        }
        // And the other's trust is not found, for each of them.
        for (me, other, token) in &callers {
            let v = app
                .gql(
                    Some(token),
                    "query($t:UUID!){ trust(id:$t){ id } }",
                    json!({"t": other.trust}),
                )
                .await;
            assert_eq!(
                error_code(&v),
                "NOT_FOUND",
                "{} asking for {}: {v}",
                me.trust,
                other.trust
            );
        }
    }
}
