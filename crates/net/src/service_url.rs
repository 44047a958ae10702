//! Where a client may send credentials: the checks every configured service address passes.
//!
//! `https` anywhere, plain `http` only to a loopback host (the local fakes, tests), so a password
//! or token never travels unencrypted over a network; never a user name or password in the URL
//! (`user:password@`), which would go along to whoever the host is. Each client words the
//! refusal for its own setting ([`UrlProblem`] says which check failed).

use url::{Host, Url};

/// Which check an address failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    /// Not a URL at all; the parser's words.
    #[error("not a URL ({0})")]
    NotAUrl(String),
    /// `user@` or `user:password@` in it.
    #[error("must not hold a user name or password (user:password@)")]
    UserInfo,
    /// A `?query` or `#fragment`, where the client appends API paths to a base address.
    #[error("must not contain a query or fragment")]
    QueryOrFragment,
    /// Another scheme than `https`, or `http` to a host that is not loopback.
    #[error("must be an https:// URL (http:// only for 127.0.0.1/localhost)")]
    NotHttps,
}

/// Whether a base address may carry a query or fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Query {
    /// Kept as given (TeamViewer's sign-in page address).
    #[default]
    Allowed,
    /// Refused: API paths are appended to this address (Ivanti's tenant).
    Refused,
}

/// Parses `value` and applies the checks, in this order: a URL, no user info, (no query or
/// fragment), https or loopback http.
pub fn service_url(value: &str, query: Query) -> Result<Url, UrlProblem> {
    let url = Url::parse(value).map_err(|e| UrlProblem::NotAUrl(e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlProblem::UserInfo);
    }
    if query == Query::Refused && (url.query().is_some() || url.fragment().is_some()) {
        return Err(UrlProblem::QueryOrFragment);
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        _ => Err(UrlProblem::NotHttps),
    }
}

/// Whether the URL's host is a loopback address or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// `{base}/{path}`, with the base's trailing slashes dropped first (so `https://x/api/` and
/// `https://x/api` give the same endpoints).
pub fn join(base: &Url, path: &str) -> Result<Url, url::ParseError> {
    let base = base.as_str().trim_end_matches('/');
    Url::parse(&format!("{base}/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: &str, query: Query) -> Result<String, UrlProblem> {
        service_url(value, query).map(String::from)
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://eu1.mobileiron.com",
            "https://webapi.teamviewer.com/api/v1",
            "http://127.0.0.1:8080",
            "http://127.1.2.3/api",
            "http://[::1]:9/api/v1",
            "http://localhost:8080/",
            "http://LOCALHOST/",
        ] {
            assert!(check(ok, Query::Refused).is_ok(), "{ok}");
        }
        for bad in [
            "http://eu1.mobileiron.com",
            "http://10.0.0.1/",
            "http://localhost.example.com/",
            "ftp://127.0.0.1/",
            "file:///etc/passwd",
        ] {
            assert_eq!(
                check(bad, Query::Allowed),
                Err(UrlProblem::NotHttps),
                "{bad}"
            );
        }
        assert!(matches!(
            check("not a url", Query::Allowed),
            Err(UrlProblem::NotAUrl(_))
        ));
    }

    #[test]
    fn user_info_is_refused_before_anything_else() {
        for bad in [
            "https://user:s3cr3t@webapi.teamviewer.com/api/v1",
            "https://user@webapi.teamviewer.com/api/v1",
            "http://a:b@example.com/?q=1",
        ] {
            let err = check(bad, Query::Refused).unwrap_err();
            assert_eq!(err, UrlProblem::UserInfo, "{bad}");
            assert!(!err.to_string().contains("s3cr3t"), "not echoed: {err}");
        }
    }

    #[test]
    fn a_query_is_refused_only_where_paths_are_appended() {
        assert_eq!(
            check("https://eu1.mobileiron.com/?x=1", Query::Refused),
            Err(UrlProblem::QueryOrFragment)
        );
        assert_eq!(
            check("https://eu1.mobileiron.com/#top", Query::Refused),
            Err(UrlProblem::QueryOrFragment)
        );
        assert!(check(
            "https://login.teamviewer.com/oauth2/authorize?x=1",
            Query::Allowed
        )
        .is_ok());
    }

    #[test]
    fn join_appends_to_the_base_path() {
        for base in ["https://x.example/api/v1", "https://x.example/api/v1/"] {
            let base = Url::parse(base).unwrap();
            assert_eq!(
                join(&base, "oauth2/token").unwrap().as_str(),
                "https://x.example/api/v1/oauth2/token"
            );
        }
    }
}
