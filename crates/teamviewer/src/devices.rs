//! Computers & Contacts and groups: the account's devices (`GET /devices`, docs/reference/teamviewer-web-api.md §4), the
//! groups service cases live in (`GET /groups`), and the start link that opens remote control to
//! a device by its ID (docs/reference/teamviewer-web-api.md §6.1).
//!
//! An Android device running TeamViewer Host that was assigned to the account appears in the
//! device list with `assigned_to: true` (docs/reference/teamviewer-web-api.md §4, marked there as inferred for Host); the
//! desktop client connects to it by its `remotecontrol_id` with no one on the device.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::api::{Call, TeamViewerClient};
use crate::error::TeamViewerError;
use crate::responses;

/// `r` and the TeamViewer ID, e.g. `r123456789` (TVPS `r(\d+)`), validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RemoteControlId(String);

impl RemoteControlId {
    /// `r` followed by 1 to 12 ASCII digits.
    pub fn parse(id: &str) -> Result<Self, TeamViewerError> {
        let digits = id.strip_prefix('r').unwrap_or("");
        if (1..=12).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(id.to_owned()))
        } else {
            Err(TeamViewerError::InvalidRequest {
                description: "a remote control id looks like r123456789".to_owned(),
                signature: None,
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The TeamViewer ID people read (the digits).
    pub fn teamviewer_id(&self) -> &str {
        &self.0[1..]
    }

    /// The start link that opens remote control to this device in the installed desktop client:
    /// `https://start.teamviewer.com/device/<remotecontrol_id>/authorization/password/mode/control`
    /// (TVDOC Appendix 8.2, docs/reference/teamviewer-web-api.md §6.1). Built from the validated id only.
    pub fn control_link(&self) -> Url {
        let mut url = Url::parse("https://start.teamviewer.com/")
            .unwrap_or_else(|_| unreachable!("a constant URL"));
        url.set_path(&format!(
            "device/{}/authorization/password/mode/control",
            self.0
        ));
        url
    }
}

impl std::fmt::Display for RemoteControlId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `online_state`: TVPS accepts `Online`, `Busy`, `Away`, `Offline` (lower-cased on the wire).
/// Reliably filled only on paid tiers (docs/reference/teamviewer-web-api.md §4): missing or unknown is [`OnlineState::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnlineState {
    Online,
    Busy,
    Away,
    Offline,
    Unknown,
}

impl OnlineState {
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "online" => Self::Online,
            "busy" => Self::Busy,
            "away" => Self::Away,
            "offline" => Self::Offline,
            _ => Self::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Busy => "busy",
            Self::Away => "away",
            Self::Offline => "offline",
            Self::Unknown => "unknown",
        }
    }

    /// The device is connected to TeamViewer (online, busy or away).
    pub fn is_reachable(self) -> bool {
        matches!(self, Self::Online | Self::Busy | Self::Away)
    }
}

/// One entry of the account's Computers & Contacts list, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    /// `d…`: the contact-list entry, not the TeamViewer ID.
    pub device_id: String,
    pub remotecontrol_id: RemoteControlId,
    pub alias: String,
    pub description: Option<String>,
    pub groupid: Option<String>,
    pub online_state: OnlineState,
    /// Assigned to the current account (unattended access).
    pub assigned_to: bool,
    /// e.g. `chat`, `remote_control`.
    pub supported_features: Vec<String>,
    /// Absent while online; only for devices assigned to the current user.
    pub last_seen: Option<DateTime<Utc>>,
    pub policy_id: Option<String>,
}

impl Device {
    pub fn supports_remote_control(&self) -> bool {
        self.supported_features
            .iter()
            .any(|f| f == "remote_control")
    }
}

#[derive(Deserialize)]
pub(crate) struct DeviceWire {
    device_id: String,
    remotecontrol_id: String,
    #[serde(default)]
    alias: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    groupid: Option<String>,
    #[serde(default)]
    online_state: Option<String>,
    #[serde(default)]
    assigned_to: Option<bool>,
    #[serde(default)]
    supported_features: Option<SupportedFeatures>,
    #[serde(default)]
    last_seen: Option<String>,
    #[serde(default)]
    policy_id: Option<String>,
}

/// `supported_features`: a list, or (in some answers) one comma-separated string.
#[derive(Deserialize)]
#[serde(untagged)]
enum SupportedFeatures {
    List(Vec<String>),
    Text(String),
}

#[derive(Deserialize)]
pub(crate) struct DeviceListWire {
    pub(crate) devices: Vec<DeviceWire>,
}

impl TryFrom<DeviceWire> for Device {
    type Error = TeamViewerError;

