//! The check-your-answers page: each answer in words, with a link to change it.

use askama::Template;

use super::super::catalogue;
use super::super::shift_form::ShiftAnswers;
use super::operations::{FormData, WardChoice};
use crate::format;
use crate::forms::CsrfField;
use crate::layout::Layout;

/// One answer on the check page.
pub(super) struct Answer {
    key: &'static str,
    value: String,
    field: &'static str,
    what: &'static str,
}

#[derive(Template)]
#[template(path = "office/posting/check.html")]
pub(super) struct CheckPage {
    pub(super) layout: Layout,
    pub(super) trust: String,
    pub(super) answers: Vec<Answer>,
    pub(super) change: String,
    pub(super) hidden: Vec<(String, String)>,
}

pub(super) fn answers(a: &ShiftAnswers, choices: &FormData) -> Vec<Answer> {
    let ward = choices.wards.iter().find(|w| w.id == a.ward);
    let ward_name = ward.map_or_else(String::new, |w| format!("{}, {}", w.name, w.site.name));
    let skills = skills_words(&a.skills, ward);
    let grade = |c: &str| catalogue::grade_name(c, &choices.grades);
    let row = |key, value, field, what| Answer {
        key,
        value,
        field,
        what,
    };
    vec![
        row("Ward", ward_name, "ward", "the ward"),
        row(
            "When",
            format::shift_time(a.starts, a.ends),
            "date-day",
            "when the shift is",
        ),
        row(
            "Unpaid break",
            format::duration_minutes(i64::from(a.break_minutes)),
            "break",
            "the break",
        ),
        row(
            "Staff group",
            catalogue::staff_group(a.staff_group)
                .map(|g| g.name.to_owned())
                .unwrap_or_default(),
            "staff-group",
            "the staff group",
        ),
        row("Grade", grade(&a.grade), "grade", "the grade"),
        row(
            "Other grades accepted",
            if a.fallback.is_empty() {
                "None".to_owned()
            } else {
                a.fallback
                    .iter()
                    .map(|g| grade(g))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            "fallback",
            "the other grades",
        ),
        row("Skills needed", skills, "skills", "the skills"),
        row(
            "Why it is needed",
            catalogue::reason(a.reason)
                .map(|r| r.2.to_owned())
                .unwrap_or_default(),
            "reason",
            "why it is needed",
        ),
        row(
            "Pay follows",
            catalogue::pay_basis(a.pay_basis)
                .map(|p| p.2.to_owned())
                .unwrap_or_default(),
            "pay-basis",
            "which grade the pay follows",
        ),
        row(
            "Workers needed",
            a.positions.to_string(),
            "positions",
            "how many workers",
        ),
        row(
            "Notes for workers",
            a.notes.clone().unwrap_or_else(|| "None".to_owned()),
            "notes",
            "the notes",
        ),
    ]
}

/// The skills the shift needs, in words: those asked for, and the ward's own.
fn skills_words(asked: &[String], ward: Option<&WardChoice>) -> String {
    let ward_skills: Vec<String> = ward
        .map(|w| {
            w.required_skills
                .iter()
                .map(|s| crate::format::code_words(s))
                .collect()
        })
        .unwrap_or_default();
    let mut skills: Vec<String> = asked.iter().map(|s| crate::format::code_words(s)).collect();
    if skills.is_empty() && ward_skills.is_empty() {
        "None".to_owned()
    } else if ward_skills.is_empty() {
        skills.join(", ")
    } else {
        let own = format!("the ward's own ({})", ward_skills.join(", "));
        if skills.is_empty() {
            format!("Only {own}")
        } else {
            skills.push(format!("and {own}"));
            skills.join(", ")
        }
    }
}
