//! Incremental devices sync against the fake Ivanti service: it asks only for the devices that
//! checked in since the watermark (the fake's request log shows the filter and what it served),
//! a full sync after it finds nothing left to change, a failed sync leaves the watermark, and
//! two scheduled syncs of one store never run at once. On SQLite and (with
//! `HELPATWORK_TEST_POSTGRES_URL`) PostgreSQL.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use helpatwork_app::paths::Paths;
use helpatwork_app::sync::SyncCancel;
use helpatwork_app::sync_plan::{sync_planned, SyncMode, OVERLAP};
use helpatwork_app::sync_schedule::{tick, ScheduledRun};
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_ivanti_fake::{
    self as fake, Endpoint, Failure, FakeIvanti, FakeIvantiOptions, FleetSpec,
};
use helpatwork_mdm::IvantiConnector;

fn t0() -> DateTime<Utc> {
    "2026-12-07T08:00:00Z".parse().unwrap()
}

async fn service(devices: usize, fleet_now: DateTime<Utc>) -> FakeIvanti {
    fake::spawn(FakeIvantiOptions {
        fleet: FleetSpec {
            devices,
            now: fleet_now,
            ..FleetSpec::default()
        },
        ..FakeIvantiOptions::default()
    })
    .await
    .expect("fake Ivanti starts")
}

async fn context(
    dir: &std::path::Path,
    database_url: Option<String>,
    service: &FakeIvanti,
) -> AppContext {
    let mut ctx = AppContext::open(
        Paths::at(dir),
        ContextOptions {
            database_url,
            ..ContextOptions::default()
        },
    )
    .await
    .expect("context");
    ctx.mdm =
        Arc::new(IvantiConnector::new(service.config().expect("fake config")).expect("connector"));
    ctx.clock = helpatwork_app::clock::Clock::fixed(t0());
    ctx
}

/// Runs `test` with `None` (the data dir's SQLite file), then with a fresh PostgreSQL database
/// when `HELPATWORK_TEST_POSTGRES_URL` is set.
async fn on_each_store<F, Fut>(tag: &str, test: F)
where
    F: Fn(Option<String>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    test(None).await;
    let Some(server) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("PostgreSQL skipped: HELPATWORK_TEST_POSTGRES_URL is not set");
        return;
    };
    let name = format!("helpatwork_{tag}_{}", std::process::id());
    let created = std::process::Command::new("psql")
        .args([server.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
        .status()
        .expect("psql");
    assert!(created.success(), "CREATE DATABASE {name}");
    let (base, _) = server.rsplit_once('/').expect("a database URL");
    test(Some(format!("{base}/{name}"))).await;
    let _ = std::process::Command::new("psql")
        .args([
            server.as_str(),
            "-qc",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        ])
        .output();
}

fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(fake::fleet::device_id).collect()
}

