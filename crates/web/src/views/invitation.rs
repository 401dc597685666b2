//! The pages invitation emails link to: set a password for the login a bank office made
//! (`/invitation/accept?code=`), or register yourself and set a password
//! (`/invitation/register?code=`). Both are public; both sign the person in exactly as sign-in
//! does and take them to their home with a welcome. A code that is unknown, used or expired gets
//! a page that says so and what to do. The password policy is the API's: the page states it and
//! shows the API's message when a password breaks it.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::WebState;
use crate::api::{self, ApiError, Code};
use crate::errors::{PageError, render, render_invalid};
use crate::forms::{Choice, Choices, DateInput, DateValue, Errors, Input};
use crate::fragments::StaffGroup;
use crate::layout::Layout;
use crate::schema::{DateTime, NaiveDate, schema};
use crate::session::{self, Visitor};

/// Where a new worker lands.
const WELCOME: &str = "/worker?welcome=1";

/// What the password hint says (the policy of `crates/core/src/password.rs`, which the API
/// enforces; its own message is shown when a password breaks it).
const PASSWORD_HINT: &str = "Your password must have 10 to 128 characters. A few words you \
                             will remember, with spaces between them, make a strong password.";

/// The invitation pages.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/invitation/accept", get(accept_form).post(accept_submit))
        .route(
            "/invitation/register",
            get(register_form).post(register_submit),
        )
}

/// The code in the address.
#[derive(Debug, Deserialize)]
pub struct CodeQuery {
    code: Option<String>,
}

#[derive(cynic::QueryFragment)]
struct LoginPayload {
    token: String,
    expires_at: DateTime,
}

// --- A code that cannot be used ------------------------------------------------------------------

/// Why an invitation cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unusable {
    /// No code, or one the API does not know.
    Unknown,
    /// Used already.
    Used,
    /// Past its date.
    Expired,
    /// The email's login is linked to a worker record already.
    AlreadyLinked,
    /// An invitation to register opened on the page to accept, or the other way round.
    OtherPage,
}

impl Unusable {
    /// What the API's error says about the invitation itself, if it is about the invitation.
    fn of(e: &ApiError) -> Option<Self> {
        let m = e.message.to_lowercase();
        match e.code {
            Code::NotFound => Some(Self::Unknown),
            Code::Conflict if m.contains("already been used") => Some(Self::Used),
            Code::Conflict if m.contains("already linked") => Some(Self::AlreadyLinked),
            Code::Validation if m.contains("invitation has expired") => Some(Self::Expired),
            Code::Validation if m.contains("use registerwithinvitation") => Some(Self::OtherPage),
            Code::Validation if m.contains("use acceptinvitation") => Some(Self::OtherPage),
            _ => None,
        }
    }
}

#[derive(Template)]
#[template(path = "invitation/unusable.html")]
struct UnusablePage {
    layout: Layout,
    why: Unusable,
}

