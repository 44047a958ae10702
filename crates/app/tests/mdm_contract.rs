//! The MDM connector contract: the same assertions against every connector, through
//! `Arc<dyn MdmConnector>`: the embedded fleet in the store, the Ivanti connector against
//! the fake Ivanti service, without and with CPS access (the app inventory), and the Intune
//! connector against the fake Microsoft Graph. To plug in another
//! connector, add a constructor to [`subjects`] that returns a [`Subject`] describing what its
//! MDM holds.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use helpatwork_app::context::Clock;
use helpatwork_app::embedded::EmbeddedFleet;
use helpatwork_domain::device::AppKind;
use helpatwork_domain::{Device, DeviceUser, InstalledApp, Platform};
use helpatwork_ivanti_fake::{
    self as fake, Endpoint, Failure, FakeIvantiHandle, FakeIvantiOptions, FleetSpec,
};
use helpatwork_mdm::{
    collect_fleet, ErrorCode, IvantiConnector, IvantiOptions, MdmConnector, MdmError, Operation,
    PageCursor, RetryPolicy,
};
use helpatwork_store::Store;
use serde_json::json;

/// The instant the fleets' check-ins and the connectors' clocks agree on.
fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
        .expect("valid RFC 3339")
        .with_timezone(&Utc)
}

/// A connector under test and what its MDM holds.
pub struct Subject {
    pub label: &'static str,
    pub connector: Arc<dyn MdmConnector>,
    /// Managed devices the MDM holds (removed ones excluded).
    pub managed: usize,
    /// Records the MDM reports in `total` (removed ones included).
    pub total: u32,
    /// Ids the MDM reports as removed.
    pub removed: HashSet<String>,
    /// A managed device's id.
    pub known_device: String,
    /// A well-formed id the MDM does not know.
    pub unknown_device: String,
    /// The TeamViewer apps the MDM reports per managed device; `None`: it reports none for the
    /// device, whose apps must then be unknown (never an empty list).
    pub apps: HashMap<String, Option<Vec<AppKind>>>,
    /// The fake service's switches, for a connector backed by one.
    pub fake: Option<FakeIvantiHandle>,
    /// Keeps the backing service or store alive for the subject's lifetime.
    _backing: Box<dyn Any + Send>,
}

/// Every connector the contract runs against.
async fn subjects() -> Vec<Subject> {
    vec![
        embedded().await,
        ivanti(false).await,
        ivanti(true).await,
        intune().await,
    ]
}

/// Intune over the fake Graph: 57 managed devices (Intune lists no retired ones: a device that
/// leaves is no longer listed, and a complete sync marks it removed). Graph's device list
/// reports no installed apps, so every device's apps are unknown.
async fn intune() -> Subject {
    let spec = helpatwork_graph_fake::FleetSpec {
        devices: 57,
        seed: 7,
        now: now(),
    };
    let service = helpatwork_graph_fake::spawn(helpatwork_graph_fake::FakeGraphOptions {
        fleet: spec,
        ..Default::default()
    })
    .await
    .expect("fake Graph starts on 127.0.0.1");
    let config = helpatwork_mdm::IntuneConfig::new(
        &service.tenant_id,
        &service.client_id,
        helpatwork_mdm::Sensitive::new(service.client_secret.clone()),
    )
    .and_then(|c| c.with_urls(&service.base_url, &service.base_url))
    .expect("fake config");
    let options = helpatwork_mdm::IntuneOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: std::time::Duration::from_millis(5),
            max_delay: std::time::Duration::from_millis(20),
            max_total_wait: std::time::Duration::from_millis(500),
        },
        request_timeout: std::time::Duration::from_millis(400),
        ..Default::default()
    };
    let connector =
        helpatwork_mdm::IntuneConnector::with_options(config, options).expect("connector builds");
    let devices = service.handle.devices();
    Subject {
        label: "intune",
        connector: Arc::new(connector),
        managed: devices.len(),
        total: u32::try_from(devices.len()).expect("small fleet"),
        removed: HashSet::new(),
        // A phone: the session's app configuration is written for iOS and Android devices.
        known_device: devices
            .iter()
            .find(|d| d.operating_system.as_deref() == Some("Android"))
            .expect("the fleet has an Android device")
            .id
            .clone(),
        unknown_device: "00000000-0000-4000-8000-000000000000".to_owned(),
        apps: devices.iter().map(|d| (d.id.clone(), None)).collect(),
        fake: None,
        _backing: Box::new(service),
    }
}