async fn auto(ctx: &AppContext) -> helpatwork_app::sync::SyncReport {
    sync_planned(
        ctx,
        ctx.mdm.clone(),
        SyncMode::Auto,
        &|_, _| {},
        &SyncCancel::default(),
    )
    .await
    .expect("sync")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_sync_then_a_full_one_changes_nothing() {
    on_each_store("incr_full", |db| async move {
        let dir = tempfile::tempdir().unwrap();
        let service = service(1200, t0() - Duration::hours(2)).await;
        let mut ctx = context(dir.path(), db, &service).await;

        let first = auto(&ctx).await;
        assert_eq!((first.mode.as_str(), first.inserted), ("full", 1200));

        // Later the same day: 30 devices check in with a new OS version, 2 are retired.
        ctx.clock = helpatwork_app::clock::Clock::fixed(t0() + Duration::minutes(15));
        let changed = service
            .handle
            .check_in(&ids(100..130), t0() + Duration::minutes(5), |d| {
                d["platformVersion"] = serde_json::json!("99.1");
            });
        assert_eq!(changed, 30);
        service
            .handle
            .check_in(&ids(500..502), t0() + Duration::minutes(6), |d| {
                d["registrationState"] = serde_json::json!("RETIRED");
            });
        let incremental = auto(&ctx).await;
        assert_eq!(incremental.mode, "incremental");
        assert_eq!(incremental.updated, 30, "{incremental:?}");
        assert_eq!(incremental.removed, 2);
        assert_eq!(
            incremental.devices, 30,
            "only the changed devices were read"
        );
        let device = ctx.store.device("1000100").await.unwrap().unwrap();
        assert_eq!(device.os_version, "99.1");

        // The full sync after it finds the store already as the MDM has it.
        let full = sync_planned(
            &ctx,
            ctx.mdm.clone(),
            SyncMode::Full,
            &|_, _| {},
            &SyncCancel::default(),
        )
        .await
        .expect("full sync");
        assert_eq!(full.mode, "full");
        assert_eq!(
            (full.inserted, full.updated, full.removed),
            (0, 0, 0),
            "the incremental sync left nothing for the full one: {full:?}"
        );
        assert_eq!(full.unchanged, 1198);
        service.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn an_incremental_sync_asks_only_for_what_changed_since_the_watermark() {
    let dir = tempfile::tempdir().unwrap();
    let service = service(5000, t0() - Duration::days(1)).await;
    let mut ctx = context(dir.path(), None, &service).await;
    auto(&ctx).await;
    let state = ctx.store.sync_state(ctx.mdm.name()).await.unwrap().unwrap();
    assert_eq!(state.watermark, Some(t0()));

    // 1 % of the fleet checks in.
    ctx.clock = helpatwork_app::clock::Clock::fixed(t0() + Duration::minutes(30));
    service
        .handle
        .check_in(&ids(1000..1050), t0() + Duration::minutes(20), |_| {});
    service.handle.clear_requests();
    let report = auto(&ctx).await;
    assert_eq!((report.mode.as_str(), report.devices), ("incremental", 50));
    let since_ms = (t0() - OVERLAP).timestamp_millis();
    assert_eq!(
        service.handle.search_filters(),
        vec![Some(format!("lastCheckin>{since_ms}"))],
        "one search, filtered on the last check-in after the watermark less the overlap"
    );
    let served: usize = service
        .handle
        .requests()
        .iter()
        .filter(|r| r.endpoint == Some(Endpoint::DeviceSearch))
        .count();
    assert_eq!(served, 1);
    assert_eq!(
        report.since.as_deref(),
        Some(helpatwork_store::timestamp(t0() - OVERLAP).as_str())
    );
    let state = ctx.store.sync_state(ctx.mdm.name()).await.unwrap().unwrap();
    assert_eq!(state.watermark, Some(t0() + Duration::minutes(30)));
    assert_eq!(state.last_full_at, Some(t0()), "the full sync's time stays");
}

#[tokio::test]
async fn a_failed_or_cancelled_sync_leaves_the_watermark() {
    let dir = tempfile::tempdir().unwrap();
    let service = service(700, t0() - Duration::days(1)).await;
    let mut ctx = context(dir.path(), None, &service).await;
    auto(&ctx).await;

    ctx.clock = helpatwork_app::clock::Clock::fixed(t0() + Duration::minutes(15));
    service
        .handle
        .inject(Endpoint::DeviceSearch, Failure::Unauthorized);
    let failed = sync_planned(
        &ctx,
        ctx.mdm.clone(),
        SyncMode::Auto,
        &|_, _| {},
        &SyncCancel::default(),
    )
    .await;
    assert!(failed.is_err());
    let state = ctx.store.sync_state(ctx.mdm.name()).await.unwrap().unwrap();
    assert_eq!(state.watermark, Some(t0()), "not advanced by a failed sync");
    assert_eq!(state.last_outcome.as_deref(), Some("failed"));
    assert_eq!(state.last_mode.as_deref(), Some("incremental"));
    assert!(state.last_error.is_some());

    // Cancelled before its first write: recorded, the watermark stays.
    service.handle.clear_failures();
    ctx.clock = helpatwork_app::clock::Clock::fixed(t0() + Duration::minutes(30));
    let cancel = SyncCancel::default();
    cancel.cancel();
    let cancelled = sync_planned(&ctx, ctx.mdm.clone(), SyncMode::Full, &|_, _| {}, &cancel)
        .await
        .expect("cancelled");
    assert!(cancelled.cancelled);
    let state = ctx.store.sync_state(ctx.mdm.name()).await.unwrap().unwrap();
    assert_eq!(state.watermark, Some(t0()));
    assert_eq!(state.last_outcome.as_deref(), Some("cancelled"));

    // The full run left to resume comes first; then the next sync reads from the old watermark.
    service.handle.clear_requests();
    let resumed = auto(&ctx).await;
    assert_eq!(
        resumed.mode, "full",
        "an interrupted full run is resumed before any incremental one"
    );
    service.handle.clear_requests();
    ctx.clock = helpatwork_app::clock::Clock::fixed(t0() + Duration::minutes(45));
    let next = auto(&ctx).await;
    assert_eq!(next.mode, "incremental");
    let state = ctx.store.sync_state(ctx.mdm.name()).await.unwrap().unwrap();
    assert_eq!(state.watermark, Some(t0() + Duration::minutes(45)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_never_run_the_same_scheduled_sync_at_once() {
    on_each_store("sched_lease", |db| async move {
        let dir = tempfile::tempdir().unwrap();
        let service = service(3000, t0() - Duration::days(1)).await;
        // Two processes on one store: a window and a service.
        let url = db.clone().unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", dir.path().join("team.db").display())
        });
        let a_dir = tempfile::tempdir().unwrap();
        let b_dir = tempfile::tempdir().unwrap();
        let a = context(a_dir.path(), Some(url.clone()), &service).await;
        let b = context(b_dir.path(), Some(url), &service).await;
        service
            .handle
            .set_latency(std::time::Duration::from_millis(150));
        let every = std::time::Duration::from_secs(15 * 60);
        let (ca, cb) = (SyncCancel::default(), SyncCancel::default());
        let (ra, rb) = tokio::join!(
            tick(&a, a.mdm.clone(), every, &ca),
            tick(&b, b.mdm.clone(), every, &cb)
        );
        let synced = [&ra, &rb]
            .iter()
            .filter(|r| matches!(r, ScheduledRun::Synced { .. }))
            .count();
        assert_eq!(synced, 1, "exactly one ran: {ra:?} / {rb:?}");
        assert!(
            [&ra, &rb]
                .iter()
                .any(|r| matches!(r, ScheduledRun::Skipped { .. })),
            "the other was skipped: {ra:?} / {rb:?}"
        );
        // Right after, the other process's turn finds the fleet fresh and skips.
        let again = tick(&b, b.mdm.clone(), every, &SyncCancel::default()).await;
        assert!(matches!(again, ScheduledRun::Skipped { .. }), "{again:?}");
        service.shutdown().await;
    })
    .await;
}
