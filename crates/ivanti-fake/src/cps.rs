//! The fake's Common Platform Services endpoint: *Get application inventory*,
//! `POST /msa/v1/cps/device/application` (CPS API guide, "Inventory APIs"), behind its own
//! Basic credentials (a user with the CPS role).
//!
//! Documented and followed: the JSON body `{"identifiers": [...], "identifierType": ...}`
//! (`MDM_IDENTIFIER`, the default, or `GUID`), unknown identifiers ignored silently, at most 200
//! identifiers a call, and *Application* objects (`identifier`, `name`, `version`, `managed`,
//! `source`, iOS `shortVersion` / `bundleVersion` / `installing`, …).
//!
//! Fake's choices, where the guide is silent: the answer is a JSON array with one entry per
//! device found, `{"identifier": <UEM id>, "deviceGuid": <guid>, "applications": [...]}`; a
//! 400 names the field in `{"errors":{"fieldErrors":[…]}}` as the device API does; the tenant
//! admin user (no CPS role) gets 403; the UEM identifier is 40 hex digits derived from the
//! guid; the iOS QuickSupport bundle identifier is `com.teamviewer.quicksupport` (TeamViewer
//! does not publish it). Each generated device's inventory is its generated apps (the fleet's,
//! `crate::fleet`), unless a test sets it ([`super::FakeIvantiHandle::set_inventory`]); a few
//! devices are left out of every answer (chosen by guid), as Ivanti does for devices whose mode
//! or privacy settings hide their apps, and so is a record the fake did not generate.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use helpatwork_domain::{AppKind, InstalledApp};
use serde_json::{json, Value};

use super::api::envelope_error;
use super::fleet::mix;
use super::Shared;

/// The most identifiers one call takes ("Batch ID recommendation": 100 advised, 200 allowed).
const MAX_IDS: usize = 200;

/// The iOS QuickSupport bundle identifier the fake reports (fake's choice: unpublished).
pub const IOS_QUICKSUPPORT: &str = "com.teamviewer.quicksupport";

fn seed(guid: &str) -> u64 {
    guid.bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| mix(h ^ u64::from(b)))
}

/// The UEM identifier the fake gives a device (40 hex digits, like the guide's examples).
pub fn uem_identifier(guid: &str) -> String {
    let s = seed(guid);
    format!(
        "{:016x}{:016x}{:08x}",
        mix(s),
        mix(s ^ 1),
        mix(s ^ 2) & 0xffff_ffff
    )
}

fn application(identifier: &str, name: &str, version: &str, managed: bool) -> Value {
    json!({
        "identifier": identifier,
        "name": name,
        "version": version,
        "managed": managed,
        "source": "PUBLIC",
    })
}

/// The app inventory the fake reports for a device record: a test's ([`super::FakeIvantiHandle::set_inventory`]),
/// else the generated device's apps ([`rendered_inventory`]); `None`: left out of every answer
/// (a record the fake did not generate and no test set).
pub(crate) fn inventory_of(state: &super::State, record: &Value) -> Option<Vec<Value>> {
    let guid = record
        .get("guid")
        .and_then(Value::as_str)?
        .to_ascii_lowercase();
    if let Some(set) = state.inventories.get(&guid) {
        return set.clone();
    }
    let apps = state.generated_apps.get(&guid)?;
    let platform = record
        .get("platformType")
        .and_then(Value::as_str)
        .unwrap_or("");
    rendered_inventory(&guid, platform, apps)
}

/// A generated device's apps as CPS *Application* objects, beside an app every such device has
/// (Chrome, Safari); `None` when the fake leaves the device out of every answer (about one
/// device in twenty, chosen by its guid).
pub fn rendered_inventory(guid: &str, platform: &str, apps: &[InstalledApp]) -> Option<Vec<Value>> {
    if mix(seed(guid) ^ 0x9E37_79B9) % 20 == 0 {
        return None;
    }
    let mut out = Vec::new();
    match platform {
        "ANDROID" => out.push(application(
            "com.android.chrome",
            "Chrome",
            "131.0.6778.39",
            false,
        )),
        "IOS" => out.push(json!({
            "identifier": "com.apple.mobilesafari",
            "name": "Safari",
            "version": "8620.1.16.10.11",
            "shortVersion": "18.1",
            "managed": false,
            "source": "SYSTEM",
        })),
        _ => return Some(out),
    }
    for app in apps {
        let version = app.version.as_deref().unwrap_or_default();
        let managed = app.managed.unwrap_or(false);
        let mut entry = if platform == "IOS" {
            match app.app {
                AppKind::Quicksupport => json!({
                    "identifier": IOS_QUICKSUPPORT,
                    "name": "TeamViewer QuickSupport",
                    "version": bundle_version(version),
                    "shortVersion": version,
                    "bundleVersion": bundle_version(version),
                    "managed": managed,
                    "source": "PUBLIC",
                    "installing": false,
                    "updateAvailable": false,
                    "deviceBasedVPP": false,
                    "validated": true,
                }),
                // TeamViewer publishes no other iOS app the product looks for.
                _ => continue,
            }
        } else {
            let (identifier, name) = match app.app {
                AppKind::Quicksupport => (
                    "com.teamviewer.quicksupport.market",
                    "TeamViewer QuickSupport",
                ),
                AppKind::Host => ("com.teamviewer.host.market", "TeamViewer Host"),
                AppKind::AddonOem => (
                    "com.teamviewer.quicksupport.addon.samsung",
                    "TeamViewer QuickSupport Add-On (Samsung)",
                ),
                AppKind::AddonUniversal => (
                    "com.teamviewer.quicksupport.addon.universal",
                    "TeamViewer Universal Add-On",
                ),
            };
            application(identifier, name, version, managed)
        };
        if app.installing {
            entry["installing"] = json!(true);
        }
        out.push(entry);
    }
    Some(out)
}

