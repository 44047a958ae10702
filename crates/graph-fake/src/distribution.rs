//! The calls of app distribution (`docs/intune.md` §6), in the reference's shapes: a group's
//! members (`GET /v1.0/groups/{id}/members`, `POST …/members/$ref`,
//! `DELETE …/members/{object}/$ref`) and an app's assignments
//! (`GET`/`POST /{v1.0|beta}/deviceAppManagement/mobileApps/{id}/assignments`). The app's
//! `assign` action (it replaces every assignment of the app) is deliberately not served: a
//! request to it is a `404` the request log shows.

use axum::extract::{Path, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::api::{graph_error, has_any, missing_permission};
use crate::tenant::entra_object_id;
use crate::Shared;

/// The reference's example answer of *Create mobileAppAssignment* (`fixtures/README.md`).
pub const ASSIGNMENT_EXAMPLE: &str = include_str!("../fixtures/mobileAppAssignment-create.json");

/// *List group members* (application, least privileged first).
pub const MEMBERS_READ: &[&str] = &[
    "GroupMember.Read.All",
    "Group.Read.All",
    "GroupMember.ReadWrite.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
];
/// *Add members* / *Remove member*. **Fake's choice**: the device permission the reference
/// also names for a device member (`Device.ReadWrite.All`) is not checked.
pub const MEMBERS_WRITE: &[&str] = &[
    "GroupMember.ReadWrite.All",
    "Group.ReadWrite.All",
    "Directory.ReadWrite.All",
];

/// An app's assignment, as created.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeAppAssignment {
    pub id: String,
    /// The `mobileApp` it belongs to.
    pub app_id: String,
    /// `required`, `available`, `uninstall`, …
    pub intent: String,
    /// `target.groupId` (empty for a target without a group).
    pub group_id: String,
    /// The object as stored (the request's properties on the reference's example).
    pub object: Value,
}

fn not_found(what: &str) -> Response {
    graph_error(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        &format!("Resource '{what}' does not exist or one of its queried reference-property objects are not present."),
    )
}

