//! What TeamViewer calls are retried after, and which calls may be sent twice at all; the
//! backoff itself is the shared one (`helpatwork_net::retry`).
//!
//! TeamViewer answers a rate limit with `403 rate_limit_reached` and documents no `Retry-After`
//! header (docs/reference/teamviewer-web-api.md §5), so the client backs off on its own. Server errors, timeouts and
//! connection failures are retried the same way — but only for GET and PUT: a session create is
//! never re-sent after a transport or server failure, because the first one may have succeeded
//! (`Call::idempotent`).

use crate::error::TeamViewerError;

/// Failures worth another try of an idempotent call.
pub(crate) fn is_transient(error: &TeamViewerError) -> bool {
    matches!(
        error,
        TeamViewerError::RateLimited
            | TeamViewerError::InternalError { .. }
            | TeamViewerError::ServiceUnavailable { .. }
            | TeamViewerError::Timeout
            | TeamViewerError::ConnectionFailed
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_busy_down_or_unreachable_is_transient() {
        assert!(is_transient(&TeamViewerError::RateLimited));
        assert!(is_transient(&TeamViewerError::Timeout));
        assert!(is_transient(&TeamViewerError::ConnectionFailed));
        assert!(!is_transient(&TeamViewerError::TokenExpired));
        assert!(!is_transient(&TeamViewerError::SignInNeeded));
        assert!(!is_transient(&TeamViewerError::malformed("x")));
    }
}
