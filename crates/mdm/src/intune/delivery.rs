//! The session code to QuickSupport / Host (S4) through Intune's managed app configuration
//! [docs/intune.md §5; docs/reference/mdm-apis.md §6.5].
//!
//! Graph assigns app configuration policies to **groups**, not devices, so each delivery has a
//! product-owned Entra ID security group holding exactly that device:
//! 1. `GET /deviceManagement/managedDevices/{id}?$select=id,operatingSystem,azureADDeviceId`:
//!    the platform and the device's Entra ID device id;
//! 2. the app's Intune id, by bundle / package id ([`super::apps`]);
//! 3. `GET /devices?$filter=deviceId eq '{azureADDeviceId}'&$select=id`: the device's Entra ID
//!    object;
//! 4. `POST /groups` (`securityEnabled`, not mail-enabled), the device bound as its only member
//!    (`members@odata.bind`);
//! 5. `POST /deviceAppManagement/mobileAppConfigurations`: iOS `iosMobileAppConfiguration`
//!    (v1.0, `settings`), Android Enterprise `androidManagedStoreAppConfiguration` (**beta**
//!    only: v1.0 has no such type; `payloadJson`);
//! 6. `POST …/mobileAppConfigurations/{id}/assign` to the group;
//! 7. `POST …/managedDevices/{id}/syncDevice`, so it arrives now.
//!
//! Clearing deletes the configurations and groups **by their names** (one name per device and
//! app, [`names`]), then syncs again. The names are the state: a process that stopped between
//! creating and clearing leaves objects the next clear or delivery for that device finds and
//! deletes, with nothing kept on this machine. A delivery that fails midway removes what it made.

use base64::Engine;
use helpatwork_domain::device::AppKind;
use reqwest::Method;
use serde_json::{json, Map, Value};

use super::calls::id_of;
use super::{is_guid, IntuneConnector, LIST_PERMISSIONS, MDM};
use crate::error::{tidy, MdmError};

/// *Create* / *List* / *Delete* / *assign* of app configurations and *List mobileApps*.
pub const APPS_PERMISSION: &str = "DeviceManagementApps.ReadWrite.All";
/// *Create group* (with members), *List groups*, *Delete group*.
pub const GROUPS_PERMISSION: &str = "Group.ReadWrite.All";
/// *List devices* (Entra ID device objects).
pub const DEVICES_PERMISSION: &str = "Device.Read.All";

/// The platforms Intune's managed app configuration is written for here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Os {
    Ios,
    Android,
}

impl Os {
    /// The Graph version the platform's app configuration type lives in.
    pub(crate) fn version(self) -> &'static str {
        match self {
            Os::Ios => "v1.0",
            Os::Android => "beta",
        }
    }
}

/// The names of the product's objects for one device and app: the group's `displayName` (also
/// the configuration's) and its `mailNickname` (ASCII, at most 64 characters).
pub mod names {
    use helpatwork_domain::device::AppKind;

    pub fn display(device_id: &str, app: AppKind) -> String {
        format!("Help@Work session {device_id} ({})", app.as_str())
    }

    pub fn nickname(device_id: &str, app: AppKind) -> String {
        format!("helpatwork-{}-{device_id}", app.as_str())
    }
}

/// What the delivery needs to know of the managed device.
pub(crate) struct Target {
    pub(crate) os: Os,
    pub(crate) entra_device_id: String,
}

/// An id Graph gave, used as a path segment: letters, digits, `-` and `_` only.
pub(crate) fn segment(id: &str) -> Result<&str, MdmError> {
    if !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(id)
    } else {
        Err(MdmError::malformed(
            MDM,
            "an object id that is not a plain id",
        ))
    }
}

pub(crate) fn device_guid(device_id: &str) -> Result<&str, MdmError> {
    let id = device_id.trim();
    if is_guid(id) {
        Ok(id)
    } else {
        // Intune ids are GUIDs: anything else is not a device of this MDM; nothing is sent.
        Err(MdmError::DeviceNotFound {
            mdm: MDM,
            device_id: tidy(device_id),
        })
    }
}

/// An id no object has: the probes of [`IntuneConnector::check_delivery`] address it.
const NO_OBJECT: &str = "00000000-0000-0000-0000-000000000000";

