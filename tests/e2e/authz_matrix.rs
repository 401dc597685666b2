//! The authorisation matrix: every root query and mutation of the schema the gateway builds, each
//! called over HTTP by every kind of caller, against a declared table of who may call it.
//!
//! The operations are read from the SDL (`staffbank_gateway::graphql::sdl()`, parsed with
//! async-graphql's parser), so an operation added to the schema without an entry in [`RULES`]
//! fails the test, as does an entry for an operation that no longer exists. Each cell is a real
//! request with real arguments (a fixture of two collaborative banks); a mutation that changes
//! data gets a fresh target for each cell (a new shift, credential, passport…), so no cell
//! poisons another, and operations that end sessions run last.
//!
//! A cell **succeeds** when data comes back without an `UNAUTHENTICATED`, `FORBIDDEN` or
//! `NOT_FOUND` error, and is **refused** when one of those comes back. A caller the table allows
//! must succeed (an error code the rule declares in `tolerate` also counts as success); every
//! other caller must be refused — anything else (data, or another error such as `VALIDATION`,
//! which would mean the rule was not reached) fails the test. Every failing cell is listed.
//!
//! Cells in [`PENDING`] are where today's code does not yet do what issue 11 asks, because
//! another item of the issue is not merged yet: they are asserted the *other* way round (today's
//! behaviour), so that the test passes now and says "remove this mark" the moment the item lands.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::parser::types::{BaseType, TypeKind, TypeSystemDefinition};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use staffbank_bank::organisation::{self, SystemModel};
use staffbank_core::{Actor, Email, Grant, NewPassword, Role, accounts};
use uuid::Uuid;

use crate::fixtures::{self, PASSWORD};
use crate::harness::{Backend, TestApp, TestOptions, WAIT};
use crate::market_fixtures::{self as mf, london, monday};
use crate::on_both_databases;

on_both_databases!(every_operation_answers_only_whom_the_table_allows);

/// Who calls. "T1" is the trust whose data every request targets; "W1" the worker whose record
/// it targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Caller {
    /// No `Authorization` header.
    Anon,
    /// W1 themself.
    Worker,
    /// T1's bank office.
    Office,
    /// T1's HR.
    Hr,
    /// A ward manager of T1 (all its wards).
    WardManager,
    /// T1's trust admin.
    TrustAdmin,
    /// The system admin of T1's collaborative bank.
    BankAdmin,
    /// One account holding every staff role (bank office, HR, ward manager, trust admin) at T2,
    /// another trust of the same bank.
    OtherTrust,
    /// One account holding every staff role at T3 and system admin of bank 2, another
    /// collaborative bank.
    OtherBank,
    /// W2, another worker of the bank, calling on W1's ids.
    OtherWorker,
}

use Caller::{
    Anon, BankAdmin, Hr, Office, OtherBank, OtherTrust, OtherWorker, TrustAdmin, WardManager,
    Worker,
};

const CALLERS: [Caller; 10] = [
    Anon,
    Worker,
    Office,
    Hr,
    WardManager,
    TrustAdmin,
    BankAdmin,
    OtherTrust,
    OtherBank,
    OtherWorker,
];

/// Everyone, with or without a token.
const PUBLIC: &[Caller] = &CALLERS;
/// Anyone signed in, of any bank.
const SIGNED_IN: &[Caller] = &[
    Worker,
    Office,
    Hr,
    WardManager,
    TrustAdmin,
    BankAdmin,
    OtherTrust,
    OtherBank,
    OtherWorker,
];
/// The people of T1's collaborative bank: its workers, the staff of its trusts, its admins.
const BANK_PEOPLE: &[Caller] = &[
    Worker,
    Office,
    Hr,
    WardManager,
    TrustAdmin,
    BankAdmin,
    OtherTrust,
    OtherWorker,
];
/// The signed-in worker about themself (W2 on their own record: the operation takes no id).
const SELF_WORKER: &[Caller] = &[Worker, OtherWorker];

/// One operation's entry: who may call it.
struct Rule {
    op: &'static str,
    allowed: &'static [Caller],
    /// Error codes that count as success for an allowed caller (declared, with the reason in a
    /// comment).
    tolerate: &'static [&'static str],
    /// Error codes besides UNAUTHENTICATED, FORBIDDEN and NOT_FOUND that count as a refusal
    /// (declared, with the reason in a comment).
    refuse_also: &'static [&'static str],
}

const fn rule(op: &'static str, allowed: &'static [Caller]) -> Rule {
    Rule {
        op,
        allowed,
        tolerate: &[],
        refuse_also: &[],
    }
}

