//! TeamViewer's error body and the failure answers [docs/reference/teamviewer-web-api.md §2.3, §5].
//!
//! Body: `{error, error_code, error_description, error_signature?}`. Only `token_expired`'s
//! `error_code` (1) and description ("The access token expired") are documented; the other
//! `error_code` numbers are sandbox placeholders.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::distributions::{Alphanumeric, DistString};
use serde_json::json;

use crate::failures::Failure;
use crate::state::{Bearer, State};

/// A documented-shape error answer.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        error: &'static str,
        description: impl Into<String>,
    ) -> Self {
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub(crate) fn invalid_token(description: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_token", description)
    }

    pub(crate) fn token_expired() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "token_expired",
            "The access token expired",
        )
    }

    pub(crate) fn invalid_client() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "Client authentication failed",
        )
    }

    pub(crate) fn licence_limit() -> Self {
        Self::invalid_request(
            "The session could not be created due to license limitations: the maximum number \
             of concurrent sessions permitted by your TeamViewer license is reached",
        )
    }
}

/// `error_code` per `error` value (only `token_expired` = 1 is documented).
fn error_code(error: &str) -> i64 {
    match error {
        "token_expired" => 1,
        "invalid_request" => 2,
        "invalid_token" => 3,
        "internal_error" => 4,
        "blocked" => 5,
        "rate_limit_reached" => 6,
        "invalid_client" => 7,
        "email_in_use" => 8,
        _ => 99,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "error": self.error,
            "error_code": error_code(self.error),
            "error_description": self.description,
        });
        if self.error == "internal_error" {
            body["error_signature"] = json!(format!(
                "sandbox-{}",
                Alphanumeric.sample_string(&mut rand::thread_rng(), 12)
            ));
        }
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The answer a handler-replacing failure gives.
pub(crate) fn failure_response(failure: &Failure) -> Response {
    match failure {
        Failure::ServerError(500) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Internal error",
        )
        .into_response(),
        Failure::ServerError(status) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY);
            (
                status,
                [(header::CONTENT_TYPE, "text/html")],
                format!("<html><body><h1>{status}</h1></body></html>"),
            )
                .into_response()
        }
        Failure::RateLimited => ApiError::new(
            StatusCode::FORBIDDEN,
            "rate_limit_reached",
            "Rate limit reached for this API function",
        )
        .into_response(),
        Failure::Blocked => ApiError::new(
            StatusCode::FORBIDDEN,
            "blocked",
            "Requests from this IP address are blocked",
        )
        .into_response(),
        Failure::TokenExpired => ApiError::token_expired().into_response(),
        Failure::InvalidToken => {
            ApiError::invalid_token("The access token is invalid").into_response()
        }
        Failure::InvalidRequest => ApiError::invalid_request("Invalid request").into_response(),
        Failure::InvalidClient => ApiError::invalid_client().into_response(),
        Failure::EmailInUse => ApiError::new(
            StatusCode::BAD_REQUEST,
            "email_in_use",
            "The e-mail address is already in use",
        )
        .into_response(),
        Failure::LicenceLimit => ApiError::licence_limit().into_response(),
        // Not handler-replacing; answered as a plain 500 if ever asked.
        Failure::Delay(_)
        | Failure::MalformedJson
        | Failure::TruncatedBody
        | Failure::ExtraFields
        | Failure::Oversized(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The bearer token of a request, if it carries one.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// 401 unless the request carries a valid token.
pub(crate) fn require_auth(state: &State, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = bearer_token(headers).ok_or_else(|| ApiError::invalid_token("No access token"))?;
    match state.bearer(token) {
        Bearer::Valid => Ok(()),
        Bearer::Expired => Err(ApiError::token_expired()),
        Bearer::Invalid => Err(ApiError::invalid_token("The access token is invalid")),
    }
}