fn unusable(visitor: &Visitor, why: Unusable) -> Result<Response, PageError> {
    let status = match why {
        Unusable::Unknown => StatusCode::NOT_FOUND,
        Unusable::Used | Unusable::Expired => StatusCode::GONE,
        Unusable::AlreadyLinked | Unusable::OtherPage => StatusCode::CONFLICT,
    };
    let page = UnusablePage {
        layout: Layout::public(visitor, "This invitation link is no longer valid"),
        why,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn the_code(q: &CodeQuery) -> Option<String> {
    q.code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// The form's own checks of the two password fields.
fn check_passwords(password: &str, confirm: &str, errors: &mut Errors) {
    if password.is_empty() {
        errors.add("password", "Enter a password");
    }
    if confirm.is_empty() {
        if !password.is_empty() {
            errors.add(
                "confirm-password",
                "Enter your password again to confirm it",
            );
        }
    } else if password != confirm {
        errors.add(
            "confirm-password",
            "The passwords do not match. Enter the same password twice.",
        );
    }
}

fn password_inputs(errors: &Errors) -> (Input, Input) {
    (
        Input::new("password", "Create a password")
            .kind("password")
            .autocomplete("new-password")
            .hint(PASSWORD_HINT)
            .error_from(errors),
        Input::new("confirm-password", "Confirm your password")
            .kind("password")
            .autocomplete("new-password")
            .error_from(errors),
    )
}

/// Signs the person in with the session the mutation started, and welcomes them home.
fn signed_in(state: &WebState, jar: CookieJar, login: LoginPayload) -> Response {
    let cookie = session::start(&state.settings, login.token, login.expires_at);
    (jar.add(cookie), Redirect::to(WELCOME)).into_response()
}

/// The caller for these pages: nobody yet (a session cookie of someone else is not theirs).
fn anonymous(visitor: &Visitor) -> api::Caller {
    let mut caller = visitor.caller.clone();
    caller.token = None;
    caller
}

// --- Accept: set a password ----------------------------------------------------------------------

#[derive(cynic::QueryVariables)]
struct AcceptVariables {
    code: String,
    password: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "AcceptVariables")]
struct AcceptInvitation {
    #[arguments(code: $code, password: $password)]
    accept_invitation: LoginPayload,
}

#[derive(Template)]
#[template(path = "invitation/accept.html")]
struct AcceptPage {
    layout: Layout,
    errors: Errors,
    code: String,
    password: Input,
    confirm: Input,
}

impl AcceptPage {
    fn new(visitor: &Visitor, code: String, errors: Errors) -> Self {
        let (password, confirm) = password_inputs(&errors);
        Self {
            layout: Layout::public(visitor, "Set up your staff bank login")
                .with_errors(!errors.is_empty()),
            errors,
            code,
            password,
            confirm,
        }
    }
}

/// `GET /invitation/accept?code=`.
pub async fn accept_form(
    visitor: Visitor,
    Query(q): Query<CodeQuery>,
) -> Result<Response, PageError> {
    match the_code(&q) {
        Some(code) => render(&AcceptPage::new(&visitor, code, Errors::new())),
        None => unusable(&visitor, Unusable::Unknown),
    }
}

/// The form to set a password.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default, rename = "confirm-password")]
    confirm: String,
}

/// `POST /invitation/accept`.
pub async fn accept_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<AcceptForm>,
) -> Result<Response, PageError> {
    let code = form.code.trim().to_owned();
    if code.is_empty() {
        return unusable(&visitor, Unusable::Unknown);
    }
    let mut errors = Errors::new();
    check_passwords(&form.password, &form.confirm, &mut errors);
    if !errors.is_empty() {
        return render_invalid(&AcceptPage::new(&visitor, code, errors));
    }
    let op = {
        use cynic::MutationBuilder;
        AcceptInvitation::build(AcceptVariables {
            code: code.clone(),
            password: form.password,
        })
    };
    match api::run(state.api.as_ref(), &anonymous(&visitor), op).await {
        Ok(done) => Ok(signed_in(&state, jar, done.accept_invitation)),
        Err(e) => {
            if let Some(why) = Unusable::of(&e) {
                return unusable(&visitor, why);
            }
            match e.code {
                Code::Validation | Code::RateLimited => {
                    errors.add("password", crate::format::error_message(&e.message))
                }
                // The email has a login already, with another password.
                Code::Unauthenticated => errors.add(
                    "password",
                    "Your email address already has a staff bank login. Enter the password of \
                     that login in both boxes.",
                ),
                _ => return Err(e.into()),
            }
            render_invalid(&AcceptPage::new(&visitor, code, errors))
        }
    }
}

// --- Register yourself ---------------------------------------------------------------------------