/// Who may call what, as issue 11 and the schema's descriptions state it.
const RULES: &[Rule] = &[
    // --- Queries
    rule("me", SIGNED_IN),
    rule("trustRoleGrants", &[TrustAdmin, BankAdmin]),
    rule("trustStaff", &[TrustAdmin, BankAdmin]),
    // Lists only the caller's own bank (another bank's user sees theirs).
    rule("collaborativeBanks", SIGNED_IN),
    rule("collaborativeBank", BANK_PEOPLE),
    rule("trust", BANK_PEOPLE),
    rule("ward", BANK_PEOPLE),
    // Production defaults (item 10): without a token only sign-in, invitations and public
    // passport verification answer.
    rule("credentialKinds", SIGNED_IN),
    // The bank-wide summary for T2 (item 1); nothing for another worker or another bank.
    rule(
        "worker",
        &[
            Worker,
            Office,
            Hr,
            WardManager,
            TrustAdmin,
            BankAdmin,
            OtherTrust,
        ],
    ),
    rule("grades", SIGNED_IN),
    rule("rosterColumns", SIGNED_IN),
    rule("rosterTemplate", SIGNED_IN),
    rule("rosterImport", &[Office, BankAdmin]),
    rule("rosterImports", &[Office, BankAdmin]),
    rule("myWorker", SELF_WORKER),
    rule("workers", &[Office, Hr, WardManager, TrustAdmin, BankAdmin]),
    rule("accessLog", &[Worker, Hr, BankAdmin]),
    rule("credential", &[Worker, Office, Hr, WardManager, TrustAdmin]),
    rule("credentialsAwaitingVerification", &[Hr]),
    rule("expiringAtTrust", &[Hr]),
    rule(
        "compliance",
        &[Worker, Office, Hr, WardManager, TrustAdmin, BankAdmin],
    ),
    // P1 is issued by T1 and shared with T2: the worker, HR of the issuer, HR of T2.
    rule("passport", &[Worker, Hr, OtherTrust]),
    // "that you may see": a list for anyone signed in, holding only what the caller may see.
    rule("passportsOfWorker", SIGNED_IN),
    // Verification by anyone signed in (it writes the access log for the trust named). Without
    // a token, the public verification material is the JWKS, status lists and trust registry
    // at their URLs, not this query.
    rule("verifyPassport", SIGNED_IN),
    // HR of a trust the passport is shared with (T2). The passport's own token says where it
    // is from, so "issued in another collaborative bank" (another bank's HR) and "this trust
    // issued the passport" (T1's HR) are told as VALIDATION, and no data comes back.
    Rule {
        op: "evaluatePassport",
        allowed: &[OtherTrust],
        tolerate: &[],
        refuse_also: &["VALIDATION"],
    },
    rule("passportAcceptances", &[Hr, TrustAdmin, BankAdmin]),
    rule("passportingAgreement", BANK_PEOPLE),
    // Public keys and the registry: published at public URLs for verifiers anyway.
    rule("trustKeys", SIGNED_IN),
    rule("trustRegistry", SIGNED_IN),
    rule("passportSavings", &[Hr, TrustAdmin, BankAdmin]),
    rule("accessAudit", &[BankAdmin]),
    rule(
        "shift",
        &[
            Worker,
            Office,
            Hr,
            WardManager,
            TrustAdmin,
            BankAdmin,
            OtherWorker,
        ],
    ),
    rule("shifts", &[Office, Hr, WardManager, TrustAdmin, BankAdmin]),
    rule(
        "eligibleWorkers",
        &[Office, WardManager, TrustAdmin, BankAdmin],
    ),
    rule("myShiftFeed", SELF_WORKER),
    rule("myShiftOutlook", SELF_WORKER),
    rule(
        "booking",
        &[Worker, Office, Hr, WardManager, TrustAdmin, BankAdmin],
    ),
    rule(
        "bookings",
        &[Office, Hr, WardManager, TrustAdmin, BankAdmin],
    ),
    rule("myBookings", SELF_WORKER),
    rule("marketPolicy", BANK_PEOPLE),
    rule("defaultCascade", BANK_PEOPLE),
    rule(
        "preferredWorkers",
        &[Office, WardManager, TrustAdmin, BankAdmin],
    ),
    rule("workerRestrictions", &[Office, Hr, TrustAdmin, BankAdmin]),
    rule("rateCards", BANK_PEOPLE),
    rule("rateCardInForce", BANK_PEOPLE),
    // Per bank (item 3): another bank's users are told NOT_FOUND.
    rule("publicHolidays", BANK_PEOPLE),
    // Workers ask for their own (no trust named); staff for T1's.
    rule(
        "timesheets",
        &[
            Worker,
            Office,
            WardManager,
            TrustAdmin,
            OtherWorker,
            BankAdmin,
        ],
    ),
    rule("timesheet", &[Worker, Office, WardManager, TrustAdmin]),
    // A trust's timesheet deadline rules: those who set them and the ward managers they bind.
    rule(
        "timesheetPolicy",
        &[Office, WardManager, TrustAdmin, BankAdmin],
    ),
    rule("payrollExport", &[Office, TrustAdmin, BankAdmin]),
    rule("payrollExports", &[Office, TrustAdmin, BankAdmin]),
    // What each trust owes each other: the bank's admins and its trusts' offices and admins.
    rule(
        "rechargeStatement",
        &[Office, TrustAdmin, BankAdmin, OtherTrust],
    ),
    rule("trustReport", &[Office, WardManager, TrustAdmin, BankAdmin]),
    // The board: the trust's bank office, and the admins of its bank.
    rule("shiftBoard", &[Office, BankAdmin]),
    // --- Mutations
    rule("login", PUBLIC),
    rule("grantRole", &[TrustAdmin, BankAdmin]),
    rule("revokeRole", &[TrustAdmin, BankAdmin]),
    // An account holding a bank office role at T1: an admin over every role it holds.
    rule("disableAccount", &[TrustAdmin, BankAdmin]),
    rule("createStaffAccount", &[TrustAdmin, BankAdmin]),
    rule("admitTrust", &[BankAdmin]),
    rule("setCollaborativeBankNation", &[BankAdmin]),
    rule("createSite", &[TrustAdmin, BankAdmin]),
    rule("createWard", &[TrustAdmin, BankAdmin]),
    rule("addRequirement", &[Hr, TrustAdmin, BankAdmin]),
    rule("retireRequirement", &[Hr, TrustAdmin, BankAdmin]),
    rule("createWorker", &[Office, Hr, BankAdmin]),
    rule("inviteWorker", &[Office, Hr, BankAdmin]),
    rule("acceptInvitation", PUBLIC),
    rule("registerWithInvitation", PUBLIC),
    // A worker of T2 engaged (proposed, after item 1) at T1.
    rule("engageWorker", &[Office, Hr, BankAdmin]),
    // The worker's own answer, on a trust (of T1's bank, admitted for the cell) that proposed
    // W1 (or, to end, engages W1). W2 has no engagement there: NOT_FOUND.
    rule("acceptEngagement", &[Worker]),
    rule("declineEngagement", &[Worker]),
    rule("endEngagement", &[Worker]),
    rule("setMembershipState", &[Office, Hr, BankAdmin]),
    rule("setWorkingTimeOptOut", SELF_WORKER),
    rule("recordCredential", &[Worker, Hr]),
    // A new version of a credential T1 verified: the worker, or HR of a trust engaging them.
    rule("recordCredentialVersion", &[Worker, Hr]),
    rule("verifyCredential", &[Hr]),
    rule("attachEvidence", &[Worker, Hr]),
    rule("rejectCredential", &[Hr]),
    // T1's own decision on a credential another trust (of the bank, engaging W1) verified.
    rule("declineCredential", &[Hr]),
    rule("revokeCredential", &[Hr]),
    rule("issuePassport", &[Hr]),
    rule("sharePassport", &[Worker]),
    rule("withdrawPassportShare", &[Worker]),
    // HR of T2, with which the passport was shared.
    // VALIDATION as for evaluatePassport.
    Rule {
        op: "acceptPassport",
        allowed: &[OtherTrust],
        tolerate: &[],
        refuse_also: &["VALIDATION"],
    },
    rule("revokePassport", &[Hr, BankAdmin]),
    rule("suspendPassport", &[Hr, BankAdmin]),
    rule("reinstatePassport", &[Hr, BankAdmin]),
    rule("setPassportingAgreement", &[BankAdmin]),
    rule("postShift", &[Office, BankAdmin]),
    rule("postShifts", &[Office, BankAdmin]),
    // The cell's file is a PDF: those let in are told it is not a roster file.
    Rule {
        tolerate: &["VALIDATION"],
        ..rule("uploadRoster", &[Office, BankAdmin])
    },
    rule("postRosterImport", &[Office, BankAdmin]),
    rule("cancelShift", &[Office, BankAdmin]),
    rule("bookShift", &[Worker, Office, BankAdmin]),
    rule("cancelBooking", &[Worker, Office, BankAdmin]),
    rule("recordNoShow", &[Office, WardManager, BankAdmin]),
    rule("setMarketPolicy", &[TrustAdmin, BankAdmin]),
    rule("setDefaultCascade", &[Office, TrustAdmin, BankAdmin]),
    rule(
        "addPreferredWorker",
        &[Office, WardManager, TrustAdmin, BankAdmin],
    ),
    rule(
        "removePreferredWorker",
        &[Office, WardManager, TrustAdmin, BankAdmin],
    ),
    rule("blockWorker", &[Office, Hr, TrustAdmin, BankAdmin]),
    rule("liftRestriction", &[Office, Hr, TrustAdmin, BankAdmin]),
    rule("reconfirmAvailability", SELF_WORKER),
    rule("setRateCard", &[TrustAdmin, BankAdmin]),
    rule("rateCardPreview", &[TrustAdmin, BankAdmin]),
    // Per bank (item 3): bank 1's admin adds bank 1's holidays.
    rule("addPublicHoliday", &[BankAdmin]),
    rule("removePublicHoliday", &[BankAdmin]),
    rule("setPayCutoffDay", &[Office, TrustAdmin, BankAdmin]),
    rule("submitTimesheet", &[Worker]),
    rule("approveTimesheet", &[WardManager]),
    rule("queryTimesheet", &[WardManager]),
    rule("setTimesheetPolicy", &[Office, TrustAdmin, BankAdmin]),
    // Before its deadline only the ward's manager decides a timesheet (the bank office after it).
    rule("approveTimesheets", &[WardManager]),
    rule("queryTimesheets", &[WardManager]),
    rule("approveTimesheetPayment", &[Office, BankAdmin]),
    // The fixture's approved lines went out in its own export: an allowed caller is told
    // CONFLICT ("nothing new to export"), past the rule.
    Rule {
        op: "exportPayroll",
        allowed: &[Office, TrustAdmin, BankAdmin],
        tolerate: &["CONFLICT"],
        refuse_also: &[],
    },
    // Keys: after the passport operations (a retired key stops P1 verifying).
    rule("rotateTrustKey", &[TrustAdmin, BankAdmin]),
    rule("retireTrustKey", &[TrustAdmin, BankAdmin]),
    // Session-ending operations last, each on a fresh sign-in of the caller.
    rule("logout", SIGNED_IN),
    rule("changePassword", SIGNED_IN),
];

