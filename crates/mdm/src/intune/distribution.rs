//! App distribution and its reversal through Intune [docs/intune.md §6]: Graph assigns apps to
//! **groups**, so each app and platform has one product-owned Entra ID security group
//! ([`names`]), assigned to the app once as *required*; distributing adds the device to it,
//! undistributing removes it, and both end with `syncDevice` (the forced check-in).
//!
//! 1. `GET …/managedDevices/{id}?$select=id,operatingSystem,azureADDeviceId`, the app's Intune
//!    id ([`super::apps`]) and the device's Entra ID object (`GET /devices?$filter=deviceId eq …`),
//!    as the session delivery does;
//! 2. the group, found by name (`GET /groups?$filter=displayName eq '…'`) or created
//!    (`POST /groups`, security-enabled, no members);
//! 3. the app's assignments (`GET /deviceAppManagement/mobileApps/{id}/assignments`); when none
//!    targets the group, **one** is added: `POST …/mobileApps/{id}/assignments` with a
//!    `mobileAppAssignment` (`intent: required`, `groupAssignmentTarget`). Never the app's
//!    `assign` action: it sets the app's whole list of assignments and would drop the ones the
//!    admin made (Graph: *Create mobileAppAssignment* and *assign action* of `mobileApp`);
//! 4. `POST /groups/{id}/members/$ref` (`{"@odata.id": "…/directoryObjects/{object}"}`; Graph
//!    answers `400` for a member already there, checked against the member list) or
//!    `DELETE /groups/{id}/members/{object}/$ref` (`404`, not a member, counts as done);
//! 5. `POST …/managedDevices/{id}/syncDevice`. The membership is the distribution: a refused
//!    sync is logged, and the device gets the change at its next check-in.
//!
//! Removing a device from the group ends the *required* assignment for it; whether Intune then
//! uninstalls the app is Intune's (docs/intune.md §6).

use helpatwork_domain::device::AppKind;
use reqwest::Method;
use serde_json::{json, Value};

use super::calls::id_of;
use super::delivery::{device_guid, segment, Os, APPS_PERMISSION, GROUPS_PERMISSION};
use super::{IntuneConnector, MDM};
use crate::error::MdmError;

/// *Add members* / *Remove member* for a device member [Graph: group-post-members].
pub const MEMBERS_PERMISSION: &str =
    "GroupMember.ReadWrite.All (or Group.ReadWrite.All) and Device.ReadWrite.All";

/// The names of the product's distribution group of one app and platform.
pub mod names {
    use super::Os;
    use helpatwork_domain::device::AppKind;

    fn platform(os: Os) -> &'static str {
        match os {
            Os::Ios => "iOS",
            Os::Android => "Android",
        }
    }

    pub(crate) fn display(app: AppKind, os: Os) -> String {
        format!("Help@Work distribution {} ({})", app.as_str(), platform(os))
    }

    pub(crate) fn nickname(app: AppKind, os: Os) -> String {
        format!(
            "helpatwork-distribution-{}-{}",
            app.as_str(),
            platform(os).to_ascii_lowercase()
        )
    }
}

impl IntuneConnector {
    /// Distributes (`on`) or undistributes `app` on one device; see the module's steps.
    pub(crate) async fn distribute_app(
        &self,
        device_id: &str,
        app: AppKind,
        on: bool,
    ) -> Result<(), MdmError> {
        let id = device_guid(device_id)?;
        let target = self.target(id).await?;
        let os = target.os;
        let member = self.entra_object(&target.entra_device_id).await?;
        if on {
            // The app and the device are known before anything is made.
            let app_id = self.app_id(os, app).await?;
            let group = match self.distribution_group(app, os).await? {
                Some(group) => group,
                None => self.create_distribution_group(app, os).await?,
            };
            self.ensure_required(os, app, &app_id, &group).await?;
            self.add_member(&group, &member).await?;
        } else if let Some(group) = self.distribution_group(app, os).await? {
            let url = self.inner.config.graph(&format!(
                "groups/{}/members/{}/$ref",
                segment(&group)?,
                segment(&member)?
            ))?;
            self.delete(url, MEMBERS_PERMISSION).await?;
        }
        if let Err(error) = self.sync_device(id).await {
            tracing::warn!(code = %error.code(), %error, "Intune syncDevice after a distribution change failed; the device gets it at its next check-in");
        }
        Ok(())
    }

    /// The id of the app's distribution group for `os`, when it exists (the first one by id
    /// when a retried creation made two).
    async fn distribution_group(&self, app: AppKind, os: Os) -> Result<Option<String>, MdmError> {
        let mut url = self.inner.config.graph("groups")?;
        url.query_pairs_mut()
            .append_pair(
                "$filter",
                &format!("displayName eq '{}'", names::display(app, os)),
            )
            .append_pair("$select", "id,displayName");
        let mut ids = self
            .collect(url, GROUPS_PERMISSION)
            .await?
            .iter()
            .map(id_of)
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort();
        Ok(ids.into_iter().next())
    }

