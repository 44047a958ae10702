//! Four eyes: an unattended start a policy holds until another agent approves it.
//!
//! A request is `pending` until another agent approves or refuses it, or until it expires
//! (the policy's approval time after it was made). An approval holds for the policy's approval
//! time after it was given; the requester's next start on the device uses it (`used`). The
//! requester never decides their own request: not as the same agent (the OS account sessions
//! and the audit trail name), and not as the same TeamViewer account when both were verified
//! (one person on two PCs). Deciding needs a verified TeamViewer account.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApprovalState {
    /// Held: awaiting another agent's approval.
    Pending,
    Approved,
    Refused,
    /// The requester's start went on with it.
    Used,
    Expired,
}

impl ApprovalState {
    pub const ALL: [ApprovalState; 5] = [
        ApprovalState::Pending,
        ApprovalState::Approved,
        ApprovalState::Refused,
        ApprovalState::Used,
        ApprovalState::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Pending => "pending",
            ApprovalState::Approved => "approved",
            ApprovalState::Refused => "refused",
            ApprovalState::Used => "used",
            ApprovalState::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Pending or approved: it still holds the device and requester's slot until it expires.
    pub fn is_open(self) -> bool {
        matches!(self, ApprovalState::Pending | ApprovalState::Approved)
    }
}

/// An agent as a request or a decision names it: the OS account, and the TeamViewer account
/// verified for it, if one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentIdentity<'a> {
    pub agent: &'a str,
    pub account_id: Option<&'a str>,
}

/// Why an agent may not decide a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecideRefusal {
    /// The requester: four eyes need another agent.
    OwnRequest,
    /// No TeamViewer account is verified for the decider.
    NotVerified,
}

/// Whether `decider` may approve or refuse `requester`'s request.
pub fn may_decide(
    requester: AgentIdentity<'_>,
    decider: AgentIdentity<'_>,
) -> Result<(), DecideRefusal> {
    let Some(decider_account) = decider.account_id else {
        return Err(DecideRefusal::NotVerified);
    };
    let same_agent = requester.agent.trim().to_lowercase() == decider.agent.trim().to_lowercase();
    let same_account = requester.account_id == Some(decider_account);
    if same_agent || same_account {
        return Err(DecideRefusal::OwnRequest);
    }
    Ok(())
}

/// The end of a request made, or an approval given, at `at` under `minutes`.
pub fn expires_at(at: DateTime<Utc>, minutes: u32) -> DateTime<Utc> {
    at + Duration::minutes(i64::from(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who<'a>(agent: &'a str, account: Option<&'a str>) -> AgentIdentity<'a> {
        AgentIdentity {
            agent,
            account_id: account,
        }
    }

    #[test]
    fn four_eyes_the_requester_never_decides_their_own_request() {
        let ana = who("ana", Some("u1"));
        assert_eq!(may_decide(ana, ana), Err(DecideRefusal::OwnRequest));
        // The same agent, whatever the case of the name.
        assert_eq!(
            may_decide(ana, who("ANA", Some("u2"))),
            Err(DecideRefusal::OwnRequest)
        );
        // The same TeamViewer account on another PC, under another OS account.
        assert_eq!(
            may_decide(ana, who("ana.laptop", Some("u1"))),
            Err(DecideRefusal::OwnRequest)
        );
        // An unverified decider decides nothing.
        assert_eq!(
            may_decide(ana, who("bruno", None)),
            Err(DecideRefusal::NotVerified)
        );
        assert_eq!(may_decide(ana, who("bruno", Some("u2"))), Ok(()));
        // An unverified requester is told apart by the agent name alone.
        assert_eq!(
            may_decide(who("ana", None), who("bruno", Some("u2"))),
            Ok(())
        );
    }

    #[test]
    fn four_eyes_an_approval_expires_after_the_policys_time() {
        let at: DateTime<Utc> = "2026-12-07T12:00:00Z".parse().unwrap();
        assert_eq!(
            expires_at(at, 30),
            "2026-12-07T12:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        for s in ApprovalState::ALL {
            assert_eq!(ApprovalState::parse(s.as_str()), Some(s));
        }
        assert!(ApprovalState::Pending.is_open() && !ApprovalState::Used.is_open());
    }
}