/// Cells where today's code differs from the issue because another helper's item is not merged
/// yet: `(operation, caller, item)`. Asserted the other way round until then.
const PENDING: &[(&str, Caller, u8)] = &[
    // None: items 3 (bank-scoped reads, per-bank public holidays) and 10 (no token: only
    // sign-in and invitations answer) have landed.
];

/// The fixture every cell runs against.
struct Fx {
    system1: Uuid,
    system2: Uuid,
    t1: Uuid,
    t2: Uuid,
    t3: Uuid,
    site1: Uuid,
    ward1: Uuid,
    w1: Uuid,
    w2: Uuid,
    tokens: HashMap<Caller, String>,
    emails: HashMap<Caller, String>,
    /// A future shift at T1 (W1 booked on it) and that booking.
    shift1: Uuid,
    booking1: Uuid,
    /// A passport of W1 issued by T1 and shared with T2.
    passport1: Uuid,
    passport1_token: String,
    /// A submitted timesheet of W1 and a payroll export of T1.
    timesheet1: Uuid,
    export1: Uuid,
    /// Bookings of W1 (even) and W2 (odd) on shifts that are over, not yet used by a cell.
    past: Mutex<Vec<(Uuid, Uuid)>>,
    /// Makes names, dates and NI numbers unique.
    counter: AtomicUsize,
    /// The day of the next fresh shift, counted from 20 days after the cells start.
    shift_days: AtomicUsize,
}

impl Fx {
    fn token(&self, c: Caller) -> Option<&str> {
        self.tokens.get(&c).map(String::as_str)
    }

    fn next(&self) -> usize {
        self.counter.fetch_add(1, Ordering::SeqCst)
    }

    /// The trust a caller acts for, where an operation asks.
    fn acting_trust(&self, c: Caller) -> Option<Uuid> {
        match c {
            Office | Hr | WardManager | TrustAdmin => Some(self.t1),
            OtherTrust => Some(self.t2),
            OtherBank => Some(self.t3),
            _ => None,
        }
    }
}

fn id(v: &Value) -> Uuid {
    v.as_str()
        .unwrap_or_else(|| panic!("not an id: {v}"))
        .parse()
        .unwrap()
}

/// `app.ok` for setup steps: the operation's single root field.
async fn setup(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let data = app.ok(Some(token), query, vars).await;
    data.as_object()
        .and_then(|o| o.values().next().cloned())
        .unwrap()
}

async fn account_with(app: &TestApp, email: &str, grants: &[Grant]) -> Uuid {
    let db = app.db();
    let clock = app.clock.as_ref();
    let acc = accounts::create(
        db,
        clock,
        &Email::parse(email).unwrap(),
        email,
        &NewPassword::parse(PASSWORD).unwrap(),
    )
    .await
    .unwrap();
    for g in grants {
        accounts::insert_grant(db, clock, acc.id, g, None)
            .await
            .unwrap();
    }
    acc.id
}

fn trust_grant(role: Role, trust: Uuid) -> Grant {
    Grant {
        role,
        trust_id: Some(trust),
        ward_id: None,
        system_id: None,
        worker_id: None,
    }
}

fn all_staff_roles(trust: Uuid) -> Vec<Grant> {
    [
        Role::BankOffice,
        Role::Hr,
        Role::WardManager,
        Role::TrustAdmin,
    ]
    .into_iter()
    .map(|r| trust_grant(r, trust))
    .collect()
}

async fn site_and_ward(app: &TestApp, admin: &str, trust: Uuid, name: &str) -> (Uuid, Uuid) {
    let site = id(&setup(
        app,
        admin,
        "mutation($t:UUID!,$n:String!){ createSite(trustId:$t, name:$n){ id } }",
        json!({"t": trust, "n": format!("{name} Hospital")}),
    )
    .await["id"]);
    let ward = id(&setup(
        app,
        admin,
        "mutation($s:UUID!,$n:String!){ createWard(input:{siteId:$s, name:$n, costCentre:\"CC100\", requiredSkills:[\"ELDERLY_CARE\"]}){ id } }",
        json!({"s": site, "n": format!("{name} Ward")}),
    )
    .await["id"]);
    (site, ward)
}

const SHARE: &str = "mutation($p:UUID!,$t:UUID!){ sharePassport(passportId:$p, trustId:$t){ id } }";
const ISSUE: &str =
    "mutation($w:UUID!,$t:UUID!){ issuePassport(workerId:$w, trustId:$t){ id token } }";
const BOOK: &str =
    "mutation($s:UUID!,$w:UUID){ bookShift(shiftId:$s, workerId:$w){ booking { id } } }";
const SUBMIT: &str = "mutation($b:UUID!,$s:DateTime!,$e:DateTime!){ submitTimesheet(bookingId:$b, startedAt:$s, endedAt:$e, breakMinutes:30){ id } }";

/// A shift of T1's ward starting `start`, four hours, open to the whole bank.
fn shift_input(fx: &Fx, start: DateTime<Utc>) -> Value {
    json!({
        "trustId": fx.t1, "siteId": fx.site1, "wardId": fx.ward1,
        "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3",
        "startsLocal": london(start), "endsLocal": london(start + Duration::hours(4)),
        "reason": "SICKNESS", "cascade": mf::open_to_all()
    })
}

/// The clock when the cells run: after the fixture's past shifts.
fn cells_now() -> DateTime<Utc> {
    monday() + Duration::days(12)
}

