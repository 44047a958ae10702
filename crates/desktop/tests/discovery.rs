//! D3 and S11 end to end over a fake install directory (`HELPATWORK_TEAMVIEWER_HOME`), plus the
//! three parsers on hostile input. Nothing here looks at the real machine's TeamViewer.

use std::fs;
use std::path::{Path, PathBuf};

use helpatwork_desktop::{
    assess, client_fact, discover, parse_global_conf, parse_info_plist, parse_registry_values,
    DesktopFinding, DiscoveryError, DiscoveryOptions, DiscoverySource, GlobalConfError, PlistError,
    RegistryError, DOWNLOAD_URL, MAX_FILE_BYTES,
};
use helpatwork_domain::compat::CompatTable;
use helpatwork_domain::device::AppKind;
use helpatwork_domain::eligibility::CheckStatus;
use helpatwork_domain::lang::Lang;
use helpatwork_domain::version::Version;
use proptest::prelude::*;
use tempfile::TempDir;

fn fake_linux_install(global_conf: &[u8]) -> TempDir {
    let home = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(home.path().join("config")).expect("config dir");
    fs::write(home.path().join("config").join("global.conf"), global_conf).expect("global.conf");
    home
}

fn fake_mac_bundle(info_plist: &[u8]) -> TempDir {
    let home = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(home.path().join("Contents")).expect("Contents dir");
    fs::write(home.path().join("Contents").join("Info.plist"), info_plist).expect("Info.plist");
    home
}

fn discover_at(home: &Path) -> Result<Option<helpatwork_desktop::DesktopClient>, DiscoveryError> {
    discover(&DiscoveryOptions::with_teamviewer_home(home))
}

fn conf_with_version(version: &str) -> Vec<u8> {
    format!(
        "TeamViewer Global Settings\n\n[int32] ClientID = 123456789\n[strng] Version = \"{version}\"\n"
    )
    .into_bytes()
}

fn xml_plist(short: &str, bundle: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleExecutable</key>
	<string>TeamViewer</string>
	<key>CFBundleIdentifier</key>
	<string>com.teamviewer.TeamViewer</string>
	<key>CFBundleShortVersionString</key>
	<string>{short}</string>
	<key>CFBundleVersion</key>
	<string>{bundle}</string>
</dict>
</plist>
"#
    )
    .into_bytes()
}

#[test]
fn d3_client_in_teamviewer_home_is_found_from_global_conf() {
    let home = fake_linux_install(&conf_with_version("15.62.4"));
    let client = discover_at(home.path()).expect("readable").expect("found");
    assert_eq!(client.version, Version::new(15, 62, 4));
    assert_eq!(client.build, None);
    assert_eq!(client.install_dir, home.path());
    assert_eq!(
        client.source,
        DiscoverySource::GlobalConf {
            path: home.path().join("config").join("global.conf")
        }
    );
}

#[test]
fn d3_client_in_teamviewer_home_is_found_from_info_plist() {
    let home = fake_mac_bundle(&xml_plist("15", "15.62.4"));
    let client = discover_at(home.path()).expect("readable").expect("found");
    assert_eq!(client.version, Version::new(15, 62, 4));
    assert_eq!(client.build.as_deref(), Some("15.62.4"));
    assert!(matches!(client.source, DiscoverySource::InfoPlist { .. }));
}

#[test]
fn d3_global_conf_wins_over_info_plist_in_the_same_home() {
    let home = fake_linux_install(&conf_with_version("15.70.1"));
    fs::create_dir_all(home.path().join("Contents")).expect("Contents");
    fs::write(home.path().join("Contents").join("Info.plist"), b"garbage").expect("plist");
    let client = discover_at(home.path()).expect("readable").expect("found");
    assert_eq!(client.version, Version::new(15, 70, 1));
}

#[test]
fn d3_missing_client_is_none_and_blocks_with_the_download_link() {
    let empty = tempfile::tempdir().expect("temp dir");
    let found = discover_at(empty.path());
    assert!(matches!(found, Ok(None)), "{found:?}");
    let nowhere = discover_at(&empty.path().join("not-there"));
    assert!(matches!(nowhere, Ok(None)), "{nowhere:?}");

    let findings = assess(
        &client_fact(&found),
        &CompatTable::default(),
        AppKind::Quicksupport,
        None,
    );
    assert_eq!(findings, [DesktopFinding::ClientMissing]);
    let check = findings[0].to_check(Lang::En);
    assert_eq!(
        (check.rule.as_str(), check.status),
        ("D3", CheckStatus::Block)
    );
    assert!(check.fix.is_some_and(|fix| fix.contains(DOWNLOAD_URL)));
}

