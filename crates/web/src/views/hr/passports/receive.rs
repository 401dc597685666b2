//! Receiving a passport from a worker: paste it, upload the file they sent, or scan the QR code
//! on their phone (`passport-scan.js` fills the form in where the browser has a camera and a
//! QR reader; without them the page is the same form). The passport is then verified
//! (`verifyPassport`) and, when genuine, weighed item by item against this trust's requirements
//! and the bank's passporting agreement (`evaluatePassport`), all said in plain English; HR
//! accepts it (`acceptPassport`) and sees the checks it saved the trust (`passportSavings`).
//!
//! A QR code carries the passport's reference, not the passport: the result page fetches the
//! passport itself through `passport(id, trustId)`, which the API allows only once the worker
//! has shared it with this trust. A pasted or uploaded passport is verified first and, once its
//! signature holds, is read the same way, so every result page has an address (post, redirect,
//! get) and accepting it never carries the token through the browser again.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::SECTION;
use super::workers::{Savings, bank_of, savings};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{ErrorPage, PageError, render, render_invalid};
use crate::format;
use crate::forms::{Errors, FileUpload, Textarea};
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::views::hr::Hr;
use crate::views::office::shift::parse_id;
use crate::views::worker::passports::qr;

/// The longest passport the API takes (64 KiB), and so the largest file worth reading.
const MAX_TOKEN_BYTES: usize = 65_536;

// --- The form ----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "hr/passports/receive.html")]
struct ReceivePage {
    layout: Layout,
    errors: Errors,
    trust: String,
    token: Textarea,
    file: FileUpload,
}

fn receive_page(hr: &Hr, visitor: &Visitor, errors: Errors, typed: &str) -> ReceivePage {
    ReceivePage {
        layout: hr
            .layout(visitor, "Receive a passport", SECTION)
            .with_errors(!errors.is_empty()),
        trust: hr.trust.name.clone(),
        token: Textarea::new("token", "Paste the passport")
            .hint(
                "All of the text of the passport the worker sent you, or the reference under \
                 the QR code on their phone (it starts staffbank-passport:)",
            )
            .value(typed)
            .error_from(&errors),
        file: FileUpload::new("passport", "Or upload the passport file")
            .native()
            .hint("The file the worker downloaded from their passport page. It ends in .jwt")
            .accept(".jwt,.txt,application/jwt,text/plain")
            .error_from(&errors),
        errors,
    }
}

/// `GET /hr/passports/receive`.
pub async fn form(State(state): State<WebState>, visitor: Visitor) -> Result<Response, PageError> {
    let hr = Hr::of(&state, &visitor).await?;
    render(&receive_page(&hr, &visitor, Errors::new(), ""))
}

/// What the form sent: the pasted text, and the uploaded file (None when none was chosen).
async fn read_form(mut multipart: Multipart) -> Result<(String, Option<Vec<u8>>), PageError> {
    let mut typed = String::new();
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!(error = %e, "unreadable form");
                return Err(PageError::NotFound);
            }
        };
        match field.name() {
            Some("token") => typed = field.text().await.unwrap_or_default(),
            Some("passport") => {
                let chosen = field.file_name().is_some_and(|n| !n.is_empty());
                let bytes = field.bytes().await.map_err(|e| {
                    tracing::warn!(error = %e, "unreadable upload");
                    PageError::NotFound
                })?;
                if chosen || !bytes.is_empty() {
                    file = Some(bytes.to_vec());
                }
            }
            _ => {}
        }
    }
    Ok((typed, file))
}

#[derive(cynic::QueryVariables)]
struct TokenVariables {
    token: String,
    trust_id: Uuid,
}

#[derive(cynic::QueryVariables)]
struct VerifyVariables {
    token: String,
    trust_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "VerifyVariables")]
struct VerifyQuery {
    #[arguments(token: $token, trustId: $trust_id)]
    verify_passport: Verification,
}