async fn build(app: &TestApp) -> Fx {
    let bank = fixtures::bank(app, 2).await;
    let (t1, t2) = (bank.trusts[0], bank.trusts[1]);
    let db = app.db();
    let clock = app.clock.as_ref();
    let sys2 = organisation::create_system(
        db,
        clock,
        &Actor::Service,
        "Another Collaborative Bank",
        SystemModel::OwnPools,
    )
    .await
    .unwrap();
    let t3 = organisation::admit_trust(db, clock, &Actor::Service, sys2.id, "Trust Far", "F01")
        .await
        .unwrap()
        .id;
    let ta = fixtures::staff(app, &bank, "ta1@t1.test", "TRUST_ADMIN", t1).await;
    let office = fixtures::staff(app, &bank, "office1@t1.test", "BANK_OFFICE", t1).await;
    let hr = fixtures::staff(app, &bank, "hr1@t1.test", "HR", t1).await;
    let wm = fixtures::staff(app, &bank, "wm1@t1.test", "WARD_MANAGER", t1).await;
    account_with(app, "all@t2.test", &all_staff_roles(t2)).await;
    let other_trust = app.login("all@t2.test", PASSWORD).await;
    let mut far = all_staff_roles(t3);
    far.push(Grant {
        role: Role::SystemAdmin,
        trust_id: None,
        ward_id: None,
        system_id: Some(sys2.id),
        worker_id: None,
    });
    account_with(app, "all@bank2.test", &far).await;
    let other_bank = app.login("all@bank2.test", PASSWORD).await;
    let (site1, ward1) = site_and_ward(app, &ta, t1, "Ash").await;
    site_and_ward(app, &other_trust, t2, "Birch").await;
    site_and_ward(app, &other_bank, t3, "Cedar").await;

    let w1 = fixtures::worker(app, &office, t1, "Wren", "One", "CE100001A").await;
    let w2 = fixtures::worker(app, &office, t1, "Wyn", "Two", "CE100002A").await;
    for w in [w1, w2] {
        fixtures::make_compliant(app, w, t1, Some(ward1)).await;
    }
    let worker = fixtures::worker_login(app, w1, "w1@login.test").await;
    let other_worker = fixtures::worker_login(app, w2, "w2@login.test").await;
    for t in [&worker, &other_worker] {
        setup(
            app,
            t,
            "mutation{ setWorkingTimeOptOut(optedOut:true){ id } }",
            json!({}),
        )
        .await;
    }
    let tokens = HashMap::from([
        (Worker, worker.clone()),
        (Office, office.clone()),
        (Hr, hr.clone()),
        (WardManager, wm.clone()),
        (TrustAdmin, ta.clone()),
        (BankAdmin, bank.admin_token.clone()),
        (OtherTrust, other_trust),
        (OtherBank, other_bank),
        (OtherWorker, other_worker.clone()),
    ]);
    let emails = HashMap::from([
        (Worker, "w1@login.test".to_owned()),
        (Office, "office1@t1.test".to_owned()),
        (Hr, "hr1@t1.test".to_owned()),
        (WardManager, "wm1@t1.test".to_owned()),
        (TrustAdmin, "ta1@t1.test".to_owned()),
        (BankAdmin, "admin@bank.test".to_owned()),
        (OtherTrust, "all@t2.test".to_owned()),
        (OtherBank, "all@bank2.test".to_owned()),
        (OtherWorker, "w2@login.test".to_owned()),
    ]);
    let mut fx = Fx {
        system1: bank.system_id,
        system2: sys2.id,
        t1,
        t2,
        t3,
        site1,
        ward1,
        w1,
        w2,
        tokens,
        emails,
        shift1: Uuid::nil(),
        booking1: Uuid::nil(),
        passport1: Uuid::nil(),
        passport1_token: String::new(),
        timesheet1: Uuid::nil(),
        export1: Uuid::nil(),
        past: Mutex::new(Vec::new()),
        counter: AtomicUsize::new(0),
        shift_days: AtomicUsize::new(0),
    };
    // Shifts that will be over when the cells run: one a day for each worker.
    let mut past = Vec::new();
    for day in 1..=10 {
        let start = monday() + Duration::days(day) - Duration::hours(1);
        for (w, token) in [(w1, &worker), (w2, &other_worker)] {
            let s = mf::post(app, &office, shift_input(&fx, start)).await;
            let b = setup(app, token, BOOK, json!({"s": s})).await;
            past.push((w, id(&b["booking"]["id"])));
        }
    }
    let p = setup(app, &hr, ISSUE, json!({"w": w1, "t": t1})).await;
    fx.passport1 = id(&p["id"]);
    fx.passport1_token = p["token"].as_str().unwrap().to_owned();
    setup(app, &worker, SHARE, json!({"p": fx.passport1, "t": t2})).await;

    app.clock.set(cells_now());
    fx.shift1 = mf::post(
        app,
        &office,
        shift_input(&fx, cells_now() + Duration::days(2)),
    )
    .await;
    let b = setup(app, &worker, BOOK, json!({"s": fx.shift1})).await;
    fx.booking1 = id(&b["booking"]["id"]);
    // A timesheet approved and paid, exported; and one submitted.
    let (_, b) = past.remove(0);
    let ts = submit(app, &worker, b).await;
    setup(
        app,
        &wm,
        "mutation($i:UUID!){ approveTimesheet(id:$i){ id } }",
        json!({"i": ts}),
    )
    .await;
    setup(
        app,
        &office,
        "mutation($i:UUID!){ approveTimesheetPayment(id:$i){ id } }",
        json!({"i": ts}),
    )
    .await;
    fx.export1 = id(&setup(
        app,
        &office,
        "mutation($t:UUID!){ exportPayroll(trustId:$t, payPeriod:\"2026-03\"){ id } }",
        json!({"t": t1}),
    )
    .await["id"]);
    // The next of W1's: the list alternates W2's and W1's.
    let (_, b) = past.remove(1);
    fx.timesheet1 = submit(app, &worker, b).await;
    *fx.past.lock().unwrap() = past;
    fx
}

/// Submits the timesheet of a past booking as its worker; returns the timesheet id.
async fn submit(app: &TestApp, worker_token: &str, booking: Uuid) -> Uuid {
    let v = setup(
        app,
        worker_token,
        "query($b:UUID!){ booking(id:$b){ startsAt endsAt } }",
        json!({"b": booking}),
    )
    .await;
    id(&setup(
        app,
        worker_token,
        SUBMIT,
        json!({"b": booking, "s": v["startsAt"], "e": v["endsAt"]}),
    )
    .await["id"])
}

impl Fx {
    /// A past booking of W1 not used yet, and the token of its worker.
    fn past_booking_of_w1(&self) -> Uuid {
        let mut past = self.past.lock().unwrap();
        let i = past
            .iter()
            .position(|(w, _)| *w == self.w1)
            .expect("the fixture has enough past bookings of W1");
        past.remove(i).1
    }

    /// A past booking of either worker, with the worker's token.
    fn past_booking(&self) -> (Uuid, &str) {
        let (w, b) = self
            .past
            .lock()
            .unwrap()
            .pop()
            .expect("the fixture has enough past bookings");
        let who = if w == self.w1 { Worker } else { OtherWorker };
        (b, self.token(who).unwrap())
    }

    /// A start for a new shift: a day of its own, so that W1 may be booked on every one.
    fn fresh_start(&self) -> DateTime<Utc> {
        let n = i64::try_from(self.shift_days.fetch_add(1, Ordering::SeqCst)).unwrap();
        cells_now() + Duration::days(20 + n)
    }

    async fn fresh_shift(&self, app: &TestApp) -> Uuid {
        let start = self.fresh_start();
        mf::post(app, self.token(Office).unwrap(), shift_input(self, start)).await
    }

    /// A future booking of W1 made by the bank office.
    async fn fresh_booking(&self, app: &TestApp) -> Uuid {
        let s = self.fresh_shift(app).await;
        let b = setup(
            app,
            self.token(Office).unwrap(),
            BOOK,
            json!({"s": s, "w": self.w1}),
        )
        .await;
        id(&b["booking"]["id"])
    }

    /// A new worker registered at `trust` by `token`.
    async fn fresh_worker(&self, app: &TestApp, token: &str, trust: Uuid) -> Uuid {
        let n = self.next();
        fixtures::worker(
            app,
            token,
            trust,
            "Fresh",
            &format!("Person{n}"),
            &format!("CE{:06}B", 200_000 + n),
        )
        .await
    }

    /// A pending credential of W1 (a kind T1 does not require), or verified by T1.
    async fn fresh_credential(&self, app: &TestApp, verified: bool) -> Uuid {
        use staffbank_bank::credentials;
        let db = app.db();
        let clock = app.clock.as_ref();
        let c = credentials::record(
            db,
            clock,
            &Actor::Service,
            self.w1,
            &credentials::NewCredential {
                kind: "PAEDIATRIC_LIFE_SUPPORT".into(),
                level: None,
                issuer: format!("Trainer {}", self.next()),
                reference: None,
                valid_from: staffbank_core::time::london_date(cells_now()) - Duration::days(10),
                expires_on: None,
            },
        )
        .await
        .unwrap();
        if verified {
            credentials::verify(db, clock, &Actor::Service, c.id, self.t1)
                .await
                .unwrap();
        }
        c.id
    }

