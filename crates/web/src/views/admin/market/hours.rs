//! Times as people type them (hours, "24" or "1.5") and as the API takes them (minutes), and
//! whole numbers of strikes and days.

use std::str::FromStr;

use crate::schema::Decimal;

/// Minutes as hours typed: "24", "1.5".
pub(super) fn hours(minutes: i32) -> String {
    (Decimal::from(minutes) / Decimal::from(60))
        .round_dp(2)
        .normalize()
        .to_string()
}

/// Hours typed as minutes, or what to say.
pub(super) fn minutes(typed: &str, what: &str) -> Result<i32, String> {
    let h = Decimal::from_str(typed.trim())
        .map_err(|_| format!("{what} must be a number of hours, like 24 or 1.5"))?;
    if h < Decimal::ZERO {
        return Err(format!("{what} must be 0 hours or more"));
    }
    h.checked_mul(Decimal::from(60))
        .and_then(|m| m.round().to_string().parse::<i32>().ok())
        .ok_or_else(|| format!("{what} is too long"))
}

pub(super) fn whole(typed: &str, what: &str) -> Result<i32, String> {
    match typed.trim().parse::<i32>() {
        Ok(n) if n >= 0 => Ok(n),
        Ok(_) => Err(format!("{what} must be 0 or more")),
        Err(_) => Err(format!("{what} must be a whole number")),
    }
}

#[cfg(test)]
mod tests {
    use super::minutes;

    #[test]
    fn hours_become_minutes_and_a_huge_number_is_refused_not_a_crash() {
        assert_eq!(minutes("1.5", "Notice"), Ok(90));
        assert_eq!(minutes(" 24 ", "Notice"), Ok(1440));
        assert_eq!(
            minutes("79228162514264337593543950335", "Notice"),
            Err("Notice is too long".to_owned())
        );
        assert_eq!(
            minutes("-1", "Notice"),
            Err("Notice must be 0 hours or more".to_owned())
        );
    }
}
