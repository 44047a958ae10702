//! Armed sessions: a start the agent leaves waiting for the device. Instead of starting now
//! (the device offline, its launch lost on an app exit or a reboot: S9, its iOS code dead after
//! 30 minutes: S5), the agent **arms** a session; the product starts it by itself when the device
//! next checks in, within the time the agent set, and the device stays held by that agent
//! meanwhile.
//!
//! `armed → fired` (the session started, once) `| expired | cancelled | failed` (the start the
//! check-in fired was refused: a block, a conflict, a service failure).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::session::SessionState;
use crate::Lang;

/// How long an armed session waits for the device when the agent does not say.
pub const DEFAULT_WITHIN: Duration = Duration::hours(4);
/// The longest wait an agent may set: beyond it the reason is stale and the device held too long.
pub const MAX_WITHIN: Duration = Duration::days(3);
/// The shortest wait that makes sense (a check-in interval is minutes).
pub const MIN_WITHIN: Duration = Duration::minutes(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ArmState {
    /// Waiting for the device's next check-in; holds the device for its agent.
    Armed,
    /// The check-in started the session (`session_id`).
    Fired,
    /// The device did not check in within the time set.
    Expired,
    /// The agent cancelled it.
    Cancelled,
    /// The check-in came, but the start was refused (`error` says why).
    Failed,
}

impl ArmState {
    pub const ALL: [ArmState; 5] = [
        ArmState::Armed,
        ArmState::Fired,
        ArmState::Expired,
        ArmState::Cancelled,
        ArmState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArmState::Armed => "armed",
            ArmState::Fired => "fired",
            ArmState::Expired => "expired",
            ArmState::Cancelled => "cancelled",
            ArmState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for ArmState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an armed session fires now: still armed, not expired, and the device checked in
/// after the check-in it had when it was armed (a newer check-in, seen by a sync, an import or a
/// device report).
pub fn is_due(
    state: ArmState,
    armed_checkin: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    device_checkin: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    state == ArmState::Armed && now < expires_at && device_checkin > armed_checkin
}

/// Whether an armed session is past its time.
pub fn is_expired(state: ArmState, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    state == ArmState::Armed && now >= expires_at
}

/// The ended sessions that can be armed again: the launch lost on an app exit or a reboot (S9),
/// the code expired (S5 on iOS, TeamViewer's validity elsewhere), or a start that failed.
pub fn may_rearm(state: SessionState) -> bool {
    matches!(
        state,
        SessionState::Lost | SessionState::Expired | SessionState::Failed
    )
}

/// Why a wait is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WithinError {
    /// Not `<number><m|h|d>`.
    Unreadable,
    /// Shorter than [`MIN_WITHIN`] or longer than [`MAX_WITHIN`].
    OutOfRange,
}

impl WithinError {
    /// The message and its fix, in `lang`.
    pub fn words(&self, lang: Lang, text: &str) -> (String, String) {
        let text: String = text.chars().take(32).collect();
        match (self, lang) {
            (WithinError::Unreadable, Lang::En) => (
                format!("\"{text}\" is not a time to wait."),
                "Give minutes, hours or days, e.g. 30m, 4h or 2d.".into(),
            ),
            (WithinError::Unreadable, Lang::PtBr) => (
                format!("\"{text}\" não é um tempo de espera."),
                "Informe minutos, horas ou dias, por exemplo 30m, 4h ou 2d.".into(),
            ),
            (WithinError::OutOfRange, Lang::En) => (
                format!("A session can wait for its device from 5 minutes to 3 days, not {text}."),
                "Give a wait from 5m to 3d.".into(),
            ),
            (WithinError::OutOfRange, Lang::PtBr) => (
                format!(
                    "Uma sessão pode esperar pelo dispositivo de 5 minutos a 3 dias, não {text}."
                ),
                "Informe uma espera de 5m a 3d.".into(),
            ),
        }
    }
}

/// Reads a wait: `30m`, `4h`, `2d` (minutes, hours, days), within [`MIN_WITHIN`]..=[`MAX_WITHIN`].
pub fn parse_within(text: &str) -> Result<Duration, WithinError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or(WithinError::Unreadable)?;
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().map_err(|_| WithinError::Unreadable)?;
    let wait = match unit {
        "m" | "min" => Duration::try_minutes(n),
        "h" => Duration::try_hours(n),
        "d" => Duration::try_days(n),
        _ => None,
    }
    .ok_or(WithinError::Unreadable)?;
    check_within(wait)
}

/// A wait given in minutes (the window's choice), within the same bounds.
pub fn check_within(wait: Duration) -> Result<Duration, WithinError> {
    if wait < MIN_WITHIN || wait > MAX_WITHIN {
        return Err(WithinError::OutOfRange);
    }
    Ok(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn an_armed_session_fires_on_a_newer_check_in_before_its_expiry() {
        let armed_at = t("2026-12-07T10:00:00Z");
        let expires = t("2026-12-07T14:00:00Z");
        let now = t("2026-12-07T11:00:00Z");
        assert!(is_due(
            ArmState::Armed,
            armed_at,
            expires,
            t("2026-12-07T10:59:00Z"),
            now
        ));
        assert!(
            !is_due(ArmState::Armed, armed_at, expires, armed_at, now),
            "the check-in it was armed with does not fire it"
        );
        assert!(
            !is_due(
                ArmState::Armed,
                armed_at,
                expires,
                t("2026-12-07T13:00:00Z"),
                t("2026-12-07T14:00:00Z")
            ),
            "past its expiry it does not fire"
        );
        for ended in [
            ArmState::Fired,
            ArmState::Expired,
            ArmState::Cancelled,
            ArmState::Failed,
        ] {
            assert!(!is_due(
                ended,
                armed_at,
                expires,
                t("2026-12-07T10:59:00Z"),
                now
            ));
        }
        assert!(is_expired(ArmState::Armed, expires, expires));
        assert!(!is_expired(
            ArmState::Fired,
            expires,
            now + Duration::days(1)
        ));
    }

    #[test]
    fn s9_and_s5_sessions_may_be_armed_again_open_or_closed_ones_may_not() {
        for s in SessionState::ALL {
            assert_eq!(
                may_rearm(s),
                matches!(
                    s,
                    SessionState::Lost | SessionState::Expired | SessionState::Failed
                ),
                "{s}"
            );
        }
    }

    #[test]
    fn a_wait_is_minutes_hours_or_days_within_bounds() {
        assert_eq!(parse_within("4h"), Ok(Duration::hours(4)));
        assert_eq!(parse_within("30m"), Ok(Duration::minutes(30)));
        assert_eq!(parse_within("2d"), Ok(Duration::days(2)));
        assert_eq!(parse_within("3m"), Err(WithinError::OutOfRange));
        assert_eq!(parse_within("4d"), Err(WithinError::OutOfRange));
        for bad in [
            "",
            "h",
            "4",
            "4 hours",
            "-4h",
            "4x",
            "99999999999999999999h",
        ] {
            assert_eq!(parse_within(bad), Err(WithinError::Unreadable), "{bad}");
        }
    }

    #[test]
    fn arm_states_round_trip() {
        for s in ArmState::ALL {
            assert_eq!(ArmState::parse(s.as_str()), Some(s));
        }
    }
}