/// The embedded fleet: 57 devices in a temp SQLite store, every 10th removed.
async fn embedded() -> Subject {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_sqlite(&dir.path().join("fleet.db"))
        .await
        .expect("store opens");
    let devices: Vec<Device> = (0..57).map(embedded_device).collect();
    store
        .upsert_devices(&devices, "import")
        .await
        .expect("devices import");
    let removed: HashSet<String> = devices
        .iter()
        .enumerate()
        .filter(|(i, _)| i.is_multiple_of(10))
        .map(|(_, d)| d.id.clone())
        .collect();
    let ids: Vec<String> = removed.iter().cloned().collect();
    store.mark_removed(&ids, now()).await.expect("mark removed");
    let apps = devices
        .iter()
        .filter(|d| !removed.contains(&d.id))
        .map(|d| {
            let kinds = d.apps.as_ref().map(|a| a.iter().map(|a| a.app).collect());
            (d.id.clone(), kinds)
        })
        .collect();
    Subject {
        label: "embedded",
        connector: Arc::new(EmbeddedFleet::new(store, Clock::fixed(now()), "contract")),
        managed: devices.len() - removed.len(),
        total: 57,
        removed,
        known_device: embedded_device(1).id,
        unknown_device: "emb-9999".to_owned(),
        apps,
        fake: None,
        _backing: Box::new(dir),
    }
}

fn embedded_device(i: usize) -> Device {
    let platform = if i.is_multiple_of(3) {
        Platform::Ios
    } else {
        Platform::Android
    };
    Device {
        id: format!("emb-{i:04}"),
        name: format!("Device {i}"),
        user: DeviceUser {
            name: format!("User {i}"),
            email: format!("user{i}@example.com"),
        },
        platform,
        os_version: if platform == Platform::Ios {
            "17.1"
        } else {
            "14"
        }
        .into(),
        manufacturer: "Samsung".into(),
        model: "Galaxy S23".into(),
        kiosk: false,
        mam_only: false,
        online: true,
        last_checkin: now(),
        host_activated: Some(false),
        // Every seventh device's file states its apps unknown.
        apps: (!i.is_multiple_of(7)).then(|| {
            vec![InstalledApp::known(
                AppKind::Quicksupport,
                "15.60.1",
                true,
                true,
            )]
        }),
        management: Default::default(),
        labels: None,
        locale: None,
    }
}

