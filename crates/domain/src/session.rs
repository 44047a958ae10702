//! The session lifecycle the agent sees: requested → created → delivered → waiting → active →
//! closed / expired (iOS 30 minutes, S5; TeamViewer's `valid_until` on every platform) / lost (S9)
//! / failed. What TeamViewer says of a session (its case open or closed, the end customer
//! connected) moves the state too: [`on_teamviewer`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::device::Platform;

/// On iOS the session ID expires 30 minutes after it is created (S5).
pub const IOS_SESSION_MINUTES: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum SessionState {
    Requested,
    Created,
    Delivered,
    Waiting,
    Active,
    Closed,
    Expired,
    Lost,
    Failed,
}

impl SessionState {
    pub const ALL: [SessionState; 9] = [
        SessionState::Requested,
        SessionState::Created,
        SessionState::Delivered,
        SessionState::Waiting,
        SessionState::Active,
        SessionState::Closed,
        SessionState::Expired,
        SessionState::Lost,
        SessionState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Requested => "requested",
            SessionState::Created => "created",
            SessionState::Delivered => "delivered",
            SessionState::Waiting => "waiting",
            SessionState::Active => "active",
            SessionState::Closed => "closed",
            SessionState::Expired => "expired",
            SessionState::Lost => "lost",
            SessionState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// An open session holds its device: one per device.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            SessionState::Requested
                | SessionState::Created
                | SessionState::Delivered
                | SessionState::Waiting
                | SessionState::Active
        )
    }
}

/// How a session reached the device, once it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SessionDelivery {
    /// S4: the session code in the device app's managed app configuration.
    ManagedAppConfig,
    /// The MDM cannot push one: the device user got the end-customer link.
    EndCustomerLink,
    /// Unattended: the desktop client was handed the assigned Host's start link; nothing reached
    /// the device.
    TeamviewerDevice,
    /// Taken from a help request: the device user opened the case themselves.
    HelpRequest,
}

impl SessionDelivery {
    pub const ALL: [SessionDelivery; 4] = [
        SessionDelivery::ManagedAppConfig,
        SessionDelivery::EndCustomerLink,
        SessionDelivery::TeamviewerDevice,
        SessionDelivery::HelpRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SessionDelivery::ManagedAppConfig => "managed_app_config",
            SessionDelivery::EndCustomerLink => "end_customer_link",
            SessionDelivery::TeamviewerDevice => "teamviewer_device",
            SessionDelivery::HelpRequest => "help_request",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

impl std::fmt::Display for SessionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl SessionState {
    /// The states in which a session holds its device, in lifecycle order.
    pub fn open() -> impl Iterator<Item = SessionState> {
        Self::ALL.into_iter().filter(|s| s.is_open())
    }
}

/// A session code TeamViewer created without a `valid_until` expires 24 hours after creation
/// (docs/reference/teamviewer-web-api.md §3.1: `valid_until` omitted).
pub const DEFAULT_VALIDITY_HOURS: i64 = 24;

/// When a session created at `created_at` expires on this platform (S5: iOS only).
pub fn expires_at(
    platform: Platform,
    created_at: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    (platform == Platform::Ios).then(|| created_at + chrono::Duration::minutes(IOS_SESSION_MINUTES))
}

/// The session code's end of validity as TeamViewer answered it, or 24 hours after creation
/// when the answer has none.
pub fn valid_until(
    created_at: chrono::DateTime<chrono::Utc>,
    answered: Option<chrono::DateTime<chrono::Utc>>,
) -> chrono::DateTime<chrono::Utc> {
    answered.unwrap_or_else(|| created_at + chrono::Duration::hours(DEFAULT_VALIDITY_HOURS))
}

/// When an open session stops holding its device: the earlier of S5's 30 minutes (iOS) and
/// TeamViewer's `valid_until`, on every platform.
pub fn effective_expiry(
    platform: Platform,
    created_at: chrono::DateTime<chrono::Utc>,
    valid_until: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    match expires_at(platform, created_at) {
        Some(s5) => s5.min(valid_until),
        None => valid_until,
    }
}

/// What TeamViewer says of a session's service case, as read back by the reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamViewerCase {
    /// The case is open; `online`: the end customer (the device user) is connected.
    Open { online: bool },
    /// The case was closed at TeamViewer (by a supporter, an admin or TeamViewer itself).
    Closed,
}

/// The state an open session moves to when TeamViewer reports its case, if it moves.
///
/// - the case closed there → `closed` here;
/// - the end customer connected → `active` (S6: they accepted the EULA and joined);
/// - the end customer gone again after `active` → no change: the session is `lost` only when the
///   device reports it (S9) or TeamViewer closes the case (a dropped connection may come back).
/// - `requested` has no code yet: TeamViewer cannot say anything of it.
pub fn on_teamviewer(state: SessionState, case: TeamViewerCase) -> Option<SessionState> {
    if !state.is_open() || state == SessionState::Requested {
        return None;
    }
    match case {
        TeamViewerCase::Closed => Some(SessionState::Closed),
        TeamViewerCase::Open { online: true } => {
            (state != SessionState::Active).then_some(SessionState::Active)
        }
        TeamViewerCase::Open { online: false } => None,
    }
}

/// A device-side event of the embedded fleet (`devices report`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceEvent {
    Checkin,
    /// The app was closed: its start command is lost (S9).
    AppClosed,
    /// The device restarted: the start command is lost (S9).
    Rebooted,
    /// The user accepted the TeamViewer EULA on the device (S6): the session goes active.
    EulaAccepted,
}

