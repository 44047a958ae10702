//! The links TeamViewer answers for a session, checked before anything uses them.
//!
//! The supporter link goes to the agent's desktop client; the end-customer link goes into the
//! device's managed app configuration and to the device user. Both must be `https` links on one
//! of TeamViewer's documented link hosts (`helpatwork_desktop::TEAMVIEWER_LINK_HOSTS`), or on a
//! host the admin allowed explicitly in `HELPATWORK_LINK_HOSTS` (comma-separated `host` or
//! `host:port`). The configured API host is not allowed by being configured: a TeamViewer API
//! URL pointing elsewhere must not also decide where links may go. A link that fails the check
//! fails the start (exit 5, the TeamViewer session closed): it is never stored, shown or opened.

use helpatwork_desktop::LaunchSpec;

use crate::error::{AppError, ErrorCode, ErrorDetails, Result};

/// Hosts allowed for links besides TeamViewer's own, set explicitly by the admin.
pub const LINK_HOSTS_ENV: &str = "HELPATWORK_LINK_HOSTS";

/// The hosts [`LINK_HOSTS_ENV`] allows.
pub fn extra_hosts() -> Vec<String> {
    std::env::var(LINK_HOSTS_ENV)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect()
}

/// `link` as a launchable spec, or why Help@Work refuses it (`which`: "supporter link", …).
pub fn check(link: &str, which: &str) -> Result<LaunchSpec> {
    let extra = extra_hosts();
    let allowed: Vec<&str> = extra.iter().map(String::as_str).collect();
    LaunchSpec::supporter_link(link, &allowed).map_err(|e| {
        AppError::new(
            ErrorCode::ServiceFailed,
            format!("TeamViewer answered a {which} Help@Work does not use: {e}."),
        )
        .with_fix(format!(
            "Check that HELPATWORK_TEAMVIEWER_API_URL is TeamViewer's ({}); a link host of your own must be allowed explicitly in {LINK_HOSTS_ENV}.",
            helpatwork_teamviewer::DEFAULT_API_URL
        ))
        .with_details(ErrorDetails::RefusedLink { refused_link: which.to_string() })
    })
}

/// The session's links, each checked; the first refused one is the error.
pub fn checked(
    supporter: Option<&str>,
    end_customer: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let supporter = supporter
        .map(|l| check(l, "supporter link").map(|s| s.url().to_string()))
        .transpose()?;
    let end_customer = end_customer
        .map(|l| check(l, "end-customer link").map(|s| s.url().to_string()))
        .transpose()?;
    Ok((supporter, end_customer))
}
