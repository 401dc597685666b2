//! Form errors and the design system's form components, as builders rendered by their own
//! templates (`templates/components/`), so every page gets the documented markup: a label, hint
//! and inline error tied to the field with `aria-describedby`, the error summary linking to each
//! field with the same words, and the person's input kept.

use askama::Template;

/// The errors of one form: which field, and what to say.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    items: Vec<(String, String)>,
}

impl Errors {
    /// No errors.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an error for the field with this id (the summary links to `#id`).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.items.push((field.into(), message.into()));
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The message for a field, if it has one (its first).
    #[must_use]
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Every (field, message), in the order of the form.
    #[must_use]
    pub fn items(&self) -> &[(String, String)] {
        &self.items
    }

    /// The error summary to show at the top of the page (empty when there are no errors).
    #[must_use]
    pub fn summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: self }
    }
}

/// "There is a problem", linking to each field.
#[derive(Template)]
#[template(path = "components/error_summary.html")]
pub struct ErrorSummary<'a> {
    errors: &'a Errors,
}

/// A text input (also email, password, number, tel).
#[derive(Template, Debug, Clone)]
#[template(path = "components/input.html")]
pub struct Input {
    id: String,
    name: String,
    label: String,
    label_is_heading: bool,
    hint: Option<String>,
    value: String,
    error: Option<String>,
    kind: &'static str,
    autocomplete: Option<&'static str>,
    inputmode: Option<&'static str>,
    width_class: Option<&'static str>,
    spellcheck_off: bool,
}

impl Input {
    /// A text input whose name and id are `name`.
    #[must_use]
    pub fn new(name: &str, label: &str) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            label: label.to_owned(),
            label_is_heading: false,
            hint: None,
            value: String::new(),
            error: None,
            kind: "text",
            autocomplete: None,
            inputmode: None,
            width_class: None,
            spellcheck_off: false,
        }
    }
    /// Its type (`email`, `password`, `tel`...).
    #[must_use]
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        if matches!(kind, "email" | "password") {
            self.spellcheck_off = true;
        }
        self
    }
    /// The value to show (what the person typed).
    #[must_use]
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }
    /// Hint text under the label.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The field's error, from the form's errors.
    #[must_use]
    pub fn error_from(mut self, errors: &Errors) -> Self {
        self.error = errors.get(&self.id).map(str::to_owned);
        self
    }
    /// The `autocomplete` attribute.
    #[must_use]
    pub fn autocomplete(mut self, token: &'static str) -> Self {
        self.autocomplete = Some(token);
        self
    }
    /// `inputmode` (e.g. `numeric`).
    #[must_use]
    pub fn inputmode(mut self, mode: &'static str) -> Self {
        self.inputmode = Some(mode);
        self
    }
    /// A fixed width class (`nhsuk-input--width-10`...).
    #[must_use]
    pub fn width(mut self, class: &'static str) -> Self {
        self.width_class = Some(class);
        self
    }
    /// The label is the page's heading (one question a page).
    #[must_use]
    pub fn as_heading(mut self) -> Self {
        self.label_is_heading = true;
        self
    }
}

/// A multi-line input.
#[derive(Template, Debug, Clone)]
#[template(path = "components/textarea.html")]
pub struct Textarea {
    id: String,
    label: String,
    label_is_heading: bool,
    hint: Option<String>,
    value: String,
    error: Option<String>,
    rows: u8,
}

impl Textarea {
    /// A textarea whose name and id are `name`.
    #[must_use]
    pub fn new(name: &str, label: &str) -> Self {
        Self {
            id: name.to_owned(),
            label: label.to_owned(),
            label_is_heading: false,
            hint: None,
            value: String::new(),
            error: None,
            rows: 5,
        }
    }
    /// What the person typed.
    #[must_use]
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }
    /// Hint text.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The field's error.
    #[must_use]
    pub fn error_from(mut self, errors: &Errors) -> Self {
        self.error = errors.get(&self.id).map(str::to_owned);
        self
    }
    /// The label is the page's heading.
    #[must_use]
    pub fn as_heading(mut self) -> Self {
        self.label_is_heading = true;
        self
    }
}

/// A drop-down list.
#[derive(Template, Debug, Clone)]
#[template(path = "components/select.html")]
pub struct Select {
    id: String,
    label: String,
    hint: Option<String>,
    options: Vec<(String, String)>,
    selected: String,
    error: Option<String>,
}

impl Select {
    /// A select whose name and id are `name`, with (value, text) options.
    #[must_use]
    pub fn new(name: &str, label: &str, options: Vec<(String, String)>) -> Self {
        Self {
            id: name.to_owned(),
            label: label.to_owned(),
            hint: None,
            options,
            selected: String::new(),
            error: None,
        }
    }
    /// The chosen value.
    #[must_use]
    pub fn selected(mut self, value: impl Into<String>) -> Self {
        self.selected = value.into();
        self
    }
    /// Hint text.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The field's error.
    #[must_use]
    pub fn error_from(mut self, errors: &Errors) -> Self {
        self.error = errors.get(&self.id).map(str::to_owned);
        self
    }
}

/// One radio or checkbox choice.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Its value.
    pub value: String,
    /// What it says.
    pub text: String,
    /// A hint under it.
    pub hint: Option<String>,
    /// Chosen.
    pub checked: bool,
}

impl Choice {
    /// A choice.
    #[must_use]
    pub fn new(value: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            text: text.into(),
            hint: None,
            checked: false,
        }
    }
    /// With a hint.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Chosen or not.
    #[must_use]
    pub fn checked(mut self, checked: bool) -> Self {
        self.checked = checked;
        self
    }
}