    fn try_from(w: DeviceWire) -> Result<Self, Self::Error> {
        if !w.device_id.starts_with('d') || w.device_id.len() < 2 {
            return Err(TeamViewerError::malformed("device_id in an unknown format"));
        }
        let remotecontrol_id = RemoteControlId::parse(&w.remotecontrol_id)
            .map_err(|_| TeamViewerError::malformed("remotecontrol_id in an unknown format"))?;
        let supported_features = match w.supported_features {
            None => Vec::new(),
            Some(SupportedFeatures::List(list)) => list,
            Some(SupportedFeatures::Text(text)) => text
                .split(',')
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect(),
        };
        let last_seen = match w.last_seen.filter(|t| !t.is_empty()) {
            None => None,
            Some(raw) => Some(
                DateTime::parse_from_rfc3339(&raw)
                    .map(|t| t.with_timezone(&Utc))
                    .or_else(|_| {
                        chrono::NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M:%S%.f")
                            .map(|t| t.and_utc())
                    })
                    .map_err(|_| TeamViewerError::malformed("last_seen is not a timestamp"))?,
            ),
        };
        Ok(Self {
            device_id: w.device_id,
            remotecontrol_id,
            alias: w.alias.unwrap_or_default(),
            description: w.description.filter(|d| !d.is_empty()),
            groupid: w.groupid.filter(|g| !g.is_empty()),
            online_state: w
                .online_state
                .as_deref()
                .map_or(OnlineState::Unknown, OnlineState::parse),
            assigned_to: w.assigned_to.unwrap_or(false),
            supported_features,
            last_seen,
            policy_id: w.policy_id.filter(|p| !p.is_empty()),
        })
    }
}

/// Filters of `GET /devices` (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceQuery {
    pub online_state: Option<OnlineState>,
    pub groupid: Option<String>,
    pub remotecontrol_id: Option<RemoteControlId>,
}

/// A group (`g…`) of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
}

#[derive(Deserialize)]
pub(crate) struct GroupListWire {
    pub(crate) groups: Vec<Group>,
}

impl TeamViewerClient {
    /// `GET /devices` (Computers & Contacts; `ContactList.Read`, user tokens only).
    #[tracing::instrument(skip_all, err)]
    pub async fn list_devices(&self, query: &DeviceQuery) -> Result<Vec<Device>, TeamViewerError> {
        let mut call = Call::get("devices");
        if let Some(state) = query.online_state.filter(|s| *s != OnlineState::Unknown) {
            call.query.push(("online_state", state.as_str().to_owned()));
        }
        if let Some(groupid) = &query.groupid {
            call.query.push(("groupid", groupid.clone()));
        }
        if let Some(id) = &query.remotecontrol_id {
            call.query
                .push(("remotecontrol_id", id.as_str().to_owned()));
        }
        responses::devices(&self.call(&call).await?)
    }

    /// `GET /groups?name=…` (`Groups.Read`): the groups whose name contains `name`, or every group.
    #[tracing::instrument(skip_all, err)]
    pub async fn list_groups(&self, name: Option<&str>) -> Result<Vec<Group>, TeamViewerError> {
        let mut call = Call::get("groups");
        if let Some(name) = name {
            call.query.push(("name", name.to_owned()));
        }
        responses::groups(&self.call(&call).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_control_ids_follow_the_documented_shape() {
        for ok in ["r123456789", "r1", "r123456789012"] {
            assert!(RemoteControlId::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "123456789",
            "r",
            "r12a",
            "R123",
            "r1234567890123",
            "r1/../x",
            "",
        ] {
            assert!(RemoteControlId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_control_link_is_the_documented_start_link() {
        let id = RemoteControlId::parse("r123456789").expect("valid");
        assert_eq!(
            id.control_link().as_str(),
            "https://start.teamviewer.com/device/r123456789/authorization/password/mode/control"
        );
        assert_eq!(id.teamviewer_id(), "123456789");
    }

    #[test]
    fn a_documented_device_parses() {
        let body = br#"{"devices":[{"device_id":"d123","remotecontrol_id":"r987654321",
            "groupid":"g12","alias":"Pixel [hw:and-0001]","description":"","online_state":"Online",
            "assigned_to":true,"supported_features":"chat, remote_control","policy_id":"inherit"},
            {"device_id":"d124","remotecontrol_id":"r555","alias":"x","online_state":"offline",
            "last_seen":"2026-12-01T10:00:00Z","supported_features":["chat"]}]}"#;
        let devices = responses::devices(body).expect("parses");
        assert_eq!(devices.len(), 2);
        assert_eq!(devices[0].online_state, OnlineState::Online);
        assert!(devices[0].assigned_to && devices[0].supports_remote_control());
        assert_eq!(devices[0].description, None);
        assert!(!devices[1].assigned_to);
        assert!(devices[1].last_seen.is_some());
    }

    #[test]
    fn a_device_with_a_bad_id_is_refused() {
        let body = br#"{"devices":[{"device_id":"d1","remotecontrol_id":"r1;rm"}]}"#;
        assert!(responses::devices(body).is_err());
    }
}
