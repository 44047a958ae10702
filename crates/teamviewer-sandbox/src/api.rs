//! `/api/v1/ping`, `/api/v1/account` and `/api/v1/sessions…` [docs/reference/teamviewer-web-api.md §2.4, §3].

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, SecondsFormat, Utc};
use rand::distributions::{Alphanumeric, DistString};
use serde_json::{json, Map, Value};

use crate::state::{Bearer, SandboxSession};
use crate::wire::{bearer_token, require_auth, ApiError};
use crate::Shared;

/// `GET /ping`: `{"token_valid": bool}`; an invalid or expired token answers `false` (200).
pub(crate) async fn ping(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let state = shared.lock();
    let valid = bearer_token(&headers).is_some_and(|t| matches!(state.bearer(t), Bearer::Valid));
    Json(json!({ "token_valid": valid })).into_response()
}

/// `GET /account`.
pub(crate) async fn account(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    require_auth(&state, &headers)?;
    let a = bearer_token(&headers).map_or(&state.account, |t| state.account_for(t));
    Ok(Json(json!({
        "userid": a.userid,
        "name": a.name,
        "email": a.email,
        "email_validated": true,
        "email_language": "en",
        "company_name": a.company_name,
    }))
    .into_response())
}

/// `POST /sessions` → 200, the session, and `Location`.
pub(crate) async fn create_session(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    require_auth(&state, &headers)?;
    let body: Map<String, Value> = serde_json::from_slice(&body)
        .map_err(|_| ApiError::invalid_request("The request body is not a JSON object"))?;
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        match body.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid_request(format!(
                "{name} must be a string"
            ))),
        }
    };
    let groupid = text("groupid")?;
    let groupname = text("groupname")?;
    let groupid = match (groupid, groupname) {
        (None, None) => {
            return Err(ApiError::invalid_request(
                "groupid or groupname is required",
            ))
        }
        (Some(id), None) => {
            if state.group_name(&id).is_none() {
                return Err(ApiError::invalid_request("Unknown groupid"));
            }
            id
        }
        (None, Some(name)) => state.group_for_name(&name),
        (Some(id), Some(name)) => {
            if state.group_name(&id) != Some(name.as_str()) {
                return Err(ApiError::invalid_request(
                    "groupid and groupname do not match",
                ));
            }
            id
        }
    };
    let (customer_name, customer_email) = match body.get("end_customer") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(c)) => (
            c.get("name").and_then(Value::as_str).map(str::to_owned),
            c.get("email").and_then(Value::as_str).map(str::to_owned),
        ),
        Some(_) => return Err(ApiError::invalid_request("end_customer must be an object")),
    };
    check_len(customer_name.as_deref(), 100, "end_customer.name")?;
    check_len(customer_email.as_deref(), 254, "end_customer.email")?;
    let custom_api = text("custom_api")?;
    check_len(custom_api.as_deref(), 4000, "custom_api")?;
    let support_session_type =
        text("support_session_type")?.unwrap_or_else(|| "Default".to_owned());
    if support_session_type != "Default" && support_session_type != "Pilot" {
        return Err(ApiError::invalid_request(
            "support_session_type must be Default or Pilot",
        ));
    }
    let valid_until = match text("valid_until")? {
        Some(raw) => DateTime::parse_from_rfc3339(&raw)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ApiError::invalid_request("valid_until is not a date-time"))?,
        None => Utc::now() + chrono::Duration::hours(24),
    };
    let open = state.sessions.iter().filter(|s| s.state == "Open").count();
    if state.max_open_sessions.is_some_and(|max| open >= max) {
        return Err(ApiError::licence_limit());
    }
    let caller = bearer_token(&headers)
        .map_or(&state.account, |t| state.account_for(t))
        .userid
        .clone();
    let assigned_userid = text("assigned_userid")?.unwrap_or(caller);
    if assigned_userid != "u0" && !state.is_company_user(&assigned_userid) {
        return Err(unknown_user());
    }
    let code = state.new_session_code();
    let session = new_case(
        &state,
        NewCase {
            code: code.clone(),
            groupid,
            description: text("description")?,
            waiting_message: text("waiting_message")?,
            end_customer_name: customer_name,
            end_customer_email: customer_email,
            assigned_userid,
            support_session_type,
            custom_api,
            valid_until,
        },
    );
    let body = session_json(&session, Detail::Object);
    state.sessions.push(session);
    state.sessions_created += 1;
    let location = format!("{}/sessions/{code}", shared.base_url);
    Ok((StatusCode::OK, [(header::LOCATION, location)], Json(body)).into_response())
}

