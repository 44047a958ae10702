//! Allowed hours: days of the week and time ranges in a named time zone (IANA, `chrono-tz`), so
//! a policy means the same wherever the agent's PC is and across daylight-saving changes.

use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A day of the week, as a policy writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    fn of(weekday: Weekday) -> Day {
        match weekday {
            Weekday::Mon => Day::Mon,
            Weekday::Tue => Day::Tue,
            Weekday::Wed => Day::Wed,
            Weekday::Thu => Day::Thu,
            Weekday::Fri => Day::Fri,
            Weekday::Sat => Day::Sat,
            Weekday::Sun => Day::Sun,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Day::Mon => "mon",
            Day::Tue => "tue",
            Day::Wed => "wed",
            Day::Thu => "thu",
            Day::Fri => "fri",
            Day::Sat => "sat",
            Day::Sun => "sun",
        }
    }
}

/// On these days, from `from` (inclusive) to `to` (exclusive), `HH:MM`; `to` may be `24:00`.
/// A range never crosses midnight: write two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct HoursWindow {
    pub days: Vec<Day>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Hours {
    /// An IANA time zone name (`America/Sao_Paulo`, `Europe/Lisbon`, `UTC`).
    pub time_zone: String,
    pub windows: Vec<HoursWindow>,
}

/// What is wrong with a policy's hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    TimeZone(String),
    NoWindows,
    NoDays(usize),
    Time(String),
    Empty(usize),
}

/// Hours checked: the zone found, each range in minutes of the day.
#[derive(Debug, Clone)]
pub struct CompiledHours {
    pub tz: Tz,
    windows: Vec<(Vec<Day>, u32, u32)>,
}

fn minutes(text: &str, end: bool) -> Result<u32, HoursError> {
    if end && text.trim() == "24:00" {
        return Ok(24 * 60);
    }
    let t = NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| HoursError::Time(text.to_owned()))?;
    Ok(t.hour() * 60 + t.minute())
}

impl Hours {
    pub fn compile(&self) -> Result<CompiledHours, HoursError> {
        let tz = Tz::from_str(self.time_zone.trim())
            .map_err(|_| HoursError::TimeZone(self.time_zone.clone()))?;
        if self.windows.is_empty() {
            return Err(HoursError::NoWindows);
        }
        let mut windows = Vec::new();
        for (i, w) in self.windows.iter().enumerate() {
            if w.days.is_empty() {
                return Err(HoursError::NoDays(i + 1));
            }
            let (from, to) = (minutes(&w.from, false)?, minutes(&w.to, true)?);
            if from >= to {
                return Err(HoursError::Empty(i + 1));
            }
            windows.push((w.days.clone(), from, to));
        }
        Ok(CompiledHours { tz, windows })
    }

    /// `mon tue 08:00–18:00; sat 09:00–12:00 (America/Sao_Paulo)`.
    pub fn describe(&self) -> String {
        let ranges: Vec<String> = self
            .windows
            .iter()
            .map(|w| {
                let days: Vec<&str> = w.days.iter().map(|d| d.as_str()).collect();
                format!("{} {}–{}", days.join(" "), w.from, w.to)
            })
            .collect();
        format!("{} ({})", ranges.join("; "), self.time_zone)
    }
}

impl CompiledHours {
    /// Whether `now` falls in one of the ranges, read in the policy's time zone.
    pub fn allows(&self, now: DateTime<Utc>) -> bool {
        let local = now.with_timezone(&self.tz);
        let day = Day::of(local.weekday());
        let minute = local.hour() * 60 + local.minute();
        self.windows
            .iter()
            .any(|(days, from, to)| days.contains(&day) && (*from..*to).contains(&minute))
    }
}
