//! What Ivanti can and cannot tell, end to end through the built binary and the fake Ivanti:
//! with CPS access an iOS device with managed QuickSupport passes S10; without it the same
//! device gets a warning naming Ivanti, never a block; `devices show` says "unknown"; a bad
//! e-mail from Ivanti is dropped at sync and never sent to TeamViewer as the end customer; with
//! CPS access the devices' Ivanti device groups are their labels, and a support policy on a label
//! applies to them (a refused device-group call leaves the labels unknown, with a warning).

use helpatwork_e2e::{Run, World};
use helpatwork_ivanti_fake::{
    self as fake, Endpoint, Failure, FakeIvanti, FakeIvantiOptions, FleetSpec,
};
use serde_json::{json, Value};

const IOS_GUID: &str = "0aa0c0de-0000-4000-8000-000000000007";
const ANDROID_GUID: &str = "0aa0c0de-0000-4000-8000-000000000008";

struct Ivanti {
    fake: FakeIvanti,
    _runtime: tokio::runtime::Runtime,
}

fn record(id: u64, guid: &str, platform: &str, email: &str) -> Value {
    let (version, manufacturer, model) = match platform {
        "IOS" => ("17.5.1", "Apple", "iPhone 15"),
        _ => ("14", "samsung", "Galaxy S23"),
    };
    json!({
        "id": id, "guid": guid, "registrationState": "ACTIVE", "platformType": platform,
        "platformVersion": version, "manufacturer": manufacturer, "prettyModel": model,
        "deviceName": format!("Device {id}"), "firstName": "Bruno", "lastName": "Lima",
        "uid": "bruno", "emailAddress": email,
        "lastCheckin": chrono::Utc::now().timestamp_millis(),
        "complianceState": true, "quarantined": false, "jailbroken": false,
        "ownershipType": "COMPANY_OWNED", "clientVersion": "12.12.0", "dmPartitionId": 100001
    })
}

