//! The mixed fleet: every case the product treats differently, in the proportions of a real one.
//!
//! Android phones (Samsung with its OEM add-on, Google Pixel, Motorola), device-owner kiosk
//! devices, iOS 11+ phones, a few iOS 10 and MAM-only iOS devices, a few other platforms, with and
//! without QuickSupport, Host and add-ons, online and offline. The same [`Fleet`] always yields the
//! same devices, one after another (a million of them need no more memory than one).

use chrono::{DateTime, Duration, Utc};
use helpatwork_domain::{
    AppKind, Device, DeviceUser, InstalledApp, ManagementFacts, Ownership, Platform,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::catalog::{ascii_fold, Model, ANDROID, FIRST_NAMES, IOS, LAST_NAMES, OLD_IOS, OTHER};

/// The labelled demo's size.
pub const DEMO_FLEET_SIZE: usize = 320;
/// The labelled demo's seed ("Help@Wor").
pub const DEMO_SEED: u64 = 0x4865_6c70_4057_6f72;

/// Who the fleet is for: what is in every device beyond the common mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// The labelled demo: ids by platform (`and-0001`, `ios-0032`, …), e-mail addresses by name,
    /// every fact known and the management facts in order, as a fleet file states them. The
    /// demo's screenshots and tests name its devices: this profile never changes.
    #[default]
    Demo,
    /// A large organisation's fleet, as an MDM reports it: ids `dev-000000`…, an e-mail address
    /// per device, and management and app facts that vary (some devices employee-owned or not
    /// compliant, some QuickSupport unmanaged or still installing).
    Organisation,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fleet {
    /// Number of devices.
    pub devices: usize,
    /// Varies every random choice.
    pub seed: u64,
    /// The instant check-in times are relative to.
    pub now: DateTime<Utc>,
    pub profile: Profile,
}

impl Fleet {
    /// The labelled demo fleet as of `now`.
    pub fn demo(now: DateTime<Utc>) -> Self {
        Self {
            devices: DEMO_FLEET_SIZE,
            seed: DEMO_SEED,
            now,
            profile: Profile::Demo,
        }
    }

    /// An organisation's fleet of `devices` devices.
    pub fn organisation(devices: usize, seed: u64, now: DateTime<Utc>) -> Self {
        Self {
            devices,
            seed,
            now,
            profile: Profile::Organisation,
        }
    }

    /// The devices, one after another.
    pub fn iter(&self) -> Devices {
        Devices {
            fleet: self.clone(),
            rng: ChaCha8Rng::seed_from_u64(self.seed),
            next: 0,
        }
    }

    /// Every device at once.
    pub fn generate(&self) -> Vec<Device> {
        self.iter().collect()
    }
}

/// The devices of a [`Fleet`], in order.
#[derive(Debug, Clone)]
pub struct Devices {
    fleet: Fleet,
    rng: ChaCha8Rng,
    next: usize,
}

impl Iterator for Devices {
    type Item = Device;

    fn next(&mut self) -> Option<Device> {
        if self.next >= self.fleet.devices {
            return None;
        }
        let index = self.next;
        self.next += 1;
        Some(device(&mut self.rng, &self.fleet, index))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.fleet.devices - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Devices {}

fn app(app: AppKind, version: &str) -> InstalledApp {
    InstalledApp::known(app, version, true, true)
}

/// Device `i`. The draws happen in one fixed order: the demo fleet depends on it, so a new
/// choice goes after the existing ones, behind its profile.
fn device(rng: &mut ChaCha8Rng, fleet: &Fleet, i: usize) -> Device {
    // Shape of the fleet: ~62% Android, ~30% iOS 11+, a few iOS 10, MAM-only, others.
    let slot = i % 50;
    let (model, mam_only): (&Model, bool) = match slot {
        0..=30 => (&ANDROID[rng.gen_range(0..ANDROID.len())], false),
        31..=45 => (&IOS[rng.gen_range(0..IOS.len())], false),
        46 => (&OLD_IOS, false),
        47 => (&IOS[rng.gen_range(0..IOS.len())], true),
        _ => (&OTHER[rng.gen_range(0..OTHER.len())], false),
    };
    let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
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
    let os_version = model.os[rng.gen_range(0..model.os.len())].to_string();
    let (id, email) = match fleet.profile {
        Profile::Demo => (
            format!(
                "{}-{:04}",
                model.platform.as_str().get(..3).unwrap_or("dev"),
                i + 1
            ),
            format!("{}.{}@example.com", ascii_fold(first), ascii_fold(last)),
        ),
        Profile::Organisation => (
            format!("dev-{i:06}"),
            format!("{}.{}{i}@example.com", ascii_fold(first), ascii_fold(last)),
        ),
    };
    let mut device = Device {
        id,
        name: format!("{first}'s {kind}"),
        user: DeviceUser {
            name: format!("{first} {last}"),
            email,
        },
        platform: model.platform,
        os_version,
        manufacturer: model.manufacturer.to_string(),
        model: model.model.to_string(),
        kiosk,
        mam_only,
        online,
        last_checkin: fleet.now - Duration::minutes(minutes),
        // Every fact is known, as a fleet file states them.
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
            // An MDM's own enrolment record (the fake Graph derives one).
            android_enrollment: None,
        },
        apps: Some(apps),
        labels: Some(labels(i, kiosk)),
        locale: None,
    };
    if fleet.profile == Profile::Organisation {
        vary(rng, &mut device);
    }
    device
}

/// The MDM labels of device `i`, drawn from nothing random (the demo's draws stay as they
/// were): kiosk devices are in the warehouse or in store 12, every other device is known to be
/// in none.
fn labels(i: usize, kiosk: bool) -> Vec<String> {
    match (kiosk, i % 2) {
        (false, _) => Vec::new(),
        (true, 0) => vec!["Warehouse".to_string()],
        (true, _) => vec!["Store 12".to_string()],
    }
}

/// What varies in an organisation's fleet beyond the demo's: drawn after the demo's choices.
fn vary(rng: &mut ChaCha8Rng, device: &mut Device) {
    if rng.gen_ratio(1, 4) {
        device.management.ownership = Some(Ownership::Employee);
    }
    if rng.gen_ratio(1, 10) {
        device.management.compliant = Some(false);
    }
    let android = device.platform == Platform::Android;
    let (unmanaged, installing) = (rng.gen_ratio(1, 10), rng.gen_ratio(1, 30));
    if let Some(qs) = device
        .apps
        .iter_mut()
        .flatten()
        .find(|a| a.app == AppKind::Quicksupport && android)
    {
        qs.managed = Some(!unmanaged);
        qs.installing = installing;
    }
}

#[cfg(test)]
mod tests {
    use helpatwork_domain::eligibility::{readiness, Readiness};

    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-26T12:00:00Z".parse().unwrap()
    }

    /// The demo's screenshots, window journeys and browser tests name its devices (`and-0020`,
    /// `ios-0048`, `ios-0087`, …): the demo fleet stays byte for byte what it was when they were
    /// made. A change to `Device`'s fields changes the digest too: check the devices named
    /// there still have the facts they show, then pin the new digest.
    #[test]
    fn the_demo_fleet_is_the_one_its_screenshots_and_tests_name() {
        use sha2::Digest;
        let fleet = Fleet::demo(now()).generate();
        let digest = sha2::Sha256::digest(serde_json::to_vec(&fleet).unwrap());
        assert_eq!(
            format!("{digest:x}"),
            "d989f5a7eea2c4d007b8c20a50297e953fd8dc75e7d8eede18184dda1c4db57c"
        );
        // Its kiosk devices carry labels (a support policy's group can name them).
        let labelled = fleet
            .iter()
            .filter(|d| d.labels.as_ref().is_some_and(|l| !l.is_empty()))
            .count();
        assert!(labelled > 0 && fleet.iter().all(|d| d.labels.is_some()));
        let id = |i: usize| fleet[i].id.as_str();
        assert_eq!(
            (id(0), id(19), id(47), id(86)),
            ("and-0001", "and-0020", "ios-0048", "ios-0087")
        );
    }

    #[test]
    fn the_same_fleet_every_time_and_another_with_another_seed() {
        let a = Fleet::organisation(200, 3, now());
        assert_eq!(a.generate(), a.generate());
        let b = Fleet {
            seed: 4,
            ..a.clone()
        };
        assert_ne!(a.generate(), b.generate());
        assert_eq!(a.iter().len(), 200);
    }

    #[test]
    fn a_mixed_fleet_covers_every_case() {
        for fleet in [Fleet::demo(now()), Fleet::organisation(1000, 7, now())] {
            let f = fleet.generate();
            assert_eq!(f.len(), fleet.devices);
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
            assert!(
                f.iter()
                    .any(|d| d.app(AppKind::Quicksupport).is_none()
                        && d.platform == Platform::Android)
            );
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
            assert!(f.iter().all(|d| d.user.email.is_ascii()));
        }
    }

    #[test]
    fn an_organisation_varies_what_the_demo_keeps_in_order() {
        let demo = Fleet::demo(now()).generate();
        assert!(demo
            .iter()
            .all(|d| d.management.ownership == Some(Ownership::Company)
                && d.management.compliant == Some(true)));
        let org = Fleet::organisation(1000, 7, now()).generate();
        let employee = org
            .iter()
            .filter(|d| d.management.ownership == Some(Ownership::Employee))
            .count();
        let not_compliant = org
            .iter()
            .filter(|d| d.management.compliant == Some(false))
            .count();
        assert!((150..350).contains(&employee), "{employee}");
        assert!((50..150).contains(&not_compliant), "{not_compliant}");
        assert!(org
            .iter()
            .any(|d| d.app(AppKind::Quicksupport).is_some_and(|a| a.installing)));
        assert_eq!(org[42].id, "dev-000042");
        assert!(org[42].user.email.ends_with("42@example.com"));
    }

    #[test]
    fn every_generated_device_passes_the_fleet_file_rules() {
        let json = serde_json::json!({ "devices": Fleet::organisation(300, 1, now()).generate() });
        assert!(helpatwork_domain::fleet::parse_json(json.to_string().as_bytes()).is_ok());
    }
}
