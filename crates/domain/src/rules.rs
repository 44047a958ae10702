//! The ids of the rules a check enforces: the product spec's (L, A, U, S, D; meanings in
//! `docs/rules.md`, with the function that enforces each and the tests that prove it) and the
//! product's own checks (`online`, `open_session`, …). A check carries a [`RuleId`], so a typo
//! in a rule id does not compile.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! rule_ids {
    ($($variant:ident = $text:literal),* $(,)?) => {
        /// A rule a check enforces; serialised as its id (`"L1"`, `"S11"`, `"open_session"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum RuleId {
            $(#[serde(rename = $text)] $variant,)*
        }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The id as the spec, the JSON and the window write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $text,)*
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(RuleId::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

rule_ids! {
    // L: licence and platforms.
    L1 = "L1", L2 = "L2", L3 = "L3", L4 = "L4",
    // A: admin setup.
    A1 = "A1", A2 = "A2", A3 = "A3", A4 = "A4", A5 = "A5", A6 = "A6",
    // U: unattended mode.
    U1 = "U1", U2 = "U2", U3 = "U3", U4 = "U4",
    // S: starting a session.
    S1 = "S1", S2 = "S2", S3 = "S3", S4 = "S4", S5 = "S5", S6 = "S6", S7 = "S7", S8 = "S8",
    S9 = "S9", S10 = "S10", S11 = "S11", S12 = "S12",
    // D: the agent's desktop client.
    D1 = "D1", D2 = "D2", D3 = "D3",
    // The product's own checks.
    Online = "online",
    OpenSession = "open_session",
    Security = "security",
    Jailbroken = "jailbroken",
    Quarantined = "quarantined",
    LostMode = "lost_mode",
    HostAssigned = "host_assigned",
    HostOnline = "host_online",
    // Support policies per device group (`crate::policy`).
    PolicyGroup = "policy.group",
    PolicyReason = "policy.reason",
    PolicyTicket = "policy.ticket",
    PolicyUnattended = "policy.unattended",
    PolicyApproval = "policy.approval",
    PolicyViewOnly = "policy.view_only",
    PolicyHours = "policy.hours",
}

impl RuleId {
    /// A rule of the product (L, A, U, S, D in `docs/rules.md`), not one of the product's own checks.
    pub fn is_spec_rule(self) -> bool {
        self.as_str()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_reads_back_and_serialises_as_itself() {
        for rule in RuleId::ALL {
            assert_eq!(RuleId::parse(rule.as_str()), Some(*rule));
            assert_eq!(
                serde_json::to_string(rule).unwrap(),
                format!("\"{}\"", rule.as_str())
            );
        }
        assert_eq!(RuleId::parse("l1"), None, "ids are exact");
        assert!(RuleId::S11.is_spec_rule() && !RuleId::OpenSession.is_spec_rule());
    }
}
