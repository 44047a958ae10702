//! The Actions menu's remote item (S1): remote control on Android, remote view on iOS, disabled
//! with the reason on a device that can never be supported (L2).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{platform_support, Reporter};
use crate::device::{Device, Platform};
use crate::lang::Lang;

/// What the Actions menu's remote item is on this device (S1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RemoteActionKind {
    /// "Start TeamViewer remote control" (Android).
    RemoteControl,
    /// "Remote view" (iOS).
    RemoteView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemoteAction {
    pub kind: RemoteActionKind,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
}

impl RemoteActionKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RemoteActionKind::RemoteControl => lang.pick(
                "Start TeamViewer remote control",
                "Iniciar controle remoto do TeamViewer",
            ),
            RemoteActionKind::RemoteView => lang.pick("Remote view", "Exibição remota"),
        }
    }
}

/// S1: Android shows "Start TeamViewer remote control", iOS "Remote view"; L2: disabled with the
/// reason on devices that can never be supported.
pub fn remote_action(device: &Device, lang: Lang) -> RemoteAction {
    let kind = match device.platform {
        Platform::Ios => RemoteActionKind::RemoteView,
        _ => RemoteActionKind::RemoteControl,
    };
    match platform_support(device) {
        Ok(()) => RemoteAction {
            kind,
            enabled: true,
            disabled_reason: None,
        },
        Err(reason) => RemoteAction {
            kind,
            enabled: false,
            disabled_reason: Some(reason.describe(lang, Reporter::FleetFile).0),
        },
    }
}
