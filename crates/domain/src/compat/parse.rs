//! Reading a compatibility table (the shipped one, or an organisation's override): strict about
//! unknown fields, duplicate rules and formats, with errors that name the rule at fault.

use serde_json::{Map, Value};

use super::{AppSelector, CompatRule, CompatTable, DefaultRule, TABLE_FORMAT};
use crate::device::AppKind;
use crate::version::Version;

/// Why a compatibility table was refused. Rule numbers count from 1 in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompatError {
    #[error("the compatibility table is not valid JSON: {0}")]
    Json(String),
    #[error("the compatibility table must be a JSON object with \"format\" and \"rules\"")]
    NotAnObject,
    #[error("the compatibility table has no \"format\": add \"format\": 1")]
    MissingFormat,
    #[error(
        "the compatibility table has \"format\": {0}; this version of Help@Work reads format 1"
    )]
    UnsupportedFormat(String),
    #[error("the compatibility table field \"{field}\" {problem}")]
    Field { field: String, problem: String },
    #[error("compatibility rule #{number} {entry}: {problem}")]
    Rule {
        number: usize,
        entry: String,
        problem: String,
    },
    #[error("compatibility rule #{number} {entry} repeats rule #{first}: same device_app and device_major")]
    DuplicateRule {
        number: usize,
        first: usize,
        entry: String,
    },
}

pub(super) struct RawTable {
    pub(super) table: CompatTable,
    pub(super) extends_default: bool,
    pub(super) default_rule_given: bool,
}

const TABLE_FIELDS: [&str; 5] = ["format", "extends", "default_rule", "rules", "note"];
const RULE_FIELDS: [&str; 4] = ["device_app", "device_major", "min_desktop", "note"];

pub(super) fn parse_table(text: &str) -> Result<RawTable, CompatError> {
    let value: Value = serde_json::from_str(text).map_err(|e| CompatError::Json(e.to_string()))?;
    let Value::Object(top) = value else {
        return Err(CompatError::NotAnObject);
    };
    if let Some(unknown) = top.keys().find(|k| !TABLE_FIELDS.contains(&k.as_str())) {
        return Err(CompatError::Field {
            field: shorten(unknown),
            problem: format!("is not known; use {}", TABLE_FIELDS.join(", ")),
        });
    }
    match top.get("format") {
        None => return Err(CompatError::MissingFormat),
        Some(Value::Number(n)) if n.as_u64() == Some(TABLE_FORMAT) => {}
        Some(other) => return Err(CompatError::UnsupportedFormat(shorten(&other.to_string()))),
    }
    let extends_default = match top.get("extends") {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) if s == "default" => true,
        Some(_) => return Err(field_error("extends", "must be \"default\" or left out")),
    };
    let default_rule = match top.get("default_rule") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(DefaultRule::parse(s).ok_or_else(|| {
            field_error(
                "default_rule",
                "must be \"desktop-major-at-least-device-major\" or \"none\"",
            )
        })?),
        Some(_) => return Err(field_error("default_rule", "must be a string")),
    };
    let note = optional_string(&top, "note").map_err(|problem| field_error("note", &problem))?;
    let entries = match top.get("rules") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(entries)) => entries.as_slice(),
        Some(_) => return Err(field_error("rules", "must be a list of rules")),
    };

    let mut rules: Vec<CompatRule> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let number = index + 1;
        let rule = parse_rule(entry).map_err(|problem| CompatError::Rule {
            number,
            entry: shorten(&entry.to_string()),
            problem,
        })?;
        if let Some(first) = rules.iter().position(|r| r.key() == rule.key()) {
            return Err(CompatError::DuplicateRule {
                number,
                first: first + 1,
                entry: shorten(&entry.to_string()),
            });
        }
        rules.push(rule);
    }
    Ok(RawTable {
        table: CompatTable {
            default_rule: default_rule.unwrap_or_default(),
            rules,
            note,
        },
        extends_default,
        default_rule_given: default_rule.is_some(),
    })
}

fn parse_rule(entry: &Value) -> Result<CompatRule, String> {
    let Value::Object(fields) = entry else {
        return Err(
            "a rule must be an object with device_app, device_major and min_desktop".into(),
        );
    };
    if let Some(unknown) = fields.keys().find(|k| !RULE_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "field \"{}\" is not known; use {}",
            shorten(unknown),
            RULE_FIELDS.join(", ")
        ));
    }
    let device_app = match fields.get("device_app") {
        Some(Value::String(s)) if s == "any" => AppSelector::Any,
        Some(Value::String(s)) => match AppKind::parse(s) {
            Some(app @ (AppKind::Quicksupport | AppKind::Host)) => AppSelector::Only(app),
            _ => return Err(r#"device_app must be "quicksupport", "host" or "any""#.into()),
        },
        Some(_) => return Err(r#"device_app must be "quicksupport", "host" or "any""#.into()),
        None => return Err("device_app is missing".into()),
    };
    let device_major = match fields.get("device_major") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64().and_then(|m| u32::try_from(m).ok()) {
            Some(major) => Some(major),
            None => {
                return Err(
                    "device_major must be a whole number such as 15, or null for any".into(),
                )
            }
        },
        Some(_) => {
            return Err("device_major must be a whole number such as 15, or null for any".into())
        }
    };
    let min_desktop = match fields.get("min_desktop") {
        Some(Value::String(s)) => Version::parse(s).map_err(|e| format!("min_desktop: {e}"))?,
        Some(_) => return Err(r#"min_desktop must be a version string such as "15.0""#.into()),
        None => return Err("min_desktop is missing".into()),
    };
    let note = optional_string(fields, "note")?;
    Ok(CompatRule {
        device_app,
        device_major,
        min_desktop,
        note,
    })
}

fn optional_string(fields: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{name} must be a string")),
    }
}

fn field_error(field: &str, problem: &str) -> CompatError {
    CompatError::Field {
        field: field.to_owned(),
        problem: problem.to_owned(),
    }
}

/// Keeps error messages readable when a hostile file holds huge entries.
fn shorten(text: &str) -> String {
    const MAX_CHARS: usize = 120;
    if text.chars().count() <= MAX_CHARS {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(MAX_CHARS).collect();
        short.push('…');
        short
    }
}
