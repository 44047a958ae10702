//! Published vulnerabilities of the TeamViewer desktop client: warnings, never S11 blocks.

use crate::version::Version;

/// A published vulnerability of the TeamViewer desktop client (listed in `docs/desktop-client.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityAdvisory {
    pub cve: &'static str,
    /// The first fixed TeamViewer 15 release.
    pub fixed_in: Version,
    pub summary: &'static str,
    pub url: &'static str,
}

/// The desktop CVEs Help@Work warns about, oldest first.
///
/// Older majors received separate backports for CVE-2020-13699; they are not tracked here, so
/// any version before 15.8.3 is flagged (those majors are out of support anyway).
pub const DESKTOP_ADVISORIES: [SecurityAdvisory; 2] = [
    SecurityAdvisory {
        cve: "CVE-2020-13699",
        fixed_in: Version::new(15, 8, 3),
        summary: "argument injection through the teamviewer URL handlers (Windows client)",
        url: "https://nvd.nist.gov/vuln/detail/CVE-2020-13699",
    },
    SecurityAdvisory {
        cve: "CVE-2026-23572",
        fixed_in: Version::new(15, 74, 5),
        summary: "access-control bypass",
        url: "https://nvd.nist.gov/vuln/detail/CVE-2026-23572",
    },
];

/// The advisories a desktop client at `desktop` is exposed to (a warning each, never a block).
pub fn desktop_advisories(desktop: &Version) -> Vec<&'static SecurityAdvisory> {
    DESKTOP_ADVISORIES
        .iter()
        .filter(|advisory| *desktop < advisory.fixed_in)
        .collect()
}
