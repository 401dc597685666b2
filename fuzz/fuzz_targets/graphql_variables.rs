//! GraphQL variables for every input type of the gateway, as a client sends them. The first byte
//! picks an input type; the rest is the JSON value of the variable. Two paths, both what a real
//! request runs:
//!
//! 1. the gateway's real schema (`graphql::build` with its limits) executes a mutation that takes
//!    the variable — parsing, validation and the coercion of the variable against the input type,
//!    its nested inputs, enums and scalars (`UUID`, `NaiveDate`, `NaiveDateTime`, `Decimal`) — with
//!    the field under `@skip(if: true)`, so no resolver (and no database) is reached; the request
//!    carries a signed-in caller (as a genuine token would), so the private mutations get past the
//!    "sign in first" check to the coercion of their variables;
//! 2. the Rust input type's own `InputType::parse` (what the resolver's argument extraction calls),
//!    and for what parses, `to_value` parsed again and the conversion the resolver makes into the
//!    domain's type.

#![no_main]

use std::sync::LazyLock;

use async_graphql::{InputType, Request, Value, Variables};
use libfuzzer_sys::fuzz_target;
use staffbank_gateway::config::Limits;
use staffbank_gateway::graphql::context::{Credentials, RequestContext};
use staffbank_gateway::graphql::{self, AppSchema, Exposure};
use staffbank_gateway::graphql::{
    accounts, credentials, estate, market_rules, passports, pay, shifts, workers,
};

static SCHEMA: LazyLock<AppSchema> =
    LazyLock::new(|| graphql::build(&Limits::default(), Exposure::default()).finish());

/// A caller as a genuine token names one (which account does not matter: no resolver runs).
fn signed_in() -> std::sync::Arc<RequestContext> {
    std::sync::Arc::new(RequestContext::new(
        "127.0.0.1".into(),
        Credentials::Account(staffbank_core::sessions::SignedIn {
            account_id: uuid::Uuid::nil(),
            session_id: uuid::Uuid::nil(),
        }),
    ))
}

const ID: &str = "\"0193a000-0000-7000-8000-000000000001\"";

/// Each input type: the variable's type, the field that takes it (with `$v`), and the Rust parse.
fn case(which: u8) -> (&'static str, String, fn(&Value)) {
    fn parse<T: InputType>(v: &Value) {
        if let Ok(t) = T::parse(Some(v.clone())) {
            let again = t.to_value();
            assert!(
                T::parse(Some(again.clone())).is_ok(),
                "{} parsed {v} but not its own to_value {again}",
                T::type_name()
            );
        }
    }
    fn post_shift(v: &Value) {
        parse::<shifts::PostShiftInput>(v);
        if let Ok(i) = shifts::PostShiftInput::parse(Some(v.clone())) {
            let _ = staffbank_market::posting::NewShift::from(i);
        }
    }
    fn role_scope(v: &Value) {
        parse::<accounts::RoleScopeInput>(v);
        if let Ok(i) = accounts::RoleScopeInput::parse(Some(v.clone())) {
            let _ = staffbank_bank::access::GrantRequest::from(&i);
        }
    }
    match which % 12 {
        0 => ("PostShiftInput!", "postShift(input: $v) @skip(if: true) { __typename }".into(), post_shift),
        1 => ("CreateWorkerInput!", "createWorker(input: $v) @skip(if: true) { __typename }".into(), parse::<workers::CreateWorkerInput>),
        2 => (
            "RegisterWorkerInput!",
            "registerWithInvitation(code: \"c\", details: $v, password: \"p\") @skip(if: true) { __typename }".into(),
            parse::<workers::RegisterWorkerInput>,
        ),
        3 => ("SetRateCardInput!", "setRateCard(input: $v) @skip(if: true) { __typename }".into(), parse::<pay::SetRateCardInput>),
        4 => ("CreateWardInput!", "createWard(input: $v) @skip(if: true) { __typename }".into(), parse::<estate::CreateWardInput>),
        5 => ("AddRequirementInput!", "addRequirement(input: $v) @skip(if: true) { __typename }".into(), parse::<estate::AddRequirementInput>),
        6 => ("RecordCredentialInput!", "recordCredential(input: $v) @skip(if: true) { __typename }".into(), parse::<credentials::RecordCredentialInput>),
        7 => ("RoleScopeInput!", "grantRole(email: \"a@b.uk\", scope: $v) @skip(if: true) { __typename }".into(), role_scope),
        8 => ("CreateStaffAccountInput!", "createStaffAccount(input: $v) @skip(if: true) { __typename }".into(), parse::<accounts::CreateStaffAccountInput>),
        9 => (
            "MarketPolicyInput!",
            format!("setMarketPolicy(trustId: {ID}, input: $v) @skip(if: true) {{ __typename }}"),
            parse::<market_rules::MarketPolicyInput>,
        ),
        10 => (
            "PassportingAgreementInput!",
            format!("setPassportingAgreement(systemId: {ID}, input: $v) @skip(if: true) {{ __typename }}"),
            parse::<passports::PassportingAgreementInput>,
        ),
        _ => (
            "[CascadeTierInput!]!",
            format!("setDefaultCascade(trustId: {ID}, tiers: $v) @skip(if: true) {{ __typename }}"),
            parse::<Vec<shifts::CascadeTierRule>>,
        ),
    }
}

fuzz_target!(init: staffbank_fuzz::write_seeds_if_asked(), |data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    let (ty, field, rust_parse) = case(which);
    // `__typename` beside the skipped field: an operation whose every field is skipped answers
    // `data: null` (async-graphql), which would hide whether the variable was accepted.
    let query = format!("mutation($v: {ty}) {{ __typename {field} }}");
    let variables = Variables::from_json(serde_json::json!({ "v": json }));
    let response = futures::executor::block_on(SCHEMA.execute(Request::new(query).variables(variables).data(signed_in())));
    // A variable the schema accepts answers `__typename` and no errors; one it refuses is an
    // error and no data.
    if response.errors.is_empty() {
        assert!(
            matches!(&response.data, Value::Object(o) if o.contains_key("__typename")),
            "accepted with no data: {response:?}"
        );
    } else {
        assert!(matches!(response.data, Value::Null), "refused with data: {response:?}");
    }
    if let Ok(v) = Value::from_json(json) {
        rust_parse(&v);
    }
});
