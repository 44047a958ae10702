//! D3 and S11: what was found on the agent's PC (`helpatwork_desktop::discover`), judged
//! against the device's app with the compatibility table (`crate::compat`), and put into words.

use crate::compat::{desktop_advisories, CompatTable, Compatibility, SecurityAdvisory};
use crate::device::AppKind;
use crate::eligibility::{Check, CheckStatus};
use crate::lang::Lang;
use crate::rules::RuleId;
use crate::version::Version;

/// What the desktop crate's discovery found on the agent's PC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesktopClientFact {
    /// Installed, with this version.
    Found(Version),
    /// Not installed.
    Missing,
    /// Something is there but its version cannot be read (why).
    Unreadable(String),
}

/// D3: where the agent gets the TeamViewer desktop client.
pub const DOWNLOAD_URL: &str = "https://www.teamviewer.com/en/download/";

/// One finding about the desktop client, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DesktopFinding {
    /// D3: the client is installed and its version known.
    ClientFound { version: Version },
    /// D3: no client was found.
    ClientMissing,
    /// D3: a client seems to be there but its version cannot be read.
    ClientUnreadable { reason: String },
    /// S11: the client is recent enough for the device app.
    Compatible {
        desktop: Version,
        device_app: AppKind,
        device_app_version: Version,
    },
    /// S11: the client must be updated to `minimum` for this device app.
    TooOld {
        desktop: Version,
        minimum: Version,
        device_app: AppKind,
        device_app_version: Version,
    },
    /// S11: the device did not report its app version, so compatibility is not confirmed.
    DeviceAppVersionUnknown { device_app: AppKind },
    /// Published CVEs the client is exposed to (docs/reference/teamviewer-web-api.md §6.2): a warning, never a block.
    Vulnerable {
        desktop: Version,
        advisories: Vec<&'static SecurityAdvisory>,
    },
}

/// D3 then S11 then the CVE warnings, in the order a checklist shows them.
///
/// When the client is missing or unreadable only the D3 finding is given: there is no version
/// to compare.
pub fn assess(
    client: &DesktopClientFact,
    table: &CompatTable,
    device_app: AppKind,
    device_app_version: Option<&Version>,
) -> Vec<DesktopFinding> {
    let desktop = match client {
        DesktopClientFact::Found(version) => *version,
        DesktopClientFact::Missing => return vec![DesktopFinding::ClientMissing],
        DesktopClientFact::Unreadable(reason) => {
            return vec![DesktopFinding::ClientUnreadable {
                reason: reason.clone(),
            }]
        }
    };
    let mut out = vec![DesktopFinding::ClientFound { version: desktop }];
    out.push(match device_app_version {
        None => DesktopFinding::DeviceAppVersionUnknown { device_app },
        Some(device_version) => match table.check(&desktop, device_app, device_version) {
            Compatibility::Compatible => DesktopFinding::Compatible {
                desktop,
                device_app,
                device_app_version: *device_version,
            },
            Compatibility::TooOld { minimum } => DesktopFinding::TooOld {
                desktop,
                minimum,
                device_app,
                device_app_version: *device_version,
            },
        },
    });
    let advisories = desktop_advisories(&desktop);
    if !advisories.is_empty() {
        out.push(DesktopFinding::Vulnerable {
            desktop,
            advisories,
        });
    }
    out
}

impl DesktopFinding {
    /// The spec rule the finding is about (`D3`, `S11`), or `security` for CVE warnings.
    pub fn rule(&self) -> RuleId {
        match self {
            DesktopFinding::ClientFound { .. }
            | DesktopFinding::ClientMissing
            | DesktopFinding::ClientUnreadable { .. } => RuleId::D3,
            DesktopFinding::Compatible { .. }
            | DesktopFinding::TooOld { .. }
            | DesktopFinding::DeviceAppVersionUnknown { .. } => RuleId::S11,
            DesktopFinding::Vulnerable { .. } => RuleId::Security,
        }
    }

