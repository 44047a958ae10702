//! The connector contract: the same assertions against every connector, through
//! `Arc<dyn MdmConnector>`. To plug in another connector, add a constructor to [`subjects`]
//! that returns a [`Subject`] describing what its MDM holds.

use std::any::Any;
use std::collections::HashSet;
use std::sync::Arc;

use helpatwork_domain::device::AppKind;
use helpatwork_mdm::{collect_fleet, ErrorCode, MdmConnector, MdmError, Operation, PageCursor};
use serde_json::json;

use crate::support;

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
    /// Keeps the backing service alive for the subject's lifetime.
    _backing: Box<dyn Any + Send>,
}

/// Every connector the contract runs against.
async fn subjects() -> Vec<Subject> {
    vec![ivanti().await]
}

/// Ivanti over the fake: 57 records, every 10th retired.
async fn ivanti() -> Subject {
    let spec = helpatwork_mdm::fake::FleetSpec {
        retired_every: 10,
        ..support::spec(57)
    };
    let removed: HashSet<String> = (0..spec.devices)
        .filter(|&i| helpatwork_mdm::fake::fleet::is_retired(&spec, i))
        .map(helpatwork_mdm::fake::fleet::device_id)
        .collect();
    let fake = support::fake_with(spec.clone()).await;
    let connector = Arc::new(support::connector(&fake));
    Subject {
        label: "ivanti",
        connector,
        managed: spec.devices - removed.len(),
        total: u32::try_from(spec.devices).expect("small fleet"),
        removed,
        known_device: helpatwork_mdm::fake::fleet::device_id(0),
        unknown_device: "99999999".to_owned(),
        _backing: Box::new(fake),
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
            assert!(d.last_checkin <= support::now(), "{}: {}", s.label, d.id);
            // The app serializes devices for the UI and the CLI.
            serde_json::to_string(d).unwrap_or_else(|e| panic!("{}: {e}", s.label));
        }
    }
}