/// `POST /hr/passports/receive` (multipart): on to the passport's result page, or the form
/// again with what is wrong.
pub async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(&state, &visitor).await?;
    let (typed, file) = read_form(multipart).await?;
    let invalid = |field: &str, message: &str| {
        let mut errors = Errors::new();
        errors.add(field, message);
        render_invalid(&receive_page(&hr, &visitor, errors, &typed))
    };
    let text = match file {
        Some(bytes) if bytes.is_empty() => {
            return invalid("passport", "The selected file is empty");
        }
        Some(bytes) if bytes.len() > MAX_TOKEN_BYTES => {
            return invalid(
                "passport",
                "The selected file is too large to be a passport. Choose the .jwt file the worker sent you",
            );
        }
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                return invalid(
                    "passport",
                    "The selected file is not a passport. Choose the .jwt file the worker sent you",
                );
            }
        },
        None => typed.clone(),
    };
    let text: String = text.split_whitespace().collect::<Vec<_>>().join("");
    if text.is_empty() {
        return invalid(
            "token",
            "Paste the passport, or choose the file the worker sent you",
        );
    }
    if let Some(id) = qr::parse_reference(&text) {
        return Ok(Redirect::to(&format!("/hr/passports/received/{id}")).into_response());
    }
    let not_a_passport = "This is not a passport. Paste all of the text the worker sent you, or \
                          upload their file";
    if text.len() > MAX_TOKEN_BYTES {
        return invalid("token", not_a_passport);
    }
    let verification = match api::run(
        state.api.as_ref(),
        &visitor.caller,
        VerifyQuery::build(VerifyVariables {
            token: text,
            trust_id: Some(hr.trust.id),
        }),
    )
    .await
    {
        Ok(data) => data.verify_passport,
        Err(e) if e.code == Code::Validation => return invalid("token", not_a_passport),
        Err(e) => return Err(e.into()),
    };
    if let Some(id) = verification.passport_id {
        return Ok(Redirect::to(&format!("/hr/passports/received/{id}")).into_response());
    }
    if verification
        .failures
        .iter()
        .any(|f| f.reason.not_a_passport())
    {
        return invalid("token", not_a_passport);
    }
    // Shaped like a passport but not genuine: say why, with nothing to accept.
    render(&ResultPage {
        layout: hr.layout(&visitor, "This passport is not genuine", SECTION),
        errors: Errors::new(),
        heading: "This passport is not genuine".to_owned(),
        trust: hr.trust.name.clone(),
        checks: checks_in_words(&verification),
        valid: false,
        subject: Vec::new(),
        evaluation: None,
        refused: None,
        still_required: Vec::new(),
        accept_href: String::new(),
    })
}

// --- The verification --------------------------------------------------------------------------

/// Why a passport failed verification (the API's `VerificationFailureReason`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "VerificationFailureReason")]
pub enum FailureReason {
    /// Over 64 KiB.
    TooLarge,
    /// Not a compact JWS.
    Malformed,
    /// Not base64url.
    #[cynic(rename = "INVALID_BASE64")]
    InvalidBase64,
    /// Not JSON.
    InvalidJson,
    /// Not EdDSA.
    UnsupportedAlgorithm,
    /// Not `vc+jwt`.
    WrongType,
    /// No `kid`.
    MissingKeyId,
    /// Brings its own key.
    ForbiddenHeader,
    /// Not a trust of the registry.
    UnknownIssuer,
    /// No such key.
    UnknownKey,
    /// Key retired.
    KeyRetired,
    /// Key not valid at issue.
    KeyNotValidAtIssue,
    /// Key not Ed25519.
    KeyUnusable,
    /// Signature does not verify.
    BadSignature,
    /// Not the passport shape.
    InvalidCredential,
    /// Past its end.
    Expired,
    /// Before its start.
    NotYetValid,
    /// Revoked.
    Revoked,
    /// Suspended.
    Suspended,
}

impl FailureReason {
    /// Whether the text was not a passport at all (rather than a passport that fails).
    fn not_a_passport(self) -> bool {
        matches!(
            self,
            Self::TooLarge | Self::Malformed | Self::InvalidBase64 | Self::InvalidJson
        )
    }

