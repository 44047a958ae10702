//! What a device must be to enter the fleet: the checks an imported file's rows pass, and the
//! same checks on the user fields an MDM sends (an invalid one is dropped there, with a
//! warning, instead of refusing the device).

use std::collections::HashSet;

use serde::Serialize;
use ts_rs::TS;

use super::{Collector, RowError, SeenIds, MAX_ID_LEN, MAX_TEXT_LEN};
use crate::device::{AppKind, Device, DeviceUser, Platform};
use crate::ident;
use crate::version::Version;

/// A user field that was not valid, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldIssue {
    /// `user.name` or `user.email`.
    pub field: String,
    pub reason: String,
}

/// Why a free-text value is not valid: too long, or with control characters.
fn text_issue(value: &str) -> Option<String> {
    if value.chars().count() > MAX_TEXT_LEN {
        Some(format!("is longer than {MAX_TEXT_LEN} characters"))
    } else if value.chars().any(char::is_control) {
        Some("must not contain control characters".into())
    } else {
        None
    }
}

/// Whether `text` is an e-mail address as the product accepts one (the fleet file's rule):
/// one `@`, a local part, a dotted domain, no white space.
pub fn valid_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(|c| c.is_whitespace() || c.is_control())
                && text.chars().count() <= MAX_TEXT_LEN
        }
        None => false,
    }
}

/// The problems of a device's user fields (name, e-mail), as an import reports them.
pub fn user_issues(user: &DeviceUser) -> Vec<FieldIssue> {
    let mut out = Vec::new();
    if let Some(reason) = text_issue(&user.name) {
        out.push(FieldIssue {
            field: "user.name".into(),
            reason,
        });
    }
    let email = user.email.trim();
    if let Some(reason) = text_issue(email) {
        out.push(FieldIssue {
            field: "user.email".into(),
            reason,
        });
    } else if !email.is_empty() && !valid_email(email) {
        out.push(FieldIssue {
            field: "user.email".into(),
            reason: format!(
                "\"{}\" is not an e-mail address",
                email.chars().take(64).collect::<String>()
            ),
        });
    }
    out
}

/// For a device an MDM sent: the user fields that fail [`user_issues`] are dropped (emptied),
/// and what was dropped is returned, so the sync reports it and nothing invalid is ever sent on
/// (e.g. to TeamViewer as the session's end customer).
pub fn drop_invalid_user_fields(device: &mut Device) -> Vec<FieldIssue> {
    let issues = user_issues(&device.user);
    for issue in &issues {
        match issue.field.as_str() {
            "user.name" => device.user.name.clear(),
            _ => device.user.email.clear(),
        }
    }
    issues
}

/// Every check an imported row passes; the problems go to `errors`.
pub(super) fn validate(
    device: &Device,
    index: usize,
    line: Option<u32>,
    seen: &mut SeenIds,
    errors: &mut Collector,
) {
    let mut bad = |field: &str, reason: String| {
        errors.push(RowError {
            index: Some(index as u32),
            line,
            id: Some(device.id.chars().take(MAX_ID_LEN).collect()),
            field: field.to_string(),
            reason,
        })
    };
    let id = device.id.as_str();
    if let Some(why) = ident::id_problem(id) {
        bad("id", why);
    } else if !seen.insert(&ident::id_key(id)) {
        bad(
            "id",
            "appears more than once in the file (ids are compared without case, width or dash differences)"
                .into(),
        );
    }
    for (field, value) in [
        ("name", device.name.as_str()),
        ("os_version", device.os_version.as_str()),
    ] {
        if value.trim().is_empty() {
            bad(field, "must not be empty".into());
        } else if let Some(reason) = text_issue(value) {
            bad(field, reason);
        }
    }
    for (field, value) in [
        ("manufacturer", device.manufacturer.as_str()),
        ("model", device.model.as_str()),
    ] {
        if let Some(reason) = text_issue(value) {
            bad(field, reason);
        }
    }
    for issue in user_issues(&device.user) {
        bad(&issue.field, issue.reason);
    }
    if let Some(version) = &device.management.client_version {
        if version.trim().is_empty() || version.trim().eq_ignore_ascii_case(super::UNKNOWN) {
            bad(
                "management.client_version",
                "must be a version (use null for unknown)".into(),
            );
        } else if let Some(reason) = text_issue(version) {
            bad("management.client_version", reason);
        }
    }
    if let Some(labels) = &device.labels {
        for (at, reason) in crate::labels::list_issues(labels) {
            match at {
                Some(i) => bad(&format!("labels[{i}]"), reason),
                None => bad("labels", reason),
            }
        }
    }
    if let Some(reason) = device.locale().and_then(crate::locale::locale_issue) {
        bad("locale", reason);
    }
    let mut apps = HashSet::new();
    for (i, app) in device.apps.iter().flatten().enumerate() {
        if !apps.insert(app.app) {
            bad(
                &format!("apps[{i}].app"),
                format!("{} is listed more than once", app.app.as_str()),
            );
        }
        if let Some(version) = &app.version {
            if let Err(e) = Version::parse(version) {
                bad(&format!("apps[{i}].version"), e.to_string());
            }
        }
        if app.app == AppKind::Host && device.platform == Platform::Ios {
            bad(
                &format!("apps[{i}].app"),
                "TeamViewer Host exists for Android only".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_follow_one_rule() {
        for good in ["ana@example.com", "a.b+c@sub.example.org"] {
            assert!(valid_email(good), "{good}");
        }
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "ana@.example.com",
            "ana@example.com.",
            "ana souza@example.com",
            "ana@b@example.com",
            "ana@exa\u{0}mple.com",
        ] {
            assert!(!valid_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn invalid_user_fields_are_dropped_and_reported() {
        let mut user = DeviceUser {
            name: "x".repeat(300),
            email: "not an address".into(),
        };
        let issues = user_issues(&user);
        assert_eq!(issues.len(), 2, "{issues:?}");
        user.name = "Ana".into();
        user.email = "ana@example.com".into();
        assert!(user_issues(&user).is_empty());
    }
}
