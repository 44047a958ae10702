//! Ivanti's JSON: the `{"errors", "result"}` envelope, partitions, device search results, and
//! the mapping of one device record to [`Device`] [docs/reference/mdm-apis.md §2.2–§2.5].
//!
//! Records are read field by field from a JSON object, so one record with an odd field type
//! never fails the whole page: it maps with a default or lands in `skipped`.

use chrono::{DateTime, Utc};
use helpatwork_domain::device::{Device, DeviceUser, ManagementFacts, Ownership, Platform};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::MDM;
use crate::connector::SkippedRecord;
use crate::error::{tidy, tidy_to, MdmError};

/// Longest id accepted from Ivanti (numeric ids and GUIDs are far shorter).
const MAX_ID_LEN: usize = 128;
/// Longest display text kept from a record (names, models, versions).
const MAX_TEXT_LEN: usize = 200;

#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    errors: Value,
    #[serde(default)]
    result: Value,
}

/// Parses the envelope and returns `result`; non-null `errors` become `invalid_request`.
fn result_of(body: &[u8], what: &str) -> Result<Value, MdmError> {
    let envelope: Envelope = serde_json::from_slice(body)
        .map_err(|_| MdmError::malformed(MDM, format!("{what}: not a JSON envelope")))?;
    if has_errors(&envelope.errors) {
        return Err(MdmError::InvalidRequest {
            mdm: MDM,
            message: messages_in(&envelope.errors)
                .unwrap_or_else(|| format!("{what}: the answer reported errors")),
        });
    }
    if envelope.result.is_null() {
        return Err(MdmError::malformed(MDM, format!("{what}: no result")));
    }
    Ok(envelope.result)
}

/// Whether an `errors` value says anything: `null`, `[]`, `{}` and objects of those do not.
fn has_errors(errors: &Value) -> bool {
    match errors {
        Value::Null => false,
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => map.values().any(has_errors),
        _ => true,
    }
}

/// The readable messages of an error body, e.g. `rows: must be between 1 and 500` from
/// `{"errors":{"fieldErrors":[{"field":"rows","code":"Range","message":"must be between 1 and 500"}]}}`.
pub(crate) fn error_messages(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    messages_in(value.get("errors")?)
}

fn messages_in(errors: &Value) -> Option<String> {
    let mut found = Vec::new();
    collect_messages(errors, &mut found, 0);
    found.dedup();
    found.truncate(3);
    (!found.is_empty()).then(|| tidy(&found.join("; ")))
}

fn collect_messages(value: &Value, found: &mut Vec<String>, depth: usize) {
    if depth > 4 || found.len() >= 3 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(message) = map.get("message").and_then(Value::as_str) {
                let text = match map.get("field").and_then(Value::as_str) {
                    Some(field) if !field.is_empty() => format!("{field}: {message}"),
                    _ => message.to_owned(),
                };
                found.push(tidy(&text));
            } else {
                for v in map.values() {
                    collect_messages(v, found, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                collect_messages(v, found, depth + 1);
            }
        }
        Value::String(text) if !text.trim().is_empty() => found.push(tidy(text)),
        _ => {}
    }
}

/// A device space (`GET /api/v1/tenant/partition/device`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    /// The `dmPartitionId` device calls take.
    pub id: String,
    pub name: String,
    /// `defaultPartition`: the tenant's default space.
    pub default: bool,
}

pub(crate) fn parse_partitions(body: &[u8]) -> Result<Vec<Partition>, MdmError> {
    let result = result_of(body, "partitions")?;
    let items = result
        .get("searchResults")
        .and_then(Value::as_array)
        .ok_or_else(|| MdmError::malformed(MDM, "partitions: no searchResults list"))?;
    Ok(items
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|p| {
            Some(Partition {
                id: id_text(p.get("id")?)?,
                name: text(p, "name").unwrap_or_default(),
                default: flag(p, "defaultPartition").unwrap_or(false),
            })
        })
        .collect())
}