/// `15.59.0` → `155900`: the build number iOS reports as `version`.
fn bundle_version(short: &str) -> String {
    let mut parts = short.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    (major * 10_000 + minor * 100 + patch).to_string()
}

pub(crate) fn field_error(field: &str, code: &str, message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "errors": {"fieldErrors": [{"field": field, "code": code, "message": message}]},
            "result": null
        })),
    )
        .into_response()
}

/// Where each device is in the fleet, by lower-case guid and by UEM identifier: a call names
/// up to 200 devices of a fleet of 100,000.
#[derive(Debug, Default)]
pub(crate) struct Identifiers {
    by_guid: HashMap<String, usize>,
    by_uem: HashMap<String, usize>,
}

impl Identifiers {
    /// The fleet's index, built once after each change of the fleet.
    pub(crate) fn current(state: &mut super::State) -> Arc<Self> {
        match &state.identifiers {
            Some(index) => index.clone(),
            None => {
                let index = Arc::new(Self::of(&state.devices));
                state.identifiers = Some(index.clone());
                index
            }
        }
    }

    /// The position of the device with this lower-case guid.
    pub(crate) fn by_guid(&self, guid: &str) -> Option<usize> {
        self.by_guid.get(guid).copied()
    }

    fn of(devices: &[Value]) -> Self {
        let mut index = Self::default();
        for (i, device) in devices.iter().enumerate() {
            if let Some(guid) = device.get("guid").and_then(Value::as_str) {
                let guid = guid.to_ascii_lowercase();
                index.by_uem.insert(uem_identifier(&guid), i);
                index.by_guid.insert(guid, i);
            }
        }
        index
    }
}

/// `POST /msa/v1/cps/device/application`.
pub(crate) async fn application_inventory(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_body {
        return envelope_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content type must be application/json",
        );
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return field_error("identifiers", "Invalid", "the body is not JSON");
    };
    let Some(ids) = request.get("identifiers").and_then(Value::as_array) else {
        return field_error("identifiers", "NotNull", "may not be null");
    };
    let ids: Vec<String> = ids
        .iter()
        .filter_map(Value::as_str)
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    if ids.is_empty() {
        return field_error("identifiers", "NotEmpty", "may not be empty");
    }
    if ids.len() > MAX_IDS {
        return field_error(
            "identifiers",
            "Size",
            "at most 200 identifiers are supported in one call",
        );
    }
    let by_guid = match request.get("identifierType").and_then(Value::as_str) {
        None | Some("MDM_IDENTIFIER") => false,
        Some("GUID") => true,
        Some(_) => {
            return field_error(
                "identifierType",
                "Invalid",
                "must be MDM_IDENTIFIER or GUID",
            )
        }
    };
    let mut state = shared.lock();
    let index = Identifiers::current(&mut state);
    let mut found: Vec<usize> = ids
        .iter()
        .filter_map(|id| {
            if by_guid {
                index.by_guid.get(id)
            } else {
                index.by_uem.get(id)
            }
        })
        .copied()
        .collect();
    found.sort_unstable();
    found.dedup();
    let mut answer = Vec::new();
    for i in found {
        let device = &state.devices[i];
        let retired = matches!(
            device.get("registrationState").and_then(Value::as_str),
            Some("RETIRED")
        );
        let Some(guid) = device.get("guid").and_then(Value::as_str) else {
            continue;
        };
        let guid = guid.to_ascii_lowercase();
        if retired {
            continue;
        }
        if let Some(apps) = inventory_of(&state, device) {
            let uem = uem_identifier(&guid);
            answer.push(json!({"identifier": uem, "deviceGuid": guid, "applications": apps}));
        }
    }
    drop(state);
    Json(Value::Array(answer)).into_response()
}
