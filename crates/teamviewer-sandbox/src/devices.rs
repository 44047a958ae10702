//! Computers & Contacts (`GET /api/v1/devices`, `GET /api/v1/devices/{device_id}`) and groups
//! (`GET /api/v1/groups`) [docs/reference/teamviewer-web-api.md §4], and what the world outside the product does to them:
//! a TeamViewer Host assigned to the account after its one-time activation, going on and off
//! line, and a device user asking for help (a service case waiting unassigned, `u0`).
//!
//! Documented: the fields and filters (TVDOC §4.10, TVPS `Get-TeamViewerDevice.ps1`). Sandbox
//! choices where TeamViewer documents nothing, marked so: `supported_features` is sent as one
//! comma-separated string, an unknown `device_id` answers `400 invalid_request` like an unknown
//! session code, and `GET /groups` matches `name` as a case-insensitive substring.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use serde_json::{json, Value};

use crate::wire::{bearer_token, require_auth, ApiError};
use crate::Shared;

/// One entry of the account's Computers & Contacts list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SandboxDevice {
    /// `d…`, the contact-list entry.
    pub device_id: String,
    /// `r<TeamViewer ID>`.
    pub remotecontrol_id: String,
    pub alias: String,
    pub description: String,
    pub groupid: Option<String>,
    /// `online`, `busy`, `away` or `offline`.
    pub online_state: String,
    /// Assigned to the account (unattended access).
    pub assigned_to: bool,
    pub supported_features: Vec<String>,
    /// When it was last online (kept while offline; not sent while online).
    pub last_seen: Option<DateTime<Utc>>,
    pub policy_id: Option<String>,
}

impl SandboxDevice {
    /// An Android TeamViewer Host after its one-time activation, assigned to the account under
    /// `alias` (what an assignment with a device alias produces; docs/reference/teamviewer-web-api.md §6.5).
    pub fn assigned_host(alias: &str, online: bool) -> Self {
        let mut rng = rand::thread_rng();
        Self {
            device_id: format!("d{}", rng.gen_range(100_000_000u32..1_000_000_000)),
            remotecontrol_id: format!("r{}", rng.gen_range(1_000_000_000u64..10_000_000_000)),
            alias: alias.to_owned(),
            description: String::new(),
            groupid: None,
            online_state: if online { "online" } else { "offline" }.to_owned(),
            assigned_to: true,
            supported_features: vec!["chat".to_owned(), "remote_control".to_owned()],
            last_seen: (!online).then(|| Utc::now() - chrono::Duration::hours(3)),
            policy_id: Some("inherit".to_owned()),
        }
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn device_json(d: &SandboxDevice) -> Value {
    let mut v = json!({
        "device_id": d.device_id,
        "remotecontrol_id": d.remotecontrol_id,
        "alias": d.alias,
        "description": d.description,
        "online_state": d.online_state,
        "assigned_to": d.assigned_to,
        "supported_features": d.supported_features.join(", "),
    });
    if let Some(group) = &d.groupid {
        v["groupid"] = json!(group);
    }
    if let Some(policy) = &d.policy_id {
        v["policy_id"] = json!(policy);
    }
    // Absent while online; only for devices assigned to the current user (docs/reference/teamviewer-web-api.md §4).
    if let (Some(seen), true, false) = (d.last_seen, d.assigned_to, d.online_state == "online") {
        v["last_seen"] = json!(time(seen));
    }
    v
}

/// `GET /devices`: filters `online_state`, `groupid`, `remotecontrol_id`.
pub(crate) async fn list_devices(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    require_auth(&state, &headers)?;
    if let Some(wanted) = query.get("online_state") {
        if !["online", "busy", "away", "offline"].contains(&wanted.to_ascii_lowercase().as_str()) {
            return Err(ApiError::invalid_request(
                "online_state must be online, busy, away or offline",
            ));
        }
    }
    let devices: Vec<Value> = state
        .devices
        .iter()
        .filter(|d| {
            query
                .get("online_state")
                .is_none_or(|s| s.eq_ignore_ascii_case(&d.online_state))
        })
        .filter(|d| {
            query
                .get("groupid")
                .is_none_or(|g| d.groupid.as_deref() == Some(g.as_str()))
        })
        .filter(|d| {
            query
                .get("remotecontrol_id")
                .is_none_or(|r| *r == d.remotecontrol_id)
        })
        .map(device_json)
        .collect();
    Ok(Json(json!({ "devices": devices })).into_response())
}

/// `GET /devices/{device_id}`: the same object in `devices[]`.
pub(crate) async fn get_device(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(device_id): Path<String>,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    require_auth(&state, &headers)?;
    let device = state
        .devices
        .iter()
        .find(|d| d.device_id == device_id)
        .ok_or_else(|| ApiError::invalid_request("Unknown device_id"))?;
    Ok(Json(json!({ "devices": [device_json(device)] })).into_response())
}

/// `GET /groups?name=…`: `groups[]` with `id`, `name`, `permissions`, `shared_with`, `owner`.
pub(crate) async fn list_groups(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    require_auth(&state, &headers)?;
    let owner = bearer_token(&headers).map(|t| state.account_for(t).clone());
    let name = query.get("name").map(|n| n.to_lowercase());
    let groups: Vec<Value> = state
        .groups
        .iter()
        .filter(|(_, n)| name.as_ref().is_none_or(|w| n.to_lowercase().contains(w)))
        .map(|(id, n)| {
            json!({
                "id": id,
                "name": n,
                "permissions": "owned",
                "shared_with": [],
                "owner": owner.as_ref().map(|o| json!({"userid": o.userid, "name": o.name})),
            })
        })
        .collect();
    Ok(Json(json!({ "groups": groups })).into_response())
}

/// What a device user's help request carries (the end customer and their words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpRequest {
    pub name: Option<String>,
    pub email: Option<String>,
    pub description: Option<String>,
    /// The group the case waits in (created when unknown, as `POST /sessions` does).
    pub group_name: String,
}

impl crate::SandboxHandle {
    /// A user of the company besides the sandbox's account (sessions may be assigned to them).
    pub fn add_user(&self, user: crate::SandboxAccount) {
        let mut state = self.shared.lock();
        state.users.retain(|u| u.userid != user.userid);
        state.users.push(user);
    }