/// One page of `GET /api/v1/device`.
pub(crate) struct SearchPage {
    pub(crate) total: u64,
    pub(crate) records: Vec<Value>,
    /// `facetedResults.REGISTRATIONSTATE`: how many matching records are in each state, when
    /// the answer carries it (`{"ACTIVE": 1, "RETIRED": 2}` in XSOAR's real answer).
    pub(crate) registration: Option<Vec<(String, u64)>>,
}

pub(crate) fn parse_search(body: &[u8]) -> Result<SearchPage, MdmError> {
    let mut result = result_of(body, "device search")?;
    let total = result
        .get("totalCount")
        .and_then(number)
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| MdmError::malformed(MDM, "device search: no totalCount"))?;
    let records = match result.get_mut("searchResults").map(Value::take) {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None if total == 0 => Vec::new(),
        _ => {
            return Err(MdmError::malformed(
                MDM,
                "device search: no searchResults list",
            ))
        }
    };
    let registration = result
        .get("facetedResults")
        .and_then(|f| f.get("REGISTRATIONSTATE"))
        .and_then(Value::as_object)
        .map(|counts| {
            counts
                .iter()
                .filter_map(|(state, n)| {
                    let n = number(n).and_then(|n| u64::try_from(n).ok())?;
                    Some((tidy_to(state, 40).to_ascii_uppercase(), n))
                })
                .collect()
        });
    Ok(SearchPage {
        total,
        records,
        registration,
    })
}

/// The count in an action answer, `{"errors": null, "result": 1}` [docs/reference/mdm-apis.md §2.5].
pub(crate) fn parse_action_count(body: &[u8]) -> Result<u64, MdmError> {
    let result = result_of(body, "device action")?;
    number(&result)
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| MdmError::malformed(MDM, "device action: result is not a count"))
}

/// What one search record becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mapped {
    /// A managed device, and its `guid` (what the app inventory is asked by), if it has one.
    Device(Box<Device>, Option<String>),
    /// `RETIRED` / `RETIRE_PENDING`: no longer managed.
    Removed(String),
    Skipped(SkippedRecord),
}

