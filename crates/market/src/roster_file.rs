//! Reading a roster file: CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF, an optional
//! UTF-8 byte-order mark) with one header row naming the [`COLUMNS`] a roster export has, in any
//! order and case. Each row becomes a [`NewShift`] for the trust, or its problems, each against a
//! column in plain English. What needs the database (a grade outside the staff group, a break too
//! short, a time the clocks skipped) is decided when the rows are validated by
//! [`crate::posting`], whose messages are put against their column here ([`column_of`]).

use chrono::{Duration, NaiveDate, NaiveTime};
use staffbank_bank::entity::ward;
use staffbank_core::{Grade, StaffGroup, code};
use uuid::Uuid;

use crate::error::{Result, validation};
use crate::posting::{NewShift, PayBasis, ShiftReason};

/// Largest roster file accepted, in bytes.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most shift rows in one roster file.
pub const MAX_ROWS: usize = 5_000;

/// A column of the roster file: its header, whether every row needs it, and what goes in it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header, as the template has it.
    pub header: &'static str,
    /// Whether a value is needed in every row.
    pub required: bool,
    /// What goes in it.
    pub description: &'static str,
    /// An example value.
    pub example: &'static str,
}

/// The columns, in the template's order.
pub const COLUMNS: [Column; 13] = [
    Column {
        header: "Ward",
        required: true,
        description: "The ward's name or cost centre, as the bank shows it",
        example: "Ward 10 (acute medicine)",
    },
    Column {
        header: "Date",
        required: true,
        description: "The date the shift starts: DD/MM/YYYY or YYYY-MM-DD",
        example: "14/12/2026",
    },
    Column {
        header: "Start",
        required: true,
        description: "Start time, 24-hour clock (HH:MM)",
        example: "07:30",
    },
    Column {
        header: "End",
        required: true,
        description: "End time, 24-hour clock; earlier than the start means the next day",
        example: "20:00",
    },
    Column {
        header: "Break",
        required: false,
        description: "Unpaid break in minutes (0 if blank)",
        example: "60",
    },
    Column {
        header: "Staff group",
        required: true,
        description: "The ESR staff group, e.g. NURSING_MIDWIFERY_REGISTERED or MEDICAL_DENTAL",
        example: "NURSING_MIDWIFERY_REGISTERED",
    },
    Column {
        header: "Grade",
        required: true,
        description: "The grade the shift is for, e.g. Band 5, ST3",
        example: "Band 5",
    },
    Column {
        header: "Fallback grades",
        required: false,
        description: "Other grades accepted, best first, separated by semicolons",
        example: "Band 4; Band 3",
    },
    Column {
        header: "Skills",
        required: false,
        description: "Skills needed beyond the ward's own, separated by semicolons",
        example: "IV therapy",
    },
    Column {
        header: "Reason",
        required: true,
        description: "Why: sickness, annual leave, parental leave, vacancy, acuity, training \
                      or other",
        example: "Sickness",
    },
    Column {
        header: "Pay basis",
        required: false,
        description: "Which grade pay follows: shift grade (if blank) or worker grade",
        example: "Shift grade",
    },
    Column {
        header: "Workers",
        required: false,
        description: "How many workers are needed (1 if blank)",
        example: "1",
    },
    Column {
        header: "Notes",
        required: false,
        description: "Notes for workers (optional)",
        example: "Report to the nurse in charge",
    },
];

/// The template: the header row and one example row.
#[must_use]
pub fn template() -> String {
    let header: Vec<String> = COLUMNS.iter().map(|c| quote(c.header)).collect();
    let example: Vec<String> = COLUMNS.iter().map(|c| quote(c.example)).collect();
    format!("{}\r\n{}\r\n", header.join(","), example.join(","))
}

fn quote(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// A problem with one row: its line in the file (the header is row 1), the column, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowProblem {
    /// Row of the file, the header being row 1.
    pub row: usize,
    /// The column's header (empty for the row as a whole).
    pub column: String,
    /// What is wrong, in plain English.
    pub message: String,
}