    /// A script token that acts as `userid` (one of the company's users).
    pub fn add_user_token(&self, token: &str, userid: &str) {
        let mut state = self.shared.lock();
        state.script_tokens.insert(token.to_owned());
        state
            .token_users
            .insert(token.to_owned(), userid.to_owned());
    }

    /// Adds (or replaces, by `remotecontrol_id`) a device in the account's list.
    pub fn add_device(&self, device: SandboxDevice) {
        self.shared.transact(|state| {
            state
                .devices
                .retain(|d| d.remotecontrol_id != device.remotecontrol_id);
            state.devices.push(device);
        });
    }

    /// Every device in the account's list.
    pub fn devices(&self) -> Vec<SandboxDevice> {
        self.shared.transact(|state| state.devices.clone())
    }

    /// The device goes on or off line (its `last_seen` is kept while offline). `false`: no such
    /// device.
    pub fn set_device_online(&self, remotecontrol_id: &str, online: bool) -> bool {
        self.shared.transact(|state| {
            match state
                .devices
                .iter_mut()
                .find(|d| d.remotecontrol_id == remotecontrol_id)
            {
                Some(device) => {
                    if online {
                        device.online_state = "online".to_owned();
                    } else {
                        if device.online_state == "online" {
                            device.last_seen = Some(Utc::now());
                        }
                        device.online_state = "offline".to_owned();
                    }
                    true
                }
                None => false,
            }
        })
    }

    /// A device user asks for help: an open service case, unassigned (`assigned_userid` `u0`),
    /// waiting in `group_name`'s service queue, as the device side creates it. Returns its code.
    pub fn request_help(&self, request: &HelpRequest) -> String {
        self.shared.transact(|state| {
            let groupid = state.group_for_name(&request.group_name);
            let code = state.new_session_code();
            let session = crate::api::new_case(
                state,
                crate::api::NewCase {
                    code: code.clone(),
                    groupid,
                    description: request.description.clone(),
                    waiting_message: None,
                    end_customer_name: request.name.clone(),
                    end_customer_email: request.email.clone(),
                    assigned_userid: "u0".to_owned(),
                    support_session_type: "Default".to_owned(),
                    custom_api: None,
                    valid_until: Utc::now() + chrono::Duration::hours(24),
                },
            );
            state.sessions.push(session);
            code
        })
    }
}