    /// A ready roster import of T1: one shift on a day no cell has used.
    async fn fresh_roster_import(&self, app: &TestApp) -> Uuid {
        let start = staffbank_core::time::london_local(self.fresh_start());
        let csv = format!(
            "Ward,Date,Start,End,Staff group,Grade,Reason\r\nAsh Ward,{},{},{},\
             ADDITIONAL_CLINICAL_SERVICES,Band 3,Sickness\r\n",
            start.format("%d/%m/%Y"),
            start.format("%H:%M"),
            (start + Duration::hours(4)).format("%H:%M"),
        );
        let up = staffbank_market::roster_import::upload(
            app.db(),
            app.clock.as_ref(),
            &Actor::Service,
            self.t1,
            "roster.csv",
            csv.as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(
            up.import.state,
            staffbank_market::roster_import::ImportState::Ready,
            "{:?}",
            up.import.errors
        );
        up.import.id
    }

    /// A date in 2027 no cell has used, for a public holiday of T1's bank.
    fn fresh_holiday_date(&self) -> String {
        // Months with no bank holiday in any nation, so that no date is already one.
        const MONTHS: [u32; 5] = [2, 6, 9, 10, 11];
        let n = u32::try_from(self.next()).unwrap();
        let d = chrono::NaiveDate::from_ymd_opt(
            2027 + i32::try_from(n / 140).unwrap(),
            MONTHS[(n % 5) as usize],
            1 + (n / 5) % 28,
        )
        .unwrap();
        d.to_string()
    }

    /// A new trust of T1's bank (admitted by the service, so that no cell's caller holds a role
    /// there) that has asked to engage W1, and that W1 has accepted when `accepted`.
    async fn fresh_trust_engaging_w1(&self, app: &TestApp, accepted: bool) -> Uuid {
        use staffbank_bank::membership;
        let n = self.next();
        let db = app.db();
        let clock = app.clock.as_ref();
        let t = organisation::admit_trust(
            db,
            clock,
            &Actor::Service,
            self.system1,
            &format!("Engaging Trust {n}"),
            &format!("E{n:03}"),
        )
        .await
        .unwrap()
        .id;
        if accepted {
            fixtures::engage_directly(app, self.w1, t).await;
        } else {
            membership::engage(db, clock, &Actor::Service, self.w1, t, &app.url)
                .await
                .unwrap();
        }
        t
    }

    /// A credential of W1 verified by another trust of the bank (which engages W1), not by T1.
    async fn credential_verified_elsewhere(&self, app: &TestApp) -> Uuid {
        use staffbank_bank::credentials;
        let t = self.fresh_trust_engaging_w1(app, true).await;
        let c = self.fresh_credential(app, false).await;
        credentials::verify(app.db(), app.clock.as_ref(), &Actor::Service, c, t)
            .await
            .unwrap();
        c
    }

    /// A new passport of W1 issued by T1 (shared with T2 when `shared`): its id and token.
    async fn fresh_passport(&self, app: &TestApp, shared: bool) -> (Uuid, String) {
        let p = setup(
            app,
            self.token(Hr).unwrap(),
            ISSUE,
            json!({"w": self.w1, "t": self.t1}),
        )
        .await;
        if shared {
            setup(
                app,
                self.token(Worker).unwrap(),
                SHARE,
                json!({"p": p["id"], "t": self.t2}),
            )
            .await;
        }
        (id(&p["id"]), p["token"].as_str().unwrap().to_owned())
    }

    /// A timesheet of a past booking: submitted, and approved by the ward manager when asked.
    async fn fresh_timesheet(&self, app: &TestApp, approved: bool) -> Uuid {
        let (b, token) = self.past_booking();
        let ts = submit(app, token, b).await;
        if approved {
            setup(
                app,
                self.token(WardManager).unwrap(),
                "mutation($i:UUID!){ approveTimesheet(id:$i){ id } }",
                json!({"i": ts}),
            )
            .await;
        }
        ts
    }

    /// A new staff account of T1 with a bank office role; the grant's id.
    async fn fresh_grant(&self, app: &TestApp) -> Uuid {
        let email = format!("grant{}@t1.test", self.next());
        let acc = account_with(app, &email, &[]).await;
        accounts::insert_grant(
            app.db(),
            app.clock.as_ref(),
            acc,
            &trust_grant(Role::BankOffice, self.t1),
            None,
        )
        .await
        .unwrap()
        .id
    }

    /// Registers a worker with `email` at T1 (as the bank office) or invites `email`; returns
    /// the invitation code from the email.
    async fn invitation_code(&self, app: &TestApp, register: bool) -> String {
        let n = self.next();
        let email = format!("invitee{n}@invite.test");
        let office = self.token(Office).unwrap();
        if register {
            app.ok(
                Some(office),
                "mutation($t:UUID!,$e:String!){ inviteWorker(trustId:$t, email:$e){ id } }",
                json!({"t": self.t1, "e": email}),
            )
            .await;
        } else {
            app.ok(
                Some(office),
                "mutation($i: CreateWorkerInput!){ createWorker(input:$i){ id } }",
                json!({ "i": {
                    "trustId": self.t1, "givenName": "Invited", "familyName": format!("Person{n}"),
                    "dateOfBirth": "1990-04-12", "niNumber": format!("CE{:06}C", 300_000 + n),
                    "email": email, "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3"
                }}),
            )
            .await;
        }
        app.mail
            .wait_until("an invitation email", WAIT, |m| {
                m.messages()
                    .iter()
                    .any(|r| r.rcpt_to.iter().any(|t| t == &email))
            })
            .await;
        let msg = app
            .mail
            .messages()
            .into_iter()
            .rfind(|r| r.rcpt_to.iter().any(|t| t == &email))
            .unwrap();
        let text = msg.part("text/plain");
        text.lines()
            .find(|l| l.contains("invitation code is:"))
            .and_then(|l| l.rsplit(':').next())
            .unwrap_or_else(|| panic!("no code in the invitation: {text}"))
            .trim()
            .to_owned()
    }
}

/// The variables of `op` for `caller`'s cell, making a fresh target where the operation changes
/// it.
async fn variables(app: &TestApp, fx: &Fx, op: &str, caller: Caller) -> Value {
    let n = fx.next();
    let acting = fx.acting_trust(caller);
    let period_from = "2026-03-01";
    let period_to = "2026-03-31";
    match op {
        "me"
        | "collaborativeBanks"
        | "credentialKinds"
        | "myWorker"
        | "myShiftFeed"
        | "myShiftOutlook"
        | "myBookings"
        | "rosterColumns"
        | "rosterTemplate"
        | "logout"
        | "reconfirmAvailability" => json!({}),
        "trustRoleGrants"
        | "trustStaff"
        | "marketPolicy"
        | "defaultCascade"
        | "rateCards"
        | "timesheetPolicy"
        | "passportAcceptances"
        | "trustKeys"
        | "workerRestrictions"
        | "rosterImports" => {
            json!({"trustId": fx.t1})
        }
        "collaborativeBank" => json!({"id": fx.system1}),
        "trust" => json!({"id": fx.t1}),
        "ward" => json!({"id": fx.ward1}),
        "preferredWorkers" => json!({"wardId": fx.ward1}),
        "worker" => json!({"id": fx.w1}),
        "grades" => json!({"staffGroup": "ADDITIONAL_CLINICAL_SERVICES"}),
        "workers" => json!({"trustId": fx.t1}),
        "accessLog" | "passportsOfWorker" => json!({"workerId": fx.w1}),
        "credential" => json!({"id": fx.fresh_credential(app, false).await}),
        "credentialsAwaitingVerification" | "expiringAtTrust" => json!({"trustId": fx.t1}),
        "compliance" => json!({"workerId": fx.w1, "trustId": fx.t1}),
        "passport" => json!({"id": fx.passport1, "trustId": acting}),
        "verifyPassport" => json!({"token": fx.passport1_token, "trustId": acting}),
        "evaluatePassport" => {
            json!({"token": fx.passport1_token, "trustId": acting.unwrap_or(fx.t1)})
        }
        "passportingAgreement" | "trustRegistry" | "accessAudit" => {
            json!({"systemId": fx.system1})
        }
        "passportSavings" => json!({"systemId": fx.system1, "trustId": fx.t1}),
        "shift" => json!({"id": fx.shift1}),
        "shifts" | "bookings" => json!({"trustId": fx.t1}),
        "eligibleWorkers" => json!({"shiftId": fx.shift1}),
        "booking" => json!({"id": fx.booking1}),
        "rateCardInForce" => json!({"trustId": fx.t1, "date": "2026-03-14"}),
        "rateCardPreview" => json!({"grade": "BAND_3", "input": {
            "trustId": fx.t1, "effectiveFrom": "2026-04-01",
            "rates": [{"grade": "BAND_3", "hourlyRate": "13.00"}]
        }}),
        "publicHolidays" => json!({"collaborativeBankId": fx.system1, "year": 2026}),
        "timesheets" if matches!(caller, Worker | OtherWorker) => json!({}),
        "timesheets" => json!({"trustId": fx.t1}),
        "timesheet" => json!({"id": fx.timesheet1}),
        "payrollExport" => json!({"id": fx.export1}),
        "payrollExports" | "exportPayroll" => json!({"trustId": fx.t1, "payPeriod": "2026-03"}),
        "rechargeStatement" => json!({"collaborativeBankId": fx.system1, "payPeriod": "2026-03"}),
        "trustReport" => json!({"trustId": fx.t1, "from": period_from, "to": period_to}),
        "shiftBoard" => json!({"trustId": fx.t1}),
        "login" => json!({"email": "office1@t1.test", "password": PASSWORD}),
        "changePassword" => {
            json!({"currentPassword": PASSWORD, "newPassword": "a new correct horse battery"})
        }
        "grantRole" => {
            let email = format!("grantee{n}@t1.test");
            account_with(app, &email, &[]).await;
            json!({"email": email, "scope": {"role": "BANK_OFFICE", "trustId": fx.t1}})
        }
        "revokeRole" => json!({"grantId": fx.fresh_grant(app).await}),
        "disableAccount" => {
            let email = format!("disable{n}@t1.test");
            let acc = account_with(app, &email, &[trust_grant(Role::BankOffice, fx.t1)]).await;
            json!({"accountId": acc})
        }
        "createStaffAccount" => json!({"input": {
            "email": format!("staff{n}@t1.test"), "displayName": "New Staff", "password": PASSWORD,
            "scope": {"role": "BANK_OFFICE", "trustId": fx.t1}
        }}),
        "admitTrust" => {
            json!({"collaborativeBankId": fx.system1, "name": format!("Admitted {n}"), "odsCode": format!("A{n:02}")})
        }
        "createSite" => json!({"trustId": fx.t1, "name": format!("Site {n}")}),
        "createWard" => {
            json!({"input": {"siteId": fx.site1, "name": format!("Ward {n}"), "costCentre": "CC200"}})
        }
        "addRequirement" | "retireRequirement" => {
            // On a ward of its own, so that W1 stays compliant on T1's ward.
            let ward = id(&setup(
                app,
                fx.token(TrustAdmin).unwrap(),
                "mutation($s:UUID!,$n:String!){ createWard(input:{siteId:$s, name:$n, costCentre:\"CC300\"}){ id } }",
                json!({"s": fx.site1, "n": format!("Requirement ward {n}")}),
            )
            .await["id"]);
            let input =
                json!({"trustId": fx.t1, "kind": "PAEDIATRIC_LIFE_SUPPORT", "wardId": ward});
            if op == "addRequirement" {
                json!({"input": input})
            } else {
                let r = setup(
                    app,
                    fx.token(TrustAdmin).unwrap(),
                    "mutation($i: AddRequirementInput!){ addRequirement(input:$i){ id } }",
                    json!({"i": input}),
                )
                .await;
                json!({"requirementId": r["id"]})
            }
        }
        "createWorker" => json!({"input": {
            "trustId": fx.t1, "givenName": "Created", "familyName": format!("Person{n}"),
            "dateOfBirth": "1992-01-02", "niNumber": format!("CE{:06}D", 400_000 + n),
            "email": format!("created{n}@worker.test"), "staffGroup": "ADDITIONAL_CLINICAL_SERVICES",
            "grade": "BAND_3"
        }}),
        "inviteWorker" => json!({"trustId": fx.t1, "email": format!("invited{n}@worker.test")}),
        "acceptInvitation" => {
            json!({"code": fx.invitation_code(app, false).await, "password": PASSWORD})
        }
        "registerWithInvitation" => json!({
            "code": fx.invitation_code(app, true).await, "password": PASSWORD,
            "details": {"givenName": "Registered", "familyName": format!("Person{n}"),
                "dateOfBirth": "1985-05-05", "niNumber": format!("CE{:06}A", 600_000 + n),
                "staffGroup": "ADDITIONAL_CLINICAL_SERVICES", "grade": "BAND_3"}
        }),
        "engageWorker" => {
            // A worker of T2, engaged at T1.
            let w = fx
                .fresh_worker(app, fx.token(OtherTrust).unwrap(), fx.t2)
                .await;
            json!({"workerId": w, "trustId": fx.t1})
        }
        "acceptEngagement" | "declineEngagement" => {
            json!({"trustId": fx.fresh_trust_engaging_w1(app, false).await})
        }
        "endEngagement" => json!({"trustId": fx.fresh_trust_engaging_w1(app, true).await}),
        "setMembershipState" => json!({"workerId": fx.w1, "trustId": fx.t1, "state": "ACTIVE"}),
        "setWorkingTimeOptOut" => json!({"optedOut": true}),
        "recordCredential" => json!({"input": {
            "workerId": fx.w1, "kind": "PAEDIATRIC_LIFE_SUPPORT", "issuer": "Resus Council",
            "validFrom": "2026-03-01"
        }}),
        "verifyCredential" => {
            json!({"credentialId": fx.fresh_credential(app, false).await, "trustId": fx.t1})
        }
        "recordCredentialVersion" => json!({
            "credentialId": fx.fresh_credential(app, true).await,
            "input": {"validFrom": "2026-03-02"}
        }),
        "declineCredential" => json!({
            "credentialId": fx.credential_verified_elsewhere(app).await, "trustId": fx.t1,
            "reason": "We do not accept this trainer"
        }),
        "attachEvidence" => json!({"credentialId": fx.fresh_credential(app, false).await}),
        "rejectCredential" => json!({
            "credentialId": fx.fresh_credential(app, false).await, "trustId": fx.t1,
            "reason": "The certificate is unreadable"
        }),
        "revokeCredential" => json!({
            "credentialId": fx.fresh_credential(app, true).await, "trustId": fx.t1,
            "reason": "Issued in error"
        }),
        "issuePassport" => json!({"workerId": fx.w1, "trustId": fx.t1}),
        "sharePassport" => {
            json!({"passportId": fx.fresh_passport(app, false).await.0, "trustId": fx.t2})
        }
        "withdrawPassportShare" => {
            let (p, _) = fx.fresh_passport(app, false).await;
            let s = setup(
                app,
                fx.token(Worker).unwrap(),
                SHARE,
                json!({"p": p, "t": fx.t2}),
            )
            .await;
            json!({"shareId": s["id"]})
        }
        "acceptPassport" => json!({
            "token": fx.fresh_passport(app, true).await.1,
            "trustId": acting.unwrap_or(fx.t2)
        }),
        "revokePassport" | "suspendPassport" => json!({
            "passportId": fx.fresh_passport(app, true).await.0, "reason": "Checks out of date"
        }),
        "reinstatePassport" => {
            let (p, _) = fx.fresh_passport(app, true).await;
            setup(
                app,
                fx.token(Hr).unwrap(),
                "mutation($p:UUID!){ suspendPassport(passportId:$p, reason:\"Checking\"){ id } }",
                json!({"p": p}),
            )
            .await;
            json!({"passportId": p})
        }
        "rotateTrustKey" => json!({"trustId": fx.t1}),
        "retireTrustKey" => {
            let keys = setup(
                app,
                fx.token(TrustAdmin).unwrap(),
                "query($t:UUID!){ trustKeys(trustId:$t){ kid state } }",
                json!({"t": fx.t1}),
            )
            .await;
            setup(
                app,
                fx.token(TrustAdmin).unwrap(),
                "mutation($t:UUID!){ rotateTrustKey(trustId:$t){ kid } }",
                json!({"t": fx.t1}),
            )
            .await;
            let old = keys
                .as_array()
                .unwrap()
                .iter()
                .rfind(|k| k["state"] == "ACTIVE")
                .or_else(|| keys.as_array().unwrap().last())
                .unwrap()["kid"]
                .clone();
            json!({"trustId": fx.t1, "kid": old})
        }
        "setPassportingAgreement" => json!({"systemId": fx.system1, "input": {
            "maxPassportDays": 365,
            "rules": [{"kind": "FIRE_SAFETY", "recognised": true, "maxAgeDays": 400}]
        }}),
        "postShift" => json!({"input": shift_input(fx, fx.fresh_start())}),
        "postShifts" => json!({"inputs": [shift_input(fx, fx.fresh_start())]}),
        "uploadRoster" => json!({"trustId": fx.t1}),
        "rosterImport" | "postRosterImport" => json!({"id": fx.fresh_roster_import(app).await}),
        "cancelShift" => {
            json!({"shiftId": fx.fresh_shift(app).await, "reason": "No longer needed"})
        }
        "bookShift" => json!({"shiftId": fx.fresh_shift(app).await, "workerId": fx.w1}),
        "cancelBooking" => {
            json!({"bookingId": fx.fresh_booking(app).await, "reason": "Plans changed"})
        }
        "recordNoShow" => json!({"bookingId": fx.past_booking_of_w1(), "reason": "Did not arrive"}),
        "setMarketPolicy" => json!({"trustId": fx.t1, "input": {"strikeLimit": 3}}),
        "setDefaultCascade" => json!({"trustId": fx.t1, "tiers": mf::open_to_all()}),
        "addPreferredWorker" => {
            let w = fx.fresh_worker(app, fx.token(Office).unwrap(), fx.t1).await;
            json!({"wardId": fx.ward1, "workerId": w})
        }
        "removePreferredWorker" => {
            let w = fx.fresh_worker(app, fx.token(Office).unwrap(), fx.t1).await;
            setup(
                app,
                fx.token(Office).unwrap(),
                "mutation($d:UUID!,$w:UUID!){ addPreferredWorker(wardId:$d, workerId:$w){ createdAt } }",
                json!({"d": fx.ward1, "w": w}),
            )
            .await;
            json!({"wardId": fx.ward1, "workerId": w})
        }
        "blockWorker" => {
            let w = fx.fresh_worker(app, fx.token(Office).unwrap(), fx.t1).await;
            json!({"trustId": fx.t1, "workerId": w, "reason": "Conduct"})
        }
        "liftRestriction" => {
            let w = fx.fresh_worker(app, fx.token(Office).unwrap(), fx.t1).await;
            let r = setup(
                app,
                fx.token(Office).unwrap(),
                "mutation($t:UUID!,$w:UUID!){ blockWorker(trustId:$t, workerId:$w, reason:\"Conduct\"){ id } }",
                json!({"t": fx.t1, "w": w}),
            )
            .await;
            json!({"restrictionId": r["id"]})
        }
        "setRateCard" => json!({"input": {
            "trustId": fx.t1, "effectiveFrom": format!("2026-{:02}-01", 4 + n % 8),
            "rates": [{"grade": "BAND_3", "hourlyRate": "13.00"}]
        }}),
        "addPublicHoliday" => json!({
            "collaborativeBankId": fx.system1, "date": fx.fresh_holiday_date(),
            "name": format!("Holiday {n}")
        }),
        "removePublicHoliday" => {
            let date = fx.fresh_holiday_date();
            setup(
                app,
                fx.token(BankAdmin).unwrap(),
                "mutation($b:UUID!,$d:NaiveDate!,$n:String!){ addPublicHoliday(collaborativeBankId:$b, date:$d, name:$n){ date } }",
                json!({"b": fx.system1, "d": date, "n": format!("Holiday {n}")}),
            )
            .await;
            json!({"collaborativeBankId": fx.system1, "date": date})
        }
        "setCollaborativeBankNation" => {
            json!({"collaborativeBankId": fx.system1, "nation": "ENGLAND_AND_WALES"})
        }
        "setPayCutoffDay" => json!({"trustId": fx.t1, "day": 20}),
        "submitTimesheet" => {
            let b = fx.past_booking_of_w1();
            let v = setup(
                app,
                fx.token(Office).unwrap(),
                "query($b:UUID!){ booking(id:$b){ startsAt endsAt } }",
                json!({"b": b}),
            )
            .await;
            json!({"bookingId": b, "startedAt": v["startsAt"], "endedAt": v["endsAt"], "breakMinutes": 30})
        }
        "approveTimesheet" => json!({"id": fx.fresh_timesheet(app, false).await}),
        "queryTimesheet" => {
            json!({"id": fx.fresh_timesheet(app, false).await, "reason": "Check the times"})
        }
        "approveTimesheetPayment" => json!({"id": fx.fresh_timesheet(app, true).await}),
        "setTimesheetPolicy" => {
            json!({"trustId": fx.t1, "approvalHours": 48, "autoApprove": false})
        }
        "approveTimesheets" => json!({"ids": [fx.fresh_timesheet(app, false).await]}),
        "queryTimesheets" => {
            json!({"ids": [fx.fresh_timesheet(app, false).await], "reason": "Check the times"})
        }
        other => panic!(
            "the matrix has no arguments for `{other}`: add an arm to `variables` (and a rule to RULES)"
        ),
    }
}

/// A root field of the schema, and how to call it.
struct Operation {
    root: &'static str,
    name: String,
    /// `(name, type as written in the SDL)`.
    args: Vec<(String, String)>,
    /// The arguments that must be given (non-null, no default).
    required: Vec<String>,
    /// The selection for its result: `{ __typename }` for objects, nothing for scalars.
    selection: &'static str,
}

/// Every root query and mutation of the schema the gateway builds.
fn operations() -> Vec<Operation> {
    let sdl = staffbank_gateway::graphql::sdl();
    let doc = async_graphql::parser::parse_schema(&sdl).expect("the gateway's SDL parses");
    let mut leaf = BTreeSet::new();
    let mut roots = Vec::new();
    for def in &doc.definitions {
        if let TypeSystemDefinition::Type(t) = def {
            let name = t.node.name.node.to_string();
            match &t.node.kind {
                TypeKind::Scalar | TypeKind::Enum(_) => {
                    leaf.insert(name);
                }
                TypeKind::Object(o) if name == "Query" || name == "Mutation" => {
                    roots.push((name, o.fields.clone()));
                }
                _ => {}
            }
        }
    }
    for builtin in ["String", "Int", "Float", "Boolean", "ID"] {
        leaf.insert(builtin.to_owned());
    }
    let mut out = Vec::new();
    for (root, fields) in roots {
        let root: &'static str = if root == "Query" { "query" } else { "mutation" };
        for f in fields {
            let f = f.node;
            let mut base = &f.ty.node.base;
            while let BaseType::List(inner) = base {
                base = &inner.base;
            }
            let BaseType::Named(named) = base else {
                unreachable!()
            };
            out.push(Operation {
                root,
                name: f.name.node.to_string(),
                args: f
                    .arguments
                    .iter()
                    .map(|a| (a.node.name.node.to_string(), a.node.ty.node.to_string()))
                    .collect(),
                required: f
                    .arguments
                    .iter()
                    .filter(|a| !a.node.ty.node.nullable && a.node.default_value.is_none())
                    .map(|a| a.node.name.node.to_string())
                    .collect(),
                selection: if leaf.contains(named.as_str()) {
                    ""
                } else {
                    "{ __typename }"
                },
            });
        }
    }
    out
}

impl Operation {
    /// The request text for the arguments `vars` gives (each argument a variable of its type).
    fn document(&self, vars: &Value) -> String {
        let given: Vec<&(String, String)> = self
            .args
            .iter()
            .filter(|(name, ty)| vars.get(name).is_some() && !is_upload(ty))
            .collect();
        for (name, ty) in &self.args {
            assert!(
                !self.required.contains(name) || vars.get(name).is_some() || is_upload(ty),
                "the matrix gives `{}` no `{name}: {ty}`: add it in `variables`",
                self.name
            );
        }
        let given = given
            .into_iter()
            .chain(self.args.iter().filter(|(_, ty)| is_upload(ty)));
        let (decls, args): (Vec<String>, Vec<String>) = given
            .map(|(name, ty)| (format!("${name}: {ty}"), format!("{name}: ${name}")))
            .unzip();
        let decls = if decls.is_empty() {
            String::new()
        } else {
            format!("({})", decls.join(", "))
        };
        let args = if args.is_empty() {
            String::new()
        } else {
            format!("({})", args.join(", "))
        };
        format!(
            "{}{decls} {{ {}{args} {} }}",
            self.root, self.name, self.selection
        )
    }
}

fn is_upload(ty: &str) -> bool {
    ty.trim_end_matches('!') == "Upload"
}

/// Operations whose arguments depend on the caller (the trust they act for; a worker's own
/// timesheets).
const CALLER_DEPENDENT: &[&str] = &[
    "passport",
    "verifyPassport",
    "evaluatePassport",
    "acceptPassport",
    "timesheets",
];

/// What a cell's response showed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Allowed,
    Refused(String),
    /// Another error: neither data nor a refusal.
    Other(String),
}