/// Maps one device record [docs/reference/mdm-apis.md §2.4]:
///
/// | `Device` | Ivanti |
/// |---|---|
/// | `id` | `id` (as text), else `guid` |
/// | `name` | `deviceName`, else `entityName`, else `displayName`, else the id |
/// | `user.name` | `firstName lastName`, else `displayName`, else `uid` |
/// | `user.email` | `emailAddress`, else `uid` when it is an e-mail address |
/// | `platform` | `platformType`: `ANDROID`, `IOS`, `WINDOWS*`, `MACOS`/`OSX`, else other |
/// | `os_version` | `platformVersion` |
/// | `manufacturer` | `manufacturer` |
/// | `model` | `prettyModel`, else `deviceModel` |
/// | `kiosk` | `androidDeviceOwnerModeEnabled`, or `kioskState` set and not `NOT_CONFIGURED` |
/// | `mam_only` | `mamOnly` |
/// | `online` (reachable) | `registrationState == ACTIVE`; online *now* is computed when read, from `last_checkin` |
/// | `last_checkin` | `lastCheckin` (epoch ms), else `clientLastCheckin`; neither: skipped |
/// | `host_activated` | unknown (`None`): Ivanti reports no TeamViewer Host activation |
/// | `apps` | unknown (`None`): the device search has no installed-apps field; CPS's *Get application inventory* fills them in when configured (`cps.rs`) |
/// | `management.compliant` | `complianceState` |
/// | `management.quarantined` | `quarantined` |
/// | `management.jailbroken` | `jailbroken` (jailbroken iOS or rooted Android) |
/// | `management.supervised` | `supervised` (iOS; `null` on Android) |
/// | `management.lost_mode` | `lostModeEnabled` (in XSOAR's real answer, not in the guide's field list) |
/// | `management.ownership` | `ownershipType`: `COMPANY_OWNED` / `EMPLOYEE_OWNED`, else unknown |
/// | `management.client_version` | `clientVersion` |
///
/// `with_guid`: also return the record's `guid` (what the app inventory is asked by); a sync
/// without CPS access does not pay for it.
pub(crate) fn map_record(record: &Value, with_guid: bool) -> Mapped {
    let Some(fields) = record.as_object() else {
        return skipped(None, "the record is not a JSON object");
    };
    let id = match fields
        .get("id")
        .and_then(id_text)
        .or_else(|| fields.get("guid").and_then(id_text))
    {
        Some(id) => id,
        None => return skipped(None, "the record has no usable id or guid"),
    };
    let state = text(fields, "registrationState")
        .unwrap_or_default()
        .to_ascii_uppercase();
    if matches!(state.as_str(), "RETIRED" | "RETIRE_PENDING") {
        return Mapped::Removed(id);
    }
    let Some(last_checkin) =
        epoch_ms(fields, "lastCheckin").or_else(|| epoch_ms(fields, "clientLastCheckin"))
    else {
        return skipped(Some(id), "the device never checked in (no lastCheckin)");
    };
    let online = state == "ACTIVE";
    let user_name = match (text(fields, "firstName"), text(fields, "lastName")) {
        (Some(first), Some(last)) => format!("{first} {last}"),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => text(fields, "displayName")
            .or_else(|| text(fields, "uid"))
            .unwrap_or_default(),
    };
    let email = text(fields, "emailAddress")
        .or_else(|| text(fields, "uid").filter(|uid| uid.contains('@')))
        .unwrap_or_default();
    let kiosk_state = text(fields, "kioskState").map(|s| s.to_ascii_uppercase());
    let kiosk = flag(fields, "androidDeviceOwnerModeEnabled").unwrap_or(false)
        || kiosk_state.is_some_and(|s| s != "NOT_CONFIGURED");
    let device = Device {
        name: text(fields, "deviceName")
            .or_else(|| text(fields, "entityName"))
            .or_else(|| text(fields, "displayName"))
            .unwrap_or_else(|| id.clone()),
        user: DeviceUser {
            name: user_name,
            email,
        },
        platform: platform(text(fields, "platformType").as_deref()),
        os_version: text(fields, "platformVersion").unwrap_or_default(),
        manufacturer: text(fields, "manufacturer").unwrap_or_default(),
        model: text(fields, "prettyModel")
            .or_else(|| text(fields, "deviceModel"))
            .unwrap_or_default(),
        kiosk,
        mam_only: flag(fields, "mamOnly").unwrap_or(false),
        online,
        last_checkin,
        host_activated: None,
        apps: None,
        management: management(fields),
        id,
        labels: None,
        locale: None,
    };
    let guid = with_guid
        .then(|| fields.get("guid").and_then(id_text))
        .flatten();
    Mapped::Device(Box::new(device), guid)
}

/// The management facts the record carries; a field it lacks (or of an odd type) is unknown.
fn management(fields: &Map<String, Value>) -> ManagementFacts {
    ManagementFacts {
        compliant: flag(fields, "complianceState"),
        quarantined: flag(fields, "quarantined"),
        jailbroken: flag(fields, "jailbroken"),
        supervised: flag(fields, "supervised"),
        lost_mode: flag(fields, "lostModeEnabled"),
        // Compared in place: a sync maps this for every device.
        ownership: match fields
            .get("ownershipType")
            .and_then(Value::as_str)
            .map(str::trim)
        {
            Some(o)
                if o.eq_ignore_ascii_case("COMPANY_OWNED") || o.eq_ignore_ascii_case("COMPANY") =>
            {
                Some(Ownership::Company)
            }
            Some(o)
                if o.eq_ignore_ascii_case("EMPLOYEE_OWNED")
                    || o.eq_ignore_ascii_case("EMPLOYEE") =>
            {
                Some(Ownership::Employee)
            }
            _ => None,
        },
        client_version: text(fields, "clientVersion"),
        // Ivanti's device record names no Android Enterprise enrolment mode (§2.4).
        android_enrollment: None,
    }
}