/// Ivanti over the fake service: 57 records, every 10th retired; with CPS access or without.
async fn ivanti(cps: bool) -> Subject {
    let spec = FleetSpec {
        devices: 57,
        seed: 7,
        now: now(),
        retired_every: 10,
    };
    let removed: HashSet<String> = (0..spec.devices)
        .filter(|&i| fake::fleet::is_retired(&spec, i))
        .map(fake::fleet::device_id)
        .collect();
    let service = fake::spawn(FakeIvantiOptions {
        fleet: spec.clone(),
        ..FakeIvantiOptions::default()
    })
    .await
    .expect("fake Ivanti starts on 127.0.0.1");
    let options = IvantiOptions {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: std::time::Duration::from_millis(5),
            max_delay: std::time::Duration::from_millis(20),
            max_total_wait: std::time::Duration::from_millis(500),
        },
        request_timeout: std::time::Duration::from_millis(400),
        ..IvantiOptions::default()
    };
    let config = match cps {
        true => service.config_with_cps(),
        false => service.config(),
    };
    let connector = IvantiConnector::with_options(config.expect("fake config"), options)
        .expect("connector builds");
    let apps = service
        .handle
        .devices()
        .iter()
        .filter(|d| d["registrationState"] == "ACTIVE")
        .map(|d| {
            let id = d["id"].to_string();
            let kinds = cps
                .then(|| {
                    service
                        .handle
                        .inventory(d["guid"].as_str().unwrap_or_default())
                })
                .flatten()
                .map(|reported| {
                    let platform = if d["platformType"] == "IOS" {
                        Platform::Ios
                    } else {
                        Platform::Android
                    };
                    let mut kinds: Vec<AppKind> = reported
                        .iter()
                        .filter_map(|a| {
                            let identifier = a["identifier"].as_str().unwrap_or_default();
                            let name = a["name"].as_str().unwrap_or_default();
                            match platform {
                                Platform::Ios => {
                                    helpatwork_mdm::ivanti::cps::ios_app(identifier, name)
                                }
                                _ => helpatwork_mdm::ivanti::cps::android_app(identifier),
                            }
                        })
                        .collect();
                    kinds.sort();
                    kinds.dedup();
                    kinds
                });
            (id, kinds)
        })
        .collect();
    Subject {
        label: if cps { "ivanti+cps" } else { "ivanti" },
        connector: Arc::new(connector),
        managed: spec.devices - removed.len(),
        total: u32::try_from(spec.devices).expect("small fleet"),
        removed,
        known_device: fake::fleet::device_id(0),
        unknown_device: "99999999".to_owned(),
        apps,
        fake: Some(service.handle.clone()),
        _backing: Box::new(service),
    }
}

#[tokio::test]
async fn contract_paging_visits_every_managed_device_exactly_once() {
    for s in subjects().await {
        let fleet = collect_fleet(s.connector.as_ref(), 7, |_| {})
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.label));
        assert_eq!(fleet.devices.len(), s.managed, "{}", s.label);
        let ids: HashSet<_> = fleet.devices.iter().map(|d| d.id.clone()).collect();
        assert_eq!(ids.len(), s.managed, "{}: duplicate ids", s.label);
        assert!(ids.contains(&s.known_device), "{}", s.label);
        assert!(ids.is_disjoint(&s.removed), "{}", s.label);
        let removed: HashSet<_> = fleet.removed.into_iter().collect();
        assert_eq!(removed, s.removed, "{}", s.label);
        assert!(fleet.skipped.is_empty(), "{}: {:?}", s.label, fleet.skipped);
    }
}

#[tokio::test]
async fn contract_pages_hold_at_most_rows_records_and_report_the_total() {
    for s in subjects().await {
        let mut cursor = PageCursor::START;
        let mut pages = 0;
        loop {
            let page = s
                .connector
                .devices_page(cursor, 10)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", s.label));
            pages += 1;
            assert!(page.devices.len() + page.removed.len() + page.skipped.len() <= 10);
            assert_eq!(page.total, s.total, "{}", s.label);
            match page.next {
                Some(next) => {
                    assert!(next > cursor, "{}: paging must advance", s.label);
                    cursor = next;
                }
                None => break,
            }
        }
        let expected = s.total.div_ceil(10);
        assert_eq!(pages, expected, "{}", s.label);
    }
}

#[tokio::test]
async fn contract_a_cursor_past_the_end_is_an_empty_last_page() {
    for s in subjects().await {
        let page = s
            .connector
            .devices_page(PageCursor(s.total + 100), 10)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.label));
        assert!(page.devices.is_empty(), "{}", s.label);
        assert_eq!(page.next, None, "{}", s.label);
    }
}

#[tokio::test]
async fn contract_zero_rows_still_returns_a_page() {
    for s in subjects().await {
        let page = s
            .connector
            .devices_page(PageCursor::START, 0)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.label));
        assert_eq!(
            page.devices.len() + page.removed.len() + page.skipped.len(),
            1,
            "{}",
            s.label
        );
        assert_eq!(page.next, Some(PageCursor(1)), "{}", s.label);
    }
}

