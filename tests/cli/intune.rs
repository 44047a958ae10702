//! Microsoft Intune end to end: the built binary against the fake Graph (`crates/graph-fake`).
//! A fleet of 10,000 devices syncs page by page through `@odata.nextLink`; `settings test mdm`
//! names the Graph permissions the app registration lacks; Android Enterprise and iOS devices
//! start a session whose code reaches the app through a managed app configuration assigned to a
//! group holding only that device, cleared at the end (S4); a refused group creation fails the
//! start naming the permission and leaves nothing behind; a work-profile device is refused
//! unattended with the reason (U1); apps are distributed through a group per app and platform
//! assigned as required, only the devices Intune accepted recorded, Host beyond the licences
//! refused before any Graph call (U3), and deprovisioning undistributes Host (A5).

use helpatwork_e2e::{Run, World};
use helpatwork_graph_fake::{self as fake, Endpoint, FakeGraph, FakeGraphOptions, FleetSpec};
use serde_json::Value;

struct Intune {
    fake: FakeGraph,
    _runtime: tokio::runtime::Runtime,
}

fn intune(devices: usize) -> Intune {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(fake::spawn(FakeGraphOptions {
            fleet: FleetSpec {
                devices,
                seed: 7,
                now: chrono::Utc::now(),
            },
            ..Default::default()
        }))
        .unwrap();
    Intune {
        fake,
        _runtime: runtime,
    }
}

