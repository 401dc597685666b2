//! Skills (e.g. `CRITICAL_CARE`, `PAEDIATRICS`, `THEATRES`): short codes a ward requires and a
//! worker holds, stored as a JSON array.

use staffbank_core::text::{self, limits};

use crate::entity::worker_skill;
use crate::error::{Result, validation};

/// Upper-cases, de-duplicates and checks skill codes (letters, digits, underscores; 2-40 long;
/// at most [`limits::LIST`] of them, refused before any other work).
///
/// # Errors
/// Validation error naming the bad code.
pub fn normalise(raw: &[String]) -> Result<Vec<String>> {
    text::cap_list("skills", "a list of skills", raw, limits::LIST)?;
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for s in raw {
        let code = s.trim().to_uppercase().replace([' ', '-'], "_");
        let ok = (2..=40).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            return Err(validation(format!(
                "'{}' is not a skill code (e.g. CRITICAL_CARE)",
                text::shorten(s, 60)
            )));
        }
        out.push(code);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// One skill code searched for, normalised as [`normalise`] does (so `critical care` finds
/// `CRITICAL_CARE`): at most 40 characters, letters, digits and underscores.
///
/// # Errors
/// Validation error naming the bad code.
pub fn search_code(raw: &str) -> Result<String> {
    text::limits::code("skill", "a skill").check(raw)?;
    let mut one = normalise(&[raw.to_owned()])?;
    one.pop()
        .ok_or_else(|| validation("a skill to search for is needed"))
}

/// The index rows of a worker's skills (`worker_skills`), written beside the JSON list.
#[must_use]
pub fn index_rows(worker_id: uuid::Uuid, skills: &[String]) -> Vec<worker_skill::ActiveModel> {
    skills
        .iter()
        .map(|s| worker_skill::ActiveModel {
            worker_id: sea_orm::Set(worker_id),
            skill: sea_orm::Set(s.clone()),
        })
        .collect()
}

/// As stored.
#[must_use]
pub fn to_json(skills: &[String]) -> serde_json::Value {
    serde_json::Value::from(skills.to_vec())
}

/// From storage (anything unexpected reads as no skills).
#[must_use]
pub fn from_json(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