#[test]
fn s11_too_old_client_is_found_and_blocks_with_the_minimum() {
    let home = fake_linux_install(&conf_with_version("14.7.48350"));
    let found = discover_at(home.path());
    let device = Version::new(15, 62, 4);
    let findings = assess(
        &client_fact(&found),
        &CompatTable::default(),
        AppKind::Quicksupport,
        Some(&device),
    );
    assert!(matches!(
        findings.as_slice(),
        [
            DesktopFinding::ClientFound { .. },
            DesktopFinding::TooOld { minimum, .. },
            DesktopFinding::Vulnerable { .. },
        ] if *minimum == Version::new(15, 0, 0)
    ));
    let check = findings[1].to_check(Lang::PtBr);
    assert_eq!(
        (check.rule.as_str(), check.status),
        ("S11", CheckStatus::Block)
    );
    assert!(check
        .fix
        .is_some_and(|fix| fix.contains("15.0 ") && fix.contains(DOWNLOAD_URL)));
}

#[test]
fn s11_override_table_can_accept_an_older_client() {
    let home = fake_linux_install(&conf_with_version("15.70.1"));
    let table = CompatTable::from_json(
        r#"{"format":1,"extends":"default","rules":[{"device_app":"host","device_major":16,"min_desktop":"15.70"}]}"#,
    )
    .expect("valid override");
    let device = Version::new(16, 0, 0);
    let findings = assess(
        &client_fact(&discover_at(home.path())),
        &table,
        AppKind::Host,
        Some(&device),
    );
    assert!(
        matches!(findings[1], DesktopFinding::Compatible { .. }),
        "{findings:?}"
    );
    assert!(
        findings.iter().all(|f| f.status() != CheckStatus::Block),
        "{findings:?}"
    );
}

#[test]
fn d3_malformed_global_conf_is_a_typed_error_naming_the_file() {
    let home = fake_linux_install(&conf_with_version("fifteen"));
    let error = discover_at(home.path()).expect_err("malformed");
    assert!(
        matches!(&error, DiscoveryError::GlobalConf { source: GlobalConfError::BadVersion { line: 4, .. }, path } if path.ends_with("config/global.conf")),
        "{error:?}"
    );
    assert!(error.to_string().contains("global.conf"));

    let findings = assess(
        &client_fact(&Err(error)),
        &CompatTable::default(),
        AppKind::Quicksupport,
        None,
    );
    assert_eq!(findings[0].status(), CheckStatus::Warn);
}

#[test]
fn d3_global_conf_without_version_is_a_typed_error() {
    let home = fake_linux_install(b"TeamViewer Global Settings\n[int32] ClientID = 1\n");
    assert!(matches!(
        discover_at(home.path()),
        Err(DiscoveryError::GlobalConf {
            source: GlobalConfError::MissingKey { key: "Version" },
            ..
        })
    ));
}

#[test]
fn d3_global_conf_with_invalid_utf8_is_a_typed_error() {
    let home =
        fake_linux_install(b"TeamViewer Global Settings\n[strng] Version = \"15.\xc3\x28\"\n");
    assert!(matches!(
        discover_at(home.path()),
        Err(DiscoveryError::GlobalConf {
            source: GlobalConfError::NotUtf8 { line: 2 },
            ..
        })
    ));
}

#[test]
fn d3_huge_global_conf_is_refused_unread() {
    let mut huge = conf_with_version("15.62.4");
    huge.resize(usize::try_from(MAX_FILE_BYTES).expect("fits") + 1, b'\n');
    let home = fake_linux_install(&huge);
    assert!(matches!(
        discover_at(home.path()),
        Err(DiscoveryError::TooLarge { limit, .. }) if limit == MAX_FILE_BYTES
    ));
}

#[test]
fn d3_global_conf_that_is_a_directory_is_refused() {
    let home = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(home.path().join("config").join("global.conf")).expect("dir");
    assert!(matches!(
        discover_at(home.path()),
        Err(DiscoveryError::NotAFile { .. })
    ));
}

#[cfg(unix)]
#[test]
fn d3_global_conf_linked_to_a_device_is_refused() {
    let home = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(home.path().join("config")).expect("config dir");
    std::os::unix::fs::symlink("/dev/zero", home.path().join("config").join("global.conf"))
        .expect("symlink");
    assert!(matches!(
        discover_at(home.path()),
        Err(DiscoveryError::NotAFile { .. })
    ));
}

#[test]
fn d3_malformed_info_plist_is_a_typed_error() {
    let home = fake_mac_bundle(&xml_plist("latest", "build-7"));
    assert!(matches!(
        discover_at(home.path()),
        Err(DiscoveryError::Plist {
            source: PlistError::BadVersion { .. },
            ..
        })
    ));
    let garbage = fake_mac_bundle(b"\x00\x01 not a plist");
    assert!(matches!(
        discover_at(garbage.path()),
        Err(DiscoveryError::Plist {
            source: PlistError::Unreadable { .. },
            ..
        })
    ));
}

