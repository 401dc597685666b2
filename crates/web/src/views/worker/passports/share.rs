//! Sharing a passport with a trust of the bank: choose the trust (one question a page), then an
//! explicit consent page that says exactly what that trust will see and what it may do with it,
//! with "I agree to share"; the API records the consent (`sharePassport`), and a confirmation
//! page follows.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Holdings, KindCategory, Passport, SECTION, TrustRef};
use crate::WebState;
use crate::api::{self, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::format;
use crate::forms::{Choice, Choices, Errors};
use crate::layout::Layout;
use crate::schema::{NaiveDate, Uuid, schema};
use crate::session::Visitor;
use crate::viewer::Viewer;

#[derive(cynic::QueryVariables)]
struct PassportVariables {
    id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "PassportVariables")]
struct ShareQuery {
    me: Viewer,
    my_worker: BankOfWorker,
    #[arguments(id: $id)]
    passport: PassportAndToken,
    credential_kinds: Vec<KindCategory>,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Passport")]
struct PassportAndToken {
    #[cynic(spread)]
    base: Passport,
    token: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Worker")]
struct BankOfWorker {
    home_trust: HomeTrust,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Trust")]
struct HomeTrust {
    collaborative_bank: Bank,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "CollaborativeBank")]
struct Bank {
    trusts: Vec<TrustRef>,
}

impl ShareQuery {
    /// The trusts of the bank it could be shared with: all but the issuer, which has it.
    fn others(&self) -> Vec<&TrustRef> {
        self.my_worker
            .home_trust
            .collaborative_bank
            .trusts
            .iter()
            .filter(|t| t.id != self.passport.base.issuer_trust.id)
            .collect()
    }
}

async fn share_query(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<ShareQuery, PageError> {
    use cynic::QueryBuilder;
    Ok(api::run(
        state.api.as_ref(),
        &visitor.caller,
        ShareQuery::build(PassportVariables { id }),
    )
    .await?)
}

// --- Which trust -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "worker/passports/choose_trust.html")]
struct ChoosePage {
    layout: Layout,
    errors: Errors,
    back: String,
    action: String,
    trusts: Choices,
    none: bool,
}

fn choose_page(visitor: &Visitor, data: &ShareQuery, errors: Errors, chosen: &str) -> ChoosePage {
    let shared_with: Vec<Uuid> = data
        .passport
        .base
        .shares
        .iter()
        .filter(|s| s.active)
        .map(|s| s.trust.id)
        .collect();
    let choices: Vec<Choice> = data
        .others()
        .into_iter()
        .map(|t| {
            let value = t.id.to_string();
            let c = Choice::new(value.clone(), t.name.clone()).checked(value == chosen);
            if shared_with.contains(&t.id) {
                c.hint("You already share this passport with them")
            } else {
                c
            }
        })
        .collect();
    ChoosePage {
        layout: super::super::layout(
            visitor,
            &data.me,
            "Which trust do you want to share your passport with?",
            SECTION,
        )
        .with_errors(!errors.is_empty()),
        none: choices.is_empty(),
        trusts: Choices::radios(
            "trust",
            "Which trust do you want to share your passport with?",
            choices,
        )
        .as_heading()
        .hint(format!(
            "Your passport from {} lists the checks and training it has verified. On the next \
             page you can see exactly what the trust will see before you agree.",
            data.passport.base.issuer_trust.name
        ))
        .error_from(&errors),
        errors,
        back: format!("/worker/passports/{}", data.passport.base.id),
        action: format!("/worker/passports/{}/share", data.passport.base.id),
    }
}

/// `GET /worker/passports/{id}/share`.
pub async fn choose(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let data = share_query(&state, &visitor, id).await?;
    render(&choose_page(&visitor, &data, Errors::new(), ""))
}

/// The trust chosen.
#[derive(Debug, Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    trust: String,
}

/// `POST /worker/passports/{id}/share`: on to the consent page for the trust chosen.
pub async fn chosen(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(id): Path<Uuid>,
    Form(form): Form<ChooseForm>,
) -> Result<Response, PageError> {
    match form.trust.trim().parse::<Uuid>() {
        Ok(trust_id) => {
            Ok(Redirect::to(&format!("/worker/passports/{id}/share/{trust_id}")).into_response())
        }
        Err(_) => {
            let data = share_query(&state, &visitor, id).await?;
            let mut errors = Errors::new();
            errors.add(
                "trust",
                "Select the trust you want to share your passport with",
            );
            render_invalid(&choose_page(&visitor, &data, errors, ""))
        }
    }
}

// --- Consent -----------------------------------------------------------------------------------

#[derive(cynic::QueryVariables)]
struct VerifyVariables {
    token: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Query", variables = "VerifyVariables")]
struct SubjectQuery {
    #[arguments(token: $token)]
    verify_passport: Verification,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportVerification")]
struct Verification {
    subject: Option<Subject>,
}

#[derive(cynic::QueryFragment)]
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

#[derive(Template)]
#[template(path = "worker/passports/consent.html")]
struct ConsentPage {
    layout: Layout,
    errors: Errors,
    back: String,
    action: String,
    trust: String,
    issuer: String,
    valid_until: String,
    details: Vec<(&'static str, String)>,
    holdings: Holdings,
}

async fn consent_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    trust_id: Uuid,
    errors: Errors,
) -> Result<Response, PageError> {
    use cynic::QueryBuilder;
    let data = share_query(state, visitor, id).await?;
    let Some(trust) = data
        .others()
        .into_iter()
        .find(|t| t.id == trust_id)
        .cloned()
    else {
        return Err(PageError::NotFound);
    };
    // What the passport says about the worker, exactly as the trust will read it.
    let token = data.passport.token.clone();
    let subject = api::run(
        state.api.as_ref(),
        &visitor.caller,
        SubjectQuery::build(VerifyVariables { token }),
    )
    .await?
    .verify_passport
    .subject;
    let details = subject.map(subject_in_words).unwrap_or_default();
    let page = ConsentPage {
        layout: super::super::layout(
            visitor,
            &data.me,
            &format!("Share your passport with {}", trust.name),
            SECTION,
        )
        .with_errors(!errors.is_empty()),
        errors,
        back: format!("/worker/passports/{id}/share"),
        action: format!("/worker/passports/{id}/share/{trust_id}"),
        trust: trust.name,
        issuer: data.passport.base.issuer_trust.name.clone(),
        valid_until: format::date_short(format::london(data.passport.base.valid_until).date()),
        details,
        holdings: Holdings::of(&data.passport.base.items, &data.credential_kinds),
    };
    if page.errors.is_empty() {
        render(&page)
    } else {
        render_invalid(&page)
    }
}

fn subject_in_words(s: Subject) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Name", format!("{} {}", s.given_name, s.family_name)),
        ("Date of birth", format::date_short(s.date_of_birth)),
        ("Staff group", staff_group_words(&s.staff_group)),
        ("Grade", grade_words(&s.grade)),
    ];
    if let Some(number) = s.registration_number {
        let body = s.registration_body.unwrap_or_default();
        rows.push(("Professional registration", format!("{body} {number}")));
    }
    rows
}

/// The staff group's name, as the schema describes its codes.
pub(crate) fn staff_group_words(code: &str) -> String {
    match code {
        "ADDITIONAL_CLINICAL_SERVICES" => "Additional clinical services",
        "ADDITIONAL_PROFESSIONAL_SCIENTIFIC_TECHNICAL" => {
            "Additional professional, scientific and technical"
        }
        "ADMINISTRATIVE_CLERICAL" => "Administrative and clerical",
        "ALLIED_HEALTH_PROFESSIONALS" => "Allied health professionals",
        "ESTATES_ANCILLARY" => "Estates and ancillary",
        "HEALTHCARE_SCIENTISTS" => "Healthcare scientists",
        "MEDICAL_DENTAL" => "Medical and dental",
        "NURSING_MIDWIFERY_REGISTERED" => "Registered nursing and midwifery",
        "STUDENTS" => "Students",
        other => other,
    }
    .to_owned()
}

/// A grade code in words: `BAND_5` is "Band 5", `SPECIALTY_DOCTOR` "Specialty doctor", `ST3`
/// stays.
pub(crate) fn grade_words(code: &str) -> String {
    if let Some(band) = code.strip_prefix("BAND_") {
        return format!("Band {}", band.to_lowercase());
    }
    if code.contains('_') {
        return crate::format::code_words(code);
    }
    code.to_owned()
}

/// `GET /worker/passports/{id}/share/{trust_id}`: what the trust will see, and "I agree".
pub async fn consent(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((id, trust_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    consent_page(&state, &visitor, id, trust_id, Errors::new()).await
}

#[derive(cynic::QueryVariables)]
struct SharePassportVariables {
    passport_id: Uuid,
    trust_id: Uuid,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "SharePassportVariables")]
struct SharePassport {
    #[arguments(passportId: $passport_id, trustId: $trust_id)]
    share_passport: ShareId,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "PassportShare")]
struct ShareId {
    id: Uuid,
}

/// `POST /worker/passports/{id}/share/{trust_id}`: the worker agrees; the API records it.
pub async fn agree(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((id, trust_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    use cynic::MutationBuilder;
    let op = SharePassport::build(SharePassportVariables {
        passport_id: id,
        trust_id,
    });
    match api::run(state.api.as_ref(), &visitor.caller, op).await {
        Ok(done) => Ok(Redirect::to(&format!(
            "/worker/passports/{id}/shares/{}",
            done.share_passport.id
        ))
        .into_response()),
        Err(e) if matches!(e.code, Code::Validation | Code::Conflict) => {
            let mut errors = Errors::new();
            errors.add("consent", crate::format::error_message(&e.message));
            consent_page(&state, &visitor, id, trust_id, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// --- Confirmation ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "worker/passports/shared.html")]
struct SharedPage {
    layout: Layout,
    trust: String,
    passport_href: String,
}

/// `GET /worker/passports/{id}/shares/{share_id}`: "Passport shared".
pub async fn done(
    State(state): State<WebState>,
    visitor: Visitor,
    Path((id, share_id)): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let data = super::show::passport(&state, &visitor, id).await?;
    let Some(share) = data.passport.shares.iter().find(|s| s.id == share_id) else {
        return Err(PageError::NotFound);
    };
    if !share.active {
        return Ok(Redirect::to(&format!("/worker/passports/{id}")).into_response());
    }
    render(&SharedPage {
        layout: super::super::layout(&visitor, &data.me, "Passport shared", SECTION),
        trust: share.trust.name.clone(),
        passport_href: format!("/worker/passports/{id}"),
    })
}
