//! The labelled demo: its fleet (a few hundred generated devices, the same every time, covering
//! every case the product treats differently: `helpatwork_fleetgen`'s demo profile), the tenant
//! ready to help, and the demo's TeamViewer desktop client.

use chrono::{DateTime, Utc};
use helpatwork_domain::{AppKind, Device, Mode};

use crate::context::AppContext;
use crate::error::Result;

pub use helpatwork_fleetgen::DEMO_FLEET_SIZE;

/// The demo fleet as of `now` (check-in times are relative to it): the generator's demo profile
/// (`helpatwork_fleetgen`), whose devices the screenshots and tests name.
pub fn fleet(now: DateTime<Utc>) -> Vec<Device> {
    helpatwork_fleetgen::Fleet::demo(now).generate()
}

/// Seeds the demo store once: an empty demo store gets the fleet; a used one is left alone.
pub async fn seed(ctx: &AppContext) -> Result<()> {
    if ctx.store.device_count().await? > 0 {
        return Ok(());
    }
    let fleet = fleet(Utc::now());
    ctx.store.upsert_devices(&fleet, "demo").await?;
    // A tenant ready to help: Platinum, both modes activated for the sandbox's account with the
    // bundled EULA notice, Host distributed where it is installed (each holding a licence).
    let now = ctx.clock.now();
    let event = |action: &'static str| helpatwork_store::NewAuditEvent {
        actor: "demo",
        action,
        device_id: None,
        session_id: None,
        detail: serde_json::json!({"demo": true}),
    };
    let hosts: Vec<String> = fleet
        .iter()
        .filter(|d| d.app(AppKind::Host).is_some())
        .map(|d| d.id.clone())
        .collect();
    ctx.store
        .update_tenant(
            Some("platinum"),
            Some(hosts.len() as u32 + 20),
            now,
            event("admin.tier"),
        )
        .await?;
    let eula = crate::eula::eula().await?;
    let account = helpatwork_teamviewer_sandbox::SandboxAccount::default();
    for mode in Mode::ALL {
        let integration = helpatwork_store::Integration {
            mode: mode.as_str().into(),
            active: true,
            account_id: Some(account.userid.clone()),
            account_name: Some(account.name.clone()),
            eula_version: Some(eula.version.clone()),
            eula_sha256: Some(eula.sha256.clone()),
            agreed_by: Some("demo".into()),
            agreed_at: Some(now),
        };
        ctx.store
            .set_integration(&integration, now, event("admin.activate"))
            .await?;
    }
    ctx.store
        .set_distribution(
            AppKind::Host.as_str(),
            &hosts,
            true,
            None,
            now,
            event("apps.distribute"),
        )
        .await?
        .ok();
    Ok(())
}

/// The demo's TeamViewer desktop client: an install directory with a `config/global.conf`, so
/// the S11/D3 checks run on a machine without TeamViewer. Launching still uses the OS opener.
pub fn desktop_client(paths: &crate::paths::Paths) -> Result<helpatwork_desktop::DiscoveryOptions> {
    let home = paths.root().join("teamviewer");
    let conf = home.join("config");
    std::fs::create_dir_all(&conf)
        .and_then(|_| std::fs::write(conf.join("global.conf"), "[strng] Version = \"15.75.1\"\n"))
        .map_err(|e| {
            crate::AppError::internal(format!("the demo desktop client could not be set up: {e}"))
        })?;
    Ok(helpatwork_desktop::DiscoveryOptions::with_teamviewer_home(
        home,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use helpatwork_domain::eligibility::{readiness, Readiness};
    use helpatwork_domain::Platform;

    fn now() -> DateTime<Utc> {
        "2026-11-26T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn demo_fleet_is_deterministic() {
        assert_eq!(fleet(now()), fleet(now()));
    }

    #[test]
    fn demo_fleet_covers_every_case() {
        let f = fleet(now());
        assert_eq!(f.len(), DEMO_FLEET_SIZE);
        let ids: std::collections::HashSet<_> = f.iter().map(|d| &d.id).collect();
        assert_eq!(ids.len(), f.len(), "ids are unique");
        assert!(f.iter().any(|d| d.is_google_pixel()), "Google Pixel (S7)");
        assert!(f.iter().any(|d| d.manufacturer == "Samsung"));
        assert!(f.iter().any(|d| d.kiosk), "kiosk devices (L4)");
        assert!(
            f.iter()
                .any(|d| d.platform == Platform::Ios && d.os_version.starts_with("10.")),
            "iOS 10 (L2)"
        );
        assert!(f.iter().any(|d| d.mam_only), "MAM-only iOS (L2)");
        assert!(f
            .iter()
            .any(|d| d.platform == Platform::Windows || d.platform == Platform::Macos));
        assert!(f
            .iter()
            .any(|d| d.app(AppKind::Quicksupport).is_none() && d.platform == Platform::Android));
        assert!(f.iter().any(|d| d.app(AppKind::Host).is_some()));
        assert!(f.iter().any(|d| d.online) && f.iter().any(|d| !d.online));
        for r in [
            Readiness::Ready,
            Readiness::Attention,
            Readiness::Blocked,
            Readiness::Unsupported,
        ] {
            assert!(f.iter().any(|d| readiness(d) == r), "some device is {r:?}");
        }
    }

    #[test]
    fn demo_fleet_passes_fleet_validation() {
        let json = serde_json::json!({ "devices": fleet(now()) }).to_string();
        assert!(helpatwork_domain::fleet::parse_json(json.as_bytes()).is_ok());
    }
}