/// The staff groups as the form offers them: value, label, hint.
const STAFF_GROUPS: [(&str, StaffGroup, &str, Option<&str>); 9] = [
    (
        "NURSING_MIDWIFERY_REGISTERED",
        StaffGroup::NursingMidwiferyRegistered,
        "Registered nursing and midwifery",
        None,
    ),
    (
        "ADDITIONAL_CLINICAL_SERVICES",
        StaffGroup::AdditionalClinicalServices,
        "Additional clinical services",
        Some("For example, healthcare assistants and support workers"),
    ),
    (
        "MEDICAL_DENTAL",
        StaffGroup::MedicalDental,
        "Medical and dental",
        None,
    ),
    (
        "ALLIED_HEALTH_PROFESSIONALS",
        StaffGroup::AlliedHealthProfessionals,
        "Allied health professionals",
        Some("For example, physiotherapists, paramedics and radiographers"),
    ),
    (
        "HEALTHCARE_SCIENTISTS",
        StaffGroup::HealthcareScientists,
        "Healthcare scientists",
        None,
    ),
    (
        "ADDITIONAL_PROFESSIONAL_SCIENTIFIC_TECHNICAL",
        StaffGroup::AdditionalProfessionalScientificTechnical,
        "Additional professional, scientific and technical",
        Some("For example, pharmacists and psychologists"),
    ),
    (
        "ADMINISTRATIVE_CLERICAL",
        StaffGroup::AdministrativeClerical,
        "Administrative and clerical",
        None,
    ),
    (
        "ESTATES_ANCILLARY",
        StaffGroup::EstatesAncillary,
        "Estates and ancillary",
        Some("For example, porters and domestic staff"),
    ),
    ("STUDENTS", StaffGroup::Students, "Students", None),
];

#[derive(cynic::InputObject, Debug)]
#[cynic(graphql_type = "RegisterWorkerInput")]
struct RegisterWorkerInput {
    given_name: String,
    family_name: String,
    date_of_birth: NaiveDate,
    ni_number: String,
    phone: Option<String>,
    staff_group: StaffGroup,
    grade: String,
    registration_body: Option<String>,
    registration_number: Option<String>,
    skills: Vec<String>,
}

#[derive(cynic::QueryVariables)]
struct RegisterVariables {
    code: String,
    details: RegisterWorkerInput,
    password: String,
}

#[derive(cynic::QueryFragment)]
#[cynic(graphql_type = "Mutation", variables = "RegisterVariables")]
struct RegisterWithInvitation {
    #[arguments(code: $code, details: $details, password: $password)]
    register_with_invitation: LoginPayload,
}

/// The registration form as typed.
#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    code: String,
    #[serde(default, rename = "given-name")]
    given_name: String,
    #[serde(default, rename = "family-name")]
    family_name: String,
    #[serde(default, rename = "date-of-birth-day")]
    dob_day: String,
    #[serde(default, rename = "date-of-birth-month")]
    dob_month: String,
    #[serde(default, rename = "date-of-birth-year")]
    dob_year: String,
    #[serde(default, rename = "ni-number")]
    ni_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default, rename = "staff-group")]
    staff_group: String,
    #[serde(default)]
    grade: String,
    #[serde(default, rename = "registration-number")]
    registration_number: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    password: String,
    #[serde(default, rename = "confirm-password")]
    confirm: String,
}

impl RegisterForm {
    fn date_of_birth(&self) -> DateValue {
        DateValue {
            day: self.dob_day.clone(),
            month: self.dob_month.clone(),
            year: self.dob_year.clone(),
        }
    }

    fn staff_group(&self) -> Option<StaffGroup> {
        STAFF_GROUPS
            .iter()
            .find(|(value, ..)| *value == self.staff_group)
            .map(|(_, group, ..)| *group)
    }

