//! What the store's test binaries share: a device, and the stores every test runs against.

#![allow(dead_code)]

use helpatwork_domain::{AppKind, Device, DeviceUser, InstalledApp, ManagementFacts, Platform};
use helpatwork_store::Store;

pub fn device(id: &str, name: &str, platform: Platform) -> Device {
    Device {
        id: id.into(),
        name: name.into(),
        user: DeviceUser {
            name: format!("User {id}"),
            email: format!("{id}@example.com"),
        },
        platform,
        os_version: if platform == Platform::Ios {
            "17.1".into()
        } else {
            "14".into()
        },
        manufacturer: "Samsung".into(),
        model: "Galaxy S23".into(),
        kiosk: false,
        mam_only: false,
        online: true,
        last_checkin: "2026-11-20T10:00:00Z".parse().unwrap(),
        host_activated: Some(false),
        apps: Some(vec![InstalledApp::known(
            AppKind::Quicksupport,
            "15.60.1",
            true,
            true,
        )]),
        management: ManagementFacts::default(),
        labels: None,
        locale: None,
    }
}

/// The stores every test runs against: a temp SQLite file, and a fresh database on the
/// PostgreSQL server in `HELPATWORK_TEST_POSTGRES_URL` when set (scripts/test.sh starts one).
pub async fn stores() -> Vec<(tempfile::TempDir, Store)> {
    let mut out = Vec::new();
    for (dir, url) in store_urls().await {
        out.push((dir, Store::open(&url).await.unwrap()));
    }
    out
}

/// The URLs of [`stores`]' databases, each new and empty.
pub async fn store_urls() -> Vec<(tempfile::TempDir, String)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let mut out = vec![(dir, sqlite)];
    if let Some(url) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        out.push((tempfile::tempdir().unwrap(), postgres(&url).await));
    }
    out
}

/// A new database on the test server; its URL.
pub async fn postgres(server: &str) -> String {
    use sqlx::Connection;
    let name = format!("helpatwork_test_{}", uuid_like());
    let mut admin = sqlx::postgres::PgConnection::connect(server)
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (base, _) = server.rsplit_once('/').expect("a postgres://…/db URL");
    format!("{base}/{name}")
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}
