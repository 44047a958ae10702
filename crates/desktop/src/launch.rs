//! Handing a session to TeamViewer (style item 15): a typed, allowlisted launch.
//!
//! A [`LaunchSpec`] can only be built from an `https` link to one of TeamViewer's documented
//! link hosts ([`TEAMVIEWER_LINK_HOSTS`], docs/reference/teamviewer-web-api.md §6.1) or to a host the caller allows
//! explicitly (the configured API host, for the sandbox). The link is opened by the OS URL
//! handler or by a configured program, always as one argument of a direct process start: no
//! shell, no command string, no interpolation.

use std::ffi::OsStr;
use std::io;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use url::{Host, Url};

/// The hosts of TeamViewer's supporter and start links (docs/reference/teamviewer-web-api.md §6.1).
pub const TEAMVIEWER_LINK_HOSTS: [&str; 4] = [
    "get.teamviewer.com",
    "start.teamviewer.com",
    "login.teamviewer.com",
    "getpilot.teamviewer.com",
];

/// Longest link accepted, in bytes. TeamViewer's links are well under 200.
pub const MAX_LINK_LEN: usize = 2048;

/// When set, links are opened by this program (one argument: the link) instead of the OS.
pub const OPENER_ENV: &str = "HELPATWORK_OPENER";

/// How long [`ProgramLauncher`] waits for its program to report failure before leaving it to a
/// background reaper.
const OPENER_WAIT: Duration = Duration::from_secs(10);

/// A link that is safe to hand to the OS: built only by [`LaunchSpec::supporter_link`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchSpec {
    url: Url,
}

impl LaunchSpec {
    /// Accepts a supporter or start link.
    ///
    /// Refused: anything longer than [`MAX_LINK_LEN`]; control characters, white space and any
    /// character outside `A–Z a–z 0–9 - . _ ~ / ? # & = % : + ,` (so no quotes, `;`, `$`, `(`,
    /// `` ` ``, `\`, `@`, `<`, `>`); percent escapes of control characters, space or quotes; a
    /// scheme other than `https`; a user name or password; a host that is neither in
    /// [`TEAMVIEWER_LINK_HOSTS`] (default port) nor in `allowed_hosts`. Entries of
    /// `allowed_hosts` are `host` (default port) or `host:port`, compared without case.
    pub fn supporter_link(url: &str, allowed_hosts: &[&str]) -> Result<Self, LaunchError> {
        if url.len() > MAX_LINK_LEN {
            return Err(LaunchError::TooLong {
                len: url.len(),
                max: MAX_LINK_LEN,
            });
        }
        check_characters(url)?;
        let parsed = Url::parse(url).map_err(|e| LaunchError::NotAUrl {
            reason: e.to_string(),
        })?;
        if parsed.scheme() != "https" {
            return Err(LaunchError::NotHttps {
                scheme: parsed.scheme().to_owned(),
            });
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(LaunchError::Userinfo);
        }
        let host = match parsed.host() {
            Some(Host::Domain(domain)) => domain.to_owned(),
            Some(Host::Ipv4(ip)) => ip.to_string(),
            Some(Host::Ipv6(ip)) => format!("[{ip}]"),
            None => {
                return Err(LaunchError::NotAUrl {
                    reason: "it has no host".into(),
                })
            }
        };
        let authority = match parsed.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        let documented = TEAMVIEWER_LINK_HOSTS.contains(&authority.as_str());
        let allowed = allowed_hosts
            .iter()
            .any(|entry| entry.trim().eq_ignore_ascii_case(&authority));
        if !(documented || allowed) {
            return Err(LaunchError::HostNotAllowed { host: authority });
        }
        Ok(Self { url: parsed })
    }

    /// The link as it will be handed over (normalised by the URL parser).
    pub fn url(&self) -> &str {
        self.url.as_str()
    }
}