    /// The form's own checks (what is missing, what does not match); the details themselves are
    /// the API's to check.
    fn check(&self) -> (Errors, Option<RegisterWorkerInput>) {
        let mut errors = Errors::new();
        let required = |errors: &mut Errors, value: &str, field: &str, message: &str| {
            if value.trim().is_empty() {
                errors.add(field, message);
            }
        };
        required(
            &mut errors,
            &self.given_name,
            "given-name",
            "Enter your given name",
        );
        required(
            &mut errors,
            &self.family_name,
            "family-name",
            "Enter your family name",
        );
        let dob = self.date_of_birth().parse("your date of birth");
        if let Err(message) = &dob {
            errors.add("date-of-birth", message.clone());
        }
        required(
            &mut errors,
            &self.ni_number,
            "ni-number",
            "Enter your National Insurance number",
        );
        let group = self.staff_group();
        if group.is_none() {
            errors.add("staff-group", "Select your staff group");
        }
        required(&mut errors, &self.grade, "grade", "Enter your grade");
        check_passwords(&self.password, &self.confirm, &mut errors);
        let (Ok(date_of_birth), Some(staff_group), true) = (dob, group, errors.is_empty()) else {
            return (errors, None);
        };
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let details = RegisterWorkerInput {
            given_name: self.given_name.trim().to_owned(),
            family_name: self.family_name.trim().to_owned(),
            date_of_birth,
            ni_number: self.ni_number.trim().to_owned(),
            phone: optional(&self.phone),
            staff_group,
            // "Band 5" as the API writes it: BAND_5 (the API checks it).
            grade: self.grade.split_whitespace().collect::<Vec<_>>().join("_"),
            // The API takes the regulator of the staff group.
            registration_body: None,
            registration_number: optional(&self.registration_number),
            skills: self
                .skills
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        (errors, Some(details))
    }
}

/// The field an API validation message is about (the API names no field; its messages do).
fn field_of(message: &str) -> &'static str {
    let m = message.to_lowercase();
    let fields: [(&str, &str); 10] = [
        ("password", "password"),
        ("national insurance", "ni-number"),
        ("phone", "phone"),
        ("registration", "registration-number"),
        ("registers with", "registration-number"),
        ("grade", "grade"),
        ("date of birth", "date-of-birth"),
        ("given name", "given-name"),
        ("family name", "family-name"),
        ("skill", "skills"),
    ];
    fields
        .iter()
        .find(|(words, _)| m.contains(words))
        .map_or_else(
            || {
                if m.contains("staff group") {
                    "staff-group"
                } else {
                    "given-name"
                }
            },
            |(_, field)| field,
        )
}

#[derive(Template)]
#[template(path = "invitation/register.html")]
struct RegisterPage {
    layout: Layout,
    errors: Errors,
    code: String,
    given_name: Input,
    family_name: Input,
    date_of_birth: DateInput,
    ni_number: Input,
    phone: Input,
    staff_group: Choices,
    grade: Input,
    registration_number: Input,
    skills: Input,
    password: Input,
    confirm: Input,
}

