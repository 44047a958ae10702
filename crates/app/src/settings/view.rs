//! What the settings look like to the CLI and the window: each entry, the whole view, a change
//! and a connection test's answer (generated into TypeScript).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a setting's effective value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SettingSource {
    /// An environment variable (it wins over the file).
    Env,
    /// The settings file.
    File,
    /// The OS keyring (secrets set here).
    Keyring,
    /// Not set: the built-in default applies.
    Default,
}

/// One setting as `settings show` and the window's Settings view show it. Secrets never carry
/// their value: only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingEntry {
    pub key: String,
    /// The effective value; `None` for secrets and for unset settings.
    pub value: Option<String>,
    /// What the settings file (or keyring, for a secret) holds, secrets excepted.
    pub saved: Option<String>,
    pub source: SettingSource,
    /// The environment variable that overrides the file, when there is one.
    pub env: Option<String>,
    /// An environment variable is set and hides the saved value.
    pub overridden: bool,
    pub secret: bool,
    /// A secret has a value (in the environment or the keyring).
    pub is_set: bool,
    /// The accepted words, for a choice.
    pub choices: Vec<String>,
    /// The running window applies a change only after a restart.
    pub restart: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingsView {
    /// The settings file.
    pub file: String,
    pub entries: Vec<SettingEntry>,
    /// The redirect address to register for the TeamViewer app: the loopback interface, any
    /// port (RFC 8252), this path.
    pub oauth_redirect: String,
    /// What the agent must know about these settings: TeamViewer configured on a host outside
    /// TeamViewer's domain, where the token would go.
    pub warnings: Vec<String>,
}

/// What `settings set` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingChange {
    pub key: String,
    /// `false` when the value was cleared.
    pub set: bool,
    /// The window must be restarted for the change to apply.
    pub restart: bool,
    /// An environment variable still overrides the saved value.
    pub overridden_by: Option<String>,
    pub settings: SettingsView,
}

/// What a connection test can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TestTarget {
    Teamviewer,
    Mdm,
    Store,
    Desktop,
}

impl TestTarget {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "teamviewer" => Some(Self::Teamviewer),
            "mdm" => Some(Self::Mdm),
            "store" => Some(Self::Store),
            "desktop" => Some(Self::Desktop),
            _ => None,
        }
    }
}

/// A connection test that passed. A failed one is an [`AppError`] with its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionTest {
    pub target: TestTarget,
    pub message: String,
    /// Warnings worth knowing even though the test passed.
    pub notes: Vec<String>,
}