    pub fn status(&self) -> CheckStatus {
        match self {
            DesktopFinding::ClientFound { .. } | DesktopFinding::Compatible { .. } => {
                CheckStatus::Pass
            }
            DesktopFinding::ClientUnreadable { .. }
            | DesktopFinding::DeviceAppVersionUnknown { .. }
            | DesktopFinding::Vulnerable { .. } => CheckStatus::Warn,
            DesktopFinding::ClientMissing | DesktopFinding::TooOld { .. } => CheckStatus::Block,
        }
    }

    /// The message and, when something can be done, the fix (with [`DOWNLOAD_URL`]).
    pub fn describe(&self, lang: Lang) -> (String, Option<String>) {
        let en = lang == Lang::En;
        match self {
            DesktopFinding::ClientFound { version } => (
                if en {
                    format!("TeamViewer {version} is installed on this computer.")
                } else {
                    format!("O TeamViewer {version} está instalado neste computador.")
                },
                None,
            ),
            DesktopFinding::ClientMissing => (
                lang.pick(
                    "The TeamViewer desktop client is not installed on this computer.",
                    "O cliente de desktop do TeamViewer não está instalado neste computador.",
                )
                .to_owned(),
                Some(if en {
                    format!("Install TeamViewer from {DOWNLOAD_URL} (basic installation, company/commercial use), then check again.")
                } else {
                    format!("Instale o TeamViewer a partir de {DOWNLOAD_URL} (instalação básica, uso corporativo/comercial) e verifique novamente.")
                }),
            ),
            DesktopFinding::ClientUnreadable { reason } => (
                if en {
                    format!("TeamViewer seems to be installed, but its version cannot be read: {reason}")
                } else {
                    format!("O TeamViewer parece estar instalado, mas a versão não pode ser lida: {reason}")
                },
                Some(if en {
                    format!("Reinstall TeamViewer from {DOWNLOAD_URL}.")
                } else {
                    format!("Reinstale o TeamViewer a partir de {DOWNLOAD_URL}.")
                }),
            ),
            DesktopFinding::Compatible {
                desktop,
                device_app,
                device_app_version,
            } => (
                if en {
                    format!(
                        "TeamViewer {desktop} works with {} {device_app_version}.",
                        device_app.display_name()
                    )
                } else {
                    format!(
                        "O TeamViewer {desktop} funciona com o {} {device_app_version}.",
                        device_app.display_name()
                    )
                },
                None,
            ),
            DesktopFinding::TooOld {
                desktop,
                minimum,
                device_app,
                device_app_version,
            } => (
                if en {
                    format!(
                        "TeamViewer {desktop} is too old for {} {device_app_version}: it needs {minimum} or later.",
                        device_app.display_name()
                    )
                } else {
                    format!(
                        "O TeamViewer {desktop} é antigo demais para o {} {device_app_version}: é preciso {minimum} ou posterior.",
                        device_app.display_name()
                    )
                },
                Some(update_fix(lang, minimum)),
            ),
            DesktopFinding::DeviceAppVersionUnknown { device_app } => (
                if en {
                    format!(
                        "The device has not reported its {} version, so compatibility with this computer's TeamViewer is not confirmed.",
                        device_app.display_name()
                    )
                } else {
                    format!(
                        "O dispositivo não informou a versão do {}; a compatibilidade com o TeamViewer deste computador não foi confirmada.",
                        device_app.display_name()
                    )
                },
                Some(
                    lang.pick(
                        "Force a check-in so the device reports its app versions.",
                        "Force um check-in para que o dispositivo informe as versões dos aplicativos.",
                    )
                    .to_owned(),
                ),
            ),
            DesktopFinding::Vulnerable {
                desktop,
                advisories,
            } => {
                let list = advisories
                    .iter()
                    .map(|a| format!("{} ({}, fixed in {})", a.cve, a.summary, a.fixed_in))
                    .collect::<Vec<_>>()
                    .join("; ");
                let needed = advisories
                    .iter()
                    .map(|a| a.fixed_in)
                    .max()
                    .unwrap_or(*desktop);
                (
                    if en {
                        format!("TeamViewer {desktop} has known vulnerabilities: {list}.")
                    } else {
                        format!("O TeamViewer {desktop} tem vulnerabilidades conhecidas: {list}.")
                    },
                    Some(update_fix(lang, &needed)),
                )
            }
        }
    }