#[test]
fn d3_info_plist_parsing_from_bytes() {
    let full = parse_info_plist(&xml_plist("15.62.4", "15.62.4.70412")).expect("parses");
    assert_eq!(full.version, Version::new(15, 62, 4));
    assert_eq!(full.build.as_deref(), Some("15.62.4.70412"));

    // Reference §6.4: the plist may hold only the major.
    let major_only = parse_info_plist(&xml_plist("15", "15.62.4")).expect("parses");
    assert_eq!(major_only.version, Version::new(15, 62, 4));
    let major_and_build_number = parse_info_plist(&xml_plist("15", "70412")).expect("parses");
    assert_eq!(major_and_build_number.version.to_string(), "15");

    let no_keys = br#"<?xml version="1.0"?><plist version="1.0"><dict/></plist>"#;
    assert_eq!(parse_info_plist(no_keys), Err(PlistError::MissingVersion));
}

#[test]
fn d3_binary_info_plist_is_read_too() {
    let mut dict = plist::Dictionary::new();
    dict.insert(
        "CFBundleShortVersionString".into(),
        plist::Value::String("15.62.4".into()),
    );
    dict.insert(
        "CFBundleVersion".into(),
        plist::Value::String("15.62.4".into()),
    );
    let mut bytes = Vec::new();
    plist::Value::Dictionary(dict)
        .to_writer_binary(&mut bytes)
        .expect("binary plist");
    assert!(bytes.starts_with(b"bplist00"));
    assert_eq!(
        parse_info_plist(&bytes).map(|p| p.version),
        Ok(Version::new(15, 62, 4))
    );
}

#[test]
fn d3_deeply_nested_info_plist_does_not_overflow_the_stack() {
    const DEPTH: usize = 50_000;
    let mut xml = String::from(
        r#"<?xml version="1.0"?><plist version="1.0"><dict><key>CFBundleShortVersionString</key><string>15.1</string><key>Deep</key>"#,
    );
    xml.push_str(&"<array>".repeat(DEPTH));
    xml.push_str(&"</array>".repeat(DEPTH));
    xml.push_str("</dict></plist>");
    // A small stack proves there is no recursion proportional to the depth.
    let parsed = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || parse_info_plist(xml.as_bytes()).map(|p| p.version))
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(parsed, Ok(Version::new(15, 1, 0)));
}

#[test]
fn d3_registry_value_parsing() {
    let install = parse_registry_values(Some("15.62.4"), Some(r"C:\Program Files\TeamViewer"))
        .expect("valid")
        .expect("installed");
    assert_eq!(install.version, Version::new(15, 62, 4));
    assert_eq!(
        install.install_dir,
        PathBuf::from(r"C:\Program Files\TeamViewer")
    );

    assert_eq!(parse_registry_values(None, None), Ok(None));
    assert!(matches!(
        parse_registry_values(Some("15.62.4 beta"), Some(r"C:\TeamViewer")),
        Err(RegistryError::BadVersion { .. })
    ));
    assert_eq!(
        parse_registry_values(Some("15.62.4"), Some("")),
        Err(RegistryError::MissingInstallationDirectory)
    );
}

#[test]
fn d3_global_conf_parsing_is_tolerant_of_unknown_lines() {
    let text = "TeamViewer Global Settings\n# comment\n[weird\n[strng] Other = \"x\"\n[strng] Version = \"15.5.6\"\n";
    let conf = parse_global_conf(text.as_bytes()).expect("parses");
    assert_eq!(conf.version(), Ok(Version::new(15, 5, 6)));
    assert_eq!(conf.skipped_lines(), &[1, 2, 3]);
}

proptest! {
    #[test]
    fn d3_global_conf_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(conf) = parse_global_conf(&bytes) {
            let _ = conf.version();
        }
    }

    #[test]
    fn d3_global_conf_parser_never_panics_on_entry_shaped_lines(
        lines in proptest::collection::vec("\\[[a-z ]{0,6}\\] ?[A-Za-z\\\\]{0,10} ?=? ?\"?[0-9. \"]{0,12}", 0..8)
    ) {
        if let Ok(conf) = parse_global_conf(lines.join("\n").as_bytes()) {
            let _ = conf.version();
        }
    }

    #[test]
    fn d3_info_plist_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_info_plist(&bytes);
    }

    #[test]
    fn d3_registry_parser_never_panics(version in ".{0,24}", dir in ".{0,40}") {
        let _ = parse_registry_values(Some(&version), Some(&dir));
    }

    #[test]
    fn d3_any_global_conf_version_is_read_back(a in 0u32..100, b in 0u32..1000, c in 0u32..100_000) {
        let conf = parse_global_conf(&conf_with_version(&format!("{a}.{b}.{c}"))).expect("parses");
        prop_assert_eq!(conf.version(), Ok(Version::new(a, b, c)));
    }
}
