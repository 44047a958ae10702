//! The app inventory through Ivanti's Common Platform Services (CPS) API: *Get application
//! inventory*, `POST /msa/v1/cps/device/application` [CPS API guide, "Inventory APIs"].
//!
//! Documented: the body `{"identifiers": [...], "identifierType": "MDM_IDENTIFIER" | "GUID"}`
//! (GUID lets a client use device GUIDs instead of UEM identifiers); invalid identifiers are
//! ignored silently; each app is an *Application* object (`identifier`, `name`, `version`,
//! `managed`, `source`, iOS `shortVersion`, `bundleVersion`, `installing`, …) ["Object models"];
//! at most 100 identifiers a call are recommended, 200 allowed ["Batch ID recommendation"]; the
//! call is limited to 100–400 calls a minute per cluster ["Aggregate API rate limits per
//! cluster"]; Basic authentication with a user holding the CPS role, on the tenant's host.
//!
//! Left open by the guide, and chosen here (docs/ivanti.md says so too):
//! - the answer's shape beyond the Application fields: read as a JSON array with one entry per
//!   device, its apps under `applications` (as a shipping CPS client reads it), the device
//!   named by `deviceGuid` or else `identifier` (the names CPS's device objects use);
//! - which device identifier: the device search's `guid`, sent with `identifierType: GUID`;
//! - the iOS QuickSupport bundle identifier (unpublished): a `com.teamviewer.` app whose name
//!   says QuickSupport.
//!
//! A device the answer does not name keeps its apps unknown: the inventory depends on the
//! Android device mode and iOS privacy settings.

use std::collections::HashMap;
use std::time::Duration;

use helpatwork_domain::device::{AppKind, InstalledApp, Platform};
use helpatwork_domain::version::Version;
use helpatwork_net::RetryPolicy;
use reqwest::Method;
use serde_json::{json, Map, Value};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::config::CpsConfig;
use super::http::{Body, Transport};
use super::MDM;
use crate::error::{tidy_to, MdmError};

/// Identifiers per call: Ivanti's recommendation (the maximum is 200).
pub const IDS_PER_CALL: usize = 100;

/// Calls that may go at once before the pace applies (a small fleet waits for none).
const BURST: f64 = 10.0;

/// The TeamViewer apps Help@Work knows, by Android package name [teamviewer-web-api.md §7.1].
pub fn android_app(package: &str) -> Option<AppKind> {
    let package = package.trim().to_ascii_lowercase();
    match package.as_str() {
        "com.teamviewer.quicksupport.market" => Some(AppKind::Quicksupport),
        "com.teamviewer.host.market" => Some(AppKind::Host),
        "com.teamviewer.quicksupport.addon.universal" => Some(AppKind::AddonUniversal),
        p if p.starts_with("com.teamviewer.quicksupport.addon.") => Some(AppKind::AddonOem),
        _ => None,
    }
}

/// iOS has QuickSupport only (no Host, no add-ons). Its bundle identifier is not published
/// [teamviewer-web-api.md §7.1]: a TeamViewer (`com.teamviewer.`) app named QuickSupport.
pub fn ios_app(bundle: &str, name: &str) -> Option<AppKind> {
    let bundle = bundle.trim().to_ascii_lowercase();
    let name: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    (bundle.starts_with("com.teamviewer.") && name.contains("quicksupport"))
        .then_some(AppKind::Quicksupport)
}

/// The request body for one batch of device GUIDs.
pub(crate) fn request_body(guids: &[&str]) -> String {
    json!({"identifiers": guids, "identifierType": "GUID"}).to_string()
}

/// Spaces the calls: [`BURST`] at once, then `calls_per_minute` (a token bucket shared by every
/// page a sync reads at once).
#[derive(Debug)]
pub(crate) struct Pace {
    per_call: Duration,
    state: Mutex<(f64, Instant)>,
}

impl Pace {
    pub(crate) fn new(calls_per_minute: u32) -> Self {
        Self {
            per_call: Duration::from_secs(60) / calls_per_minute.max(1),
            state: Mutex::new((BURST, Instant::now())),
        }
    }

    /// Waits for this call's turn.
    pub(crate) async fn wait(&self) {
        let start = {
            let mut state = self.state.lock().await;
            let (tokens, at) = &mut *state;
            let now = Instant::now();
            let refill =
                now.saturating_duration_since(*at).as_secs_f64() / self.per_call.as_secs_f64();
            *tokens = (*tokens + refill).min(BURST);
            *at = now;
            *tokens -= 1.0;
            if *tokens >= 0.0 {
                return;
            }
            now + self.per_call.mul_f64(-*tokens)
        };
        tokio::time::sleep_until(start).await;
    }
}