fn env(i: &Intune) -> Vec<(&str, &str)> {
    vec![
        ("HELPATWORK_MDM", "intune"),
        ("HELPATWORK_INTUNE_TENANT_ID", i.fake.tenant_id.as_str()),
        ("HELPATWORK_INTUNE_CLIENT_ID", i.fake.client_id.as_str()),
        (
            "HELPATWORK_INTUNE_CLIENT_SECRET",
            i.fake.client_secret.as_str(),
        ),
        ("HELPATWORK_INTUNE_GRAPH_URL", i.fake.base_url.as_str()),
        ("HELPATWORK_INTUNE_LOGIN_URL", i.fake.base_url.as_str()),
    ]
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

/// The id of the first device whose `deviceEnrollmentType` is `kind` (and platform `os`).
fn device_of(i: &Intune, kind: &str, os: &str) -> String {
    i.fake
        .handle
        .devices()
        .iter()
        .find(|d| d.device_enrollment_type == kind && d.operating_system.as_deref() == Some(os))
        .unwrap_or_else(|| panic!("the fleet has a {kind} {os} device"))
        .id
        .clone()
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
fn intune_a_fleet_of_10_000_devices_syncs_through_next_links() {
    let i = intune(10_000);
    let w = World::new("15.75.1", true);
    let sync = run(&w, &["--json", "devices", "sync"], &env(&i));
    assert_eq!(sync.code, 0, "{}{}", sync.stdout, sync.stderr);
    let report = sync.json();
    assert_eq!(report["connector"], "Microsoft Intune");
    assert_eq!(report["devices"], 10_000, "{report:#}");
    assert_eq!(report["inserted"], 10_000, "{report:#}");
    assert_eq!(
        i.fake.handle.count(Endpoint::ListDevices),
        20,
        "500 a page, each page once"
    );
    let listed = run(&w, &["--json", "devices", "list", "--limit", "5"], &env(&i));
    assert_eq!(listed.code, 0, "{}{}", listed.stdout, listed.stderr);
    // Again: nothing changed, nothing is rewritten.
    let again = run(&w, &["--json", "devices", "sync"], &env(&i)).json();
    assert_eq!(again["unchanged"], 10_000, "{again:#}");
}

#[test]
fn intune_settings_test_mdm_names_the_missing_graph_permissions() {
    let i = intune(20);
    let w = World::new("15.75.1", true);
    let ok = run(&w, &["--json", "settings", "test", "mdm"], &env(&i));
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(
        ok.json()["message"]
            .as_str()
            .unwrap()
            .contains("20 managed devices"),
        "{}",
        ok.stdout
    );
    assert!(
        i.fake.handle.syncs().is_empty(),
        "the probe synced no device"
    );
    i.fake.handle.set_permissions(&[]);
    let refused = run(&w, &["--json", "settings", "test", "mdm"], &env(&i));
    assert_ne!(refused.code, 0);
    let text = format!("{}{}", refused.stdout, refused.stderr);
    assert!(
        text.contains("DeviceManagementManagedDevices.Read.All"),
        "{text}"
    );
    assert!(
        text.contains("DeviceManagementManagedDevices.PrivilegedOperations.All"),
        "{text}"
    );
    for permission in [
        "Device.Read.All",
        "Group.ReadWrite.All",
        "DeviceManagementApps.ReadWrite.All",
    ] {
        assert!(text.contains(permission), "{permission}: {text}");
    }
    assert!(text.contains("admin consent"), "{text}");
}

/// The tenant holds one configuration of QuickSupport named for `id`, with the session's code,
/// assigned to one group whose only member is the device.
fn assert_delivered(i: &Intune, id: &str, code: &str) {
    let groups = i.fake.handle.groups();
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(
        groups[0].members,
        vec![i.fake.handle.entra_object_of(id).unwrap()],
        "the group holds exactly the device"
    );
    let configurations = i.fake.handle.configurations();
    assert_eq!(configurations.len(), 1, "{configurations:?}");
    let c = &configurations[0];
    assert!(c.display_name().contains(id), "{}", c.display_name());
    assert_eq!(c.assigned_groups, vec![groups[0].id.clone()]);
    let written = c.written();
    assert!(
        written.contains(code),
        "the session's code is written: {written}"
    );
}

#[test]
fn s4_intune_sessions_deliver_the_code_through_a_group_per_device_and_end_clears_it() {
    let i = intune(60);
    let w = World::new("15.75.1", true);
    assert_eq!(run(&w, &["devices", "sync"], &env(&i)).code, 0);
    for (id, kind) in [
        (
            device_of(&i, "androidEnterpriseDedicatedDevice", "Android"),
            "#microsoft.graph.androidManagedStoreAppConfiguration",
        ),
        (
            device_of(&i, "androidEnterpriseFullyManaged", "Android"),
            "#microsoft.graph.androidManagedStoreAppConfiguration",
        ),
        (
            device_of(&i, "appleBulkWithUser", "iOS"),
            "#microsoft.graph.iosMobileAppConfiguration",
        ),
    ] {
        let pre = run(
            &w,
            &["--json", "session", "preflight", &id, "--mode", "attended"],
            &env(&i),
        );
        assert_eq!(pre.code, 0, "{}{}", pre.stdout, pre.stderr);
        let pre = pre.json();
        // S4: Intune writes the session code now: no end-customer link warning.
        let s4 = checks(&pre, "S4");
        assert_eq!(s4[0]["status"], "pass", "{pre:#}");
        // Graph reports no installed apps: unknown, never "not installed".
        for c in pre["checks"].as_array().unwrap() {
            assert!(
                !c["message"].as_str().unwrap().contains("not installed"),
                "{c}"
            );
        }
        let syncs = i.fake.handle.syncs().len();
        let start = run(
            &w,
            &["--json", "session", "start", &id, "--reason", "ticket 7"],
            &env(&i),
        );
        assert_eq!(start.code, 0, "{id}: {}{}", start.stdout, start.stderr);
        let code = start.json()["code"].as_str().unwrap().to_string();
        assert!(
            w.sandbox.handle.session(&code).is_some(),
            "created at TeamViewer"
        );
        assert_delivered(&i, &id, &code);
        assert_eq!(i.fake.handle.configurations()[0].odata_type(), kind);
        assert_eq!(
            &i.fake.handle.syncs()[syncs..],
            std::slice::from_ref(&id),
            "a sync requested for the device"
        );
        let session = start.json()["id"].as_str().unwrap().to_string();
        let end = run(&w, &["--json", "session", "close", &session], &env(&i));
        assert_eq!(end.code, 0, "{}{}", end.stdout, end.stderr);
        assert!(i.fake.handle.configurations().is_empty(), "cleared");
        assert!(i.fake.handle.groups().is_empty(), "group deleted");
        assert_eq!(
            i.fake.handle.syncs()[syncs..],
            [id.clone(), id.clone()],
            "synced again at the end"
        );
    }
}

#[test]
fn s4_intune_a_403_on_group_creation_fails_the_start_naming_the_permission_and_leaves_nothing() {
    let i = intune(60);
    let w = World::new("15.75.1", true);
    assert_eq!(run(&w, &["devices", "sync"], &env(&i)).code, 0);
    let id = device_of(&i, "androidEnterpriseFullyManaged", "Android");
    i.fake.handle.inject(
        Endpoint::CreateGroup,
        helpatwork_graph_fake::Failure::Forbidden,
    );
    let start = run(
        &w,
        &["--json", "session", "start", &id, "--reason", "ticket 7"],
        &env(&i),
    );
    assert_ne!(start.code, 0, "{}", start.stdout);
    let text = format!("{}{}", start.stdout, start.stderr);
    assert!(text.contains("Group.ReadWrite.All"), "{text}");
    assert!(text.contains("admin consent"), "{text}");
    assert!(i.fake.handle.groups().is_empty(), "no group left");
    assert!(
        i.fake.handle.configurations().is_empty(),
        "no configuration left"
    );
    assert!(i.fake.handle.syncs().is_empty(), "nothing synced");
    // The failed session frees the device: with the permission back, a start delivers.
    i.fake.handle.clear_failures();
    let again = run(
        &w,
        &["--json", "session", "start", &id, "--reason", "ticket 7"],
        &env(&i),
    );
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    let code = again.json()["code"].as_str().unwrap().to_string();
    assert_delivered(&i, &id, &code);
}

#[test]
fn u1_intune_a_work_profile_device_is_refused_unattended_with_the_reason() {
    let i = intune(60);
    let w = World::new("15.75.1", true);
    assert_eq!(run(&w, &["devices", "sync"], &env(&i)).code, 0);
    let id = device_of(&i, "androidEnterpriseCorporateWorkProfile", "Android");
    let pre = run(
        &w,
        &[
            "--json",
            "session",
            "preflight",
            &id,
            "--mode",
            "unattended",
        ],
        &env(&i),
    );
    let pre = pre.json();
    assert_eq!(pre["ok"], false, "{pre:#}");
    let u1: Vec<_> = checks(&pre, "U1")
        .into_iter()
        .filter(|c| c["status"] == "block")
        .filter(|c| c["message"].as_str().unwrap().contains("work profile"))
        .collect();
    assert_eq!(u1.len(), 1, "{pre:#}");
    let start = run(
        &w,
        &[
            "--json",
            "session",
            "start",
            &id,
            "--mode",
            "unattended",
            "--reason",
            "kiosk",
        ],
        &env(&i),
    );
    assert_ne!(start.code, 0, "{}", start.stdout);
    assert!(
        format!("{}{}", start.stdout, start.stderr).contains("work profile"),
        "{}{}",
        start.stdout,
        start.stderr
    );
    // Attended stays open to it.
    let attended = run(
        &w,
        &["--json", "session", "preflight", &id, "--mode", "attended"],
        &env(&i),
    )
    .json();
    assert_eq!(attended["ok"], true, "{attended:#}");
}

/// `n` Android devices of the fake fleet.
fn androids(i: &Intune, n: usize) -> Vec<String> {
    let ids: Vec<String> = i
        .fake
        .handle
        .devices()
        .iter()
        .filter(|d| d.operating_system.as_deref() == Some("Android"))
        .take(n)
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(ids.len(), n);
    ids
}

#[test]
fn a6_intune_distribution_adds_the_devices_to_the_apps_group_and_records_only_the_accepted() {
    let i = intune(60);
    let w = World::new("15.75.1", true);
    assert_eq!(run(&w, &["devices", "sync"], &env(&i)).code, 0);
    let ids = androids(&i, 3);
    // The third device loses its Entra ID registration after the sync.
    let mut fleet = (*i.fake.handle.devices()).clone();
    fleet
        .iter_mut()
        .find(|d| d.id == ids[2])
        .expect("in the fleet")
        .azure_ad_device_id = None;
    i.fake.handle.replace_devices(fleet);

    let mut args = vec!["--json", "apps", "distribute", "quicksupport"];
    for id in &ids {
        args.extend(["--device", id.as_str()]);
    }
    let out = run(&w, &args, &env(&i));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let result = out.json();
    assert_eq!(result["devices"], 2, "{result:#}");
    assert_eq!(
        result["distributed_to"], 2,
        "only the accepted are recorded"
    );
    assert_eq!(
        result["failed"].as_array().map(Vec::len),
        Some(1),
        "{result:#}"
    );
    assert_eq!(result["failed"][0]["device"], ids[2].as_str());
    assert!(
        result["failed"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Entra ID")),
        "{result:#}"
    );
    let groups = i.fake.handle.groups();
    assert_eq!(groups.len(), 1, "{groups:?}");
    let members: Vec<String> = ids[..2]
        .iter()
        .map(|id| i.fake.handle.entra_object_of(id).expect("registered"))
        .collect();
    assert_eq!(groups[0].members, members, "the group holds both");
    let assignments = i.fake.handle.app_assignments();
    assert_eq!(assignments.len(), 1);
    assert_eq!(assignments[0].intent, "required");
    assert_eq!(
        i.fake.handle.syncs(),
        ids[..2].to_vec(),
        "each accepted device synced"
    );
    let audit = run(&w, &["--json", "audit", "list"], &env(&i)).json();
    let event = audit
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["action"] == "apps.distribute")
        .expect("audited")
        .clone();
    assert_eq!(event["detail"]["failed"][0]["device"], ids[2].as_str());

    // Undistributing removes the member; the store forgets it.
    let undo = run(
        &w,
        &[
            "--json",
            "apps",
            "undistribute",
            "quicksupport",
            "--device",
            &ids[0],
        ],
        &env(&i),
    );
    assert_eq!(undo.code, 0, "{}{}", undo.stdout, undo.stderr);
    assert_eq!(undo.json()["distributed_to"], 1);
    assert_eq!(i.fake.handle.groups()[0].members, members[1..].to_vec());
}

#[test]
fn u3_a5_intune_host_beyond_the_licences_is_refused_before_any_graph_call_and_deprovision_undistributes(
) {
    let i = intune(60);
    let w = World::new("15.75.1", true);
    assert_eq!(run(&w, &["devices", "sync"], &env(&i)).code, 0);
    let ids = androids(&i, 2);
    assert_eq!(
        run(&w, &["admin", "licences", "--unattended", "1"], &env(&i)).code,
        0
    );
    i.fake.handle.clear_requests();
    let over = run(
        &w,
        &[
            "--json",
            "apps",
            "distribute",
            "host",
            "--device",
            &ids[0],
            "--device",
            &ids[1],
        ],
        &env(&i),
    );
    assert_eq!(over.code, 7, "{}{}", over.stdout, over.stderr);
    let err = over.json();
    assert_eq!(err["error"]["details"]["purchased"], 1);
    assert_eq!(err["error"]["details"]["needed"], 2);
    let graph: Vec<_> = i
        .fake
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.endpoint != Some(Endpoint::Token))
        .collect();
    assert!(graph.is_empty(), "no Graph call: {graph:?}");
    assert!(i.fake.handle.groups().is_empty());

    let one = run(
        &w,
        &["--json", "apps", "distribute", "host", "--device", &ids[0]],
        &env(&i),
    );
    assert_eq!(one.code, 0, "{}{}", one.stdout, one.stderr);
    assert_eq!(i.fake.handle.groups()[0].members.len(), 1);
    // A5: deprovisioning undistributes Host through Intune and syncs the device.
    let syncs = i.fake.handle.syncs().len();
    let deprovision = run(&w, &["--json", "admin", "deprovision"], &env(&i));
    assert_eq!(
        deprovision.code, 0,
        "{}{}",
        deprovision.stdout, deprovision.stderr
    );
    assert_eq!(
        deprovision.json()["unattended_licences"]["consumed"],
        0,
        "nothing distributed any more"
    );
    assert!(
        i.fake.handle.groups()[0].members.is_empty(),
        "member removed"
    );
    assert_eq!(
        i.fake.handle.syncs().len(),
        syncs + 1,
        "the forced check-in"
    );
    assert_eq!(i.fake.handle.syncs().last(), Some(&ids[0]));
}