fn ivanti() -> Ivanti {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(fake::spawn(FakeIvantiOptions {
            fleet: FleetSpec {
                devices: 0,
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    fake.handle.replace_devices(vec![
        record(2_000_007, IOS_GUID, "IOS", "bruno@example.com"),
        // Not an e-mail address: the fleet file's rule refuses it.
        record(2_000_008, ANDROID_GUID, "ANDROID", "bruno.lima(at)example"),
    ]);
    fake.handle.set_inventory(
        IOS_GUID,
        Some(vec![json!({
            "identifier": fake::cps::IOS_QUICKSUPPORT, "name": "TeamViewer QuickSupport",
            "version": "155900", "shortVersion": "15.59.0", "managed": true,
            "source": "PUBLIC", "installing": false
        })]),
    );
    // The fake reports no inventory for a record it did not generate: this one is stated.
    fake.handle.set_inventory(
        ANDROID_GUID,
        Some(vec![json!({
            "identifier": "com.teamviewer.quicksupport.market", "name": "TeamViewer QuickSupport",
            "version": "15.60.1", "managed": true, "source": "PUBLIC"
        })]),
    );
    Ivanti {
        fake,
        _runtime: runtime,
    }
}

fn env(i: &Ivanti, cps: bool) -> Vec<(&str, &str)> {
    let mut env = vec![
        ("HELPATWORK_MDM", "ivanti"),
        ("HELPATWORK_IVANTI_URL", i.fake.base_url.as_str()),
        ("HELPATWORK_IVANTI_USER", i.fake.user.as_str()),
        ("HELPATWORK_IVANTI_PASSWORD", i.fake.password.as_str()),
    ];
    if cps {
        env.push(("HELPATWORK_IVANTI_CPS_USER", i.fake.cps_user.as_str()));
        env.push((
            "HELPATWORK_IVANTI_CPS_PASSWORD",
            i.fake.cps_password.as_str(),
        ));
    }
    env
}

fn run(w: &World, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = w
        .machine
        .command(args, env)
        .output()
        .expect("run helpatwork");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn checks<'a>(preflight: &'a Value, rule: &str) -> Vec<&'a Value> {
    preflight["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["rule"] == rule)
        .collect()
}

#[test]
fn s10_ios_with_managed_quicksupport_passes_with_cps_and_warns_without() {
    let i = ivanti();
    let w = World::new("15.75.1", true);

    // Without CPS access: the apps are unknown; S10 warns, naming Ivanti; nothing blocks.
    let without = env(&i, false);
    let sync = run(&w, &["--json", "devices", "sync"], &without);
    assert_eq!(sync.code, 0, "{}{}", sync.stdout, sync.stderr);
    let pre = run(
        &w,
        &[
            "--json",
            "session",
            "preflight",
            "2000007",
            "--mode",
            "attended",
        ],
        &without,
    );
    assert_eq!(pre.code, 0, "{}{}", pre.stdout, pre.stderr);
    let pre = pre.json();
    assert_eq!(pre["ok"], true, "{pre:#}");
    let s10 = checks(&pre, "S10");
    assert_eq!(s10.len(), 1, "{pre:#}");
    assert_eq!(s10[0]["status"], "warn");
    assert!(s10[0]["message"]
        .as_str()
        .unwrap()
        .contains("cannot be verified through Ivanti Neurons for MDM"));
    assert!(s10[0]["fix"]
        .as_str()
        .unwrap()
        .contains("Ivanti Neurons for MDM"));
    for c in pre["checks"].as_array().unwrap() {
        assert!(
            !c["message"].as_str().unwrap().contains("not installed"),
            "{c}"
        );
    }
    // S4 and online say what will happen: the device user gets the link.
    let s4 = checks(&pre, "S4");
    assert_eq!(s4[0]["status"], "warn");
    assert!(s4[0]["message"]
        .as_str()
        .unwrap()
        .contains("end-customer link"));

    // With CPS access: the inventory says QuickSupport is installed and managed: S10 passes.
    let with = env(&i, true);
    let sync = run(&w, &["--json", "devices", "sync"], &with);
    assert_eq!(sync.code, 0, "{}{}", sync.stdout, sync.stderr);
    assert_eq!(sync.json()["updated"], 2, "the apps became known");
    let pre = run(
        &w,
        &[
            "--json",
            "session",
            "preflight",
            "2000007",
            "--mode",
            "attended",
        ],
        &with,
    )
    .json();
    assert_eq!(pre["ok"], true, "{pre:#}");
    let s10 = checks(&pre, "S10");
    assert_eq!(s10.len(), 1, "{pre:#}");
    assert_eq!(s10[0]["status"], "pass", "{pre:#}");
    let s11 = checks(&pre, "S11");
    assert_eq!(
        s11[0]["status"], "pass",
        "QuickSupport 15.59.0 is known: {pre:#}"
    );
}

#[test]
fn devices_show_says_unknown_where_ivanti_cannot_tell() {
    let i = ivanti();
    let w = World::new("15.75.1", true);
    let without = env(&i, false);
    assert_eq!(run(&w, &["devices", "sync"], &without).code, 0);

    let shown = run(&w, &["--json", "devices", "show", "2000007"], &without).json();
    assert_eq!(shown["apps"], Value::Null, "{shown:#}");
    assert_eq!(shown["host_activated"], Value::Null);
    assert_eq!(shown["reported_by"], "Ivanti Neurons for MDM");
    assert_eq!(shown["management"]["compliant"], true);
    assert_eq!(shown["management"]["ownership"], "company");
    assert_eq!(shown["management"]["lost_mode"], Value::Null);
    assert_eq!(shown["readiness"], "attention", "unknown is not blocked");
    assert_eq!(shown["online"], true);

    let text = run(&w, &["devices", "show", "2000007"], &without);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("unknown: Ivanti Neurons for MDM does not report the installed apps"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("Host activated: unknown"),
        "{}",
        text.stdout
    );
    let pt = run(
        &w,
        &["--lang", "pt-BR", "devices", "show", "2000007"],
        &without,
    );
    assert!(pt.stdout.contains("desconhecido"), "{}", pt.stdout);
    assert!(!pt.stdout.contains("(nenhum)"), "{}", pt.stdout);

    // The list does not call it blocked either.
    let blocked = run(
        &w,
        &["--json", "devices", "list", "--readiness", "blocked"],
        &without,
    )
    .json();
    assert!(blocked["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["id"] != "2000007"));
}

#[test]
fn a_bad_email_from_ivanti_is_dropped_at_sync_and_never_sent_to_teamviewer() {
    let i = ivanti();
    let w = World::new("15.75.1", true);
    let without = env(&i, false);
    let sync = run(&w, &["--json", "devices", "sync"], &without);
    assert_eq!(sync.code, 0, "{}", sync.stderr);
    let report = sync.json();
    let warning = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["device_id"] == "2000008")
        .expect("the dropped e-mail is reported");
    assert_eq!(warning["field"], "user.email");
    assert!(warning["fix"].as_str().is_some());
    let text = run(&w, &["devices", "sync"], &without);
    assert!(text.stderr.contains("user.email"), "{}", text.stderr);

    let shown = run(&w, &["--json", "devices", "show", "2000008"], &without).json();
    assert_eq!(shown["user"]["email"], "", "never stored");
    // A row written before MDM e-mails were checked may still hold one: the start checks too.
    crate::crash::Db::sqlite(&w.machine)
        .query("UPDATE devices SET user_email = 'bruno.lima(at)example' WHERE id = '2000008'");

    let start = run(
        &w,
        &[
            "--json",
            "session",
            "start",
            "2000008",
            "--reason",
            "ticket 42",
        ],
        &without,
    );
    assert_eq!(start.code, 0, "{}{}", start.stdout, start.stderr);
    let code = start.json()["code"].as_str().unwrap().to_string();
    let session = w
        .sandbox
        .handle
        .session(&code)
        .expect("created at TeamViewer");
    assert_eq!(session.end_customer_email, None);
    assert_eq!(session.end_customer_name.as_deref(), Some("Bruno Lima"));
    for other in w.sandbox.handle.sessions() {
        assert!(
            !other
                .end_customer_email
                .as_deref()
                .is_some_and(|e| e.contains("(at)example")),
            "{other:?}"
        );
    }
}

#[test]
fn settings_test_mdm_says_what_a_sync_keeps_and_whether_apps_are_readable() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(fake::spawn(FakeIvantiOptions {
            fleet: FleetSpec {
                devices: 50,
                retired_every: 10,
                ..Default::default()
            },
            ..Default::default()
        }))
        .unwrap();
    let i = Ivanti {
        fake,
        _runtime: runtime,
    };
    let w = World::new("15.75.1", true);

    let test = run(&w, &["--json", "settings", "test", "mdm"], &env(&i, false));
    assert_eq!(test.code, 0, "{}{}", test.stdout, test.stderr);
    let t = test.json();
    let message = t["message"].as_str().unwrap();
    assert!(
        message.contains("a sync keeps 45 devices (45 active)"),
        "{message}"
    );
    assert!(
        message.contains("5 retired are marked removed"),
        "{message}"
    );
    let notes = t["notes"].to_string();
    assert!(
        notes.contains("App inventory (CPS): not configured"),
        "{notes}"
    );

    let test = run(&w, &["--json", "settings", "test", "mdm"], &env(&i, true)).json();
    assert!(
        test["notes"]
            .to_string()
            .contains("App inventory (CPS): readable"),
        "{test}"
    );

    let mut wrong = env(&i, true);
    wrong.retain(|(k, _)| *k != "HELPATWORK_IVANTI_CPS_PASSWORD");
    wrong.push(("HELPATWORK_IVANTI_CPS_PASSWORD", "not-the-password"));
    let test = run(&w, &["--json", "settings", "test", "mdm"], &wrong);
    assert_eq!(test.code, 0, "the MDM itself answers: {}", test.stdout);
    let notes = test.json()["notes"].to_string();
    assert!(notes.contains("App inventory (CPS) failed"), "{notes}");
    assert!(
        notes.contains("HELPATWORK_IVANTI_CPS_USER"),
        "the fix: {notes}"
    );
    assert!(!test.stdout.contains("not-the-password"));

    let sync = run(&w, &["--json", "devices", "sync"], &env(&i, false)).json();
    assert_eq!(sync["devices"], 45, "what the test said a sync keeps");
}

fn policy_checks(preflight: &Value) -> Vec<String> {
    preflight["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["rule"].as_str().unwrap().starts_with("policy."))
        .map(|c| {
            format!(
                "{}={}",
                c["rule"].as_str().unwrap(),
                c["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn ivanti_device_groups_are_labels_a_label_policy_applies_to() {
    let i = ivanti();
    i.fake.handle.set_device_groups(IOS_GUID, &["Warehouse"]);
    i.fake.handle.set_device_groups(ANDROID_GUID, &[]);
    let w = World::new("15.75.1", true);
    let with = env(&i, true);
    let sync = run(&w, &["--json", "devices", "sync"], &with);
    assert_eq!(sync.code, 0, "{}{}", sync.stdout, sync.stderr);
    let report = sync.json();
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["field"] != "labels"),
        "{report:#}"
    );

    // The sync wrote each device's groups to the store: listed, or known to be none.
    let shown = run(&w, &["--json", "devices", "show", "2000007"], &with).json();
    assert_eq!(shown["labels"], json!(["Warehouse"]), "{shown:#}");
    let shown = run(&w, &["--json", "devices", "show", "2000008"], &with).json();
    assert_eq!(shown["labels"], json!([]), "{shown:#}");

    let policy = w.machine.write(
        "warehouse.json",
        r#"{"name":"Warehouse tickets","group":{"label":"warehouse"},"ticket_pattern":"INC\\d{7}"}"#,
    );
    let set = run(
        &w,
        &["--json", "policy", "set", policy.to_str().unwrap()],
        &with,
    );
    assert_eq!(set.code, 0, "{}{}", set.stdout, set.stderr);

    // The device in Warehouse: no ticket, refused (exit 3) with the fix; then started with one.
    let refused = run(
        &w,
        &["--json", "session", "start", "2000007", "--no-launch"],
        &with,
    );
    assert_eq!(refused.code, 3, "{}{}", refused.stdout, refused.stderr);
    assert!(refused.json()["error"]["fix"]
        .as_str()
        .unwrap()
        .contains(r"INC\d{7}"));
    assert_eq!(w.sandbox.handle.sessions_created(), 0);
    let started = run(
        &w,
        &[
            "--json",
            "session",
            "start",
            "2000007",
            "--ticket",
            "INC0012345",
            "--no-launch",
        ],
        &with,
    );
    assert_eq!(started.code, 0, "{}{}", started.stdout, started.stderr);
    assert_eq!(started.json()["ticket"], "INC0012345");
    // The device in no group: the policy does not apply.
    let pre = run(&w, &["--json", "session", "preflight", "2000008"], &with).json();
    assert_eq!(policy_checks(&pre), Vec::<String>::new(), "{pre:#}");

    // A CPS role that may not read device groups: the labels become unknown, never "none";
    // the sync says why, and the policy warns instead of applying.
    i.fake
        .handle
        .inject(Endpoint::DeviceGroups, Failure::Forbidden);
    // A full sync reads every device again (an incremental one only those that checked in).
    let sync = run(&w, &["--json", "devices", "sync", "--full"], &with);
    assert_eq!(sync.code, 0, "{}{}", sync.stdout, sync.stderr);
    let report = sync.json();
    let warning = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["field"] == "labels")
        .unwrap_or_else(|| panic!("the refused call is reported: {report:#}"));
    assert!(
        warning["fix"].as_str().unwrap().contains("device groups"),
        "{warning}"
    );
    for id in ["2000007", "2000008"] {
        let shown = run(&w, &["--json", "devices", "show", id], &with).json();
        assert_eq!(shown["labels"], Value::Null, "{id}: {shown:#}");
        assert!(
            shown["apps"].is_array(),
            "the apps are still read: {shown:#}"
        );
    }
    let pre = run(&w, &["--json", "session", "preflight", "2000007"], &with).json();
    assert_eq!(policy_checks(&pre), vec!["policy.group=warn"], "{pre:#}");
}