fn outcome(v: &Value, op: &str) -> Outcome {
    let codes: Vec<String> = v["errors"]
        .as_array()
        .map(|errs| {
            errs.iter()
                .map(|e| {
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or("<no code>")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(c) = codes
        .iter()
        .find(|c| ["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"].contains(&c.as_str()))
    {
        return Outcome::Refused(c.clone());
    }
    if let Some(c) = codes.first() {
        return Outcome::Other(c.clone());
    }
    if v["data"][op].is_null() {
        return Outcome::Other(format!("no data: {v}"));
    }
    Outcome::Allowed
}

async fn call(app: &TestApp, token: Option<&str>, op: &Operation, vars: Value) -> Value {
    let query = op.document(&vars);
    let Some((upload, _)) = op.args.iter().find(|(_, ty)| is_upload(ty)) else {
        return app.gql(token, &query, vars).await;
    };
    // A GraphQL multipart upload: a small PDF.
    let mut vars = vars;
    vars[upload.as_str()] = Value::Null;
    let operations = json!({ "query": query, "variables": vars });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text(
            "map",
            json!({"0": [format!("variables.{upload}")]}).to_string(),
        )
        .part(
            "0",
            reqwest::multipart::Part::bytes(
                b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n%%EOF\n".to_vec(),
            )
            .file_name("certificate.pdf")
            .mime_str("application/pdf")
            .unwrap(),
        );
    let mut req = app
        .client
        .post(format!("{}/graphql", app.url))
        .multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap().json().await.unwrap()
}

async fn every_operation_answers_only_whom_the_table_allows(backend: Backend) {
    let started = std::time::Instant::now();
    let app = TestApp::spawn_with(
        backend,
        TestOptions {
            now: monday(),
            configure: |c| {
                c.jobs.run = false;
                c.token_ttl_minutes = 365 * 24 * 60;
            },
        },
    )
    .await;
    let ops = operations();
    // Every operation has an entry, and every entry an operation.
    let names: BTreeSet<&str> = ops.iter().map(|o| o.name.as_str()).collect();
    let ruled: BTreeSet<&str> = RULES.iter().map(|r| r.op).collect();
    assert_eq!(
        ruled.len(),
        RULES.len(),
        "an operation has two entries in RULES"
    );
    let missing: Vec<&&str> = names.difference(&ruled).collect();
    let stale: Vec<&&str> = ruled.difference(&names).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "the authorisation matrix is out of date: operations with no entry in RULES: \
         {missing:?}; entries for operations the schema no longer has: {stale:?}"
    );
    for (op, caller, _) in PENDING {
        assert!(
            ruled.contains(op),
            "PENDING names an unknown operation {op} ({caller:?})"
        );
    }
    let fx = build(&app).await;
    let by_name: HashMap<&str, &Operation> = ops.iter().map(|o| (o.name.as_str(), o)).collect();
    let discover = std::env::var_os("STAFFBANK_AUTHZ_DISCOVER").is_some();
    let mut failures = Vec::new();
    let mut cells = 0;
    for r in RULES {
        let op = by_name[r.op];
        // Refused callers first: what they do must change nothing the allowed ones rely on.
        let mut order: Vec<Caller> = CALLERS.to_vec();
        order.sort_by_key(|c| r.allowed.contains(c));
        let mut seen = Vec::new();
        let mut refused_target: Option<Value> = None;
        for caller in order {
            // Refused callers share one target (they must leave it as it was); each allowed
            // caller gets its own, and the few operations whose arguments depend on who calls
            // are asked each time.
            let vars = if r.allowed.contains(&caller) || CALLER_DEPENDENT.contains(&r.op) {
                variables(&app, &fx, r.op, caller).await
            } else if let Some(v) = &refused_target {
                v.clone()
            } else {
                let v = variables(&app, &fx, r.op, caller).await;
                refused_target = Some(v.clone());
                v
            };
            let fresh;
            let token = if matches!(r.op, "logout" | "changePassword") && caller != Anon {
                fresh = app.login(&fx.emails[&caller], PASSWORD).await;
                Some(fresh.as_str())
            } else {
                fx.token(caller)
            };
            let v = call(&app, token, op, vars).await;
            cells += 1;
            let got = outcome(&v, r.op);
            let mut want_allowed = r.allowed.contains(&caller);
            let pending = PENDING
                .iter()
                .find(|(o, c, _)| *o == r.op && *c == caller)
                .map(|(_, _, item)| *item);
            if pending.is_some() {
                want_allowed = !want_allowed;
            }
            let ok = match &got {
                Outcome::Allowed => want_allowed,
                Outcome::Refused(_) => !want_allowed,
                Outcome::Other(code) if r.refuse_also.contains(&code.as_str()) => !want_allowed,
                Outcome::Other(code) => want_allowed && r.tolerate.contains(&code.as_str()),
            };
            seen.push(format!(
                "{caller:?}={}",
                match &got {
                    Outcome::Allowed => "ok".to_owned(),
                    Outcome::Refused(c) => c.clone(),
                    Outcome::Other(c) => format!(
                        "{c}({})",
                        truncate(v["errors"][0]["message"].as_str().unwrap_or_default(), 80)
                    ),
                }
            ));
            if !ok {
                let what = if want_allowed { "allowed" } else { "refused" };
                let note = pending.map_or(String::new(), |item| {
                    format!(
                        " [marked PENDING for item {item}: if the item has landed, delete the mark]"
                    )
                });
                failures.push(format!(
                    "{} by {caller:?}: expected {what}, got {got:?}{note}\n    {}",
                    r.op,
                    truncate(&v.to_string(), 400)
                ));
            }
        }
        if discover {
            eprintln!("matrix {}: {}", r.op, seen.join(" "));
        }
    }
    eprintln!(
        "authorisation matrix on {backend:?}: {} operations, {cells} cells, {} failing, {:?}",
        RULES.len(),
        failures.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} cells of the authorisation matrix failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let _ = (fx.system2, fx.t3, fx.w2);
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