    fn is_signature(self) -> bool {
        matches!(
            self,
            Self::UnsupportedAlgorithm
                | Self::WrongType
                | Self::MissingKeyId
                | Self::ForbiddenHeader
                | Self::UnknownKey
                | Self::KeyRetired
                | Self::KeyNotValidAtIssue
                | Self::KeyUnusable
                | Self::BadSignature
                | Self::InvalidCredential
        ) || self.not_a_passport()
    }
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "VerificationFailure")]
struct Failure {
    reason: FailureReason,
    detail: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportVerification")]
struct Verification {
    valid: bool,
    failures: Vec<Failure>,
    status_checked: bool,
    status_note: Option<String>,
    passport_id: Option<Uuid>,
    valid_from: Option<DateTime>,
    valid_until: Option<DateTime>,
    subject: Option<Subject>,
    checked_at: DateTime,
    issuer_trust: Option<Named>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Trust")]
struct Named {
    name: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportSubject")]
struct Subject {
    given_name: String,
    family_name: String,
    date_of_birth: NaiveDate,
    staff_group: String,
    grade: String,
    registration_body: Option<String>,
    registration_number: Option<String>,
}

/// One line of the verification: what was checked, the answer, and whether it passed.
struct Check {
    what: &'static str,
    answer: String,
    /// "Passed", "Failed" or "Not checked".
    tag: &'static str,
    tag_class: &'static str,
}

impl Check {
    fn new(what: &'static str, passed: Option<bool>, answer: String) -> Self {
        let (tag, tag_class) = match passed {
            Some(true) => ("Passed", "nhsuk-tag--green"),
            Some(false) => ("Failed", "nhsuk-tag--red"),
            None => ("Not checked", "nhsuk-tag--grey"),
        };
        Self {
            what,
            answer,
            tag,
            tag_class,
        }
    }
}

fn details(v: &Verification, pick: impl Fn(FailureReason) -> bool) -> Option<String> {
    let found: Vec<String> = v
        .failures
        .iter()
        .filter(|f| pick(f.reason))
        .map(|f| format::error_message(&f.detail))
        .collect();
    (!found.is_empty()).then(|| found.join(". "))
}

/// The verification in plain English: signature, issuer in the registry, dates, and whether it
/// was revoked or suspended (checked or not).
fn checks_in_words(v: &Verification) -> Vec<Check> {
    let issuer = v
        .issuer_trust
        .as_ref()
        .map_or_else(|| "the trust it names".to_owned(), |t| t.name.clone());
    let day = |at: Option<DateTime>| {
        at.map(|at| format::date_short(format::london(at).date()))
            .unwrap_or_default()
    };
    let signature = match details(v, FailureReason::is_signature) {
        Some(why) => Check::new("Signature", Some(false), format!("Not genuine. {why}")),
        None => Check::new(
            "Signature",
            Some(true),
            format!("Genuine: signed with a key of {issuer}, and not changed since"),
        ),
    };
    let issuer_check = match details(v, |r| r == FailureReason::UnknownIssuer) {
        Some(why) => Check::new(
            "Issuer",
            Some(false),
            format!("Not a trust of this collaborative bank. {why}"),
        ),
        None if v.issuer_trust.is_some() => Check::new(
            "Issuer",
            Some(true),
            format!("{issuer} is in the bank's list of trusts that may issue passports"),
        ),
        None => Check::new(
            "Issuer",
            None,
            "Could not be checked, because the signature is not genuine".to_owned(),
        ),
    };
    let dates = format!("from {} to {}", day(v.valid_from), day(v.valid_until));
    let dates_check = match details(v, |r| {
        matches!(r, FailureReason::Expired | FailureReason::NotYetValid)
    }) {
        Some(why) => Check::new(
            "Dates",
            Some(false),
            format!("Not valid today ({dates}). {why}"),
        ),
        None if v.valid_from.is_some() => {
            Check::new("Dates", Some(true), format!("Valid today: {dates}"))
        }
        None => Check::new("Dates", None, "Not known".to_owned()),
    };
    let when = format::when(v.checked_at);
    let status_check = if v
        .failures
        .iter()
        .any(|f| f.reason == FailureReason::Revoked)
    {
        Check::new(
            "Revoked or suspended",
            Some(false),
            format!("{issuer} has revoked it. Checked {when}"),
        )
    } else if v
        .failures
        .iter()
        .any(|f| f.reason == FailureReason::Suspended)
    {
        Check::new(
            "Revoked or suspended",
            Some(false),
            format!("{issuer} has suspended it for now. Checked {when}"),
        )
    } else if v.status_checked {
        Check::new(
            "Revoked or suspended",
            Some(true),
            format!(
                "Neither: {issuer}'s list of revoked and suspended passports was checked {when}"
            ),
        )
    } else {
        let note = v
            .status_note
            .as_deref()
            .map(format::error_message)
            .unwrap_or_default();
        Check::new(
            "Revoked or suspended",
            None,
            format!("Not checked. {note}").trim().to_owned(),
        )
    };
    vec![signature, issuer_check, dates_check, status_check]
}

fn subject_in_words(s: &Subject) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Name", format!("{} {}", s.given_name, s.family_name)),
        ("Date of birth", format::date_short(s.date_of_birth)),
        (
            "Staff group",
            crate::views::worker::passports::share::staff_group_words(&s.staff_group),
        ),
        ("Grade", crate::views::worker::shifts::grade_name(&s.grade)),
    ];
    if let Some(number) = &s.registration_number {
        let body = s.registration_body.clone().unwrap_or_default();
        rows.push(("Professional registration", format!("{body} {number}")));
    }
    rows
}

// --- The evaluation ----------------------------------------------------------------------------

/// The decision on one item (the API's `PassportItemDecision`).
#[derive(cynic::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[cynic(graphql_type = "PassportItemDecision")]
pub enum Decision {
    /// Recognised.
    Accepted,
    /// Needs a local check.
    NeedsLocalCheck,
    /// Not recognised.
    Rejected,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportItemOutcome")]
struct Outcome {
    kind_name: String,
    level: Option<i32>,
    credential_id: Option<Uuid>,
    issued_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    decision: Decision,
    reason: String,
}

/// One item and the decision on it, in words.
struct OutcomeView {
    name: String,
    dates: String,
    decision: &'static str,
    decision_class: &'static str,
    reason: String,
}

impl OutcomeView {
    fn of(o: &Outcome) -> Self {
        let (decision, decision_class) = match o.decision {
            Decision::Accepted => ("Accepted", "nhsuk-tag--green"),
            Decision::NeedsLocalCheck => ("Check it here", "nhsuk-tag--yellow"),
            Decision::Rejected => ("Not accepted", "nhsuk-tag--red"),
        };
        Self {
            name: match o.level {
                Some(level) => format!("{}, level {level}", o.kind_name),
                None => o.kind_name.clone(),
            },
            dates: match o.expires_on {
                Some(e) => format!(
                    "Done on {}, expires on {}",
                    format::date_short(o.issued_on),
                    format::date_short(e)
                ),
                None => format!(
                    "Done on {}, does not expire",
                    format::date_short(o.issued_on)
                ),
            },
            decision,
            decision_class,
            reason: format::error_message(&o.reason),
        }
    }
}

/// The counts of an evaluation or acceptance, in words.
struct Counts {
    accepted: String,
    local: String,
    rejected: String,
}

impl Counts {
    fn of(accepted: i32, local: i32, rejected: i32) -> Self {
        let items = |n: i32| match n {
            1 => "1 item".to_owned(),
            n => format!("{n} items"),
        };
        Self {
            accepted: items(accepted),
            local: items(local),
            rejected: items(rejected),
        }
    }
}

struct EvaluationView {
    counts: Counts,
    items: Vec<OutcomeView>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "PassportEvaluation")]
struct Evaluation {
    items: Vec<Outcome>,
    accepted_count: i32,
    local_check_count: i32,
    rejected_count: i32,
    still_required: Vec<String>,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "CredentialKind")]
