//! The labelled demo fleet: a few hundred generated devices, the same every time.
//!
//! It covers every case the product treats differently: Android phones (Samsung with its OEM
//! add-on, Google Pixel, Motorola), device-owner kiosk devices, iOS 11+ phones, a few iOS 10 and
//! MAM-only iOS devices, a few other platforms, with and without QuickSupport, Host and add-ons,
//! online and offline.

use chrono::{DateTime, Duration, Utc};
use helpatwork_domain::{
    AppKind, Device, DeviceUser, InstalledApp, ManagementFacts, Mode, Ownership, Platform,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::context::AppContext;
use crate::error::Result;

pub const DEMO_FLEET_SIZE: usize = 320;
const SEED: u64 = 0x4865_6c70_4057_6f72; // "Help@Wor"

const FIRST: [&str; 24] = [
    "Ana",
    "Bruno",
    "Carla",
    "Diego",
    "Eduarda",
    "Felipe",
    "Gabriela",
    "Heitor",
    "Isabela",
    "João",
    "Karina",
    "Lucas",
    "Mariana",
    "Nicolas",
    "Olívia",
    "Paulo",
    "Rafaela",
    "Samuel",
    "Tatiane",
    "Vinícius",
    "Wesley",
    "Yasmin",
    "Zeca",
    "Helena",
];
const LAST: [&str; 16] = [
    "Souza",
    "Oliveira",
    "Santos",
    "Lima",
    "Pereira",
    "Costa",
    "Almeida",
    "Ferreira",
    "Rodrigues",
    "Gomes",
    "Martins",
    "Araújo",
    "Ribeiro",
    "Carvalho",
    "Barbosa",
    "Rocha",
];

struct Model {
    manufacturer: &'static str,
    model: &'static str,
    platform: Platform,
    os: &'static [&'static str],
}

const ANDROID: [Model; 7] = [
    Model {
        manufacturer: "Samsung",
        model: "Galaxy S23",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Samsung",
        model: "Galaxy A54",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Samsung",
        model: "Galaxy XCover6 Pro",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Google",
        model: "Pixel 8",
        platform: Platform::Android,
        os: &["14", "15"],
    },
    Model {
        manufacturer: "Google",
        model: "Pixel 7a",
        platform: Platform::Android,
        os: &["14", "15"],
    },
    Model {
        manufacturer: "Motorola",
        model: "moto g84",
        platform: Platform::Android,
        os: &["13", "14"],
    },
    Model {
        manufacturer: "Zebra",
        model: "TC58",
        platform: Platform::Android,
        os: &["11", "13"],
    },
];
const IOS: [Model; 4] = [
    Model {
        manufacturer: "Apple",
        model: "iPhone 15",
        platform: Platform::Ios,
        os: &["17.6.1", "18.1"],
    },
    Model {
        manufacturer: "Apple",
        model: "iPhone 13",
        platform: Platform::Ios,
        os: &["16.7.10", "17.6.1"],
    },
    Model {
        manufacturer: "Apple",
        model: "iPhone SE",
        platform: Platform::Ios,
        os: &["15.8.3", "16.7.10"],
    },
    Model {
        manufacturer: "Apple",
        model: "iPad (9th generation)",
        platform: Platform::Ios,
        os: &["17.6.1", "18.1"],
    },
];
const OLD_IOS: Model = Model {
    manufacturer: "Apple",
    model: "iPhone 5c",
    platform: Platform::Ios,
    os: &["10.3.3", "10.3.4"],
};
const OTHER: [Model; 2] = [
    Model {
        manufacturer: "Microsoft",
        model: "Surface Go 3",
        platform: Platform::Windows,
        os: &["10.0.22631"],
    },
    Model {
        manufacturer: "Apple",
        model: "MacBook Air",
        platform: Platform::Macos,
        os: &["14.6"],
    },
];

fn app(app: AppKind, version: &str) -> InstalledApp {
    InstalledApp::known(app, version, true, true)
}