/// One shift row as read: its row number and the shift, or its problems.
#[derive(Debug, Clone)]
pub struct RosterRow {
    /// Row of the file.
    pub row: usize,
    /// The values as typed, in [`COLUMNS`] order.
    pub cells: Vec<String>,
    /// The shift, when the row reads.
    pub shift: Option<NewShift>,
}

/// Splits CSV text into records of fields.
///
/// # Errors
/// Validation: a quote left open.
pub fn records(text: &str) -> Result<Vec<Vec<String>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                record.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut record));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(validation(
            "the file has a quote (\") that is never closed, so it cannot be read as CSV",
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push(record);
    }
    Ok(out)
}

fn key(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the file into rows, against the trust's wards.
///
/// # Errors
/// Validation for a file that is not a roster: not UTF-8 text, too large, empty, columns
/// missing or unknown, too many rows. Problems of single rows are not errors: they are returned.
pub fn read(
    bytes: &[u8],
    trust_id: Uuid,
    wards: &[ward::Model],
) -> Result<(Vec<RosterRow>, Vec<RowProblem>)> {
    if bytes.len() > MAX_BYTES {
        return Err(validation(format!(
            "the file is larger than {} MB; split the roster into smaller files",
            MAX_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        validation("the file is not a CSV file: save the roster as CSV (UTF-8) and upload that")
    })?;
    if text.contains('\0') {
        return Err(validation(
            "the file is not a CSV file: save the roster as CSV (UTF-8) and upload that",
        ));
    }
    let mut lines = records(text)?.into_iter().enumerate();
    let Some((_, header)) = lines.next() else {
        return Err(validation("the file is empty"));
    };
    let mut positions = Vec::with_capacity(COLUMNS.len());
    let mut unknown = Vec::new();
    let mut seen: Vec<usize> = Vec::new();
    for h in &header {
        match COLUMNS.iter().position(|c| key(c.header) == key(h)) {
            Some(i) if seen.contains(&i) => {
                return Err(validation(format!(
                    "the column '{}' is in the file twice",
                    COLUMNS[i].header
                )));
            }
            Some(i) => {
                seen.push(i);
                positions.push(Some(i));
            }
            None if h.trim().is_empty() => positions.push(None),
            None => {
                unknown.push(h.trim().to_owned());
                positions.push(None);
            }
        }
    }
    let missing: Vec<&str> = COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, c)| c.required && !seen.contains(i))
        .map(|(_, c)| c.header)
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("it has no column {}", list(&missing)));
        }
        if !unknown.is_empty() {
            let names: Vec<&str> = unknown.iter().map(String::as_str).collect();
            parts.push(format!(
                "{} is not a column a roster file has",
                list(&names)
            ));
        }
        return Err(validation(format!(
            "the file does not have the template's columns: {} (the first row must be the \
             template's headers)",
            parts.join("; ")
        )));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in lines {
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(validation(format!(
                "the file has more than {MAX_ROWS} shifts; split it into smaller files"
            )));
        }
        let mut cells = vec![String::new(); COLUMNS.len()];
        for (value, at) in record.iter().zip(&positions) {
            if let Some(i) = at {
                cells[*i] = value.trim().to_owned();
            }
        }
        let row = index + 1;
        let before = problems.len();
        let shift = read_row(row, &cells, trust_id, wards, &mut problems);
        rows.push(RosterRow {
            row,
            cells,
            shift: shift.filter(|_| problems.len() == before),
        });
    }
    if rows.is_empty() {
        return Err(validation("the file has no shifts in it, only its header"));
    }
    Ok((rows, problems))
}

fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("'{i}'")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn cell<'a>(cells: &'a [String], header: &str) -> &'a str {
    COLUMNS
        .iter()
        .position(|c| c.header == header)
        .and_then(|i| cells.get(i))
        .map_or("", String::as_str)
}

