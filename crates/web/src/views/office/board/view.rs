//! The board as the page shows it: days with their cells in ward order, each cell's counts and
//! tier in words, and where it links.

use chrono::{Datelike, NaiveDate};

use super::query::{BoardCell, ShiftBoard, StaffGroup};
use crate::format;
use crate::schema::Uuid;

/// A ward heading.
pub struct WardHead {
    /// Ward name.
    pub name: String,
    /// Site name.
    pub site: String,
}

/// One day of the board.
pub struct Day {
    /// `2026-12-03`.
    pub iso: String,
    /// "Thu 3 Dec".
    pub short: String,
    /// "Thursday 3 December 2026".
    pub long: String,
    /// Saturday or Sunday.
    pub weekend: bool,
    /// Its cells, in ward order.
    pub cells: Vec<CellView>,
    /// Shifts on the day, every ward.
    pub total: i32,
}

/// A count with its tag colour.
pub struct Count {
    /// "2 open".
    pub text: String,
    /// The design system's tag class.
    pub class: &'static str,
}

/// One cell.
pub struct CellView {
    /// The element's id (`cell-<ward>-<day>`), which the live script patches.
    pub id: String,
    /// Ward name.
    pub ward: String,
    /// Site name.
    pub site: String,
    /// Its shifts' page.
    pub href: String,
    /// "3 shifts".
    pub total_text: String,
    /// Shifts in it.
    pub total: i32,
    /// Its counts that are not zero.
    pub counts: Vec<Count>,
    /// "Open to this trust's bank".
    pub tier_now: Option<String>,
    /// "The whole bank from Tue 8 Dec, 9am".
    pub tier_next: Option<String>,
}

/// The board, ready to draw.
pub struct Board {
    /// The wards, in column order.
    pub wards: Vec<WardHead>,
    /// The days, in row order.
    pub days: Vec<Day>,
    /// "Thursday 3 December to Wednesday 16 December 2026".
    pub range: String,
}

impl Board {
    /// From the API's board; links keep the staff group filter.
    pub fn of(b: &ShiftBoard, group: Option<StaffGroup>) -> Self {
        let wards: Vec<(Uuid, WardHead)> = b
            .wards
            .iter()
            .map(|w| {
                (
                    w.ward.id,
                    WardHead {
                        name: w.ward.name.clone(),
                        site: w.site.name.clone(),
                    },
                )
            })
            .collect();
        let days = b
            .days
            .iter()
            .map(|d| {
                let cells: Vec<CellView> = wards
                    .iter()
                    .map(|(id, head)| {
                        let c = b.cells.iter().find(|c| c.day == *d && c.ward_id == *id);
                        cell(c, *id, *d, head, group)
                    })
                    .collect();
                Day {
                    iso: d.to_string(),
                    short: d.format("%a %-d %b").to_string(),
                    long: format::date(*d),
                    weekend: d.weekday().number_from_monday() >= 6,
                    total: cells.iter().map(|c| c.total).sum(),
                    cells,
                }
            })
            .collect();
        let range = match (b.days.first(), b.days.last()) {
            (Some(first), Some(last)) => {
                format!("{} to {}", first.format("%A %-d %B"), format::date(*last))
            }
            _ => String::new(),
        };
        Self {
            wards: wards.into_iter().map(|(_, h)| h).collect(),
            days,
            range,
        }
    }
}

/// The address of a cell's shifts.
pub fn cell_href(ward: Uuid, day: NaiveDate, group: Option<StaffGroup>) -> String {
    let mut href = format!("/office/board/shifts?ward={ward}&day={day}");
    if let Some(g) = group {
        href.push_str("&group=");
        href.push_str(g.code());
    }
    href
}

fn cell(
    c: Option<&BoardCell>,
    ward: Uuid,
    day: NaiveDate,
    head: &WardHead,
    group: Option<StaffGroup>,
) -> CellView {
    let mut counts = Vec::new();
    let mut tier_now = None;
    let mut tier_next = None;
    let total = c.map_or(0, |c| c.total);
    if let Some(c) = c {
        for (n, what, class) in [
            (c.open, "open", "nhsuk-tag--blue"),
            (c.partly_filled, "partly filled", "nhsuk-tag--yellow"),
            (c.escalated, "with agency", "nhsuk-tag--red"),
            (c.filled, "filled", "nhsuk-tag--green"),
            (c.cancelled, "cancelled", "nhsuk-tag--grey"),
        ] {
            if n > 0 {
                counts.push(Count {
                    text: format!("{n} {what}"),
                    class,
                });
            }
        }
        tier_now = c.open_tier.map(|t| format!("Open to {}", t.words()));
        tier_next = c.next_tier.zip(c.next_tier_opens_local).map(|(t, at)| {
            let mut words = t.words().to_owned();
            if let Some(first) = words.get(..1) {
                words = first.to_uppercase() + &words[1..];
            }
            format!(
                "{words} from {}, {}",
                at.format("%a %-d %b"),
                format::time(at)
            )
        });
    }
    CellView {
        id: format!("cell-{ward}-{day}"),
        ward: head.name.clone(),
        site: head.site.clone(),
        href: cell_href(ward, day, group),
        total_text: format::count(i64::from(total), "shift"),
        total,
        counts,
        tier_now,
        tier_next,
    }
}
