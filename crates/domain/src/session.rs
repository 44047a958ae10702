//! The session lifecycle the agent sees: requested → created → delivered → waiting → active →
//! closed / expired (iOS, S5) / lost (S9) / failed.

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

/// When a session created at `created_at` expires on this platform (S5: iOS only).
pub fn expires_at(
    platform: Platform,
    created_at: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    (platform == Platform::Ios).then(|| created_at + chrono::Duration::minutes(IOS_SESSION_MINUTES))
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