fn is_unsupported(result: &Result<(), MdmError>, operation: Operation) -> bool {
    matches!(result, Err(MdmError::Unsupported { operation: op, .. }) if *op == operation)
}

#[tokio::test]
async fn contract_capabilities_are_honest() {
    for s in subjects().await {
        let caps = s.connector.capabilities();
        assert!(
            caps.list_devices,
            "{}: every connector lists devices",
            s.label
        );
        let device = s.known_device.as_str();
        let checkin = s.connector.force_checkin(device).await;
        assert_eq!(
            is_unsupported(&checkin, Operation::ForceCheckin),
            !caps.force_checkin,
            "{}: {checkin:?}",
            s.label
        );
        if caps.force_checkin {
            assert_eq!(checkin, Ok(()), "{}", s.label);
        }
        for on in [true, false] {
            let result = s.connector.distribute(device, AppKind::Host, on).await;
            assert_eq!(
                is_unsupported(&result, Operation::DistributeApp),
                !caps.distribute_app,
                "{}: {result:?}",
                s.label
            );
        }
        let config = json!({"sessionCode": "s123-456-789"});
        for value in [Some(&config), None] {
            let result = s
                .connector
                .set_app_config(device, AppKind::Quicksupport, value)
                .await;
            assert_eq!(
                is_unsupported(&result, Operation::ManagedAppConfig),
                !caps.managed_app_config,
                "{}: {result:?}",
                s.label
            );
        }
    }
}

#[tokio::test]
async fn contract_unsupported_errors_carry_code_and_fix() {
    for s in subjects().await {
        let caps = s.connector.capabilities();
        if !caps.managed_app_config {
            let err = s
                .connector
                .set_app_config(&s.known_device, AppKind::Quicksupport, None)
                .await
                .expect_err("unsupported");
            assert_eq!(err.code(), ErrorCode::Unsupported, "{}", s.label);
            assert!(err.fix().contains("end-customer link"), "{}", s.label);
        }
    }
}

#[tokio::test]
async fn contract_force_checkin_of_an_unknown_device_is_not_found() {
    for s in subjects().await {
        if !s.connector.capabilities().force_checkin {
            continue;
        }
        let err = s
            .connector
            .force_checkin(&s.unknown_device)
            .await
            .expect_err("unknown device");
        assert_eq!(err.code(), ErrorCode::NotFound, "{}: {err:?}", s.label);
    }
}

#[tokio::test]
async fn contract_devices_carry_the_fields_the_product_needs() {
    for s in subjects().await {
        let page = s
            .connector
            .devices_page(PageCursor::START, 50)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.label));
        for d in &page.devices {
            assert!(!d.id.is_empty(), "{}", s.label);
            assert!(!d.name.is_empty(), "{}: {}", s.label, d.id);
            assert!(d.last_checkin <= now(), "{}: {}", s.label, d.id);
            // The app serializes devices for the UI and the CLI.
            serde_json::to_string(d).unwrap_or_else(|e| panic!("{}: {e}", s.label));
        }
    }
}

#[tokio::test]
async fn contract_supported_writes_to_an_unknown_device_are_not_found() {
    for s in subjects().await {
        let caps = s.connector.capabilities();
        let device = s.unknown_device.as_str();
        if caps.managed_app_config {
            let err = s
                .connector
                .set_app_config(device, AppKind::Quicksupport, Some(&json!({"a": 1})))
                .await
                .expect_err("unknown device");
            assert_eq!(err.code(), ErrorCode::NotFound, "{}: {err:?}", s.label);
        }
        if caps.distribute_app {
            let err = s
                .connector
                .distribute(device, AppKind::Host, true)
                .await
                .expect_err("unknown device");
            assert_eq!(err.code(), ErrorCode::NotFound, "{}: {err:?}", s.label);
        }
    }
}

