//! Style item 15: only allowlisted TeamViewer links are handed over, never through a shell.

// The launcher tests run a shell script: Unix only.
#[cfg_attr(not(unix), allow(unused_imports))]
use helpatwork_desktop::{
    LaunchError, LaunchSpec, Launcher, ProgramLauncher, MAX_LINK_LEN, TEAMVIEWER_LINK_HOSTS,
};
use proptest::prelude::*;

const SUPPORTER_LINK: &str = "https://get.teamviewer.com/v15/en/s12345678-a1b2c3d4e5f6";

fn refused(url: &str) -> LaunchError {
    match LaunchSpec::supporter_link(url, &["sandbox.helpatwork.test"]) {
        Ok(spec) => panic!("{url:?} was accepted as {:?}", spec.url()),
        Err(error) => error,
    }
}

#[test]
fn style15_documented_teamviewer_links_are_accepted() {
    let spec = LaunchSpec::supporter_link(SUPPORTER_LINK, &[]).expect("supporter link");
    assert_eq!(spec.url(), SUPPORTER_LINK);
    for host in TEAMVIEWER_LINK_HOSTS {
        let url = format!("https://{host}/device/123456789/authorization/password/mode/control");
        assert!(LaunchSpec::supporter_link(&url, &[]).is_ok(), "{url}");
    }
    let upper = LaunchSpec::supporter_link("HTTPS://GET.TeamViewer.com/v15/s12345678", &[])
        .expect("case-insensitive scheme and host");
    assert_eq!(upper.url(), "https://get.teamviewer.com/v15/s12345678");
    let with_query = "https://start.teamviewer.com/s12345678?lang=en&x=%41";
    assert!(LaunchSpec::supporter_link(with_query, &[]).is_ok());
}

#[test]
fn style15_the_configured_api_host_is_accepted_when_allowed() {
    let sandbox = "https://127.0.0.1:8443/v15/s12345678-abc";
    assert!(LaunchSpec::supporter_link(sandbox, &["127.0.0.1:8443"]).is_ok());
    assert!(LaunchSpec::supporter_link(sandbox, &[" 127.0.0.1:8443 "]).is_ok());
    assert!(matches!(
        LaunchSpec::supporter_link(sandbox, &["127.0.0.1"]),
        Err(LaunchError::HostNotAllowed { host }) if host == "127.0.0.1:8443"
    ));
    assert!(matches!(
        LaunchSpec::supporter_link(sandbox, &[]),
        Err(LaunchError::HostNotAllowed { .. })
    ));
    assert!(LaunchSpec::supporter_link(
        "https://Sandbox.HelpAtWork.test/s1",
        &["sandbox.helpatwork.test"]
    )
    .is_ok());
}

#[test]
fn style15_http_link_is_refused() {
    assert!(matches!(
        refused("http://get.teamviewer.com/v15/s12345678"),
        LaunchError::NotHttps { scheme } if scheme == "http"
    ));
    for url in [
        "teamviewer10://control?device=123&authorization=pw",
        "file:///etc/passwd",
        "javascript:alert",
        "ftp://get.teamviewer.com/",
    ] {
        assert!(
            matches!(refused(url), LaunchError::NotHttps { .. }),
            "{url}"
        );
    }
}

#[test]
fn style15_other_hosts_are_refused() {
    for url in [
        "https://evil.com/v15/s12345678",
        "https://get.teamviewer.com.evil.com/",
        "https://evilget.teamviewer.com/",
        "https://teamviewer.com/",
        "https://www.teamviewer.com/en/download/",
        "https://get.teamviewer.com./v15/s1",
        "https://get.teamviewer.com:8443/v15/s1",
        "https://192.168.1.10/",
    ] {
        assert!(
            matches!(refused(url), LaunchError::HostNotAllowed { .. }),
            "{url}"
        );
    }
}

#[test]
fn style15_userinfo_is_refused() {
    // `@` is outside the accepted characters, so such links never reach the URL parser.
    for url in [
        "https://user@get.teamviewer.com/",
        "https://user:pw@get.teamviewer.com/",
        "https://get.teamviewer.com@evil.com/",
    ] {
        assert!(
            matches!(
                refused(url),
                LaunchError::ForbiddenCharacter { found: '@', .. }
            ),
            "{url}"
        );
    }
}

#[test]
fn style15_shell_metacharacters_and_white_space_are_refused() {
    let hostile = [
        ("https://get.teamviewer.com/v15/s1\n--play x.tvs", '\n'),
        ("https://get.teamviewer.com/v15/s1\r", '\r'),
        ("https://get.teamviewer.com/v15/s1 --Password x", ' '),
        ("https://get.teamviewer.com/v15/s1\t", '\t'),
        ("https://get.teamviewer.com/v15/s1\"", '"'),
        ("https://get.teamviewer.com/v15/s1'", '\''),
        ("https://get.teamviewer.com/v15/s1;rm -rf ~", ';'),
        ("https://get.teamviewer.com/v15/$(touch /tmp/pwned)", '$'),
        ("https://get.teamviewer.com/v15/`id`", '`'),
        ("https://get.teamviewer.com/v15/s1|sh", '|'),
        ("https://get.teamviewer.com/v15/s1>out", '>'),
        ("https://get.teamviewer.com\\evil.com/", '\\'),
        ("https://get.teamviewer.com/v15/s1\u{0}", '\u{0}'),
        ("https://get.teamviewer.com/v15/s1\u{2028}", '\u{2028}'),
        ("https://get.teamviewer.com/v15/s\u{0456}1", '\u{0456}'),
    ];
    for (url, bad) in hostile {
        assert!(
            matches!(refused(url), LaunchError::ForbiddenCharacter { found, .. } if found == bad),
            "{url:?}"
        );
    }
}

