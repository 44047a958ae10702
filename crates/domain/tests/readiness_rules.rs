//! The readiness rules' answers, pinned to their version (`eligibility::READINESS_RULES`).
//!
//! The store rewrites stored readiness only when the version it was computed under is older
//! than the rules' (`Store::keep_readiness_current`). A rule change that moves a device's
//! readiness without a new version would leave stored rows wrong: this test computes the
//! readiness of thousands of devices drawn over every fact the rules read, and fails when the
//! answers change under the same version.

use helpatwork_domain::eligibility::{readiness, READINESS_RULES};
use helpatwork_domain::facts::AndroidEnrollment;
use helpatwork_domain::{
    AppKind, Device, DeviceUser, InstalledApp, ManagementFacts, Ownership, Platform, Readiness,
};

/// The pinned answers: (rules version, FNV-1a of the readiness of every sample device).
const PINNED: (i64, u64) = (1, 16_254_588_885_833_226_435);

/// A small deterministic generator (xorshift64*), so the samples are the same on every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }

    fn maybe(&mut self) -> Option<bool> {
        *self.pick(&[None, None, Some(false), Some(false), Some(true)])
    }
}

fn app(draw: &mut Draw, kind: AppKind) -> Option<InstalledApp> {
    const VERSIONS: [Option<&str>; 11] = [
        None,
        Some("15.42.2"),
        Some("15.60.0"),
        Some("15.0.1"),
        Some("15.42.2"),
        Some("15.60.0"),
        Some("14.9.3"),
        Some("13.2"),
        Some("16.1.5"),
        Some("abc"),
        Some(""),
    ];
    if draw.next().is_multiple_of(4) {
        return None;
    }
    Some(InstalledApp {
        app: kind,
        version: draw.pick(&VERSIONS).map(str::to_string),
        managed: draw.maybe(),
        allowlisted: draw.maybe(),
        installing: draw.next().is_multiple_of(7),
    })
}

fn sample(draw: &mut Draw, n: usize) -> Device {
    // Mostly the platforms Help@Work serves, so most samples reach the rules past L2.
    let platform = *draw.pick(&[
        Platform::Android,
        Platform::Android,
        Platform::Android,
        Platform::Android,
        Platform::Ios,
        Platform::Ios,
        Platform::Ios,
        Platform::Windows,
        Platform::Macos,
        Platform::Other,
    ]);
    let os_version = draw
        .pick(&[
            "", "5.1", "7.0", "8.1.0", "10", "11", "12.1", "13", "14", "14", "15", "15", "16.4",
            "17.5.1", "17.5.1", "18.0", "26.1", "x",
        ])
        .to_string();
    let (manufacturer, model) = *draw.pick(&[
        ("Samsung", "Galaxy S23"),
        ("samsung", "SM-T510"),
        ("Google", "Pixel 8"),
        ("Zebra", "TC52"),
        ("Honeywell", "CT40"),
        ("Xiaomi", "Redmi Note 12"),
        ("Apple", "iPhone 15"),
        ("Apple", "iPad Air"),
        ("", ""),
    ]);
    let apps = (!draw.next().is_multiple_of(5)).then(|| {
        AppKind::ALL
            .into_iter()
            .filter_map(|kind| app(draw, kind))
            .collect()
    });
    let management = ManagementFacts {
        compliant: draw.maybe(),
        quarantined: draw.maybe(),
        jailbroken: draw.maybe(),
        supervised: draw.maybe(),
        lost_mode: draw.maybe(),
        ownership: *draw.pick(&[None, Some(Ownership::Company), Some(Ownership::Employee)]),
        client_version: draw
            .pick(&[None, Some("11.0.0"), Some("95.1.0.3")])
            .map(str::to_string),
        android_enrollment: *draw.pick(&[
            None,
            Some(AndroidEnrollment::Dedicated),
            Some(AndroidEnrollment::FullyManaged),
            Some(AndroidEnrollment::WorkProfile),
        ]),
    };
    Device {
        id: format!("d{n}"),
        name: format!("Device {n}"),
        user: DeviceUser {
            name: "Ana Lima".into(),
            email: "ana@example.com".into(),
        },
        platform,
        os_version,
        manufacturer: manufacturer.into(),
        model: model.into(),
        kiosk: draw.next().is_multiple_of(4),
        mam_only: draw.next().is_multiple_of(6),
        online: !draw.next().is_multiple_of(3),
        last_checkin: "2026-12-01T10:00:00Z".parse().unwrap(),
        host_activated: draw.maybe(),
        apps,
        management,
        labels: None,
        locale: None,
    }
}

#[test]
fn the_rules_answers_are_pinned_to_their_version() {
    let mut draw = Draw(0x9e37_79b9_7f4a_7c15);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut seen = std::collections::BTreeMap::<&str, u32>::new();
    for n in 0..20_000 {
        let r = readiness(&sample(&mut draw, n));
        *seen.entry(r.as_str()).or_default() += 1;
        for byte in r.as_str().bytes().chain([b'\n']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // The samples reach every answer the rules give, or the pin would miss changes to one.
    for r in [
        Readiness::Ready,
        Readiness::Attention,
        Readiness::Blocked,
        Readiness::Unsupported,
    ] {
        assert!(
            seen.contains_key(r.as_str()),
            "no sample is {r:?}: {seen:?}"
        );
    }
    assert_eq!(
        (READINESS_RULES, hash),
        PINNED,
        "the readiness rules answer differently for some devices: bump READINESS_RULES \
         (crates/domain/src/eligibility/mod.rs) so stores rewrite their stored readiness, then \
         pin the new answers here ({seen:?})"
    );
}
