//! The fake's Common Platform Services *Get device groups associated with device list*,
//! `POST /msa/v1/cps/rule/deviceGuid` [CPS API guide, "Device Group APIs",
//! `Get_Device_Groups_by_Device_Guid.htm`], behind the CPS user's Basic credentials.
//!
//! Documented and followed: the JSON body `{"identifiers": ["<deviceGuid>", …]}` and the
//! answer `{"errors": null, "result": [{"deviceGuid", "rules": [{"id", "name",
//! "definition"}]}]}`, a rule being a device group ("device groups correspond to rule IDs").
//!
//! Fake's choices, where the guide is silent: every known device asked about is in the answer,
//! with `rules: []` when it is in no group; an unknown GUID is left out (as CPS ignores invalid
//! identifiers); at most 200 identifiers a call, a 400 naming the field as the inventory call
//! does. The groups: a kiosk device (`kioskState: CONFIGURED`) is in **Warehouse** (definition
//! `KIOSKSTATE EQ 'CONFIGURED'`), about one device in eight (chosen by guid) is in the static
//! group **Store 12**; a test sets others with
//! [`crate::FakeIvantiHandle::set_device_groups`]. [`crate::Failure::Forbidden`] on
//! [`crate::Endpoint::DeviceGroups`] is a CPS role that may not read device groups.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::api::envelope_error;
use super::cps::{field_error, Identifiers};
use super::fleet::mix;
use super::Shared;

/// The most identifiers one call takes (the inventory's "Batch ID recommendation").
const MAX_IDS: usize = 200;

/// The group every kiosk device is in.
pub const WAREHOUSE: &str = "Warehouse";
/// A static group about one device in eight is in.
pub const STORE: &str = "Store 12";

fn guid_of(record: &Value) -> Option<String> {
    record
        .get("guid")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
}

/// The device groups the fake reports for a record: a test's, else derived from the record.
pub(crate) fn groups_of(state: &super::State, record: &Value) -> Vec<String> {
    let Some(guid) = guid_of(record) else {
        return Vec::new();
    };
    if let Some(set) = state.groups.get(&guid) {
        return set.clone();
    }
    let mut out = Vec::new();
    if record.get("kioskState").and_then(Value::as_str) == Some("CONFIGURED") {
        out.push(WAREHOUSE.to_owned());
    }
    let seed = guid
        .bytes()
        .fold(0x0842_2225_u64, |h, b| mix(h ^ u64::from(b)));
    if seed % 8 == 0 {
        out.push(STORE.to_owned());
    }
    out
}

/// A rule object: an id stable for the name, the name, and a definition.
fn rule(name: &str) -> Value {
    let id = name.bytes().fold(38_089_u64, |h, b| mix(h ^ u64::from(b))) % 1_000_000;
    let definition = match name {
        WAREHOUSE => "KIOSKSTATE EQ 'CONFIGURED'".to_owned(),
        _ => String::new(),
    };
    json!({"id": id, "name": name, "definition": definition})
}

/// `POST /msa/v1/cps/rule/deviceGuid`.
pub(crate) async fn device_groups(
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
    let mut state = shared.lock();
    let index = Identifiers::current(&mut state);
    let mut found: Vec<usize> = ids.iter().filter_map(|id| index.by_guid(id)).collect();
    found.sort_unstable();
    found.dedup();
    let result: Vec<Value> = found
        .into_iter()
        .filter_map(|i| {
            let record = &state.devices[i];
            let guid = guid_of(record)?;
            let rules: Vec<Value> = groups_of(&state, record).iter().map(|n| rule(n)).collect();
            Some(json!({"deviceGuid": guid, "rules": rules}))
        })
        .collect();
    drop(state);
    Json(json!({"errors": null, "result": result})).into_response()
}
