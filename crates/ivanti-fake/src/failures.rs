//! Which endpoint a request hits, and the failures the fake can inject per endpoint.

use std::time::Duration;

/// The fake's endpoints (docs/reference/mdm-apis.md §2.2, §2.3, §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// `GET /api/v1/tenant/partition/device`
    Partitions,
    /// `GET /api/v1/device`
    DeviceSearch,
    /// `PUT /api/v1/device/forceCheckin`
    ForceCheckin,
    /// `POST /msa/v1/cps/device/application` (CPS: its own user, with the CPS role)
    AppInventory,
    /// `POST /msa/v1/cps/rule/deviceGuid` (CPS: *Get device groups associated with device list*)
    DeviceGroups,
}

impl Endpoint {
    pub const ALL: [Endpoint; 5] = [
        Endpoint::Partitions,
        Endpoint::DeviceSearch,
        Endpoint::ForceCheckin,
        Endpoint::AppInventory,
        Endpoint::DeviceGroups,
    ];

    /// Whether the endpoint belongs to Common Platform Services (CPS credentials).
    pub fn is_cps(self) -> bool {
        matches!(self, Endpoint::AppInventory | Endpoint::DeviceGroups)
    }

    /// The endpoint a request addresses, or `None` for any other path.
    pub fn classify(method: &str, path: &str) -> Option<Self> {
        let path = path.trim_end_matches('/');
        match (method, path) {
            ("GET", "/api/v1/tenant/partition/device") => Some(Self::Partitions),
            ("GET", "/api/v1/device") => Some(Self::DeviceSearch),
            ("PUT", "/api/v1/device/forceCheckin") => Some(Self::ForceCheckin),
            ("POST", "/msa/v1/cps/device/application") => Some(Self::AppInventory),
            ("POST", "/msa/v1/cps/rule/deviceGuid") => Some(Self::DeviceGroups),
            _ => None,
        }
    }
}

/// A failure to inject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Answer this 5xx status (body `{"errors":{"message":…},"result":null}`).
    ServerError(u16),
    /// Answer `401` as if the credentials were wrong.
    Unauthorized,
    /// Answer `403` as if the API user lacked the Tenant Admin (or, on CPS, the CPS) role; on
    /// [`Endpoint::DeviceGroups`], a CPS user whose role may not read device groups.
    Forbidden,
    /// Answer `429`.
    RateLimited,
    /// Wait this long, then answer normally (drives client timeouts).
    Delay(Duration),
    /// Run the handler, then replace a successful body with invalid JSON.
    MalformedJson,
    /// Run the handler, then cut a successful body in half (a connection dropped mid-answer).
    TruncatedBody,
    /// Run the handler, then pad a successful body with spaces up to this many bytes.
    Oversized(usize),
}

impl Failure {
    /// Whether the failure answers instead of the handler.
    pub(crate) fn replaces_handler(&self) -> bool {
        matches!(
            self,
            Self::ServerError(_) | Self::Unauthorized | Self::Forbidden | Self::RateLimited
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_documented_paths_only() {
        assert_eq!(
            Endpoint::classify("GET", "/api/v1/device"),
            Some(Endpoint::DeviceSearch)
        );
        assert_eq!(
            Endpoint::classify("PUT", "/api/v1/device/forceCheckin"),
            Some(Endpoint::ForceCheckin)
        );
        assert_eq!(
            Endpoint::classify("GET", "/api/v1/tenant/partition/device/"),
            Some(Endpoint::Partitions)
        );
        assert_eq!(Endpoint::classify("POST", "/api/v1/device"), None);
        assert_eq!(Endpoint::classify("GET", "/api/v1/device/42"), None);
    }
}
