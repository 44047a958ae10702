//! The TeamViewer apps' Intune ids: `GET /deviceAppManagement/mobileApps` read to its end and
//! matched here by bundle id (iOS store / VPP apps: `bundleId`, v1.0) or package name (Android
//! Enterprise managed store apps, `#microsoft.graph.androidManagedStoreApp`: `packageId` or
//! `appIdentifier`; a type only the **beta** reference has, so Android apps are read there).
//! **Our choice**: matched on this side; the reference shows no `$filter` on these type-specific
//! properties. The package names and the iOS rule are the ones the Ivanti app inventory uses.

use helpatwork_domain::device::AppKind;
use serde_json::Value;

use super::calls::id_of;
use super::delivery::{Os, APPS_PERMISSION};
use super::IntuneConnector;
use crate::error::MdmError;
use crate::ivanti::cps::{android_app, ios_app};

/// The Android package of `app` [teamviewer-web-api.md §7.1]. The model-specific add-on has
/// no one package: the Samsung one stands for it.
pub(crate) fn android_package(app: AppKind) -> &'static str {
    match app {
        AppKind::Quicksupport => "com.teamviewer.quicksupport.market",
        AppKind::Host => "com.teamviewer.host.market",
        AppKind::AddonUniversal => "com.teamviewer.quicksupport.addon.universal",
        AppKind::AddonOem => "com.teamviewer.quicksupport.addon.samsung",
    }
}

/// Whether the `mobileApp` entry is `app` for `os`.
pub(crate) fn is_app(entry: &Value, os: Os, app: AppKind) -> bool {
    let text = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or_default();
    match os {
        Os::Ios => {
            !text("bundleId").is_empty()
                && ios_app(text("bundleId"), text("displayName")) == Some(app)
        }
        Os::Android => {
            text("@odata.type") == "#microsoft.graph.androidManagedStoreApp"
                && (android_app(text("packageId")) == Some(app)
                    || android_app(text("appIdentifier")) == Some(app))
        }
    }
}

impl IntuneConnector {
    /// The Intune id of `app` for `os`, or `not_found` naming the app to add in Intune.
    pub(crate) async fn app_id(&self, os: Os, app: AppKind) -> Result<String, MdmError> {
        let url = self
            .inner
            .config
            .graph_at(os.version(), "deviceAppManagement/mobileApps")?;
        let apps = self.collect(url, APPS_PERMISSION).await?;
        match apps.iter().find(|entry| is_app(entry, os, app)) {
            Some(entry) => id_of(entry),
            None => Err(MdmError::NotFound {
                mdm: super::MDM,
                what: match os {
                    Os::Ios => "TeamViewer QuickSupport among Intune's iOS apps".to_owned(),
                    Os::Android => format!(
                        "the managed Google Play app {} among Intune's apps",
                        android_package(app)
                    ),
                },
            }),
        }
    }
}