fn skipped(id: Option<String>, reason: &str) -> Mapped {
    Mapped::Skipped(SkippedRecord {
        id,
        reason: reason.to_owned(),
    })
}

fn platform(kind: Option<&str>) -> Platform {
    let kind = kind.unwrap_or_default().to_ascii_uppercase();
    match kind.as_str() {
        "ANDROID" => Platform::Android,
        "IOS" => Platform::Ios,
        "MACOS" | "OSX" | "MAC_OS" | "MACOSX" => Platform::Macos,
        k if k.starts_with("WINDOWS") => Platform::Windows,
        _ => Platform::Other,
    }
}

/// A trimmed, cleaned, non-empty string field.
fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    let value = fields.get(key)?.as_str()?;
    let clean = tidy_to(value, MAX_TEXT_LEN);
    (!clean.is_empty()).then_some(clean)
}

/// A boolean field; `"true"`/`"false"` strings are accepted too.
fn flag(fields: &Map<String, Value>, key: &str) -> Option<bool> {
    match fields.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// An integer given as a JSON number (integral) or a numeric string.
fn number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn epoch_ms(fields: &Map<String, Value>, key: &str) -> Option<DateTime<Utc>> {
    let ms = number(fields.get(key)?)?;
    (ms > 0).then(|| DateTime::from_timestamp_millis(ms))?
}

/// An id as text: a non-negative integer, or a short string of letters, digits, `-` and `_`.
fn id_text(value: &Value) -> Option<String> {
    let id = match value {
        Value::Number(n) => n.as_u64()?.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    let valid = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then_some(id)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn device(record: Value) -> Device {
        match map_record(&record, true) {
            Mapped::Device(d, _) => *d,
            other => panic!("not a device: {other:?}"),
        }
    }

    #[test]
    fn envelope_errors_become_invalid_request() {
        let body = br#"{"errors":{"fieldErrors":[{"code":"Range","message":"must be between 1 and 500"}]},"result":null}"#;
        let err = parse_search(body).err().expect("error");
        assert_eq!(
            err,
            MdmError::InvalidRequest {
                mdm: MDM,
                message: "must be between 1 and 500".to_owned()
            }
        );
    }

    #[test]
    fn empty_error_lists_are_not_errors() {
        let body = br#"{"errors":{"fieldErrors":[]},"result":{"totalCount":0,"searchResults":[]}}"#;
        assert_eq!(parse_search(body).expect("page").total, 0);
    }

    #[test]
    fn bad_json_never_panics() {
        for body in [
            &b""[..],
            b"null",
            b"[]",
            b"{\"result\":",
            b"{\"result\":{\"totalCount\":\"x\"}}",
            b"{\"result\":{\"totalCount\":-1,\"searchResults\":[]}}",
            b"{\"result\":{\"totalCount\":3,\"searchResults\":{}}}",
            b"\xff\xfe",
        ] {
            assert!(parse_search(body).is_err(), "{body:?}");
        }
        assert!(parse_partitions(b"{\"result\":{}}").is_err());
        assert!(parse_action_count(b"{\"errors\":null,\"result\":\"one\"}").is_err());
        assert_eq!(
            parse_action_count(br#"{"errors": null, "result": 1}"#).expect("count"),
            1
        );
    }

    #[test]
    fn odd_records_are_skipped_not_fatal() {
        assert!(matches!(
            map_record(&json!("text"), true),
            Mapped::Skipped(SkippedRecord { id: None, .. })
        ));
        assert!(matches!(
            map_record(&json!({"id": "a b;c", "guid": null}), true),
            Mapped::Skipped(SkippedRecord { id: None, .. })
        ));
        match map_record(&json!({"id": 7, "registrationState": "ACTIVE"}), true) {
            Mapped::Skipped(s) => {
                assert_eq!(s.id.as_deref(), Some("7"));
                assert!(s.reason.contains("never checked in"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fallbacks_fill_missing_fields() {
        let d = device(json!({
            "guid": "02fdc9d7-0000-0000-0000-1b3d96158fb9",
            "deviceName": null,
            "entityName": "ANDROID-Pixel-",
            "displayName": "Android AppConnect",
            "uid": "test1@email.com",
            "deviceModel": "Pixel",
            "platformType": "ANDROID",
            "clientLastCheckin": 1_600_797_224_252_i64,
            "registrationState": "ACTIVE",
            "kioskState": "KIOSK_MODE"
        }));
        assert_eq!(d.id, "02fdc9d7-0000-0000-0000-1b3d96158fb9");
        assert_eq!(d.name, "ANDROID-Pixel-");
        assert_eq!(d.user.name, "Android AppConnect");
        assert_eq!(d.user.email, "test1@email.com");
        assert_eq!(d.model, "Pixel");
        assert!(d.kiosk);
        assert!(d.online);
        assert_eq!(d.os_version, "");
    }

    #[test]
    fn platforms_are_recognized() {
        assert_eq!(platform(Some("ANDROID")), Platform::Android);
        assert_eq!(platform(Some("IOS")), Platform::Ios);
        assert_eq!(platform(Some("WINDOWS_PHONE")), Platform::Windows);
        assert_eq!(platform(Some("macOS")), Platform::Macos);
        assert_eq!(platform(Some("OSX")), Platform::Macos);
        assert_eq!(platform(Some("CHROME_OS")), Platform::Other);
        assert_eq!(platform(None), Platform::Other);
    }

    #[test]
    fn reachable_means_active_and_online_is_left_to_the_reader() {
        let base = json!({"id": 1, "registrationState": "ACTIVE",
            "lastCheckin": 1_600_800_000_000_i64 - 25 * 3_600_000});
        let d = device(base.clone());
        assert!(d.online, "reachable, whatever the check-in's age");
        assert!(!d.is_online(DateTime::from_timestamp_millis(1_600_800_000_000).unwrap()));
        let mut pending = base;
        pending["registrationState"] = json!("PENDING");
        assert!(!device(pending).online);
    }

    #[test]
    fn facts_ivanti_cannot_report_are_unknown() {
        let d = device(json!({"id": 1, "lastCheckin": 1, "platformType": "IOS"}));
        assert_eq!(d.apps, None);
        assert_eq!(d.host_activated, None);
        assert!(d.management.is_empty());
        let d = device(json!({"id": 1, "lastCheckin": 1, "complianceState": false,
            "quarantined": true, "jailbroken": false, "supervised": true, "lostModeEnabled": false,
            "ownershipType": "EMPLOYEE_OWNED", "clientVersion": "12.12.0"}));
        assert_eq!(
            d.management,
            ManagementFacts {
                compliant: Some(false),
                quarantined: Some(true),
                jailbroken: Some(false),
                supervised: Some(true),
                lost_mode: Some(false),
                ownership: Some(Ownership::Employee),
                client_version: Some("12.12.0".into()),
                android_enrollment: None,
            }
        );
        let unknown_owner = device(json!({"id": 1, "lastCheckin": 1, "ownershipType": "UNKNOWN"}));
        assert_eq!(unknown_owner.management.ownership, None);
    }

    #[test]
    fn hostile_text_is_cleaned_and_capped() {
        let d = device(
            json!({"id": 1, "lastCheckin": 1, "deviceName": format!("a\u{0}\nb{}", "x".repeat(500))}),
        );
        assert!(d.name.starts_with("a b"));
        assert!(d.name.chars().count() <= MAX_TEXT_LEN);
        assert!(!d.name.chars().any(char::is_control));
    }
}