impl IntuneConnector {
    /// Which of the delivery's and the app distribution's permissions the app registration
    /// lacks, asked without changing anything: the Entra ID device list filtered to an id no
    /// device has, and a delete of a group, an `assign` of a configuration and a removal of a
    /// group member that do not exist (Graph checks the permission
    /// first: `403` without it, `404` with it; **our reading**, as for `syncDevice`). Another
    /// failure than a `403` is returned as it is.
    pub async fn check_delivery(&self) -> Result<Vec<&'static str>, MdmError> {
        let mut missing = Vec::new();
        let mut url = self.inner.config.graph("devices")?;
        url.query_pairs_mut()
            .append_pair("$filter", &format!("deviceId eq '{NO_OBJECT}'"))
            .append_pair("$select", "id");
        let probes = [
            (Method::GET, url, None, DEVICES_PERMISSION),
            (
                Method::DELETE,
                self.inner.config.graph(&format!("groups/{NO_OBJECT}"))?,
                None,
                GROUPS_PERMISSION,
            ),
            (
                Method::POST,
                self.inner.config.graph(&format!(
                    "deviceAppManagement/mobileAppConfigurations/{NO_OBJECT}/assign"
                ))?,
                Some(json!({"assignments": []})),
                APPS_PERMISSION,
            ),
            // App distribution's membership change (`distribution.rs`): removing an object that
            // is not a member of a group that does not exist.
            (
                Method::DELETE,
                self.inner
                    .config
                    .graph(&format!("groups/{NO_OBJECT}/members/{NO_OBJECT}/$ref"))?,
                None,
                super::distribution::MEMBERS_PERMISSION,
            ),
        ];
        for (method, url, body, needs) in probes {
            match self.call(method, url, body.as_ref(), needs).await {
                Ok(_) | Err(MdmError::NotFound { .. }) => {}
                Err(MdmError::MissingPermission { permissions, .. }) => missing.push(permissions),
                Err(error) => return Err(error),
            }
        }
        Ok(missing)
    }

    /// Writes `config` for `app` on one device: group, configuration, assignment, sync. A
    /// failure at any step (the sync included: a configuration that would arrive only at the
    /// next check-in is not a delivery) removes what was made.
    pub(crate) async fn deliver(
        &self,
        device_id: &str,
        app: AppKind,
        config: &Value,
    ) -> Result<(), MdmError> {
        let id = device_guid(device_id)?;
        let target = self.target(id).await?;
        // Leftovers of an earlier delivery to this device and app (a stop between create and
        // clear) go first, so the device holds one configuration of this app.
        self.remove(id, app, Some(target.os)).await?;
        let app_id = self.app_id(target.os, app).await?;
        let member = self.entra_object(&target.entra_device_id).await?;
        let group = self.create_group(id, app, &member).await?;
        let made = async {
            let configuration = self
                .create_configuration(id, app, target.os, &app_id, config)
                .await?;
            self.assign(target.os, &configuration, &group).await?;
            self.sync_device(id).await
        }
        .await;
        if let Err(error) = made {
            // Nothing of a failed delivery stays in the tenant.
            if let Err(e) = self.remove(id, app, Some(target.os)).await {
                tracing::warn!(code = %e.code(), "a failed delivery's objects stay in Intune");
            }
            return Err(error);
        }
        Ok(())
    }

    /// Deletes the configuration and the group of `app` on one device, then syncs it. A device
    /// Intune no longer knows still has its objects deleted (both platforms are looked at).
    pub(crate) async fn clear(&self, device_id: &str, app: AppKind) -> Result<(), MdmError> {
        let id = device_guid(device_id)?;
        let os = match self.target(id).await {
            Ok(target) => Some(target.os),
            Err(MdmError::DeviceNotFound { .. }) => None,
            Err(error) => return Err(error),
        };
        self.remove(id, app, os).await?;
        match os {
            Some(_) => self.sync_device(id).await,
            None => Ok(()),
        }
    }

    /// Deletes every configuration, then every group, named for this device and app.
    async fn remove(&self, id: &str, app: AppKind, os: Option<Os>) -> Result<(), MdmError> {
        let name = names::display(id, app);
        let platforms: &[Os] = match os {
            Some(Os::Ios) => &[Os::Ios],
            Some(Os::Android) => &[Os::Android],
            None => &[Os::Ios, Os::Android],
        };
        for os in platforms {
            let url = self
                .inner
                .config
                .graph_at(os.version(), "deviceAppManagement/mobileAppConfigurations")?;
            // **Our choice**: filtered here by name; the reference shows no `$filter` for this
            // collection.
            for entry in self.collect(url, APPS_PERMISSION).await? {
                if entry.get("displayName").and_then(Value::as_str) == Some(name.as_str()) {
                    let cid = id_of(&entry)?;
                    let url = self.inner.config.graph_at(
                        os.version(),
                        &format!(
                            "deviceAppManagement/mobileAppConfigurations/{}",
                            segment(&cid)?
                        ),
                    )?;
                    self.delete(url, APPS_PERMISSION).await?;
                }
            }
        }
        let mut url = self.inner.config.graph("groups")?;
        url.query_pairs_mut()
            .append_pair("$filter", &format!("displayName eq '{name}'"))
            .append_pair("$select", "id,displayName");
        for entry in self.collect(url, GROUPS_PERMISSION).await? {
            let gid = id_of(&entry)?;
            let url = self
                .inner
                .config
                .graph(&format!("groups/{}", segment(&gid)?))?;
            self.delete(url, GROUPS_PERMISSION).await?;
        }
        Ok(())
    }

    pub(crate) async fn target(&self, id: &str) -> Result<Target, MdmError> {
        let mut url = self
            .inner
            .config
            .graph(&format!("deviceManagement/managedDevices/{id}"))?;
        url.query_pairs_mut()
            .append_pair("$select", "id,operatingSystem,azureADDeviceId");
        let device = match self
            .call_json(Method::GET, url, None, LIST_PERMISSIONS)
            .await
        {
            Ok(device) => device,
            Err(MdmError::NotFound { .. }) => {
                return Err(MdmError::DeviceNotFound {
                    mdm: MDM,
                    device_id: id.to_owned(),
                })
            }
            Err(error) => return Err(error),
        };
        let os = match device
            .get("operatingSystem")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "ios" | "ipados" => Os::Ios,
            "android" => Os::Android,
            other => {
                return Err(MdmError::InvalidRequest {
                    mdm: MDM,
                    message: format!(
                        "the session's app configuration is written for iOS and Android devices, not {}",
                        if other.is_empty() { "this one".to_owned() } else { tidy(other) }
                    ),
                })
            }
        };
        let entra_device_id = device
            .get("azureADDeviceId")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| is_guid(d) && *d != "00000000-0000-0000-0000-000000000000")
            .ok_or_else(|| MdmError::NotFound {
                mdm: MDM,
                what: "the device's Entra ID registration (azureADDeviceId)".to_owned(),
            })?
            .to_owned();
        Ok(Target {
            os,
            entra_device_id,
        })
    }

    /// The Entra ID object id of the device whose `deviceId` is `entra_device_id`.
    pub(crate) async fn entra_object(&self, entra_device_id: &str) -> Result<String, MdmError> {
        let mut url = self.inner.config.graph("devices")?;
        url.query_pairs_mut()
            .append_pair("$filter", &format!("deviceId eq '{entra_device_id}'"))
            .append_pair("$select", "id");
        let found = self.collect(url, DEVICES_PERMISSION).await?;
        match found.as_slice() {
            [one] => id_of(one),
            _ => Err(MdmError::NotFound {
                mdm: MDM,
                what: "the device's Entra ID device object".to_owned(),
            }),
        }
    }

    async fn create_group(&self, id: &str, app: AppKind, member: &str) -> Result<String, MdmError> {
        let member_url = self
            .inner
            .config
            .graph(&format!("directoryObjects/{}", segment(member)?))?;
        let body = json!({
            "displayName": names::display(id, app),
            "description": "Help@Work Desk: holds one device while a session's app configuration is assigned to it; deleted when the session ends.",
            "groupTypes": [],
            "mailEnabled": false,
            "mailNickname": names::nickname(id, app),
            "securityEnabled": true,
            "members@odata.bind": [member_url.as_str()],
        });
        let url = self.inner.config.graph("groups")?;
        let group = self
            .call_json(Method::POST, url, Some(&body), GROUPS_PERMISSION)
            .await?;
        id_of(&group)
    }

    async fn create_configuration(
        &self,
        id: &str,
        app: AppKind,
        os: Os,
        app_id: &str,
        config: &Value,
    ) -> Result<String, MdmError> {
        let mut body = json!({
            "displayName": names::display(id, app),
            "description": "Help@Work Desk: a session's managed app configuration for one device; deleted when the session ends.",
            "targetedMobileApps": [app_id],
        });
        let fields = body.as_object_mut().expect("an object");
        match os {
            Os::Ios => {
                fields.insert(
                    "@odata.type".into(),
                    "#microsoft.graph.iosMobileAppConfiguration".into(),
                );
                fields.insert("settings".into(), ios_settings(config));
            }
            Os::Android => {
                fields.insert(
                    "@odata.type".into(),
                    "#microsoft.graph.androidManagedStoreAppConfiguration".into(),
                );
                let package = super::apps::android_package(app);
                fields.insert("packageId".into(), format!("app:{package}").into());
                fields.insert(
                    "payloadJson".into(),
                    android_payload(package, config).into(),
                );
                fields.insert("profileApplicability".into(), "default".into());
            }
        }
        let url = self
            .inner
            .config
            .graph_at(os.version(), "deviceAppManagement/mobileAppConfigurations")?;
        let created = self
            .call_json(Method::POST, url, Some(&body), APPS_PERMISSION)
            .await?;
        id_of(&created)
    }

    async fn assign(&self, os: Os, configuration: &str, group: &str) -> Result<(), MdmError> {
        let body = json!({
            "assignments": [{
                "@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationAssignment",
                "target": {
                    "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                    "groupId": group,
                },
            }],
        });
        let url = self.inner.config.graph_at(
            os.version(),
            &format!(
                "deviceAppManagement/mobileAppConfigurations/{}/assign",
                segment(configuration)?
            ),
        )?;
        self.call(Method::POST, url, Some(&body), APPS_PERMISSION)
            .await
            .map(|_| ())
    }
}