/// Reads one row; its problems are added to `problems`.
fn read_row(
    row: usize,
    cells: &[String],
    trust_id: Uuid,
    wards: &[ward::Model],
    problems: &mut Vec<RowProblem>,
) -> Option<NewShift> {
    let mut problem = |column: &str, message: String| {
        problems.push(RowProblem {
            row,
            column: column.to_owned(),
            message,
        });
    };
    for c in COLUMNS.iter().filter(|c| c.required) {
        if cell(cells, c.header).is_empty() {
            problem(c.header, format!("{} is blank", c.header));
        }
    }
    let ward_text = cell(cells, "Ward");
    let ward = wards
        .iter()
        .find(|w| key(&w.name) == key(ward_text) || key(&w.cost_centre) == key(ward_text));
    if ward.is_none() && !ward_text.is_empty() {
        problem(
            "Ward",
            format!("there is no ward '{ward_text}' at this trust (use its name or cost centre)"),
        );
    }
    let date_text = cell(cells, "Date");
    let date = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(date_text, f).ok());
    if date.is_none() && !date_text.is_empty() {
        problem(
            "Date",
            format!("'{date_text}' is not a real date (use DD/MM/YYYY, like 14/12/2026)"),
        );
    }
    let mut time = |header: &str| {
        let text = cell(cells, header);
        let t = ["%H:%M", "%H:%M:%S", "%H%M", "%H.%M"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(text, f).ok());
        if t.is_none() && !text.is_empty() {
            problem(
                header,
                format!("'{text}' is not a time (use the 24-hour clock, like 07:30)"),
            );
        }
        t
    };
    let start = time("Start");
    let end = time("End");
    let group_text = cell(cells, "Staff group");
    let group = StaffGroup::ALL
        .into_iter()
        .find(|g| key(&code::of(g)) == key(group_text));
    if group.is_none() && !group_text.is_empty() {
        problem(
            "Staff group",
            format!("'{group_text}' is not a staff group (use e.g. NURSING_MIDWIFERY_REGISTERED)"),
        );
    }
    let grade = |text: &str| {
        Grade::parse(&key(text).replace(' ', "_"))
            .ok()
            .or_else(|| {
                group.and_then(|g| {
                    g.ladder()
                        .grades()
                        .into_iter()
                        .find(|gr| key(gr.name()) == key(text))
                })
            })
            .map(|g| g.code().to_owned())
    };
    // A grade of another staff group's ladder is said here too, so one pass shows it.
    let of_group = |code: &str| group.is_none_or(|g| Grade::parse_for(code, g).is_ok());
    let grade_text = cell(cells, "Grade");
    let mut main = grade(grade_text);
    if main.is_none() && !grade_text.is_empty() {
        problem(
            "Grade",
            format!("'{grade_text}' is not a grade (use e.g. Band 5 or ST3)"),
        );
    } else if main.as_deref().is_some_and(|c| !of_group(c)) {
        problem(
            "Grade",
            format!("'{grade_text}' is not a grade of the staff group '{group_text}'"),
        );
        main = None;
    }
    let mut fallback = Vec::new();
    for g in split(cell(cells, "Fallback grades")) {
        match grade(&g) {
            Some(code) if of_group(&code) => fallback.push(code),
            Some(_) => problem(
                "Fallback grades",
                format!("'{g}' is not a grade of the staff group '{group_text}'"),
            ),
            None => problem(
                "Fallback grades",
                format!("'{g}' is not a grade (use e.g. Band 4 or ST2)"),
            ),
        }
    }
    let number = |problem: &mut dyn FnMut(&str, String), header: &str, default: i32| {
        let text = cell(cells, header);
        if text.is_empty() {
            return Some(default);
        }
        let n = text.parse::<i32>().ok().filter(|n| *n >= 0);
        if n.is_none() {
            problem(header, format!("'{text}' is not a whole number"));
        }
        n
    };
    let break_minutes = number(&mut problem, "Break", 0);
    let positions = number(&mut problem, "Workers", 1);
    let reason_text = cell(cells, "Reason");
    let reason = ShiftReason::ALL.into_iter().find(|r| {
        key(&code::of(r)) == key(reason_text)
            || (*r == ShiftReason::ParentalLeave && key(reason_text) == "maternity leave")
    });
    if reason.is_none() && !reason_text.is_empty() {
        problem(
            "Reason",
            format!(
                "'{reason_text}' is not a reason (use sickness, annual leave, parental leave, \
                 vacancy, acuity, training or other)"
            ),
        );
    }
    let pay_text = cell(cells, "Pay basis");
    let pay = if pay_text.is_empty() {
        Some(PayBasis::ShiftGrade)
    } else {
        code::parse(&key(pay_text).replace(' ', "_").to_uppercase(), "pay basis").ok()
    };
    if pay.is_none() {
        problem(
            "Pay basis",
            format!("'{pay_text}' is not a pay basis (use shift grade or worker grade)"),
        );
    }
    let notes = cell(cells, "Notes");
    let (ward, date, start, end, group, main, break_minutes, positions, reason, pay) = (
        ward?,
        date?,
        start?,
        end?,
        group?,
        main?,
        break_minutes?,
        positions?,
        reason?,
        pay?,
    );
    let ends_on = if end <= start {
        date + Duration::days(1)
    } else {
        date
    };
    Some(NewShift {
        trust_id,
        site_id: ward.site_id,
        ward_id: ward.id,
        staff_group: code::of(&group),
        grade: main,
        fallback_grades: fallback,
        skills: split(cell(cells, "Skills")),
        starts_local: date.and_time(start),
        ends_local: ends_on.and_time(end),
        break_minutes,
        reason: code::of(&reason),
        pay_basis: code::of(&pay),
        positions,
        notes: (!notes.is_empty()).then(|| notes.to_owned()),
        cascade: None,
    })
}

