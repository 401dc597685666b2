//! Horizontal bar charts drawn by the server as SVG, needing no JavaScript (the bank office's
//! reports and the system admin's comparison of trusts), and the table of numbers each sits
//! beside, which is also what its CSV download holds. Each bar has its label above it (broken
//! into lines that fit a phone, so a long one such as a trust's name is never cut off) and its
//! value in words on a line of its own, so neither colour nor length alone carries a number;
//! the value axis has ticks at quarters of a round maximum and a title. Text is sized in CSS
//! pixels and bars in percentages of the chart's width, so the words stay the same
//! size on a phone and a desktop while the bars stretch. The chart is `role="img"`, named by its
//! `<title>` and described by its `<desc>`; the same numbers are in a table beside it.

use std::fmt::Write as _;

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What it is (a week, a ward).
    pub label: String,
    /// Its length, in the value axis's units.
    pub value: f64,
    /// Its value in words ("50% (2 of 4)", "£1,234.50").
    pub shown: String,
}

/// A chart.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Its id (the ids of its title and description start with it).
    pub id: &'static str,
    /// Its title (its accessible name).
    pub title: String,
    /// What the bars are (the category axis's title, above the first label).
    pub category_axis: String,
    /// What their length measures (the value axis's title, under the ticks).
    pub value_axis: String,
    /// The value axis's maximum; a round number above the longest bar when none.
    pub max: Option<f64>,
    /// Writes a tick's value.
    pub tick: fn(f64) -> String,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
}

const TOP: u32 = 28;
const ROW: u32 = 70;
/// A line of a bar's label (or its value).
const LINE: u32 = 20;
/// The longest a line of a bar's label is before it wraps: about what fits a phone's width.
const LABEL_CHARS: usize = 34;
const BAR: u32 = 18;
const TEXT: &str = "#212b32";
const FILL: &str = "#005eb8";
const GRID: &str = "#aeb7bd";

/// `&`, `<`, `>`, `"` and `'` as entities.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `v` (1 for nothing).
#[must_use]
pub fn nice_max(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|m| *m >= v - 1e-9)
        .unwrap_or(10.0 * power)
}