/// The session's values as iOS `appConfigurationSettingItem`s: one per top-level key, typed by
/// its JSON value (`null` left out; objects and arrays as their JSON text).
pub(crate) fn ios_settings(config: &Value) -> Value {
    let items: Vec<Value> = entries(config)
        .map(|(key, value)| {
            let (kind, text) = match value {
                Value::Bool(b) => ("booleanType", b.to_string()),
                Value::Number(n) if n.is_i64() => ("integerType", n.to_string()),
                Value::Number(n) => ("realType", n.to_string()),
                Value::String(s) => ("stringType", s.clone()),
                other => ("stringType", other.to_string()),
            };
            json!({
                "@odata.type": "microsoft.graph.appConfigurationSettingItem",
                "appConfigKey": key,
                "appConfigKeyType": kind,
                "appConfigKeyValue": text,
            })
        })
        .collect();
    Value::Array(items)
}

/// The session's values as an Android Enterprise managed configuration (Google Play EMM API's
/// `managedConfiguration`: `managedProperty` entries with `valueString`, `valueBool`,
/// `valueInteger`), base64-encoded in `payloadJson` (**our reading**, docs/intune.md §8).
pub(crate) fn android_payload(package: &str, config: &Value) -> String {
    let properties: Vec<Value> = entries(config)
        .map(|(key, value)| {
            let mut property = Map::new();
            property.insert("key".into(), key.clone().into());
            match value {
                Value::Bool(b) => property.insert("valueBool".into(), (*b).into()),
                Value::Number(n) if n.is_i64() => {
                    property.insert("valueInteger".into(), n.clone().into())
                }
                Value::String(s) => property.insert("valueString".into(), s.clone().into()),
                other => property.insert("valueString".into(), other.to_string().into()),
            };
            Value::Object(property)
        })
        .collect();
    let payload = json!({
        "kind": "androidenterprise#managedConfiguration",
        "productId": format!("app:{package}"),
        "managedProperty": properties,
    });
    base64::engine::general_purpose::STANDARD.encode(payload.to_string())
}