#[tokio::test]
async fn embedded_configuration_and_distribution_land_in_the_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_sqlite(&dir.path().join("fleet.db"))
        .await
        .expect("store opens");
    store
        .upsert_devices(&[embedded_device(1)], "import")
        .await
        .expect("import");
    let fleet = EmbeddedFleet::new(store.clone(), Clock::fixed(now()), "admin");
    let config = json!({"session_code": "s123-456-789"});
    fleet
        .set_app_config("emb-0001", AppKind::Quicksupport, Some(&config))
        .await
        .expect("config written");
    let read = store
        .app_config("emb-0001", "quicksupport")
        .await
        .expect("read");
    assert_eq!(read, Some(config));
    fleet
        .set_app_config("emb-0001", AppKind::Quicksupport, None)
        .await
        .expect("config cleared");
    let read = store
        .app_config("emb-0001", "quicksupport")
        .await
        .expect("read");
    assert_eq!(read, None);
    fleet
        .distribute("emb-0001", AppKind::Host, true)
        .await
        .expect("distributed");
    assert!(store
        .is_distributed("emb-0001", "host")
        .await
        .expect("read"));
    fleet
        .distribute("emb-0001", AppKind::Host, false)
        .await
        .expect("undistributed");
    assert!(!store
        .is_distributed("emb-0001", "host")
        .await
        .expect("read"));
    let err = fleet
        .force_checkin("emb-0001")
        .await
        .expect_err("no channel");
    assert_eq!(err.code(), ErrorCode::Unsupported);
    assert!(err.fix().ends_with('.'));
}

/// The installed apps are what the MDM reports, device by device; a device it reports nothing
/// for has unknown apps (`None`), never an empty inventory; Host's activation is never made up.
#[tokio::test]
async fn contract_the_app_inventory_is_what_the_mdm_reports() {
    for s in subjects().await {
        let caps = s.connector.capabilities();
        let fleet = collect_fleet(s.connector.as_ref(), 20, |_| {})
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", s.label));
        let mut known = 0;
        for d in &fleet.devices {
            let expected = s
                .apps
                .get(&d.id)
                .unwrap_or_else(|| panic!("{}: {}", s.label, d.id));
            let got: Option<Vec<AppKind>> = d.apps.as_ref().map(|apps| {
                let mut kinds: Vec<AppKind> = apps.iter().map(|a| a.app).collect();
                kinds.sort();
                kinds
            });
            assert_eq!(&got, expected, "{}: {}", s.label, d.id);
            if !caps.app_inventory {
                assert_eq!(d.apps, None, "{}: no inventory, no apps claimed", s.label);
                assert_eq!(d.host_activated, None, "{}", s.label);
            }
            known += usize::from(got.is_some());
        }
        if caps.app_inventory {
            assert!(known > 0, "{}: an inventory reports some devices", s.label);
        }
    }
}

/// A connector whose inventory call fails still lists the page, its apps unknown, and says why:
/// every failure the fake can inject.
#[tokio::test]
async fn contract_a_failed_inventory_leaves_apps_unknown_with_a_reason() {
    for s in subjects().await {
        let (Some(fake), true) = (&s.fake, s.connector.capabilities().app_inventory) else {
            continue;
        };
        for failure in [
            Failure::Unauthorized,
            Failure::Forbidden,
            Failure::RateLimited,
            Failure::ServerError(500),
            Failure::MalformedJson,
            Failure::TruncatedBody,
            Failure::Delay(std::time::Duration::from_millis(800)),
        ] {
            fake.clear_failures();
            fake.inject(Endpoint::AppInventory, failure.clone());
            let page = s
                .connector
                .devices_page(PageCursor::START, 20)
                .await
                .unwrap_or_else(|e| panic!("{}: {failure:?}: {e}", s.label));
            assert!(!page.devices.is_empty());
            assert!(
                page.devices.iter().all(|d| d.apps.is_none()),
                "{}: {failure:?}",
                s.label
            );
            let error = page
                .inventory_error
                .unwrap_or_else(|| panic!("{failure:?}"));
            assert!(!error.fix().is_empty(), "{failure:?}");
        }
        fake.clear_failures();
    }
}