struct KindName {
    code: String,
    name: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TokenVariables")]
struct EvaluateQuery {
    #[arguments(token: $token, trustId: $trust_id)]
    evaluate_passport: Evaluation,
    credential_kinds: Vec<KindName>,
}

#[derive(cynic::QueryVariables)]
struct PassportVariables {
    id: Uuid,
    trust_id: Option<Uuid>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PassportVariables")]
struct TokenQuery {
    #[arguments(id: $id, trustId: $trust_id)]
    passport: Token,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Passport")]
struct Token {
    token: String,
}

#[derive(Template)]
#[template(path = "hr/passports/result.html")]
struct ResultPage {
    layout: Layout,
    errors: Errors,
    heading: String,
    trust: String,
    checks: Vec<Check>,
    valid: bool,
    subject: Vec<(&'static str, String)>,
    evaluation: Option<EvaluationView>,
    /// Why it cannot be weighed here, though genuine.
    refused: Option<String>,
    still_required: Vec<String>,
    accept_href: String,
}

/// The passport `id` as this trust may read it: its token, or the page saying it was not shared.
async fn token_of(
    state: &WebState,
    visitor: &Visitor,
    hr: &Hr,
    id: Uuid,
) -> Result<Result<String, Response>, PageError> {
    use cynic::QueryBuilder;
    match api::run(
        state.api.as_ref(),
        &visitor.caller,
        TokenQuery::build(PassportVariables {
            id,
            trust_id: Some(hr.trust.id),
        }),
    )
    .await
    {
        Ok(data) => Ok(Ok(data.passport.token)),
        Err(e) if e.code == Code::Forbidden => Ok(Err(ErrorPage::new(
            StatusCode::FORBIDDEN,
            &format!("This passport has not been shared with {}", hr.trust.name),
            &format!(
                "The worker needs to share it with {} first, from their passport page. Ask them \
                 to do that, then scan or paste it again.",
                hr.trust.name
            ),
        )
        .into_response())),
        Err(e) => Err(e.into()),
    }
}

async fn result_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    errors: Errors,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let hr = Hr::of(state, visitor).await?;
    let token = match token_of(state, visitor, &hr, id).await? {
        Ok(token) => token,
        Err(page) => return Ok(page),
    };
    let verification = api::run(
        state.api.as_ref(),
        &visitor.caller,
        VerifyQuery::build(VerifyVariables {
            token: token.clone(),
            trust_id: Some(hr.trust.id),
        }),
    )
    .await?
    .verify_passport;
    let mut evaluation = None;
    let mut refused = None;
    let mut still_required = Vec::new();
    if verification.valid {
        match api::run(
            state.api.as_ref(),
            &visitor.caller,
            EvaluateQuery::build(TokenVariables {
                token,
                trust_id: hr.trust.id,
            }),
        )
        .await
        {
            Ok(data) => {
                let e = data.evaluate_passport;
                still_required = e
                    .still_required
                    .iter()
                    .map(|code| {
                        data.credential_kinds
                            .iter()
                            .find(|k| &k.code == code)
                            .map_or_else(|| format::code_words(code), |k| k.name.clone())
                    })
                    .collect();
                evaluation = Some(EvaluationView {
                    counts: Counts::of(e.accepted_count, e.local_check_count, e.rejected_count),
                    items: e.items.iter().map(OutcomeView::of).collect(),
                });
            }
            Err(e) if matches!(e.code, Code::Validation | Code::Forbidden) => {
                refused = Some(format::error_message(&e.message));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let name = verification
        .subject
        .as_ref()
        .map(|s| format!("{} {}", s.given_name, s.family_name))
        .unwrap_or_default();
    let heading = if verification.valid {
        format!("Passport of {name}")
    } else {
        format!("The passport of {name} cannot be accepted")
    };
    let invalid = !errors.is_empty();
    let page = ResultPage {
        layout: hr.layout(visitor, &heading, SECTION).with_errors(invalid),
        errors,
        heading,
        trust: hr.trust.name.clone(),
        checks: checks_in_words(&verification),
        valid: verification.valid,
        subject: verification
            .subject
            .as_ref()
            .map(subject_in_words)
            .unwrap_or_default(),
        evaluation,
        refused,
        still_required,
        accept_href: format!("/hr/passports/received/{id}/accept"),
    };
    if invalid {
        render_invalid(&page)
    } else {
        render(&page)
    }
}

/// `GET /hr/passports/received/{id}`: the verification and the evaluation, and "Accept".
pub async fn result(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    result_page(&state, &visitor, id, Errors::new()).await
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "TokenVariables")]
struct AcceptPassport {
    #[arguments(token: $token, trustId: $trust_id)]
    accept_passport: Accepted,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportEvaluation")]
struct Accepted {
    acceptance_id: Option<Uuid>,
}

/// `POST /hr/passports/received/{id}/accept`.
pub async fn accept(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let token = match token_of(&state, &visitor, &hr, id).await? {
        Ok(token) => token,
        Err(page) => return Ok(page),
    };
    let op = AcceptPassport::build(TokenVariables {
        token,
        trust_id: hr.trust.id,
    });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => match done.accept_passport.acceptance_id {
            Some(acceptance) => {
                Ok(Redirect::to(&format!("/hr/passports/accepted/{acceptance}")).into_response())
            }
            None => Err(PageError::NotFound),
        },
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            errors.add("accept", format::error_message(&e.message));
            result_page(&state, &visitor, id, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// --- Accepted ----------------------------------------------------------------------------------

#[derive(cynic::QueryVariables)]
struct TrustVariables {
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "TrustVariables")]
struct AcceptancesQuery {
    #[arguments(trustId: $trust_id)]
    passport_acceptances: Vec<Acceptance>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportAcceptance")]
struct Acceptance {
    id: Uuid,
    worker_id: Uuid,
    items: Vec<Outcome>,
    accepted_count: i32,
    local_check_count: i32,
    rejected_count: i32,
    issuer_trust: Named,
}

#[derive(Template)]
#[template(path = "hr/passports/accepted.html")]
struct AcceptedPage {
    layout: Layout,
    name: String,
    trust: String,
    issuer: String,
    counts: Counts,
    /// Whether some items still need checking here.
    to_check_here: bool,
    /// "Check the 2 items left here", above the links to them.
    to_check_heading: String,
    /// The items left to check here, each linked to its page in "Checks to do".
    to_check: Vec<ToCheck>,
    /// "1 passport", "3 passports".
    passports_accepted: String,
    items: Vec<OutcomeView>,
    savings: Savings,
}

/// An item the agreement has this trust check itself, and where HR checks it.
struct ToCheck {
    name: String,
    href: String,
}

/// The items of an acceptance left for this trust to check, each with its credential's page.
fn left_to_check(items: &[Outcome]) -> Vec<ToCheck> {
    items
        .iter()
        .filter(|o| o.decision == Decision::NeedsLocalCheck)
        .filter_map(|o| {
            o.credential_id.map(|id| ToCheck {
                name: OutcomeView::of(o).name,
                href: format!("/hr/credentials/{id}"),
            })
        })
        .collect()
}

/// "Check the item left here", "Check the 2 items left here".
fn to_check_heading(n: i32) -> String {
    match n {
        1 => "Check the item left here".to_owned(),
        n => format!("Check the {n} items left here"),
    }
}

/// `GET /hr/passports/accepted/{id}`: the decision recorded, the checks saved, and links to the
/// items left for this trust to check.
pub async fn accepted(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let id = parse_id(&id)?;
    let hr = Hr::of(&state, &visitor).await?;
    let data = api::run(
        state.api.as_ref(),
        &visitor.caller,
        AcceptancesQuery::build(TrustVariables {
            trust_id: hr.trust.id,
        }),
    )
    .await?;
    let Some(a) = data.passport_acceptances.into_iter().find(|a| a.id == id) else {
        return Err(PageError::NotFound);
    };
    let name = super::worker_name(&state, &visitor, a.worker_id).await?;
    let system_id = bank_of(&state, &visitor, hr.trust.id).await?;
    let savings = savings(&state, &visitor, system_id, hr.trust.id).await?;
    render(&AcceptedPage {
        layout: hr.layout(&visitor, "Passport accepted", SECTION),
        name,
        trust: hr.trust.name.clone(),
        issuer: a.issuer_trust.name,
        counts: Counts::of(a.accepted_count, a.local_check_count, a.rejected_count),
        to_check_here: a.local_check_count > 0,
        to_check_heading: to_check_heading(a.local_check_count),
        to_check: left_to_check(&a.items),
        passports_accepted: format::count(i64::from(savings.acceptances), "passport"),
        items: a.items.iter().map(OutcomeView::of).collect(),
        savings,
    })
}