/// A bar's label in lines that fit a phone's width, broken between words (a word longer than a
/// line has a line of its own).
fn label_lines(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in label.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > LABEL_CHARS {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

impl BarChart {
    /// The axis maximum.
    fn top(&self) -> f64 {
        self.max
            .unwrap_or_else(|| nice_max(self.bars.iter().map(|b| b.value).fold(0.0, f64::max)))
    }

    /// The chart as an `<svg>` element.
    #[must_use]
    pub fn svg(&self) -> String {
        let top = self.top();
        let labels: Vec<Vec<String>> = self.bars.iter().map(|b| label_lines(&b.label)).collect();
        let rows: u32 = labels
            .iter()
            .map(|l| ROW + LINE * u32::try_from(l.len().saturating_sub(1)).unwrap_or(0))
            .sum();
        let axis_y = TOP + rows + 4;
        let height = axis_y + 52;
        let id = self.id;
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="app-chart" id="{id}" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" font-family="inherit" font-size="16">"#
        );
        let _ = write!(
            s,
            r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(&self.title),
            escape(&self.description())
        );
        let _ = write!(
            s,
            r#"<text x="0" y="16" fill="{TEXT}" font-weight="600">{}</text>"#,
            escape(&self.category_axis)
        );
        // Grid lines and ticks at quarters of the maximum.
        for q in 0..=4u32 {
            let pct = q * 25;
            let anchor = match q {
                0 => "start",
                4 => "end",
                _ => "middle",
            };
            let _ = write!(
                s,
                r#"<line x1="{pct}%" x2="{pct}%" y1="{TOP}" y2="{axis_y}" stroke="{GRID}" stroke-width="1" stroke-dasharray="{}"/>"#,
                if q == 0 { "none" } else { "3 3" }
            );
            let _ = write!(
                s,
                r#"<text x="{pct}%" y="{}" fill="{TEXT}" text-anchor="{anchor}" font-size="14">{}</text>"#,
                axis_y + 20,
                escape(&(self.tick)(top * f64::from(q) / 4.0))
            );
        }
        let _ = write!(
            s,
            r#"<line x1="0" x2="100%" y1="{axis_y}" y2="{axis_y}" stroke="{TEXT}" stroke-width="1"/>"#
        );
        let mut y = TOP;
        for (b, lines) in self.bars.iter().zip(&labels) {
            let pct = if top > 0.0 {
                (b.value / top * 100.0).clamp(0.0, 100.0)
            } else {
                0.0
            };
            for line in lines {
                let _ = write!(
                    s,
                    r#"<text x="0" y="{}" fill="{TEXT}">{}</text>"#,
                    y + 20,
                    escape(line)
                );
                y += LINE;
            }
            let _ = write!(
                s,
                r#"<text x="0" y="{}" fill="{TEXT}" font-weight="600">{}</text>"#,
                y + 20,
                escape(&b.shown)
            );
            let _ = write!(
                s,
                r#"<rect x="0" y="{}" width="{pct:.2}%" height="{BAR}" fill="{FILL}"/>"#,
                y + 27
            );
            y += ROW - LINE;
        }
        let _ = write!(
            s,
            r#"<text x="50%" y="{}" fill="{TEXT}" text-anchor="middle" font-weight="600">{}</text></svg>"#,
            axis_y + 44,
            escape(&self.value_axis)
        );
        s
    }

    /// The chart in a sentence or two (its `<desc>`): what each bar shows.
    fn description(&self) -> String {
        let mut d = format!(
            "Bar chart of {} by {}.",
            self.value_axis.to_lowercase(),
            self.category_axis.to_lowercase()
        );
        for b in &self.bars {
            let _ = write!(d, " {}: {}.", b.label, b.shown);
        }
        d
    }
}

/// One section of a report: a heading, a sentence, the chart and the table of its numbers
/// (drawn by `templates/components/chart_section.html`).
#[derive(Debug, Clone)]
pub struct Section {
    /// Its slug (the CSV's address and file name).
    pub slug: &'static str,
    /// Its heading.
    pub heading: &'static str,
    /// A sentence saying what it shows.
    pub lede: String,
    /// Its chart.
    pub chart: BarChart,
    /// Its numbers.
    pub table: Table,
}

/// A table of a section's numbers: what people read, and what the CSV holds.
#[derive(Debug, Clone)]
pub struct Table {
    /// Column headings.
    pub head: Vec<&'static str>,
    /// Which columns are numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// Rows in words.
    pub rows: Vec<Vec<String>>,
    /// The CSV's header.
    pub csv_head: Vec<&'static str>,
    /// The CSV's rows (plain numbers).
    pub csv_rows: Vec<Vec<String>>,
}

impl Table {
    /// The CSV file.
    #[must_use]
    pub fn csv(&self) -> String {
        let mut out = self.csv_head.join(",");
        out.push('\n');
        for r in &self.csv_rows {
            let cells: Vec<String> = r.iter().map(|c| csv_field(c)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        out
    }

    /// Whether column `i` is numeric.
    #[must_use]
    pub fn is_numeric(&self, i: &usize) -> bool {
        self.numeric.get(*i).copied().unwrap_or(false)
    }
}

/// One CSV field: quoted when needed, and never read by a spreadsheet as a formula.
#[must_use]
pub fn csv_field(raw: &str) -> String {
    let guarded =
        if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) && raw.parse::<f64>().is_err() {
            format!("'{raw}")
        } else {
            raw.to_owned()
        };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A percentage tick ("25%").
#[must_use]
pub fn percent_tick(v: f64) -> String {
    format!("{v:.0}%")
}

/// A count tick (whole when it is).
#[must_use]
pub fn count_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// An axis maximum for counts whose quarters are whole numbers: four times the smallest of 1, 2, 3
/// or 5 times a power of ten that is at least a quarter of the largest count.
#[must_use]
pub fn count_max(largest: i32) -> f64 {
    let quarter = f64::from(largest.max(1)) / 4.0;
    let mut step = 1.0;
    loop {
        for m in [1.0, 2.0, 3.0, 5.0] {
            if m * step >= quarter {
                return 4.0 * m * step;
            }
        }
        step *= 10.0;
    }
}

/// A tick of minutes, in hours ("2h", "1.5h").
#[must_use]
pub fn hours_tick(v: f64) -> String {
    let hours = v / 60.0;
    if (hours - hours.round()).abs() < 1e-9 {
        format!("{hours:.0}h")
    } else {
        format!("{hours:.1}h")
    }
}

/// An axis maximum for minutes, drawn in hours: a round number of hours (at least one) at or
/// above `longest` minutes, so the ticks are whole or half hours.
#[must_use]
pub fn minutes_max(longest: i32) -> f64 {
    nice_max(f64::from(longest.max(1)) / 60.0).max(1.0) * 60.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_axes_have_whole_quarters() {
        assert!((count_max(0) - 4.0).abs() < 1e-9);
        assert!((count_max(6) - 8.0).abs() < 1e-9);
        assert!((count_max(10) - 12.0).abs() < 1e-9);
        assert!((count_max(37) - 40.0).abs() < 1e-9);
    }

    #[test]
    fn csv_fields_are_quoted_and_guarded() {
        assert_eq!(csv_field("Ward 7"), "Ward 7");
        assert_eq!(csv_field("A, B"), "\"A, B\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-12.5"), "-12.5");
    }

    #[test]
    fn long_labels_wrap_between_words() {
        assert_eq!(label_lines("Ward 7"), vec!["Ward 7"]);
        assert_eq!(
            label_lines("Eastmoor University Hospitals NHS Foundation Trust"),
            vec!["Eastmoor University Hospitals NHS", "Foundation Trust"]
        );
        assert_eq!(label_lines(""), vec![""]);
    }

    #[test]
    fn round_maxima() {
        assert!((nice_max(0.0) - 1.0).abs() < 1e-9);
        assert!((nice_max(7.0) - 10.0).abs() < 1e-9);
        assert!((nice_max(180.0) - 200.0).abs() < 1e-9);
        assert!((nice_max(239.84) - 250.0).abs() < 1e-9);
        assert!((nice_max(500.0) - 500.0).abs() < 1e-9);
    }

    #[test]
    fn labels_are_escaped_and_bars_scaled() {
        let c = BarChart {
            id: "spend",
            title: "Spend by ward".to_owned(),
            category_axis: "Ward".to_owned(),
            value_axis: "Spend (£)".to_owned(),
            max: None,
            tick: |v| format!("{v}"),
            bars: vec![
                Bar {
                    label: "A&E <Majors>".to_owned(),
                    value: 100.0,
                    shown: "£100.00".to_owned(),
                },
                Bar {
                    label: "Ward 2".to_owned(),
                    value: 50.0,
                    shown: "£50.00".to_owned(),
                },
            ],
        };
        let svg = c.svg();
        assert!(svg.contains("A&amp;E &lt;Majors&gt;"));
        assert!(!svg.contains("<Majors>"));
        assert!(svg.contains(r#"width="100.00%""#));
        assert!(svg.contains(r#"width="50.00%""#));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("Ward 2: £50.00."));
    }
}