    async fn create_distribution_group(&self, app: AppKind, os: Os) -> Result<String, MdmError> {
        let body = json!({
            "displayName": names::display(app, os),
            "description": "Help@Work Desk: the devices this app is distributed to; the app is assigned to this group as required.",
            "groupTypes": [],
            "mailEnabled": false,
            "mailNickname": names::nickname(app, os),
            "securityEnabled": true,
        });
        let url = self.inner.config.graph("groups")?;
        let group = self
            .call_json(Method::POST, url, Some(&body), GROUPS_PERMISSION)
            .await?;
        id_of(&group)
    }

    /// Whether one of the app's assignments targets `group`, and with which intent.
    async fn assignment_intent(
        &self,
        os: Os,
        app_id: &str,
        group: &str,
    ) -> Result<Option<String>, MdmError> {
        let url = self.inner.config.graph_at(
            os.version(),
            &format!(
                "deviceAppManagement/mobileApps/{}/assignments",
                segment(app_id)?
            ),
        )?;
        let assignments = self.collect(url, APPS_PERMISSION).await?;
        Ok(assignments
            .iter()
            .find(|a| a["target"]["groupId"].as_str() == Some(group))
            .map(|a| a["intent"].as_str().unwrap_or_default().to_owned()))
    }

    /// Adds one *required* assignment of the app to `group` unless one targets it already.
    async fn ensure_required(
        &self,
        os: Os,
        app: AppKind,
        app_id: &str,
        group: &str,
    ) -> Result<(), MdmError> {
        match self.assignment_intent(os, app_id, group).await? {
            Some(intent) if intent == "required" => return Ok(()),
            Some(intent) => {
                return Err(MdmError::InvalidRequest {
                    mdm: MDM,
                    message: format!(
                        "the app is assigned to the group \"{}\" as {}, not required; change or delete that assignment in Intune",
                        names::display(app, os),
                        crate::error::tidy(&intent)
                    ),
                })
            }
            None => {}
        }
        let body = json!({
            "@odata.type": "#microsoft.graph.mobileAppAssignment",
            "intent": "required",
            "target": {
                "@odata.type": "#microsoft.graph.groupAssignmentTarget",
                "groupId": group,
            },
        });
        let url = self.inner.config.graph_at(
            os.version(),
            &format!(
                "deviceAppManagement/mobileApps/{}/assignments",
                segment(app_id)?
            ),
        )?;
        // A creation is not re-sent blindly: after a failure the list says whether it arrived.
        match self
            .send(Method::POST, url, Some(&body), APPS_PERMISSION)
            .await
        {
            Ok(_) => Ok(()),
            Err((error, _)) if error.is_transient() => {
                match self.assignment_intent(os, app_id, group).await {
                    Ok(Some(_)) => Ok(()),
                    _ => Err(error),
                }
            }
            Err((error, _)) => Err(error),
        }
    }

    /// Adds the Entra ID object to the group; already a member is done.
    async fn add_member(&self, group: &str, member: &str) -> Result<(), MdmError> {
        let reference = self
            .inner
            .config
            .graph(&format!("directoryObjects/{}", segment(member)?))?;
        let url = self
            .inner
            .config
            .graph(&format!("groups/{}/members/$ref", segment(group)?))?;
        let body = json!({"@odata.id": reference.as_str()});
        match self
            .call(Method::POST, url, Some(&body), MEMBERS_PERMISSION)
            .await
        {
            Ok(_) => Ok(()),
            // Graph's answer for a member already there (and for other bad requests).
            Err(error @ MdmError::InvalidRequest { .. }) => {
                let mut url = self
                    .inner
                    .config
                    .graph(&format!("groups/{}/members", segment(group)?))?;
                url.query_pairs_mut().append_pair("$select", "id");
                let members = self.collect(url, MEMBERS_PERMISSION).await?;
                if members
                    .iter()
                    .any(|m| m.get("id").and_then(Value::as_str) == Some(member))
                {
                    Ok(())
                } else {
                    Err(error)
                }
            }
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_fit_graph_limits() {
        for app in AppKind::ALL {
            for os in [Os::Ios, Os::Android] {
                let nick = names::nickname(app, os);
                assert!(nick.len() <= 64, "{nick}");
                assert!(nick
                    .chars()
                    .all(|c| c.is_ascii() && !"@()\\[]\";:.<>, ".contains(c)));
            }
        }
        assert_eq!(
            names::display(AppKind::Host, Os::Android),
            "Help@Work distribution host (Android)"
        );
    }
}