fn bad_request(message: &str) -> Response {
    graph_error(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
}

fn version_ok(version: &str) -> bool {
    version == "v1.0" || version == "beta"
}

/// `GET /v1.0/groups/{id}/members` (`$select` ignored: the members are devices, `id` and type).
pub(crate) async fn list_members(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
) -> Response {
    if !has_any(&shared, MEMBERS_READ) {
        return missing_permission(MEMBERS_READ);
    }
    let state = shared.lock();
    let Some(group) = state.tenant.groups.iter().find(|g| g.id == id) else {
        drop(state);
        return not_found(&id);
    };
    let members: Vec<Value> = group
        .members
        .iter()
        .map(|m| json!({"@odata.type": "#microsoft.graph.device", "id": m}))
        .collect();
    let origin = state.origin.clone();
    drop(state);
    Json(json!({
        "@odata.context": format!("{origin}/v1.0/$metadata#directoryObjects"),
        "value": members,
    }))
    .into_response()
}

/// `POST /v1.0/groups/{id}/members/$ref` with `{"@odata.id": "…/directoryObjects/{id}"}` →
/// `204`; `400` when the object is already a member, `404` when it does not exist (as the
/// reference says).
pub(crate) async fn add_member(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if !has_any(&shared, MEMBERS_WRITE) {
        return missing_permission(MEMBERS_WRITE);
    }
    let Some(reference) = body.get("@odata.id").and_then(Value::as_str) else {
        return bad_request("@odata.id is required.");
    };
    let object = reference.rsplit('/').next().unwrap_or_default().to_owned();
    let mut state = shared.lock();
    let known = state
        .devices
        .iter()
        .filter_map(|d| d.azure_ad_device_id.as_deref().map(entra_object_id))
        .any(|o| o == object);
    let Some(group) = state.tenant.groups.iter_mut().find(|g| g.id == id) else {
        drop(state);
        return not_found(&id);
    };
    if !known {
        drop(state);
        return not_found(&object);
    }
    if group.members.contains(&object) {
        drop(state);
        return bad_request("One or more added object references already exist for the following modified properties: 'members'.");
    }
    group.members.push(object);
    StatusCode::NO_CONTENT.into_response()
}

/// `DELETE /v1.0/groups/{id}/members/{object}/$ref` → `204`; `404` when it is not a member.
pub(crate) async fn remove_member(
    AxumState(shared): AxumState<Shared>,
    Path((id, object)): Path<(String, String)>,
) -> Response {
    if !has_any(&shared, MEMBERS_WRITE) {
        return missing_permission(MEMBERS_WRITE);
    }
    let mut state = shared.lock();
    let removed = state
        .tenant
        .groups
        .iter_mut()
        .find(|g| g.id == id)
        .is_some_and(|g| {
            let before = g.members.len();
            g.members.retain(|m| *m != object);
            g.members.len() < before
        });
    drop(state);
    if removed {
        StatusCode::NO_CONTENT.into_response()
    } else {
        not_found(&object)
    }
}

/// Whether the tenant has the app `id` in this version's list.
fn app_known(shared: &Shared, version: &str, id: &str) -> bool {
    shared.lock().tenant.apps.iter().any(|a| {
        a["id"] == id
            && (version == "beta"
                || !a["@odata.type"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("#microsoft.graph.androidManagedStore"))
    })
}

/// `GET /{version}/deviceAppManagement/mobileApps/{id}/assignments`.
pub(crate) async fn list_assignments(
    AxumState(shared): AxumState<Shared>,
    Path((version, id)): Path<(String, String)>,
) -> Response {
    if !version_ok(&version) {
        return not_found(&version);
    }
    if !has_any(&shared, crate::tenant::APPS_READ) {
        return missing_permission(crate::tenant::APPS_READ);
    }
    if !app_known(&shared, &version, &id) {
        return not_found(&id);
    }
    let state = shared.lock();
    let list: Vec<Value> = state
        .tenant
        .app_assignments
        .iter()
        .filter(|a| a.app_id == id)
        .map(|a| a.object.clone())
        .collect();
    let origin = state.origin.clone();
    drop(state);
    Json(json!({
        "@odata.context": format!("{origin}/{version}/$metadata#deviceAppManagement/mobileApps('{id}')/assignments"),
        "value": list,
    }))
    .into_response()
}

/// `POST /{version}/deviceAppManagement/mobileApps/{id}/assignments` → `201` and the
/// `mobileAppAssignment`. **Fake's choice**: a group target must name a group of the tenant.
pub(crate) async fn create_assignment(
    AxumState(shared): AxumState<Shared>,
    Path((version, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if !version_ok(&version) {
        return not_found(&version);
    }
    if !has_any(&shared, crate::tenant::APPS_WRITE) {
        return missing_permission(crate::tenant::APPS_WRITE);
    }
    if !app_known(&shared, &version, &id) {
        return not_found(&id);
    }
    let intent = body["intent"].as_str().unwrap_or_default().to_owned();
    if ![
        "available",
        "required",
        "uninstall",
        "availableWithoutEnrollment",
    ]
    .contains(&intent.as_str())
    {
        return bad_request(
            "intent must be available, required, uninstall or availableWithoutEnrollment.",
        );
    }
    let group_id = body["target"]["groupId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut state = shared.lock();
    if body["target"]["@odata.type"] == "#microsoft.graph.groupAssignmentTarget"
        && !state.tenant.groups.iter().any(|g| g.id == group_id)
    {
        drop(state);
        return bad_request("The assignment's target is not a group of the tenant.");
    }
    let mut object: Value = serde_json::from_str(ASSIGNMENT_EXAMPLE).unwrap_or_default();
    object["settings"] = Value::Null;
    if let (Some(target), Some(fields)) = (object.as_object_mut(), body.as_object()) {
        for (k, v) in fields {
            target.insert(k.clone(), v.clone());
        }
    }
    let assignment_id = state.tenant.new_id();
    object["id"] = assignment_id.clone().into();
    state.tenant.app_assignments.push(FakeAppAssignment {
        id: assignment_id,
        app_id: id,
        intent,
        group_id,
        object: object.clone(),
    });
    (StatusCode::CREATED, Json(object)).into_response()
}
