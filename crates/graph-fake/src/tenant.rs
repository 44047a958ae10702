//! The tenant objects the session delivery touches, in the reference's shapes (`fixtures/`):
//! Entra ID devices (`GET /v1.0/devices?$filter=deviceId eq '…'`), security groups
//! (`GET`/`POST /v1.0/groups`, `DELETE /v1.0/groups/{id}`), Intune apps
//! (`GET /{v1.0|beta}/deviceAppManagement/mobileApps`) and managed app configurations
//! (`GET`/`POST /{v1.0|beta}/deviceAppManagement/mobileAppConfigurations`, `DELETE …/{id}`,
//! `POST …/{id}/assign`), and `GET /v1.0/deviceManagement/managedDevices/{id}`. The state is
//! inspectable through [`crate::FakeGraphHandle`]. Choices the reference leaves open are marked
//! **fake's choice**.

use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::api::{graph_error, has_any, missing_permission};
use crate::{Shared, READ_DEVICES, READ_WRITE_DEVICES};

/// The reference's example answers these objects are rendered from.
pub const GROUP_EXAMPLE: &str = include_str!("../fixtures/group-create.json");
pub const IOS_CONFIGURATION_EXAMPLE: &str =
    include_str!("../fixtures/iosMobileAppConfiguration-create.json");
pub const ANDROID_CONFIGURATION_EXAMPLE: &str =
    include_str!("../fixtures/androidManagedStoreAppConfiguration-create.json");
pub const DEVICE_LIST_EXAMPLE: &str = include_str!("../fixtures/device-list.json");
pub const IOS_STORE_APP_EXAMPLE: &str = include_str!("../fixtures/iosStoreApp-get.json");
pub const ANDROID_STORE_APP_EXAMPLE: &str =
    include_str!("../fixtures/androidManagedStoreApp-get.json");

/// *List devices* (application, least privileged first).
pub const DEVICE_READ: &[&str] = &[
    "Device.Read.All",
    "Device.ReadWrite.All",
    "Directory.Read.All",
];
/// *List groups*.
pub const GROUP_READ: &[&str] = &[
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
];
/// *Create group*.
pub const GROUP_CREATE: &[&str] = &[
    "Group.Create",
    "Group.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// *Delete group*.
pub const GROUP_DELETE: &[&str] = &["Group.ReadWrite.All", "Directory.ReadWrite.All"];
/// *List mobileApps*, *List managedDeviceMobileAppConfigurations*.
pub const APPS_READ: &[&str] = &[
    "DeviceManagementApps.Read.All",
    "DeviceManagementApps.ReadWrite.All",
];
/// *Create* / *Delete* / *assign* of app configurations.
pub const APPS_WRITE: &[&str] = &["DeviceManagementApps.ReadWrite.All"];

/// The app packages and bundle the fake's tenant holds by default.
pub const IOS_QUICKSUPPORT: &str = "com.teamviewer.quicksupport";
pub const ANDROID_APPS: [&str; 3] = [
    "com.teamviewer.quicksupport.market",
    "com.teamviewer.host.market",
    "com.teamviewer.quicksupport.addon.universal",
];

/// A security group.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeGroup {
    pub id: String,
    pub display_name: String,
    pub mail_nickname: String,
    pub mail_enabled: bool,
    pub security_enabled: bool,
    /// Entra ID object ids of the members.
    pub members: Vec<String>,
}

/// A managed app configuration and its assignments.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeConfiguration {
    pub id: String,
    /// `v1.0` or `beta`: where it was created.
    pub version: String,
    /// The object as stored (the request's properties on the reference's example).
    pub object: Value,
    /// The `target.groupId` of each assignment.
    pub assigned_groups: Vec<String>,
}

impl FakeConfiguration {
    pub fn odata_type(&self) -> &str {
        self.object["@odata.type"].as_str().unwrap_or_default()
    }
    pub fn display_name(&self) -> &str {
        self.object["displayName"].as_str().unwrap_or_default()
    }
    /// The values written, as text: iOS `settings` as JSON, Android's `payloadJson` decoded
    /// from base64 when it is (as it stands otherwise).
    pub fn written(&self) -> String {
        use base64::Engine;
        match self.object["payloadJson"].as_str() {
            Some(payload) => base64::engine::general_purpose::STANDARD
                .decode(payload)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_else(|| payload.to_owned()),
            None => self.object["settings"].to_string(),
        }
    }
}

/// The tenant's objects.
#[derive(Debug, Clone, Default)]
pub struct Tenant {
    pub groups: Vec<FakeGroup>,
    pub configurations: Vec<FakeConfiguration>,
    /// `mobileApp` objects (rendered from the reference's examples).
    pub apps: Vec<Value>,
    /// The apps' assignments (distribution, [`crate::distribution`]).
    pub app_assignments: Vec<crate::distribution::FakeAppAssignment>,
    pub(crate) next_id: u64,
}