    pub fn to_check(&self, lang: Lang) -> Check {
        let (message, fix) = self.describe(lang);
        Check {
            rule: self.rule(),
            status: self.status(),
            message,
            fix,
        }
    }
}

fn update_fix(lang: Lang, minimum: &Version) -> String {
    match lang {
        Lang::En => format!("Update TeamViewer to {minimum} or later from {DOWNLOAD_URL}."),
        Lang::PtBr => {
            format!("Atualize o TeamViewer para {minimum} ou posterior a partir de {DOWNLOAD_URL}.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(version: &str) -> DesktopClientFact {
        DesktopClientFact::Found(Version::parse(version).expect("test version"))
    }

    #[test]
    fn d3_missing_client_blocks_with_the_download_link() {
        let findings = assess(
            &DesktopClientFact::Missing,
            &CompatTable::default(),
            AppKind::Quicksupport,
            None,
        );
        assert_eq!(findings, [DesktopFinding::ClientMissing]);
        for lang in [Lang::En, Lang::PtBr] {
            let check = findings[0].to_check(lang);
            assert_eq!((check.rule, check.status), (RuleId::D3, CheckStatus::Block));
            assert!(check.fix.is_some_and(|f| f.contains(DOWNLOAD_URL)));
        }
    }

    #[test]
    fn s11_too_old_client_blocks_with_the_minimum_and_the_download_link() {
        let device = Version::new(15, 62, 4);
        let findings = assess(
            &client("14.7.1"),
            &CompatTable::default(),
            AppKind::Quicksupport,
            Some(&device),
        );
        let too_old = findings
            .iter()
            .find(|f| f.rule() == RuleId::S11)
            .expect("an S11 finding");
        assert_eq!(too_old.status(), CheckStatus::Block);
        let (message, fix) = too_old.describe(Lang::En);
        assert!(
            message.contains("14.7.1") && message.contains("needs 15.0 or later"),
            "{message}"
        );
        let fix = fix.expect("a fix");
        assert!(
            fix.contains("to 15.0 or later") && fix.contains(DOWNLOAD_URL),
            "{fix}"
        );
    }

    #[test]
    fn s11_current_client_passes_without_warnings() {
        let device = Version::new(15, 62, 4);
        let findings = assess(
            &client("15.74.5"),
            &CompatTable::default(),
            AppKind::Host,
            Some(&device),
        );
        assert!(
            findings.iter().all(|f| f.status() == CheckStatus::Pass),
            "{findings:?}"
        );
        assert_eq!(findings.len(), 2);
    }

    #[test]
    fn s11_unknown_device_app_version_warns() {
        let findings = assess(
            &client("15.74.5"),
            &CompatTable::default(),
            AppKind::Host,
            None,
        );
        assert_eq!(
            findings[1],
            DesktopFinding::DeviceAppVersionUnknown {
                device_app: AppKind::Host
            }
        );
        assert_eq!(findings[1].status(), CheckStatus::Warn);
    }

    #[test]
    fn cve_warning_names_the_cves_and_the_version_to_reach() {
        let device = Version::new(15, 1, 0);
        let findings = assess(
            &client("15.8.2"),
            &CompatTable::default(),
            AppKind::Quicksupport,
            Some(&device),
        );
        let warning = findings.last().expect("findings").to_check(Lang::En);
        assert_eq!(
            (warning.rule, warning.status),
            (RuleId::Security, CheckStatus::Warn)
        );
        assert!(
            warning.message.contains("CVE-2020-13699")
                && warning.message.contains("CVE-2026-23572")
        );
        assert!(warning
            .fix
            .is_some_and(|f| f.contains("15.74.5") && f.contains(DOWNLOAD_URL)));
    }

    #[test]
    fn d3_unreadable_client_warns_and_says_why() {
        let findings = assess(
            &DesktopClientFact::Unreadable(
                "/opt/teamviewer/config/global.conf is not a file".into(),
            ),
            &CompatTable::default(),
            AppKind::Quicksupport,
            None,
        );
        let check = findings[0].to_check(Lang::PtBr);
        assert_eq!((check.rule, check.status), (RuleId::D3, CheckStatus::Warn));
        assert!(check.message.contains("global.conf"));
    }
}
