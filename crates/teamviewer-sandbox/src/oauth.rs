//! `GET /oauth2/authorize` (auto-approving login page), `POST /api/v1/oauth2/token`,
//! `POST /api/v1/oauth2/revoke` [docs/reference/teamviewer-web-api.md §2.2–2.3].
//!
//! Undocumented by TeamViewer and chosen here: PKCE is verified when the authorize request
//! carried a `code_challenge` (S256 only); loopback redirect URIs are accepted on any port when
//! `http://127.0.0.1` is registered (RFC 8252 §7.3); a bad or reused code or refresh token gets
//! `400 invalid_request` (TeamViewer documents no `invalid_grant`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;
use url::Url;

use crate::state::{pkce_s256_matches, TokenRequestRecord};
use crate::wire::{bearer_token, require_auth, ApiError};
use crate::{AuthorizeMode, Shared};

/// The login page: checks the request, then redirects straight back (approve or deny).
pub(crate) async fn authorize(
    State(shared): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut state = shared.lock();
    let param = |name: &str| {
        query
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    // Problems with the client or the redirect URI are shown, never redirected.
    if param("client_id") != Some(state.client_id.as_str()) {
        return page(StatusCode::BAD_REQUEST, "Unknown client_id.");
    }
    let Some(redirect_uri) = param("redirect_uri") else {
        return page(StatusCode::BAD_REQUEST, "redirect_uri is required.");
    };
    let Some(mut target) = registered(&state.redirect_uris, redirect_uri) else {
        return page(
            StatusCode::BAD_REQUEST,
            "redirect_uri does not match the registered URI.",
        );
    };
    let mut answer: Vec<(&str, String)> = Vec::new();
    if param("response_type") != Some("code") {
        answer.push(("error", "unsupported_response_type".to_owned()));
    } else if param("display") != Some("popup")
        || (param("code_challenge").is_some() && param("code_challenge_method") != Some("S256"))
    {
        // TeamViewer: `display=popup` "must" be sent; the sandbox supports PKCE S256 only.
        answer.push(("error", "invalid_request".to_owned()));
    } else if state.authorize == AuthorizeMode::Deny {
        answer.push(("error", "access_denied".to_owned()));
    } else {
        let client_id = state.client_id.clone();
        let code = state.new_code(
            &client_id,
            redirect_uri,
            param("code_challenge").map(str::to_owned),
        );
        answer.push(("code", code));
    }
    if let Some(s) = param("state") {
        answer.push(("state", s.to_owned()));
    }
    target.query_pairs_mut().extend_pairs(answer);
    (StatusCode::FOUND, [(header::LOCATION, target.to_string())]).into_response()
}

/// The redirect URI if it matches a registered one: exactly, or any port/path of a registered
/// port-less loopback URI.
fn registered(registered: &[String], redirect_uri: &str) -> Option<Url> {
    let url = Url::parse(redirect_uri).ok()?;
    let ok = registered.iter().any(|r| {
        r == redirect_uri
            || Url::parse(r).is_ok_and(|r| {
                r.scheme() == "http"
                    && matches!(r.host_str(), Some("127.0.0.1" | "localhost"))
                    && r.port().is_none()
                    && url.scheme() == "http"
                    && url.host_str() == r.host_str()
            })
    });
    ok.then_some(url)
}

fn page(status: StatusCode, text: &str) -> Response {
    (
        status,
        Html(format!(
            "<!doctype html><title>TeamViewer sandbox</title><h1>TeamViewer sandbox</h1><p>{text}</p>"
        )),
    )
        .into_response()
}

/// The token endpoint: `authorization_code` and `refresh_token` grants, form-encoded.
pub(crate) async fn token(State(shared): State<Shared>, body: Bytes) -> Result<Response, ApiError> {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let mut state = shared.lock();
    let grant_type = form.get("grant_type").cloned().unwrap_or_default();
    let mut fields: Vec<String> = form.keys().cloned().collect();
    fields.sort();
    state.token_requests.push(TokenRequestRecord {
        grant_type: grant_type.clone(),
        fields,
        granted: false,
    });
    if form.get("client_id") != Some(&state.client_id)
        || form.get("client_secret") != Some(&state.client_secret)
    {
        return Err(ApiError::invalid_client());
    }
    match grant_type.as_str() {
        "authorization_code" => {
            let code = form.get("code").map(String::as_str).unwrap_or_default();
            let record = state.codes.get_mut(code).ok_or_else(|| {
                ApiError::invalid_request("The code is invalid, expired or already used")
            })?;
            let first_use = !record.used;
            record.used = true; // single use, even when this attempt fails
            if !first_use || record.is_expired() {
                return Err(ApiError::invalid_request(
                    "The code is invalid, expired or already used",
                ));
            }
            if form.get("client_id") != Some(&record.client_id) {
                return Err(ApiError::invalid_request(
                    "The code was issued to another client",
                ));
            }
            if form.get("redirect_uri") != Some(&record.redirect_uri) {
                return Err(ApiError::invalid_request(
                    "redirect_uri does not match the authorize request",
                ));
            }
            if let Some(challenge) = &record.code_challenge {
                let verified = form
                    .get("code_verifier")
                    .is_some_and(|v| pkce_s256_matches(v, challenge));
                if !verified {
                    return Err(ApiError::invalid_request(
                        "code_verifier does not match code_challenge",
                    ));
                }
            }
        }
        "refresh_token" => {
            let refresh = form.get("refresh_token").cloned().unwrap_or_default();
            let record = state
                .refresh_tokens
                .get_mut(&refresh)
                .filter(|r| !r.used && !r.revoked)
                .ok_or_else(|| {
                    ApiError::invalid_request("The refresh_token is invalid or was already used")
                })?;
            record.used = true; // single-use: rotate
            state.refresh_tokens_used.push(refresh);
        }
        _ => return Err(ApiError::invalid_request("Unsupported grant_type")),
    }
    let (access_token, refresh_token, expires_in) = state.issue_pair();
    if let Some(last) = state.token_requests.last_mut() {
        last.granted = true;
    }
    Ok((
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(json!({
            "access_token": access_token,
            "token_type": "bearer",
            "expires_in": expires_in,
            "refresh_token": refresh_token,
        })),
    )
        .into_response())
}

/// Revoke: no body, token in `Authorization`; kills the access and its refresh token.
pub(crate) async fn revoke(
    State(shared): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut state = shared.lock();
    require_auth(&state, &headers)?;
    if let Some(token) = bearer_token(&headers).map(str::to_owned) {
        // Script tokens are not OAuth tokens: revoking them is a no-op here.
        state.revoke(&token);
    }
    Ok(StatusCode::OK.into_response())
}
