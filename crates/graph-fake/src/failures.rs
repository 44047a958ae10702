//! Which endpoint a request hits, and the failures the fake can inject per endpoint.

use std::time::Duration;

/// The fake's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// `POST /{tenant}/oauth2/v2.0/token`
    Token,
    /// `GET /v1.0/deviceManagement/managedDevices`
    ListDevices,
    /// `POST /v1.0/deviceManagement/managedDevices/{id}/syncDevice`
    SyncDevice,
    /// `GET /v1.0/deviceManagement/managedDevices/{id}`
    GetDevice,
    /// `GET /v1.0/devices` (Entra ID devices)
    ListEntraDevices,
    /// `GET /v1.0/groups`
    ListGroups,
    /// `POST /v1.0/groups`
    CreateGroup,
    /// `DELETE /v1.0/groups/{id}`
    DeleteGroup,
    /// `GET /{v1.0|beta}/deviceAppManagement/mobileApps`
    ListApps,
    /// `GET /{v1.0|beta}/deviceAppManagement/mobileAppConfigurations`
    ListAppConfigs,
    /// `POST /{v1.0|beta}/deviceAppManagement/mobileAppConfigurations`
    CreateAppConfig,
    /// `DELETE /{v1.0|beta}/deviceAppManagement/mobileAppConfigurations/{id}`
    DeleteAppConfig,
    /// `POST /{v1.0|beta}/deviceAppManagement/mobileAppConfigurations/{id}/assign`
    AssignAppConfig,
    /// `GET /v1.0/groups/{id}/members`
    ListGroupMembers,
    /// `POST /v1.0/groups/{id}/members/$ref`
    AddGroupMember,
    /// `DELETE /v1.0/groups/{id}/members/{object}/$ref`
    RemoveGroupMember,
    /// `GET /{v1.0|beta}/deviceAppManagement/mobileApps/{id}/assignments`
    ListAppAssignments,
    /// `POST /{v1.0|beta}/deviceAppManagement/mobileApps/{id}/assignments`
    CreateAppAssignment,
}

impl Endpoint {
    pub const ALL: [Endpoint; 18] = [
        Endpoint::Token,
        Endpoint::ListDevices,
        Endpoint::SyncDevice,
        Endpoint::GetDevice,
        Endpoint::ListEntraDevices,
        Endpoint::ListGroups,
        Endpoint::CreateGroup,
        Endpoint::DeleteGroup,
        Endpoint::ListApps,
        Endpoint::ListAppConfigs,
        Endpoint::CreateAppConfig,
        Endpoint::DeleteAppConfig,
        Endpoint::AssignAppConfig,
        Endpoint::ListGroupMembers,
        Endpoint::AddGroupMember,
        Endpoint::RemoveGroupMember,
        Endpoint::ListAppAssignments,
        Endpoint::CreateAppAssignment,
    ];

    /// The endpoint a request addresses, or `None` for any other path.
    pub fn classify(method: &str, path: &str) -> Option<Self> {
        let path = path.trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').collect();
        match (method, segments.as_slice()) {
            ("POST", ["", _tenant, "oauth2", "v2.0", "token"]) => Some(Self::Token),
            ("GET", ["", "v1.0", "deviceManagement", "managedDevices"]) => Some(Self::ListDevices),
            ("POST", ["", "v1.0", "deviceManagement", "managedDevices", _, "syncDevice"]) => {
                Some(Self::SyncDevice)
            }
            ("GET", ["", "v1.0", "deviceManagement", "managedDevices", _]) => Some(Self::GetDevice),
            ("GET", ["", "v1.0", "devices"]) => Some(Self::ListEntraDevices),
            ("GET", ["", "v1.0", "groups"]) => Some(Self::ListGroups),
            ("POST", ["", "v1.0", "groups"]) => Some(Self::CreateGroup),
            ("DELETE", ["", "v1.0", "groups", _]) => Some(Self::DeleteGroup),
            ("GET", ["", "v1.0" | "beta", "deviceAppManagement", "mobileApps"]) => {
                Some(Self::ListApps)
            }
            ("GET", ["", "v1.0" | "beta", "deviceAppManagement", "mobileAppConfigurations"]) => {
                Some(Self::ListAppConfigs)
            }
            ("POST", ["", "v1.0" | "beta", "deviceAppManagement", "mobileAppConfigurations"]) => {
                Some(Self::CreateAppConfig)
            }
            (
                "DELETE",
                ["", "v1.0" | "beta", "deviceAppManagement", "mobileAppConfigurations", _],
            ) => Some(Self::DeleteAppConfig),
            (
                "POST",
                ["", "v1.0" | "beta", "deviceAppManagement", "mobileAppConfigurations", _, "assign"],
            ) => Some(Self::AssignAppConfig),
            ("GET", ["", "v1.0", "groups", _, "members"]) => Some(Self::ListGroupMembers),
            ("POST", ["", "v1.0", "groups", _, "members", "$ref"]) => Some(Self::AddGroupMember),
            ("DELETE", ["", "v1.0", "groups", _, "members", _, "$ref"]) => {
                Some(Self::RemoveGroupMember)
            }
            (
                "GET",
                ["", "v1.0" | "beta", "deviceAppManagement", "mobileApps", _, "assignments"],
            ) => Some(Self::ListAppAssignments),
            (
                "POST",
                ["", "v1.0" | "beta", "deviceAppManagement", "mobileApps", _, "assignments"],
            ) => Some(Self::CreateAppAssignment),
            _ => None,
        }
    }
}

/// A failure to inject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Answer this 5xx status with Graph's error body.
    ServerError(u16),
    /// Answer `401` `InvalidAuthenticationToken` (an expired or revoked token).
    Unauthorized,
    /// Answer `403` `Forbidden` whatever the app's permissions.
    Forbidden,
    /// Answer `429` `TooManyRequests` with `Retry-After: <seconds>` (whole seconds are sent).
    RateLimited { retry_after: Duration },
    /// Wait this long, then answer normally (drives client timeouts).
    Delay(Duration),
    /// Run the handler, then cut a successful body in half.
    TruncatedPage,
    /// The list answers normally but its `@odata.nextLink` points at another host
    /// (`127.0.0.2`, same port and path): a client must not follow it with its token.
    ForeignNextLink,
}

impl Failure {
    /// Whether the failure answers instead of the handler.
    pub(crate) fn replaces_handler(&self) -> bool {
        matches!(
            self,
            Self::ServerError(_) | Self::Unauthorized | Self::Forbidden | Self::RateLimited { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_documented_paths_only() {
        assert_eq!(
            Endpoint::classify("POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token"),
            Some(Endpoint::Token)
        );
        assert_eq!(
            Endpoint::classify("GET", "/v1.0/deviceManagement/managedDevices"),
            Some(Endpoint::ListDevices)
        );
        assert_eq!(
            Endpoint::classify(
                "POST",
                "/v1.0/deviceManagement/managedDevices/abc/syncDevice"
            ),
            Some(Endpoint::SyncDevice)
        );
        assert_eq!(
            Endpoint::classify("GET", "/v1.0/deviceManagement/managedDevices/abc"),
            Some(Endpoint::GetDevice)
        );
        assert_eq!(
            Endpoint::classify(
                "POST",
                "/beta/deviceAppManagement/mobileAppConfigurations/x/assign"
            ),
            Some(Endpoint::AssignAppConfig)
        );
        assert_eq!(
            Endpoint::classify("GET", "/beta/deviceManagement/managedDevices"),
            None
        );
    }
}