/// The demo fleet as of `now` (check-in times are relative to it).
pub fn fleet(now: DateTime<Utc>) -> Vec<Device> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    (0..DEMO_FLEET_SIZE)
        .map(|i| {
            // Shape of the fleet: ~62% Android, ~30% iOS 11+, a few iOS 10, MAM-only, others.
            let slot = i % 50;
            let (model, mam_only) = match slot {
                0..=30 => (&ANDROID[rng.gen_range(0..ANDROID.len())], false),
                31..=45 => (&IOS[rng.gen_range(0..IOS.len())], false),
                46 => (&OLD_IOS, false),
                47 => (&IOS[rng.gen_range(0..IOS.len())], true),
                _ => (&OTHER[rng.gen_range(0..OTHER.len())], false),
            };
            let first = FIRST[rng.gen_range(0..FIRST.len())];
            let last = LAST[rng.gen_range(0..LAST.len())];
            let kiosk = model.platform == Platform::Android
                && (model.manufacturer == "Zebra" || rng.gen_bool(0.08));
            let online = rng.gen_bool(0.78);
            let minutes = if online {
                rng.gen_range(1..90)
            } else {
                rng.gen_range(180..60 * 24 * 9)
            };
            let mut apps = Vec::new();
            match model.platform {
                Platform::Android => {
                    if rng.gen_bool(0.85) {
                        let v = if rng.gen_bool(0.9) {
                            "15.60.1"
                        } else {
                            "14.7.48"
                        };
                        apps.push(app(AppKind::Quicksupport, v));
                    }
                    if rng.gen_bool(0.35) {
                        apps.push(app(AppKind::Host, "15.58.3"));
                    }
                    if model.manufacturer == "Samsung" && rng.gen_bool(0.7) {
                        apps.push(app(AppKind::AddonOem, "15.42.2"));
                    } else if rng.gen_bool(0.6) {
                        apps.push(app(AppKind::AddonUniversal, "15.50.1"));
                    }
                    if kiosk {
                        // Some kiosk devices miss the kiosk allowlist (U4).
                        let missing = rng.gen_bool(0.25);
                        for a in apps.iter_mut() {
                            a.allowlisted = Some(!missing);
                        }
                    }
                }
                Platform::Ios if rng.gen_bool(0.8) => {
                    let mut qs = app(AppKind::Quicksupport, "15.59.0");
                    // Some users installed it themselves: not yet converted to managed (S10).
                    qs.managed = Some(rng.gen_bool(0.85));
                    apps.push(qs);
                }
                _ => {}
            }
            let host_activated = apps.iter().any(|a| a.app == AppKind::Host) && rng.gen_bool(0.7);
            let kind = match (model.platform, model.model) {
                (Platform::Ios, m) if m.starts_with("iPad") => "iPad",
                (Platform::Ios, _) => "iPhone",
                (Platform::Android, _) if kiosk => "Kiosk",
                (Platform::Android, _) => model.model.split(' ').next().unwrap_or("Phone"),
                _ => model.model,
            };
            Device {
                id: format!(
                    "{}-{:04}",
                    model.platform.as_str().get(..3).unwrap_or("dev"),
                    i + 1
                ),
                name: format!("{first}'s {kind}"),
                user: DeviceUser {
                    name: format!("{first} {last}"),
                    email: format!("{}.{}@example.com", ascii_fold(first), ascii_fold(last)),
                },
                platform: model.platform,
                os_version: model.os[rng.gen_range(0..model.os.len())].to_string(),
                manufacturer: model.manufacturer.to_string(),
                model: model.model.to_string(),
                kiosk,
                mam_only,
                online,
                last_checkin: now - Duration::minutes(minutes),
                // The demo knows every fact, as a fleet file states them.
                host_activated: Some(host_activated),
                management: ManagementFacts {
                    compliant: Some(true),
                    quarantined: Some(false),
                    jailbroken: Some(false),
                    supervised: (model.platform == Platform::Ios).then_some(!mam_only),
                    lost_mode: Some(false),
                    ownership: Some(Ownership::Company),
                    client_version: Some(
                        match model.platform {
                            Platform::Ios => "12.12.0",
                            _ => "100.0.0",
                        }
                        .to_string(),
                    ),
                },
                apps: Some(apps),
            }
        })
        .collect()
}

fn ascii_fold(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'á' | 'ã' | 'â' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' => 'u',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect()
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
    let eula = crate::admin::eula().await?;
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