/// The app inventory of the devices with these GUIDs (and platforms): TeamViewer apps by
/// GUID, for the devices the answer names.
pub(crate) async fn inventory(
    transport: &Transport,
    cps: &CpsConfig,
    retry: &RetryPolicy,
    pace: &Pace,
    devices: &[(&str, Platform)],
) -> Result<HashMap<String, Vec<InstalledApp>>, MdmError> {
    let url = cps.endpoint("device/application")?;
    let platforms: HashMap<String, Platform> = devices
        .iter()
        .map(|(guid, p)| (guid.to_ascii_lowercase(), *p))
        .collect();
    let mut out = HashMap::new();
    for batch in devices.chunks(IDS_PER_CALL) {
        let guids: Vec<&str> = batch.iter().map(|(g, _)| *g).collect();
        let body = request_body(&guids);
        let on_retry = |error: &MdmError, retry: helpatwork_net::Retry| {
            tracing::warn!(code = %error.code(), delay = ?retry.delay, "CPS app inventory failed; retrying");
        };
        // A read: retried like a GET when the service is busy or down.
        let answer = helpatwork_net::retry(retry, MdmError::is_transient, on_retry, || async {
            pace.wait().await;
            transport
                .send(
                    (&cps.user, &cps.password),
                    Method::POST,
                    url.clone(),
                    Some(Body::Json(body.clone().into_bytes())),
                )
                .await
        })
        .await?;
        for (guid, apps) in parse_inventory(&answer, &platforms)? {
            out.insert(guid, apps);
        }
    }
    Ok(out)
}

/// Parses an answer: `[{"deviceGuid"|"identifier": …, "applications": [Application…]}, …]`.
/// Entries for devices not asked about are ignored; an entry without a usable key is skipped.
pub(crate) fn parse_inventory(
    body: &[u8],
    asked: &HashMap<String, Platform>,
) -> Result<Vec<(String, Vec<InstalledApp>)>, MdmError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| MdmError::malformed(MDM, "app inventory: not JSON"))?;
    let Value::Array(entries) = value else {
        return Err(MdmError::malformed(
            MDM,
            "app inventory: not a list of devices",
        ));
    };
    let mut out = Vec::new();
    for entry in entries {
        let Some(fields) = entry.as_object() else {
            continue;
        };
        let key = ["deviceGuid", "identifier", "guid"]
            .iter()
            .filter_map(|k| fields.get(*k).and_then(Value::as_str))
            .map(|k| k.trim().to_ascii_lowercase())
            .find(|k| asked.contains_key(k));
        let Some(guid) = key else {
            continue;
        };
        let Some(Value::Array(apps)) = fields.get("applications") else {
            return Err(MdmError::malformed(
                MDM,
                "app inventory: a device without an applications list",
            ));
        };
        let platform = asked[&guid];
        out.push((guid, teamviewer_apps(apps, platform)));
    }
    Ok(out)
}

/// The TeamViewer apps among a device's applications, one per kind (a managed one first).
fn teamviewer_apps(apps: &[Value], platform: Platform) -> Vec<InstalledApp> {
    let mut found: Vec<InstalledApp> = Vec::new();
    for app in apps.iter().filter_map(Value::as_object) {
        let identifier = text(app, "identifier").unwrap_or_default();
        let name = text(app, "name").unwrap_or_default();
        let kind = match platform {
            Platform::Ios => ios_app(&identifier, &name),
            _ => android_app(&identifier),
        };
        let Some(kind) = kind else { continue };
        let installed = InstalledApp {
            app: kind,
            version: version(app, platform),
            managed: flag(app, "managed"),
            allowlisted: None,
            installing: flag(app, "installing") == Some(true),
        };
        match found.iter_mut().find(|a| a.app == kind) {
            Some(existing) if existing.managed != Some(true) && installed.managed == Some(true) => {
                *existing = installed;
            }
            Some(_) => {}
            None => found.push(installed),
        }
    }
    found.sort_by_key(|a| a.app);
    found
}

/// The version people read: iOS `shortVersion` (e.g. 15.59.0), else `version`; only one the
/// product can compare (S11), else unknown.
fn version(app: &Map<String, Value>, platform: Platform) -> Option<String> {
    let candidates = match platform {
        Platform::Ios => ["shortVersion", "version"],
        _ => ["version", "shortVersion"],
    };
    candidates
        .iter()
        .filter_map(|k| text(app, k))
        .find(|v| Version::parse(v).is_ok())
}

fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    let clean = tidy_to(fields.get(key)?.as_str()?, 200);
    (!clean.is_empty()).then_some(clean)
}

fn flag(fields: &Map<String, Value>, key: &str) -> Option<bool> {
    match fields.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(guids: &[(&str, Platform)]) -> HashMap<String, Platform> {
        guids.iter().map(|(g, p)| (g.to_string(), *p)).collect()
    }

    #[test]
    fn teamviewer_apps_are_known_by_package_and_bundle() {
        assert_eq!(
            android_app("com.teamviewer.quicksupport.market"),
            Some(AppKind::Quicksupport)
        );
        assert_eq!(
            android_app("com.teamviewer.host.market"),
            Some(AppKind::Host)
        );
        assert_eq!(
            android_app("com.teamviewer.quicksupport.addon.universal"),
            Some(AppKind::AddonUniversal)
        );
        assert_eq!(
            android_app("com.teamviewer.quicksupport.addon.samsung"),
            Some(AppKind::AddonOem)
        );
        assert_eq!(android_app("com.teamviewer.teamviewer.market.mobile"), None);
        assert_eq!(android_app("com.android.chrome"), None);
        assert_eq!(
            ios_app("com.teamviewer.quicksupport", "TeamViewer QuickSupport"),
            Some(AppKind::Quicksupport)
        );
        assert_eq!(ios_app("com.example.quicksupport", "QuickSupport"), None);
        assert_eq!(
            ios_app("com.teamviewer.rc", "TeamViewer Remote Control"),
            None
        );
    }

    #[test]
    fn an_answer_maps_to_each_asked_device() {
        let body = br#"[
          {"deviceGuid": "AAAA-1", "applications": [
            {"identifier": "com.android.chrome", "name": "Chrome", "version": "120.0", "managed": false},
            {"identifier": "com.teamviewer.quicksupport.market", "name": "TeamViewer QuickSupport",
             "version": "15.60.1", "managed": true, "source": "PUBLIC"},
            {"identifier": "com.teamviewer.quicksupport.addon.samsung", "version": "weird", "managed": "true"}
          ]},
          {"deviceGuid": "bbbb-2", "applications": [
            {"identifier": "com.teamviewer.quicksupport", "name": "TeamViewer QuickSupport",
             "version": "6733", "shortVersion": "15.59.0", "managed": true, "installing": true}
          ]},
          {"deviceGuid": "not-asked", "applications": []},
          "noise"
        ]"#;
        let got = parse_inventory(
            body,
            &asked(&[
                ("aaaa-1", Platform::Android),
                ("bbbb-2", Platform::Ios),
                ("cccc-3", Platform::Ios),
            ]),
        )
        .unwrap();
        assert_eq!(got.len(), 2, "the unnamed device stays unknown: {got:?}");
        let android = &got[0].1;
        assert_eq!(
            android[0],
            InstalledApp {
                app: AppKind::Quicksupport,
                version: Some("15.60.1".into()),
                managed: Some(true),
                allowlisted: None,
                installing: false,
            }
        );
        assert_eq!(android[1].app, AppKind::AddonOem);
        assert_eq!(android[1].version, None, "an unreadable version is unknown");
        let ios = &got[1].1;
        assert_eq!(ios[0].version.as_deref(), Some("15.59.0"));
        assert!(ios[0].installing);
    }

    #[test]
    fn unreadable_answers_are_errors_not_empty_inventories() {
        let asked = asked(&[("a", Platform::Android)]);
        for body in [&b"{}"[..], b"not json", br#"[{"deviceGuid":"a"}]"#] {
            assert!(parse_inventory(body, &asked).is_err(), "{body:?}");
        }
    }

    #[test]
    fn the_request_names_guids() {
        assert_eq!(
            request_body(&["g1", "g2"]),
            r#"{"identifierType":"GUID","identifiers":["g1","g2"]}"#
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_pace_lets_a_burst_through_then_spaces_calls() {
        let pace = Pace::new(60);
        let start = Instant::now();
        for _ in 0..10 {
            pace.wait().await;
        }
        assert!(start.elapsed() < Duration::from_millis(10));
        pace.wait().await;
        pace.wait().await;
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(1_900), "{waited:?}");
    }
}