impl Tenant {
    pub(crate) fn new() -> Self {
        let mut ios = example_value(IOS_STORE_APP_EXAMPLE);
        ios["id"] = "a04adbe2-dbe2-a04a-e2db-4aa0e2db4aa0".into();
        ios["displayName"] = "TeamViewer QuickSupport".into();
        ios["publisher"] = "TeamViewer".into();
        ios["bundleId"] = IOS_QUICKSUPPORT.into();
        let mut apps = vec![ios];
        for (n, package) in ANDROID_APPS.iter().enumerate() {
            let mut app = example_value(ANDROID_STORE_APP_EXAMPLE);
            app["id"] = format!("87247525-7525-8724-2575-24872575248{n}").into();
            app["displayName"] = (*package).into();
            app["publisher"] = "TeamViewer".into();
            app["packageId"] = (*package).into();
            app["appIdentifier"] = (*package).into();
            apps.push(app);
        }
        Self {
            apps,
            ..Self::default()
        }
    }

    pub(crate) fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("7f3e0000-0000-4000-8000-{:012x}", self.next_id)
    }
}

/// The `value` object of a *Get* example, or the example itself.
fn example_value(example: &str) -> Value {
    let mut value: Value = serde_json::from_str(example).unwrap_or_default();
    match value.get_mut("value").map(Value::take) {
        Some(inner) if inner.is_object() => inner,
        _ => value,
    }
}

/// **Fake's choice**: the Entra ID object id of a device, derived from its `azureADDeviceId`
/// (the reference ties them only through *List devices*' `deviceId`).
pub fn entra_object_id(azure_ad_device_id: &str) -> String {
    let rest: String = azure_ad_device_id.chars().skip(1).collect();
    format!("e{rest}")
}

fn version_ok(version: &str) -> bool {
    version == "v1.0" || version == "beta"
}

fn not_found(what: &str) -> Response {
    graph_error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!("Resource '{what}' does not exist or one of its queried reference-property objects are not present."),
    )
}

fn bad_request(message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, "BadRequest", message)
}

fn params(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// The quoted value of `$filter=<property> eq '<value>'`. **Fake's choice**: only this form of
/// `$filter` is understood; another is a 400.
fn eq_filter<'a>(filter: &'a str, property: &str) -> Option<&'a str> {
    filter
        .strip_prefix(property)?
        .trim_start()
        .strip_prefix("eq")?
        .trim()
        .strip_prefix('\'')?
        .strip_suffix('\'')
}

fn collection(shared: &Shared, path: &str, value: Vec<Value>) -> Response {
    let origin = shared.lock().origin.clone();
    Json(json!({
        "@odata.context": format!("{origin}/v1.0/$metadata#{path}"),
        "value": value,
    }))
    .into_response()
}

/// `GET /v1.0/deviceManagement/managedDevices/{id}` (`$select`).
pub(crate) async fn get_device(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if !has_any(&shared, &[READ_DEVICES, READ_WRITE_DEVICES]) {
        return missing_permission(&[READ_DEVICES, READ_WRITE_DEVICES]);
    }
    let select: Option<Vec<String>> = params(query.as_deref())
        .into_iter()
        .find(|(k, _)| k == "$select")
        .map(|(_, v)| v.split(',').map(|f| f.trim().to_owned()).collect());
    let state = shared.lock();
    match state.devices.iter().find(|d| d.id == id) {
        Some(device) => Json(device.to_json(select.as_deref())).into_response(),
        None => not_found(&id),
    }
}

/// `GET /v1.0/devices?$filter=deviceId eq '…'&$select=id`: the Entra ID device objects.
pub(crate) async fn list_entra_devices(
    AxumState(shared): AxumState<Shared>,
    RawQuery(query): RawQuery,
) -> Response {
    if !has_any(&shared, DEVICE_READ) {
        return missing_permission(DEVICE_READ);
    }
    let params = params(query.as_deref());
    let Some(wanted) = params
        .iter()
        .find(|(k, _)| k == "$filter")
        .and_then(|(_, f)| eq_filter(f, "deviceId"))
        .map(str::to_owned)
    else {
        return bad_request("The fake answers $filter=deviceId eq '<id>' only.");
    };
    let template = example_value(DEVICE_LIST_EXAMPLE)["value"][0].clone();
    let found: Vec<Value> = shared
        .lock()
        .devices
        .iter()
        .filter(|d| d.azure_ad_device_id.as_deref() == Some(wanted.as_str()))
        .map(|d| {
            let mut object = template.clone();
            object["id"] = entra_object_id(&wanted).into();
            object["deviceId"] = wanted.clone().into();
            object["displayName"] = d.device_name.clone().map_or(Value::Null, Value::from);
            object["operatingSystem"] = d.operating_system.clone().map_or(Value::Null, Value::from);
            object["accountEnabled"] = true.into();
            object
        })
        .collect();
    collection(&shared, "devices", found)
}