fn split(text: &str) -> Vec<String> {
    text.split([';', ',', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The column a validation message of [`crate::posting`] is about.
#[must_use]
pub fn column_of(message: &str) -> &'static str {
    let m = message.to_lowercase();
    if m.contains("break") {
        "Break"
    } else if m.contains("listed twice") {
        "Fallback grades"
    } else if m.contains("grade") {
        "Grade"
    } else if m.contains("skill") {
        "Skills"
    } else if m.contains("ward") || m.contains("site") {
        "Ward"
    } else if m.contains("position") {
        "Workers"
    } else if m.contains("notes") {
        "Notes"
    } else if m.contains("must last") || m.contains("end after") {
        "End"
    } else if m.contains("clocks") || m.contains("local time") {
        "Start"
    } else {
        "Date"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_quotes_and_line_ends() -> Result<()> {
        let r = records("\u{feff}a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,2,3\n\n")?;
        assert_eq!(r[0], ["a", "b, c", "say \"hi\""]);
        assert_eq!(r[1], ["1", "2", "3"]);
        assert!(records("a,\"b\n").is_err());
        Ok(())
    }

    #[test]
    fn the_template_reads_back_with_its_columns() -> Result<()> {
        let r = records(&template())?;
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].len(), COLUMNS.len());
        assert_eq!(r[1][7], "Band 4; Band 3");
        Ok(())
    }

    #[test]
    fn wrong_files_are_refused_whole() {
        let no = |bytes: &[u8]| read(bytes, Uuid::nil(), &[]).err().map(|e| e.to_string());
        assert!(no(b"").is_some_and(|m| m.contains("empty")));
        assert!(no(b"\x89PNG\r\n\x1a\n\0\0").is_some_and(|m| m.contains("not a CSV")));
        assert!(no(b"Ward,Date\r\n").is_some_and(|m| m.contains("no column 'Start'")));
        let header = template().lines().next().unwrap_or_default().to_owned();
        assert!(
            no(format!("{header},Employee\r\n").as_bytes())
                .is_some_and(|m| m.contains("'Employee' is not a column"))
        );
        assert!(no(format!("{header}\r\n").as_bytes()).is_some_and(|m| m.contains("no shifts")));
    }
}