/// What a new service case is made of (an agent's `POST /sessions`, or a device user's request).
pub(crate) struct NewCase {
    pub(crate) code: String,
    pub(crate) groupid: String,
    pub(crate) description: Option<String>,
    pub(crate) waiting_message: Option<String>,
    pub(crate) end_customer_name: Option<String>,
    pub(crate) end_customer_email: Option<String>,
    pub(crate) assigned_userid: String,
    pub(crate) support_session_type: String,
    pub(crate) custom_api: Option<String>,
    pub(crate) valid_until: DateTime<Utc>,
}

/// The case with its links (`get.teamviewer.com`, or `getpilot` for Pilot), created now.
pub(crate) fn new_case(state: &crate::state::State, c: NewCase) -> SandboxSession {
    let now = Utc::now();
    let digits = c.code.replace('-', "");
    let queue_token = Alphanumeric.sample_string(&mut rand::thread_rng(), 12);
    let host = match &state.link_host {
        Some(host) => host.as_str(),
        None if c.support_session_type == "Pilot" => "getpilot.teamviewer.com",
        None => "get.teamviewer.com",
    };
    let display_name: String =
        url::form_urlencoded::byte_serialize(state.account.name.as_bytes()).collect();
    SandboxSession {
        code: c.code,
        state: "Open".to_owned(),
        online: false,
        groupid: c.groupid,
        description: c.description,
        waiting_message: c.waiting_message,
        end_customer_name: c.end_customer_name,
        end_customer_email: c.end_customer_email,
        assigned_at: (c.assigned_userid != "u0").then_some(now),
        assigned_userid: c.assigned_userid,
        support_session_type: c.support_session_type,
        custom_api: c.custom_api,
        end_customer_link: format!("https://{host}/v15/{digits}"),
        supporter_link: format!("https://{host}/v15/{digits}-{queue_token}"),
        webclient_supporter_link: format!(
            "https://login.teamviewer.com/Connect/IndexByol?sessioncode={digits}\
             &servicequeuetoken={queue_token}&lang=en&displayName={display_name}"
        ),
        created_at: now,
        valid_until: c.valid_until,
        closed_at: None,
    }
}

/// `assigned_userid` names no user of the company. Sandbox choice: TeamViewer documents no
/// answer for it; a `400 invalid_request` like every other bad parameter.
fn unknown_user() -> ApiError {
    ApiError::invalid_request("Unknown assigned_userid: not a user of this company")
}

/// `GET /sessions/{code}`.
pub(crate) async fn get_session(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    require_auth(&state, &headers)?;
    let session = state
        .sessions
        .iter()
        .find(|s| s.code == code)
        .ok_or_else(unknown_session)?;
    Ok(Json(session_json(session, Detail::Object)).into_response())
}