fn entries(config: &Value) -> impl Iterator<Item = (&String, &Value)> {
    config
        .as_object()
        .into_iter()
        .flat_map(|m| m.iter())
        .filter(|(_, v)| !v.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_keep_the_session_values_and_their_types() {
        let config =
            json!({"session_code": "s123", "auto_launch": true, "end_customer_link": null});
        let items = ios_settings(&config);
        let items = items.as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert!(items.iter().any(|i| i["appConfigKey"] == "session_code"
            && i["appConfigKeyType"] == "stringType"
            && i["appConfigKeyValue"] == "s123"));
        assert!(items.iter().any(|i| i["appConfigKey"] == "auto_launch"
            && i["appConfigKeyType"] == "booleanType"
            && i["appConfigKeyValue"] == "true"));
        let payload = android_payload("com.teamviewer.quicksupport.market", &config);
        let decoded: Value = serde_json::from_slice(
            &base64::engine::general_purpose::STANDARD
                .decode(payload)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            decoded["productId"],
            "app:com.teamviewer.quicksupport.market"
        );
        assert!(decoded["managedProperty"]
            .as_array()
            .unwrap()
            .contains(&json!({"key": "session_code", "valueString": "s123"})));
    }

    #[test]
    fn names_fit_graph_limits() {
        let id = "2f4c3b1a-0d9e-4c7b-8a6f-5e4d3c2b1a09";
        for app in AppKind::ALL {
            let nick = names::nickname(id, app);
            assert!(nick.len() <= 64, "{nick}");
            assert!(nick
                .chars()
                .all(|c| c.is_ascii() && !"@()\\[]\";:.<>, ".contains(c)));
        }
    }
}