/// The state an open session moves to on a device event, if it moves.
pub fn on_device_event(state: SessionState, event: &DeviceEvent) -> Option<SessionState> {
    if !state.is_open() {
        return None;
    }
    match event {
        DeviceEvent::Checkin => None,
        DeviceEvent::AppClosed | DeviceEvent::Rebooted => Some(SessionState::Lost),
        DeviceEvent::EulaAccepted => {
            (state != SessionState::Active).then_some(SessionState::Active)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s5_ios_session_expires_after_30_minutes() {
        let t: chrono::DateTime<chrono::Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        assert_eq!(
            expires_at(Platform::Ios, t),
            Some("2026-11-26T10:30:00Z".parse().unwrap())
        );
        assert_eq!(expires_at(Platform::Android, t), None);
    }

    #[test]
    fn s9_app_closed_or_reboot_loses_the_session() {
        for e in [DeviceEvent::AppClosed, DeviceEvent::Rebooted] {
            assert_eq!(
                on_device_event(SessionState::Waiting, &e),
                Some(SessionState::Lost)
            );
            assert_eq!(
                on_device_event(SessionState::Closed, &e),
                None,
                "ended sessions stay ended"
            );
        }
    }

    #[test]
    fn s6_eula_accepted_makes_the_session_active() {
        assert_eq!(
            on_device_event(SessionState::Waiting, &DeviceEvent::EulaAccepted),
            Some(SessionState::Active)
        );
        assert_eq!(
            on_device_event(SessionState::Active, &DeviceEvent::EulaAccepted),
            None
        );
    }

    #[test]
    fn valid_until_defaults_to_24_hours_after_creation() {
        let t: chrono::DateTime<chrono::Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        assert_eq!(
            valid_until(t, None),
            "2026-11-27T10:00:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap()
        );
        let answered = "2026-11-26T12:00:00Z".parse().unwrap();
        assert_eq!(valid_until(t, Some(answered)), answered);
    }

    #[test]
    fn expiry_is_the_earlier_of_s5_and_valid_until_on_every_platform() {
        let t: chrono::DateTime<chrono::Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        let day = valid_until(t, None);
        assert_eq!(effective_expiry(Platform::Android, t, day), day);
        assert_eq!(
            effective_expiry(Platform::Ios, t, day),
            "2026-11-26T10:30:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap(),
            "S5"
        );
        let soon = "2026-11-26T10:10:00Z".parse().unwrap();
        assert_eq!(effective_expiry(Platform::Ios, t, soon), soon);
    }

    #[test]
    fn s6_the_end_customer_connected_at_teamviewer_makes_the_session_active() {
        for state in [
            SessionState::Created,
            SessionState::Delivered,
            SessionState::Waiting,
        ] {
            assert_eq!(
                on_teamviewer(state, TeamViewerCase::Open { online: true }),
                Some(SessionState::Active)
            );
            assert_eq!(
                on_teamviewer(state, TeamViewerCase::Open { online: false }),
                None
            );
        }
        assert_eq!(
            on_teamviewer(SessionState::Active, TeamViewerCase::Open { online: true }),
            None
        );
    }

    #[test]
    fn a_case_closed_at_teamviewer_closes_the_session_here() {
        for state in [
            SessionState::Created,
            SessionState::Delivered,
            SessionState::Waiting,
            SessionState::Active,
        ] {
            assert_eq!(
                on_teamviewer(state, TeamViewerCase::Closed),
                Some(SessionState::Closed)
            );
        }
        for ended in [
            SessionState::Closed,
            SessionState::Expired,
            SessionState::Lost,
            SessionState::Failed,
        ] {
            assert_eq!(
                on_teamviewer(ended, TeamViewerCase::Closed),
                None,
                "ended stays ended"
            );
        }
        assert_eq!(
            on_teamviewer(SessionState::Requested, TeamViewerCase::Closed),
            None,
            "a requested session has no code TeamViewer could report on"
        );
    }

    #[test]
    fn s9_the_end_customer_leaving_does_not_lose_an_active_session_by_itself() {
        assert_eq!(
            on_teamviewer(SessionState::Active, TeamViewerCase::Open { online: false }),
            None
        );
    }

    #[test]
    fn open_states_match_the_store_index() {
        let open: Vec<_> = SessionState::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            open,
            ["requested", "created", "delivered", "waiting", "active"]
        );
    }
}