/// `PUT /sessions/{code}` → 204.
pub(crate) async fn update_session(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    require_auth(&state, &headers)?;
    let body: Map<String, Value> = serde_json::from_slice(&body)
        .map_err(|_| ApiError::invalid_request("The request body is not a JSON object"))?;
    let groupid = body
        .get("groupid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(id) = &groupid {
        if state.group_name(id).is_none() {
            return Err(ApiError::invalid_request("Unknown groupid"));
        }
    }
    let assigned = body
        .get("assigned_userid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(userid) = &assigned {
        if userid != "u0" && !state.is_company_user(userid) {
            return Err(unknown_user());
        }
    }
    let session = state.session_mut(&code).ok_or_else(unknown_session)?;
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    if let Some(new_state) = text("state") {
        let now = Utc::now();
        match new_state.to_ascii_lowercase().as_str() {
            "closed" => {
                if session.state != "Closed" {
                    session.state = "Closed".to_owned();
                    session.closed_at = Some(now);
                    session.online = false;
                }
            }
            "open" => {
                if now >= session.valid_until {
                    return Err(ApiError::invalid_request(
                        "The session code expired (valid_until)",
                    ));
                }
                session.state = "Open".to_owned();
                session.closed_at = None;
            }
            _ => return Err(ApiError::invalid_request("state must be open or closed")),
        }
    }
    if let Some(id) = groupid {
        session.groupid = id;
    }
    if let Some(v) = text("waiting_message") {
        session.waiting_message = Some(v);
    }
    if let Some(v) = text("description") {
        session.description = Some(v);
    }
    if let Some(v) = text("custom_api") {
        check_len(Some(&v), 4000, "custom_api")?;
        session.custom_api = Some(v);
    }
    if let Some(v) = assigned {
        session.assigned_at = (v != "u0").then(Utc::now);
        session.assigned_userid = v;
    }
    if let Some(Value::Object(c)) = body.get("end_customer") {
        if let Some(name) = c.get("name").and_then(Value::as_str) {
            check_len(Some(name), 100, "end_customer.name")?;
            session.end_customer_name = Some(name.to_owned());
        }
        if let Some(email) = c.get("email").and_then(Value::as_str) {
            check_len(Some(email), 254, "end_customer.email")?;
            session.end_customer_email = Some(email.to_owned());
        }
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /sessions`: newest first; `state` (default open), `groupid`, `assigned_userid`,
/// `full_list`, `offset`; pages of `page_size` with `sessions_remaining` / `next_offset`.
pub(crate) async fn list_sessions(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let state = shared.lock();
    require_auth(&state, &headers)?;
    let states = query
        .get("state")
        .map_or("open", String::as_str)
        .to_ascii_lowercase();
    let mut wanted = Vec::new();
    for s in states.split(',').map(str::trim) {
        match s {
            "open" => wanted.push("Open"),
            "closed" => wanted.push("Closed"),
            _ => {
                return Err(ApiError::invalid_request(
                    "state must be open, closed or both",
                ))
            }
        }
    }
    let full = match query.get("full_list").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid_request("full_list must be true or false")),
    };
    let matching: Vec<&SandboxSession> = state
        .sessions
        .iter()
        .rev() // newest created first
        .filter(|s| wanted.contains(&s.state.as_str()))
        .filter(|s| query.get("groupid").is_none_or(|g| *g == s.groupid))
        .filter(|s| {
            query
                .get("assigned_userid")
                .is_none_or(|u| *u == s.assigned_userid)
        })
        .collect();
    let start = match query.get("offset") {
        None => 0,
        Some(offset) => {
            matching
                .iter()
                .position(|s| s.code == *offset)
                .ok_or_else(|| ApiError::invalid_request("Unknown offset"))?
                + 1
        }
    };
    let page: Vec<&SandboxSession> = matching
        .iter()
        .skip(start)
        .take(state.page_size)
        .copied()
        .collect();
    let remaining = matching.len().saturating_sub(start + page.len());
    let detail = if full { Detail::FullList } else { Detail::List };
    let mut body = json!({
        "sessions": page.iter().map(|s| session_json(s, detail)).collect::<Vec<_>>(),
    });
    if remaining > 0 {
        body["sessions_remaining"] = json!(remaining);
        if let Some(last) = page.last() {
            body["next_offset"] = json!(last.code);
        }
    }
    Ok(Json(body).into_response())
}

fn unknown_session() -> ApiError {
    ApiError::invalid_request("Unknown session code")
}

fn check_len(value: Option<&str>, max: usize, field: &str) -> Result<(), ApiError> {
    match value {
        Some(v) if v.chars().count() > max => Err(ApiError::invalid_request(format!(
            "{field} must not be longer than {max} characters"
        ))),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Create / get: the whole object, as in the documented sample.
    Object,
    /// A list item without `full_list`.
    List,
    /// A list item with `full_list=true`.
    FullList,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn session_json(s: &SandboxSession, detail: Detail) -> Value {
    let mut v = json!({
        "code": s.code,
        "state": s.state,
        "online": s.online,
        "groupid": s.groupid,
        "support_session_type": s.support_session_type,
    });
    if detail == Detail::List {
        return v;
    }
    v["assigned_userid"] = json!(s.assigned_userid);
    v["end_customer_link"] = json!(s.end_customer_link);
    v["supporter_link"] = json!(s.supporter_link);
    v["created_at"] = json!(time(s.created_at));
    v["valid_until"] = json!(time(s.valid_until));
    if detail == Detail::Object {
        v["webclient_supporter_link"] = json!(s.webclient_supporter_link);
    }
    if s.end_customer_name.is_some() || s.end_customer_email.is_some() || detail == Detail::FullList
    {
        let mut customer = Map::new();
        if let Some(name) = &s.end_customer_name {
            customer.insert("name".to_owned(), json!(name));
        }
        if let Some(email) = &s.end_customer_email {
            customer.insert("email".to_owned(), json!(email));
        }
        v["end_customer"] = Value::Object(customer);
    }
    for (key, value) in [
        ("description", &s.description),
        ("waiting_message", &s.waiting_message),
        ("custom_api", &s.custom_api),
    ] {
        if let Some(value) = value {
            v[key] = json!(value);
        }
    }
    if let Some(at) = s.assigned_at {
        v["assigned_at"] = json!(time(at));
    }
    if let Some(at) = s.closed_at {
        v["closed_at"] = json!(time(at));
    }
    v
}
