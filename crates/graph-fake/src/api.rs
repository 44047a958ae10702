//! The endpoints' handlers. Shapes follow the reference (`fixtures/`); choices the reference
//! leaves open are marked **fake's choice**.

use axum::extract::{Path, RawQuery, State as AxumState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use base64::Engine;
use serde_json::{json, Value};
use std::collections::HashMap;

use crate::failures::Failure;
use crate::{error_body, Shared, PRIVILEGED_OPERATIONS, READ_DEVICES, READ_WRITE_DEVICES};

/// **Fake's choice**: the largest `$top` served (Intune documents no cap for this list).
pub const MAX_TOP: usize = 1000;

/// The scope a client-credentials request for Graph asks for.
pub const GRAPH_DEFAULT_SCOPE: &str = "https://graph.microsoft.com/.default";

/// Graph's error answer.
pub(crate) fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(error_body(code, message))).into_response()
}

/// Entra ID's token error answer (`error`, `error_description` starting with the AADSTS code,
/// `error_codes`).
fn token_error(status: StatusCode, error: &str, aadsts: u32, description: &str) -> Response {
    (
        status,
        Json(json!({
            "error": error,
            "error_description": format!("AADSTS{aadsts}: {description}"),
            "error_codes": [aadsts],
        })),
    )
        .into_response()
}

/// `POST /{tenant}/oauth2/v2.0/token`, the client-credentials grant.
pub(crate) async fn token(
    AxumState(shared): AxumState<Shared>,
    Path(tenant): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = shared.lock();
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    if tenant != state.options.tenant_id {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            "Tenant not found. Check to make sure you have the correct tenant ID.",
        );
    }
    if field("grant_type") != "client_credentials" {
        return token_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        );
    }
    if field("client_id") != state.options.client_id {
        return token_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            "Application was not found in the directory.",
        );
    }
    if field("client_secret") != state.options.client_secret {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000215,
            "Invalid client secret provided.",
        );
    }
    if field("scope") != GRAPH_DEFAULT_SCOPE {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1002012,
            "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.",
        );
    }
    state.issued += 1;
    let token = format!("fake-graph-token-{}-{}", state.issued, tenant.len());
    state.tokens.insert(token.clone());
    Json(json!({
        "token_type": "Bearer",
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": token,
    }))
    .into_response()
}

pub(crate) fn has_any(shared: &Shared, permissions: &[&str]) -> bool {
    let state = shared.lock();
    state
        .options
        .permissions
        .iter()
        .any(|p| permissions.contains(&p.as_str()))
}

/// Graph's 403 for an app without the permission. **Fake's choice**: the message names the
/// permissions the reference lists for the call (Intune's real answers do so in their text).
pub(crate) fn missing_permission(permissions: &[&str]) -> Response {
    graph_error(
        StatusCode::FORBIDDEN,
        "Forbidden",
        &format!(
            "Application is not authorized to perform this operation. Application must have one of the following scopes: {}",
            permissions.join(", ")
        ),
    )
}

fn skiptoken(generation: u64, offset: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{generation}:{offset}"))
}

fn parse_skiptoken(token: &str) -> Option<(u64, usize)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (generation, offset) = text.split_once(':')?;
    Some((generation.parse().ok()?, offset.parse().ok()?))
}

/// `GET /v1.0/deviceManagement/managedDevices` with `$select`, `$top`, `$count`, `$skiptoken`.
pub(crate) async fn list(
    AxumState(shared): AxumState<Shared>,
    failure: Option<Extension<Failure>>,
    RawQuery(query): RawQuery,
) -> Response {
    if !has_any(&shared, &[READ_DEVICES, READ_WRITE_DEVICES]) {
        return missing_permission(&[READ_DEVICES, READ_WRITE_DEVICES]);
    }
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let top = match param("$top").map(str::parse::<usize>) {
        None => MAX_TOP,
        Some(Ok(n)) if n >= 1 => n.min(MAX_TOP),
        Some(_) => {
            return graph_error(StatusCode::BAD_REQUEST, "BadRequest", "Invalid $top value.")
        }
    };
    let select: Option<Vec<String>> = param("$select").map(|s| {
        s.split(',')
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty())
            .collect()
    });
    let (devices, generation, origin) = {
        let state = shared.lock();
        (
            state.devices.clone(),
            state.generation,
            state.origin.clone(),
        )
    };
    let offset = match param("$skiptoken") {
        None => 0,
        Some(token) => match parse_skiptoken(token) {
            Some((g, offset)) if g == generation => offset,
            // **Fake's choice**: a token of an older fleet, or one it did not issue, is a 400.
            _ => {
                return graph_error(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    "The skip token is not valid or has expired.",
                )
            }
        },
    };
    let end = offset.saturating_add(top).min(devices.len());
    let start = offset.min(end);
    let value: Vec<Value> = devices[start..end]
        .iter()
        .map(|d| d.to_json(select.as_deref()))
        .collect();
    let mut body = serde_json::Map::new();
    body.insert(
        "@odata.context".to_owned(),
        Value::from(format!(
            "{origin}/v1.0/$metadata#deviceManagement/managedDevices"
        )),
    );
    if param("$count") == Some("true") {
        body.insert("@odata.count".to_owned(), Value::from(devices.len()));
    }
    body.insert("value".to_owned(), Value::Array(value));
    if end < devices.len() {
        let host = match failure.as_deref() {
            Some(Failure::ForeignNextLink) => origin.replace("127.0.0.1", "127.0.0.2"),
            _ => origin,
        };
        let mut next = url::Url::parse(&format!("{host}/v1.0/deviceManagement/managedDevices"))
            .expect("the fake's origin is a URL");
        {
            let mut pairs = next.query_pairs_mut();
            for (k, v) in &params {
                if k != "$skiptoken" {
                    pairs.append_pair(k, v);
                }
            }
            pairs.append_pair("$skiptoken", &skiptoken(generation, end));
        }
        body.insert("@odata.nextLink".to_owned(), Value::from(next.to_string()));
    }
    Json(Value::Object(body)).into_response()
}

/// `POST /v1.0/deviceManagement/managedDevices/{id}/syncDevice` → `204 No Content`.
pub(crate) async fn sync_device(
    AxumState(shared): AxumState<Shared>,
    Path(id): Path<String>,
) -> Response {
    if !has_any(&shared, &[PRIVILEGED_OPERATIONS]) {
        return missing_permission(&[PRIVILEGED_OPERATIONS]);
    }
    let mut state = shared.lock();
    if !state.devices.iter().any(|d| d.id == id) {
        // **Fake's choice**: the code of an unknown entity (the reference's page shows only 204).
        drop(state);
        return graph_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "The requested managed device does not exist.",
        );
    }
    state.syncs.push(id);
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_tokens_round_trip_and_foreign_ones_fail() {
        assert_eq!(parse_skiptoken(&skiptoken(3, 1500)), Some((3, 1500)));
        assert_eq!(parse_skiptoken("not base64!"), None);
    }
}