fn check_characters(url: &str) -> Result<(), LaunchError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~/?#&=%:+,".contains(c);
    if let Some((position, found)) = url.char_indices().find(|&(_, c)| !allowed(c)) {
        return Err(LaunchError::ForbiddenCharacter { found, position });
    }
    let bytes = url.as_bytes();
    for (position, _) in url.match_indices('%') {
        let escaped = bytes
            .get(position + 1..position + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            None => {
                return Err(LaunchError::NotAUrl {
                    reason: format!(
                        "\"%\" at position {position} is not followed by two hex digits"
                    ),
                })
            }
            Some(byte) if byte <= b' ' || matches!(byte, b'"' | b'\'' | b'`' | 0x7f) => {
                return Err(LaunchError::ForbiddenCharacter {
                    found: char::from(byte),
                    position,
                })
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Why a link was refused or could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("the TeamViewer link is {len} bytes long; at most {max} are accepted")]
    TooLong { len: usize, max: usize },
    #[error("the TeamViewer link holds a forbidden character {found:?} at position {position}")]
    ForbiddenCharacter { found: char, position: usize },
    #[error("the TeamViewer link is not a valid URL: {reason}")]
    NotAUrl { reason: String },
    #[error("the TeamViewer link must use https, not {scheme}")]
    NotHttps { scheme: String },
    #[error("the TeamViewer link must not carry a user name or password")]
    Userinfo,
    #[error("the TeamViewer link goes to {host}, which is not a TeamViewer host Help@Work opens")]
    HostNotAllowed { host: String },
    #[error("the system could not open the TeamViewer link: {source}")]
    OsOpener {
        #[source]
        source: io::Error,
    },
    #[error("cannot start the opener {}: {source}", program.display())]
    Spawn {
        program: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the opener {} failed ({status})", program.display())]
    OpenerFailed {
        program: PathBuf,
        status: ExitStatus,
    },
}

/// Opens a [`LaunchSpec`]. Synchronous: call it through `spawn_blocking` from async code.
pub trait Launcher: Send + Sync {
    fn launch(&self, spec: &LaunchSpec) -> Result<(), LaunchError>;
}

/// The OS URL handler (`ShellExecuteExW` on Windows, `open` on macOS, `xdg-open` and friends
/// elsewhere), through the `open` crate, detached from Help@Work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OsLauncher;

impl Launcher for OsLauncher {
    #[tracing::instrument(level = "debug", skip(self), fields(url = spec.url()), err)]
    fn launch(&self, spec: &LaunchSpec) -> Result<(), LaunchError> {
        open::that_detached(spec.url()).map_err(|source| LaunchError::OsOpener { source })
    }
}

/// Runs `program` with the link as its only argument (no shell, stdin closed). Waits up to
/// ten seconds for it to exit so a failure is reported; a program still running then is left
/// to a background thread that reaps it.
///
/// On Windows point it at an `.exe`: batch files are run by `cmd.exe`, which is a shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramLauncher {
    pub program: PathBuf,
}

impl Launcher for ProgramLauncher {
    #[tracing::instrument(level = "debug", skip(self), fields(program = %self.program.display(), url = spec.url()), err)]
    fn launch(&self, spec: &LaunchSpec) -> Result<(), LaunchError> {
        let child = Command::new(&self.program)
            .arg(spec.url())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|source| self.spawn_error(source))?;
        self.wait_or_detach(child, OPENER_WAIT)
    }
}

impl ProgramLauncher {
    fn spawn_error(&self, source: io::Error) -> LaunchError {
        LaunchError::Spawn {
            program: self.program.clone(),
            source,
        }
    }

    /// Waits for the opener to finish, at most `wait`: a reaper thread owns the child and reports
    /// its exit at once (no polling); after `wait` the launch counts as handed off and the thread
    /// goes on reaping.
    fn wait_or_detach(&self, mut child: Child, wait: Duration) -> Result<(), LaunchError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let reaper = std::thread::Builder::new()
            .name("opener-reaper".into())
            .spawn(move || {
                let status = child.wait();
                if let Err(std::sync::mpsc::SendError(status)) = tx.send(status) {
                    match status {
                        Ok(status) if !status.success() => {
                            tracing::warn!(%status, "the link opener failed after handing off");
                        }
                        Ok(_) => {}
                        Err(error) => tracing::warn!(%error, "cannot reap the link opener"),
                    }
                }
            });
        if let Err(error) = reaper {
            tracing::warn!(%error, "cannot start a thread to reap the link opener");
            return Ok(());
        }
        match rx.recv_timeout(wait) {
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(Ok(status)) => Err(LaunchError::OpenerFailed {
                program: self.program.clone(),
                status,
            }),
            Ok(Err(source)) => Err(self.spawn_error(source)),
            Err(_) => Ok(()),
        }
    }
}

/// The launcher chosen by [`launcher_from_env`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfiguredLauncher {
    Os(OsLauncher),
    Program(ProgramLauncher),
}

impl ConfiguredLauncher {
    /// [`ProgramLauncher`] for a non-empty opener, else [`OsLauncher`].
    pub fn for_opener(opener: Option<&OsStr>) -> Self {
        match opener.filter(|o| !o.is_empty()) {
            Some(program) => ConfiguredLauncher::Program(ProgramLauncher {
                program: PathBuf::from(program),
            }),
            None => ConfiguredLauncher::Os(OsLauncher),
        }
    }
}

impl Launcher for ConfiguredLauncher {
    fn launch(&self, spec: &LaunchSpec) -> Result<(), LaunchError> {
        match self {
            ConfiguredLauncher::Os(launcher) => launcher.launch(spec),
            ConfiguredLauncher::Program(launcher) => launcher.launch(spec),
        }
    }
}

/// [`ProgramLauncher`] when [`OPENER_ENV`] names a program, else [`OsLauncher`].
pub fn launcher_from_env() -> ConfiguredLauncher {
    ConfiguredLauncher::for_opener(std::env::var_os(OPENER_ENV).as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style15_opener_variable_picks_the_launcher() {
        assert_eq!(
            ConfiguredLauncher::for_opener(None),
            ConfiguredLauncher::Os(OsLauncher)
        );
        assert_eq!(
            ConfiguredLauncher::for_opener(Some(OsStr::new(""))),
            ConfiguredLauncher::Os(OsLauncher)
        );
        assert_eq!(
            ConfiguredLauncher::for_opener(Some(OsStr::new("/usr/local/bin/rec"))),
            ConfiguredLauncher::Program(ProgramLauncher {
                program: PathBuf::from("/usr/local/bin/rec")
            })
        );
    }

    #[cfg(unix)]
    #[test]
    fn style15_a_long_running_opener_is_left_to_the_reaper() {
        let launcher = ProgramLauncher {
            program: PathBuf::from("/bin/sleep"),
        };
        let child = Command::new(&launcher.program)
            .arg("2")
            .stdin(Stdio::null())
            .spawn()
            .expect("sleep starts");
        let started = std::time::Instant::now();
        launcher
            .wait_or_detach(child, Duration::from_millis(100))
            .expect("handed off");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