/// `GET /v1.0/groups` (`$filter=displayName eq '…'`).
pub(crate) async fn list_groups(
    AxumState(shared): AxumState<Shared>,
    RawQuery(query): RawQuery,
) -> Response {
    if !has_any(&shared, GROUP_READ) {
        return missing_permission(GROUP_READ);
    }
    let params = params(query.as_deref());
    let filter = params
        .iter()
        .find(|(k, _)| k == "$filter")
        .map(|(_, f)| f.clone());
    let name = match &filter {
        None => None,
        Some(f) => match eq_filter(f, "displayName") {
            Some(name) => Some(name.to_owned()),
            None => return bad_request("The fake answers $filter=displayName eq '<name>' only."),
        },
    };
    let groups: Vec<Value> = shared
        .lock()
        .tenant
        .groups
        .iter()
        .filter(|g| name.as_ref().is_none_or(|n| *n == g.display_name))
        .map(|g| json!({"id": g.id, "displayName": g.display_name}))
        .collect();
    collection(&shared, "groups", groups)
}

/// `POST /v1.0/groups`: `displayName`, `mailEnabled`, `mailNickname`, `securityEnabled`
/// required; `members@odata.bind` of Entra ID device objects.
pub(crate) async fn create_group(
    AxumState(shared): AxumState<Shared>,
    Json(body): Json<Value>,
) -> Response {
    if !has_any(&shared, GROUP_CREATE) {
        return missing_permission(GROUP_CREATE);
    }
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    let flag = |k: &str| body.get(k).and_then(Value::as_bool);
    let (Some(display_name), Some(mail_nickname), Some(mail_enabled), Some(security_enabled)) = (
        text("displayName"),
        text("mailNickname"),
        flag("mailEnabled"),
        flag("securityEnabled"),
    ) else {
        return bad_request(
            "displayName, mailEnabled, mailNickname and securityEnabled are required.",
        );
    };
    if mail_nickname.len() > 64
        || mail_nickname
            .chars()
            .any(|c| !c.is_ascii() || "@()\\[]\";:.<>, ".contains(c))
    {
        return bad_request(
            "Invalid value specified for property 'mailNickname' of resource 'Group'.",
        );
    }
    let mut state = shared.lock();
    let known: Vec<String> = state
        .devices
        .iter()
        .filter_map(|d| d.azure_ad_device_id.as_deref().map(entra_object_id))
        .collect();
    let mut members = Vec::new();
    for bind in body
        .get("members@odata.bind")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let object = bind
            .as_str()
            .and_then(|u| u.rsplit('/').next())
            .unwrap_or_default()
            .to_owned();
        if !known.contains(&object) {
            drop(state);
            return bad_request("Invalid object identifier in members@odata.bind.");
        }
        members.push(object);
    }
    let id = state.tenant.new_id();
    let mut object: Value = serde_json::from_str(GROUP_EXAMPLE).unwrap_or_default();
    object["id"] = id.clone().into();
    object["displayName"] = display_name.clone().into();
    object["description"] = body.get("description").cloned().unwrap_or(Value::Null);
    object["mailNickname"] = mail_nickname.clone().into();
    object["mailEnabled"] = mail_enabled.into();
    object["securityEnabled"] = security_enabled.into();
    object["@odata.context"] = format!("{}/v1.0/$metadata#groups/$entity", state.origin).into();
    state.tenant.groups.push(FakeGroup {
        id,
        display_name,
        mail_nickname,
        mail_enabled,
        security_enabled,
        members,
    });
    (StatusCode::CREATED, Json(object)).into_response()
}