impl RegisterPage {
    fn new(visitor: &Visitor, form: &RegisterForm, code: String, errors: Errors) -> Self {
        let (password, confirm) = password_inputs(&errors);
        let groups = STAFF_GROUPS
            .iter()
            .map(|(value, _, label, hint)| {
                let c = Choice::new(*value, *label).checked(form.staff_group == *value);
                match hint {
                    Some(h) => c.hint(*h),
                    None => c,
                }
            })
            .collect();
        Self {
            layout: Layout::public(visitor, "Register as a bank worker")
                .with_errors(!errors.is_empty()),
            given_name: Input::new("given-name", "Given name")
                .hint(
                    "Your first name and any middle names, as on your passport or driving licence",
                )
                .autocomplete("given-name")
                .value(form.given_name.clone())
                .error_from(&errors),
            family_name: Input::new("family-name", "Family name")
                .autocomplete("family-name")
                .value(form.family_name.clone())
                .error_from(&errors),
            date_of_birth: DateInput::new("date-of-birth", "Date of birth")
                .hint("For example, 15 3 1984")
                .value(&form.date_of_birth())
                .error_from(&errors),
            ni_number: Input::new("ni-number", "National Insurance number")
                .hint(
                    "It is on your National Insurance card, payslip or P60. For example, \
                     QQ 12 34 56 C",
                )
                .width("nhsuk-input--width-10")
                .value(form.ni_number.clone())
                .error_from(&errors),
            phone: Input::new("phone", "Phone number (optional)")
                .kind("tel")
                .autocomplete("tel")
                .hint("For example, 07700 900 982")
                .width("nhsuk-input--width-20")
                .value(form.phone.clone())
                .error_from(&errors),
            staff_group: Choices::radios("staff-group", "Staff group", groups)
                .hint("The group your job is in")
                .error_from(&errors),
            grade: Input::new("grade", "Grade")
                .hint(
                    "Your Agenda for Change band or medical grade. For example, Band 5, \
                     Band 8a, ST3 or Consultant",
                )
                .width("nhsuk-input--width-20")
                .value(form.grade.clone())
                .error_from(&errors),
            registration_number: Input::new(
                "registration-number",
                "Professional registration number (if you have one)",
            )
            .hint(
                "Nurses and midwives: your NMC PIN, for example 12A3456E. Doctors: your GMC \
                 number. Allied health professionals and healthcare scientists: your HCPC \
                 number, for example PA123456.",
            )
            .width("nhsuk-input--width-10")
            .value(form.registration_number.clone())
            .error_from(&errors),
            skills: Input::new("skills", "Skills (optional)")
                .hint("Separate them with commas. For example, critical care, paediatrics")
                .value(form.skills.clone())
                .error_from(&errors),
            password,
            confirm,
            errors,
            code,
        }
    }
}

/// `GET /invitation/register?code=`.
pub async fn register_form(
    visitor: Visitor,
    Query(q): Query<CodeQuery>,
) -> Result<Response, PageError> {
    match the_code(&q) {
        Some(code) => render(&RegisterPage::new(
            &visitor,
            &RegisterForm::default(),
            code,
            Errors::new(),
        )),
        None => unusable(&visitor, Unusable::Unknown),
    }
}

/// `POST /invitation/register`.
pub async fn register_submit(
    State(state): State<WebState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<RegisterForm>,
) -> Result<Response, PageError> {
    let code = form.code.trim().to_owned();
    if code.is_empty() {
        return unusable(&visitor, Unusable::Unknown);
    }
    let (mut errors, details) = form.check();
    let Some(details) = details else {
        return render_invalid(&RegisterPage::new(&visitor, &form, code, errors));
    };
    let op = {
        use cynic::MutationBuilder;
        RegisterWithInvitation::build(RegisterVariables {
            code: code.clone(),
            details,
            password: form.password.clone(),
        })
    };
    match api::run(state.api.as_ref(), &anonymous(&visitor), op).await {
        Ok(done) => Ok(signed_in(&state, jar, done.register_with_invitation)),
        Err(e) => {
            if let Some(why) = Unusable::of(&e) {
                return unusable(&visitor, why);
            }
            match e.code {
                Code::Validation => errors.add(
                    field_of(&e.message),
                    crate::format::error_message(&e.message),
                ),
                Code::RateLimited => {
                    errors.add("password", crate::format::error_message(&e.message))
                }
                // Already in the bank (same person or registration).
                Code::Conflict => errors.add(
                    "given-name",
                    format!(
                        "{}. If you have worked for the bank before, ask the bank office that \
                         invited you to help you set up your login instead.",
                        crate::format::error_message(&e.message)
                    ),
                ),
                Code::Unauthenticated => errors.add(
                    "password",
                    "Your email address already has a staff bank login. Enter the password of \
                     that login in both boxes.",
                ),
                _ => return Err(e.into()),
            }
            render_invalid(&RegisterPage::new(&visitor, &form, code, errors))
        }
    }
}