#[test]
fn style15_percent_escaped_control_characters_and_quotes_are_refused() {
    for (url, bad) in [
        ("https://get.teamviewer.com/v15/s1%0A--play", '\n'),
        ("https://get.teamviewer.com/v15/s1%20x", ' '),
        ("https://get.teamviewer.com/v15/s1%22", '"'),
        ("https://get.teamviewer.com/v15/s1%00", '\0'),
    ] {
        assert!(
            matches!(refused(url), LaunchError::ForbiddenCharacter { found, .. } if found == bad),
            "{url}"
        );
    }
    assert!(matches!(
        refused("https://get.teamviewer.com/v15/s1%zz"),
        LaunchError::NotAUrl { .. }
    ));
    assert!(matches!(
        refused("https://get.teamviewer.com/v15/s1%4"),
        LaunchError::NotAUrl { .. }
    ));
}

#[test]
fn style15_overlong_and_empty_links_are_refused() {
    let long = format!("{SUPPORTER_LINK}/{}", "a".repeat(MAX_LINK_LEN));
    assert!(matches!(refused(&long), LaunchError::TooLong { .. }));
    assert!(matches!(refused(""), LaunchError::NotAUrl { .. }));
    assert!(matches!(
        refused("get.teamviewer.com/v15/s1"),
        LaunchError::NotAUrl { .. }
    ));
}

#[test]
fn style15_errors_show_hostile_characters_escaped() {
    let message = refused("https://get.teamviewer.com/s1\n").to_string();
    assert!(
        message.contains("'\\n'") && !message.contains('\n'),
        "{message}"
    );
}

#[cfg(unix)]
mod opener {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    /// One spawning test at a time: a script being written while another test forks could be
    /// held open by the fork and fail to execute ("text file busy").
    static SPAWN: Mutex<()> = Mutex::new(());

    fn script(dir: &Path, body: &str) -> PathBuf {
        let path = dir.join("opener.sh");
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    #[test]
    fn style15_opener_program_receives_exactly_the_link_as_one_argument() {
        let _serial = SPAWN
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let dir = tempfile::tempdir().expect("temp dir");
        let record = dir.path().join("record");
        // Records the argument count, then each argument NUL-terminated.
        let program = script(
            dir.path(),
            &format!(
                "printf '%s\\n' \"$#\" > '{rec}'\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> '{rec}'; done",
                rec = record.display()
            ),
        );
        // `&`, `?`, `=`, `%`, `#`, `+`, `,` are all meaningful to a shell or an opener.
        let link = "https://get.teamviewer.com/v15/en/s12345678-a1b2c3d4e5f6?a=1&b=%41+c,d#frag";
        let spec = LaunchSpec::supporter_link(link, &[]).expect("valid link");
        ProgramLauncher { program }.launch(&spec).expect("launched");

        let recorded = fs::read(&record).expect("the opener ran");
        let expected = format!("1\n{link}\0");
        assert_eq!(String::from_utf8_lossy(&recorded), expected);
    }

    #[test]
    fn style15_failing_opener_is_reported() {
        let _serial = SPAWN
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let dir = tempfile::tempdir().expect("temp dir");
        let program = script(dir.path(), "exit 3");
        let spec = LaunchSpec::supporter_link(SUPPORTER_LINK, &[]).expect("valid link");
        let error = ProgramLauncher { program }
            .launch(&spec)
            .expect_err("exit 3");
        assert!(
            matches!(&error, LaunchError::OpenerFailed { status, .. } if status.code() == Some(3)),
            "{error:?}"
        );
    }

    #[test]
    fn style15_missing_opener_is_reported() {
        let _serial = SPAWN
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let dir = tempfile::tempdir().expect("temp dir");
        let program = dir.path().join("no-such-opener");
        let spec = LaunchSpec::supporter_link(SUPPORTER_LINK, &[]).expect("valid link");
        let error = ProgramLauncher {
            program: program.clone(),
        }
        .launch(&spec)
        .expect_err("missing program");
        assert!(
            matches!(&error, LaunchError::Spawn { program: p, .. } if *p == program),
            "{error:?}"
        );
    }
}

proptest! {
    #[test]
    fn style15_supporter_link_never_panics(url in ".{0,120}") {
        let _ = LaunchSpec::supporter_link(&url, &["sandbox.helpatwork.test"]);
    }

    /// Whatever is accepted is https, on an allowed host, and free of shell-significant bytes.
    #[test]
    fn style15_accepted_links_are_https_on_allowed_hosts(
        host in prop::sample::select(vec![
            "get.teamviewer.com", "start.teamviewer.com", "evil.com", "get.teamviewer.com.evil.com",
            "sandbox.helpatwork.test", "user@get.teamviewer.com",
        ]),
        scheme in prop::sample::select(vec!["https", "http", "HTTPS", "teamviewer10"]),
        path in "[ -~\\n]{0,40}",
    ) {
        let url = format!("{scheme}://{host}/{path}");
        if let Ok(spec) = LaunchSpec::supporter_link(&url, &["sandbox.helpatwork.test"]) {
            let accepted = spec.url();
            prop_assert!(accepted.starts_with("https://"));
            let authority = &accepted["https://".len()..];
            let authority = authority.split('/').next().unwrap_or_default();
            prop_assert!(
                TEAMVIEWER_LINK_HOSTS.contains(&authority) || authority == "sandbox.helpatwork.test",
                "{accepted}"
            );
            let shell_significant = |c: char| {
                c.is_whitespace() || c.is_control() || "\"'`$;|<>\\@(){}".contains(c)
            };
            prop_assert!(!accepted.chars().any(shell_significant), "{}", accepted);
        }
    }
}