/// Radios or checkboxes in a fieldset (`kind`: `radios` or `checkboxes`). The first choice's id
/// is the field's name, so the error summary's link lands on it.
#[derive(Template, Debug, Clone)]
#[template(path = "components/choices.html")]
pub struct Choices {
    name: String,
    kind: &'static str,
    legend: String,
    legend_is_heading: bool,
    hint: Option<String>,
    choices: Vec<Choice>,
    error: Option<String>,
}

impl Choices {
    /// Radios: one of `choices`.
    #[must_use]
    pub fn radios(name: &str, legend: &str, choices: Vec<Choice>) -> Self {
        Self {
            name: name.to_owned(),
            kind: "radios",
            legend: legend.to_owned(),
            legend_is_heading: false,
            hint: None,
            choices,
            error: None,
        }
    }
    /// Checkboxes: any of `choices`.
    #[must_use]
    pub fn checkboxes(name: &str, legend: &str, choices: Vec<Choice>) -> Self {
        Self {
            kind: "checkboxes",
            ..Self::radios(name, legend, choices)
        }
    }
    /// Hint text.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The field's error.
    #[must_use]
    pub fn error_from(mut self, errors: &Errors) -> Self {
        self.error = errors.get(&self.name).map(str::to_owned);
        self
    }
    /// The legend is the page's heading.
    #[must_use]
    pub fn as_heading(mut self) -> Self {
        self.legend_is_heading = true;
        self
    }
    fn id_of(&self, index: &usize) -> String {
        if *index == 0 {
            self.name.clone()
        } else {
            format!("{}-{}", self.name, index + 1)
        }
    }
}

/// A date as day, month and year boxes (named `{id}-day`, `{id}-month`, `{id}-year`).
#[derive(Template, Debug, Clone)]
#[template(path = "components/date_input.html")]
pub struct DateInput {
    id: String,
    legend: String,
    hint: Option<String>,
    day: String,
    month: String,
    year: String,
    error: Option<String>,
}

impl DateInput {
    /// A date input.
    #[must_use]
    pub fn new(id: &str, legend: &str) -> Self {
        Self {
            id: id.to_owned(),
            legend: legend.to_owned(),
            hint: None,
            day: String::new(),
            month: String::new(),
            year: String::new(),
            error: None,
        }
    }
    /// What the person typed.
    #[must_use]
    pub fn value(mut self, value: &DateValue) -> Self {
        self.day.clone_from(&value.day);
        self.month.clone_from(&value.month);
        self.year.clone_from(&value.year);
        self
    }
    /// Hint text.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The field's error (for the id, or its `-day` part).
    #[must_use]
    pub fn error_from(mut self, errors: &Errors) -> Self {
        self.error = errors
            .get(&self.id)
            .or_else(|| errors.get(&format!("{}-day", self.id)))
            .map(str::to_owned);
        self
    }
}

/// The three boxes of a date as typed.
#[derive(Debug, Clone, Default)]
pub struct DateValue {
    /// Day.
    pub day: String,
    /// Month.
    pub month: String,
    /// Year.
    pub year: String,
}

impl DateValue {
    /// From a date.
    #[must_use]
    pub fn of(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        Self {
            day: date.day().to_string(),
            month: date.month().to_string(),
            year: date.year().to_string(),
        }
    }

    /// Whether all three are blank.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        self.day.trim().is_empty() && self.month.trim().is_empty() && self.year.trim().is_empty()
    }

    /// The date, or what to say about it (in the service manual's words), for a field
    /// described as `what` (e.g. "the date the training expires").
    ///
    /// # Errors
    /// A message for the person.
    pub fn parse(&self, what: &str) -> Result<chrono::NaiveDate, String> {
        if self.is_blank() {
            return Err(format!("Enter {what}"));
        }
        let part = |s: &str| s.trim().parse::<u32>().ok();
        let (Some(d), Some(m), Some(y)) = (part(&self.day), part(&self.month), part(&self.year))
        else {
            return Err(format!(
                "{} must be a real date",
                crate::format::capitalised(what)
            ));
        };
        if y < 1000 {
            return Err(format!(
                "{} must include a 4-digit year",
                crate::format::capitalised(what)
            ));
        }
        chrono::NaiveDate::from_ymd_opt(i32::try_from(y).unwrap_or(0), m, d)
            .ok_or_else(|| format!("{} must be a real date", crate::format::capitalised(what)))
    }
}

/// A file upload.
#[derive(Template, Debug, Clone)]
#[template(path = "components/file_upload.html")]
pub struct FileUpload {
    id: String,
    label: String,
    hint: Option<String>,
    accept: Option<&'static str>,
    error: Option<String>,
    enhance: bool,
}

impl FileUpload {
    /// A file input whose name and id are `name`.
    #[must_use]
    pub fn new(name: &str, label: &str) -> Self {
        Self {
            id: name.to_owned(),
            label: label.to_owned(),
            hint: None,
            accept: None,
            error: None,
            enhance: true,
        }
    }
    /// The browser's own file input, without the design system's drop zone (whose button
    /// axe-core 4.14 flags with `label-content-name-mismatch`).
    #[must_use]
    pub fn native(mut self) -> Self {
        self.enhance = false;
        self
    }
    /// Hint text.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The `accept` attribute.
    #[must_use]
    pub fn accept(mut self, accept: &'static str) -> Self {
        self.accept = Some(accept);
        self
    }
    /// The field's error.
    #[must_use]
    pub fn error_from(mut self, errors: &Errors) -> Self {
        self.error = errors.get(&self.id).map(str::to_owned);
        self
    }
}

/// The hidden CSRF field every form carries.
#[derive(Template, Debug, Clone)]
#[template(
    source = r#"<input type="hidden" name="csrf" value="{{ token }}">"#,
    ext = "html"
)]
pub struct CsrfField<'a> {
    /// The visitor's token.
    pub token: &'a str,
}