/// `DELETE /v1.0/groups/{id}` → `204`.
pub(crate) async fn delete_group(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
) -> Response {
    if !has_any(&shared, GROUP_DELETE) {
        return missing_permission(GROUP_DELETE);
    }
    let mut state = shared.lock();
    let before = state.tenant.groups.len();
    state.tenant.groups.retain(|g| g.id != id);
    if state.tenant.groups.len() == before {
        drop(state);
        return not_found(&id);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// Whether `object` is of a type the version's reference has. **Fake's choice**: v1.0 has no
/// Android Enterprise managed store types and leaves them out of its lists.
fn in_version(object: &Value, version: &str) -> bool {
    version == "beta"
        || !object["@odata.type"]
            .as_str()
            .unwrap_or_default()
            .starts_with("#microsoft.graph.androidManagedStore")
}

/// `GET /{version}/deviceAppManagement/mobileApps`.
pub(crate) async fn list_apps(
    AxumState(shared): AxumState<Shared>,
    Path(version): Path<String>,
) -> Response {
    if !version_ok(&version) {
        return not_found(&version);
    }
    if !has_any(&shared, APPS_READ) {
        return missing_permission(APPS_READ);
    }
    let apps: Vec<Value> = shared
        .lock()
        .tenant
        .apps
        .iter()
        .filter(|a| in_version(a, &version))
        .cloned()
        .collect();
    collection(&shared, "deviceAppManagement/mobileApps", apps)
}

/// `GET /{version}/deviceAppManagement/mobileAppConfigurations`.
pub(crate) async fn list_configurations(
    AxumState(shared): AxumState<Shared>,
    Path(version): Path<String>,
) -> Response {
    if !version_ok(&version) {
        return not_found(&version);
    }
    if !has_any(&shared, APPS_READ) {
        return missing_permission(APPS_READ);
    }
    let list: Vec<Value> = shared
        .lock()
        .tenant
        .configurations
        .iter()
        .map(|c| &c.object)
        .filter(|o| in_version(o, &version))
        .cloned()
        .collect();
    collection(&shared, "deviceAppManagement/mobileAppConfigurations", list)
}

/// `POST /{version}/deviceAppManagement/mobileAppConfigurations` → `201` and the object.
pub(crate) async fn create_configuration(
    AxumState(shared): AxumState<Shared>,
    Path(version): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if !version_ok(&version) {
        return not_found(&version);
    }
    if !has_any(&shared, APPS_WRITE) {
        return missing_permission(APPS_WRITE);
    }
    let example = match body["@odata.type"].as_str() {
        Some("#microsoft.graph.iosMobileAppConfiguration") => IOS_CONFIGURATION_EXAMPLE,
        Some("#microsoft.graph.androidManagedStoreAppConfiguration") if version == "beta" => {
            ANDROID_CONFIGURATION_EXAMPLE
        }
        _ => return bad_request("Unknown or missing @odata.type for this version."),
    };
    let mut state = shared.lock();
    let targeted: Vec<&str> = body["targetedMobileApps"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if targeted.is_empty()
        || !targeted
            .iter()
            .all(|t| state.tenant.apps.iter().any(|a| a["id"] == *t))
    {
        drop(state);
        return bad_request("targetedMobileApps names no app of the tenant.");
    }
    let mut object: Value = serde_json::from_str(example).unwrap_or_default();
    if let (Some(target), Some(fields)) = (object.as_object_mut(), body.as_object()) {
        for (k, v) in fields {
            target.insert(k.clone(), v.clone());
        }
    }
    let id = state.tenant.new_id();
    object["id"] = id.clone().into();
    state.tenant.configurations.push(FakeConfiguration {
        id,
        version,
        object: object.clone(),
        assigned_groups: Vec::new(),
    });
    (StatusCode::CREATED, Json(object)).into_response()
}

/// `DELETE /{version}/deviceAppManagement/mobileAppConfigurations/{id}` → `204`.
pub(crate) async fn delete_configuration(
    AxumState(shared): AxumState<Shared>,
    Path((version, id)): Path<(String, String)>,
) -> Response {
    if !version_ok(&version) {
        return not_found(&version);
    }
    if !has_any(&shared, APPS_WRITE) {
        return missing_permission(APPS_WRITE);
    }
    let mut state = shared.lock();
    let before = state.tenant.configurations.len();
    state.tenant.configurations.retain(|c| c.id != id);
    if state.tenant.configurations.len() == before {
        drop(state);
        return not_found(&id);
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /{version}/deviceAppManagement/mobileAppConfigurations/{id}/assign` → `204`; the
/// assignments replace the configuration's earlier ones.
pub(crate) async fn assign_configuration(
    AxumState(shared): AxumState<Shared>,
    Path((version, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if !version_ok(&version) {
        return not_found(&version);
    }
    if !has_any(&shared, APPS_WRITE) {
        return missing_permission(APPS_WRITE);
    }
    let Some(assignments) = body["assignments"].as_array() else {
        return bad_request("assignments is required.");
    };
    let mut state = shared.lock();
    let mut groups = Vec::new();
    for a in assignments {
        let group = a["target"]["groupId"].as_str().unwrap_or_default();
        if a["target"]["@odata.type"] != "#microsoft.graph.groupAssignmentTarget"
            || !state.tenant.groups.iter().any(|g| g.id == group)
        {
            drop(state);
            return bad_request("An assignment's target is not a group of the tenant.");
        }
        groups.push(group.to_owned());
    }
    match state.tenant.configurations.iter_mut().find(|c| c.id == id) {
        Some(configuration) => {
            configuration.assigned_groups = groups;
            StatusCode::NO_CONTENT.into_response()
        }
        None => {
            drop(state);
            not_found(&id)
        }
    }
}
