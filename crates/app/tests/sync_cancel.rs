//! A cancelled devices sync stops between pages, keeps what it wrote, and the next sync
//! resumes it: what the window's Cancel button relies on.

use std::sync::Arc;

use helpatwork_app::paths::Paths;
use helpatwork_app::sync::{sync_with, SyncCancel};
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_ivanti_fake::{self as fake, FakeIvantiOptions, FleetSpec};
use helpatwork_mdm::IvantiConnector;

#[tokio::test]
async fn a_cancelled_sync_keeps_its_pages_and_the_next_sync_resumes_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let service = fake::spawn(FakeIvantiOptions {
        fleet: FleetSpec {
            devices: 2600,
            ..FleetSpec::default()
        },
        ..FakeIvantiOptions::default()
    })
    .await
    .expect("fake Ivanti starts");
    let mut ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .expect("context");
    let connector =
        Arc::new(IvantiConnector::new(service.config().expect("fake config")).expect("connector"));
    ctx.mdm = connector.clone();

    // Cancel as soon as the first page is written.
    let cancel = SyncCancel::default();
    let on_page = {
        let cancel = cancel.clone();
        move |_read: u32, _total: u32| cancel.cancel()
    };
    let first = sync_with(&ctx, connector.clone(), &on_page, &cancel)
        .await
        .expect("cancelled, not failed");
    assert!(first.cancelled);
    assert_eq!(first.pages, 1, "stopped after the page being written");
    assert_eq!(
        ctx.store.device_count().await.expect("count"),
        first.devices
    );

    let rest = sync_with(&ctx, connector, &|_, _| {}, &SyncCancel::default())
        .await
        .expect("resumed");
    assert!(rest.resumed && !rest.cancelled);
    assert_eq!(rest.pages, 5, "only the pages not written yet");
    assert_eq!(
        ctx.store.device_count().await.expect("count"),
        first.devices + rest.inserted
    );
    assert_eq!(rest.removed, 0);
}

#[tokio::test]
async fn a_device_listed_on_two_pages_of_a_batch_is_written_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let service = fake::spawn(FakeIvantiOptions {
        fleet: FleetSpec {
            devices: 1200,
            ..FleetSpec::default()
        },
        ..FakeIvantiOptions::default()
    })
    .await
    .expect("fake Ivanti starts");
    // The MDM's list moved while it was read: the first record shows up again on a later page.
    let mut records = service.handle.devices();
    records.insert(700, records[3].clone());
    service.handle.replace_devices(records);
    let mut ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .expect("context");
    let connector =
        Arc::new(IvantiConnector::new(service.config().expect("fake config")).expect("connector"));
    ctx.mdm = connector.clone();
    let report = sync_with(&ctx, connector, &|_, _| {}, &SyncCancel::default())
        .await
        .expect("synced");
    assert_eq!(report.pages, 3);
    let stored = ctx.store.device_count().await.expect("count");
    assert_eq!(stored, report.devices, "one row per device");
    assert_eq!(report.inserted, report.devices);
}

/// The devices table's indexes, as SQLite lists them.
async fn indexes(ctx: &AppContext) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'devices' ORDER BY name",
    )
    .fetch_all(ctx.store.pool())
    .await
    .expect("indexes")
}

/// A first load writes its rows before the devices table's indexes (bulk/indexes.rs); the
/// sync builds them when it ends, cancelled or complete, so the store is whole whenever no
/// sync runs.
#[tokio::test]
async fn a_first_load_ends_with_every_index_built_cancelled_or_complete() {
    let service = fake::spawn(FakeIvantiOptions {
        fleet: FleetSpec {
            devices: 6_000,
            ..FleetSpec::default()
        },
        ..FakeIvantiOptions::default()
    })
    .await
    .expect("fake Ivanti starts");
    for cancelled in [true, false] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
            .await
            .expect("context");
        let before = indexes(&ctx).await;
        let connector = Arc::new(
            IvantiConnector::new(service.config().expect("fake config")).expect("connector"),
        );
        ctx.mdm = connector.clone();
        let cancel = SyncCancel::default();
        let on_page = {
            let cancel = cancel.clone();
            move |_read: u32, _total: u32| {
                if cancelled {
                    cancel.cancel()
                }
            }
        };
        let report = sync_with(&ctx, connector, &on_page, &cancel)
            .await
            .expect("sync");
        assert_eq!(report.cancelled, cancelled);
        assert_eq!(
            ctx.store.device_count().await.expect("count"),
            if cancelled { 500 } else { 6_000 }
        );
        assert_eq!(indexes(&ctx).await, before, "cancelled: {cancelled}");
        let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM deferred_indexes")
            .fetch_one(ctx.store.pool())
            .await
            .expect("pending");
        assert_eq!(pending, 0);
    }
}
