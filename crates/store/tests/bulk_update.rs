//! A bulk write's update of a stored device: one that changes no indexed value (a check-in, a
//! new OS version) is written without touching the indexes, and still reads back whole; one that
//! changes the name, the platform or the readiness moves the device in the list, its search and
//! its filters; a removed device written again is live. On SQLite and (with
//! `HELPATWORK_TEST_POSTGRES_URL`) PostgreSQL.

mod support;

use helpatwork_domain::eligibility::readiness;
use helpatwork_domain::Platform;
use helpatwork_store::{DeviceQuery, Store};
use support::{device, stores};

async fn list(s: &Store, query: DeviceQuery) -> Vec<String> {
    s.list_devices(&DeviceQuery { limit: 50, ..query })
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.id)
        .collect()
}

async fn search(s: &Store, text: &str) -> Vec<String> {
    list(
        s,
        DeviceQuery {
            search: Some(text.into()),
            ..Default::default()
        },
    )
    .await
}

#[tokio::test]
async fn updates_in_place_and_updates_that_move_a_device_both_read_back() {
    for (_d, s) in stores().await {
        let alpha = device("a1", "Alpha", Platform::Android);
        let bravo = device("b1", "Bravo", Platform::Android);
        let charlie = device("c1", "Charlie", Platform::Android);
        s.upsert_seen_devices(
            &[alpha.clone(), bravo.clone(), charlie.clone()],
            "mdm",
            "r1",
        )
        .await
        .unwrap();
        assert_eq!(list(&s, DeviceQuery::default()).await, ["a1", "b1", "c1"]);

        // A check-in and a new OS version: no indexed value changes.
        let mut checked_in = alpha.clone();
        checked_in.last_checkin = "2026-12-07T04:00:00Z".parse().unwrap();
        checked_in.os_version = "15".into();
        checked_in.user.email = "alpha.user@example.com".into();
        // A new name: the list order and the search text change.
        let mut renamed = bravo.clone();
        renamed.name = "Zulu".into();
        // A new platform: the platform filter changes.
        let mut moved = charlie.clone();
        moved.platform = Platform::Ios;
        moved.os_version = "17.1".into();
        let summary = s
            .upsert_seen_devices(
                &[checked_in.clone(), renamed.clone(), moved.clone()],
                "mdm",
                "r2",
            )
            .await
            .unwrap();
        assert_eq!((summary.updated, summary.inserted), (3, 0));
        assert_eq!(s.device("a1").await.unwrap().unwrap(), checked_in);
        assert_eq!(s.device("b1").await.unwrap().unwrap(), renamed);
        assert_eq!(s.device("c1").await.unwrap().unwrap(), moved);
        assert_eq!(list(&s, DeviceQuery::default()).await, ["a1", "c1", "b1"]);
        assert_eq!(search(&s, "zulu").await, ["b1"]);
        assert!(search(&s, "bravo").await.is_empty(), "the old name is gone");
        assert_eq!(
            search(&s, "alpha.user@").await,
            ["a1"],
            "the e-mail is in the search text: an update of it is not in place"
        );
        let ios = DeviceQuery {
            platform: Some(Platform::Ios),
            ..Default::default()
        };
        assert_eq!(list(&s, ios).await, ["c1"]);

        // The readiness follows the facts: an iPhone whose iOS is too old is unsupported.
        let mut too_old = moved.clone();
        too_old.os_version = "9.3".into();
        let (before, after) = (readiness(&moved), readiness(&too_old));
        assert_ne!(before, after, "the test needs a readiness change");
        s.upsert_seen_devices(std::slice::from_ref(&too_old), "mdm", "r3")
            .await
            .unwrap();
        let of = |r| DeviceQuery {
            readiness: Some(r),
            ..Default::default()
        };
        assert_eq!(list(&s, of(after)).await, ["c1"]);
        assert!(!list(&s, of(before)).await.contains(&"c1".to_string()));

        // A removed device written again is live, even when nothing indexed changed.
        s.mark_removed(&["a1".to_string()], chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(list(&s, DeviceQuery::default()).await, ["c1", "b1"]);
        assert_eq!(
            readiness(&checked_in),
            readiness(&alpha),
            "nothing indexed changes"
        );
        let mut back = checked_in.clone();
        back.last_checkin = "2026-12-07T05:00:00Z".parse().unwrap();
        s.upsert_seen_devices(std::slice::from_ref(&back), "mdm", "r4")
            .await
            .unwrap();
        assert_eq!(list(&s, DeviceQuery::default()).await, ["a1", "c1", "b1"]);
        assert_eq!(s.device("a1").await.unwrap().unwrap(), back);
    }
}

/// The devices table's indexes, by name, with their definitions (SQLite).
async fn sqlite_indexes(s: &Store) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'devices' ORDER BY name",
    )
    .fetch_all(s.pool())
    .await
    .unwrap()
}

/// A new SQLite store in a directory of its own (a first load's indexes are SQLite's), and its
/// URL to open it again.
async fn new_sqlite_store() -> (tempfile::TempDir, String, Store) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let s = Store::open(&url).await.unwrap();
    (dir, url, s)
}

/// `dev-00000`, `dev-00001`, … named `Phone 00000`, …: iOS where `ios(i)`, Android otherwise.
fn phones(n: usize, ios: impl Fn(usize) -> bool) -> Vec<helpatwork_domain::Device> {
    (0..n)
        .map(|i| {
            let platform = if ios(i) {
                Platform::Ios
            } else {
                Platform::Android
            };
            device(&format!("dev-{i:05}"), &format!("Phone {i:05}"), platform)
        })
        .collect()
}

/// A first load of a SQLite store builds the devices table's indexes after its rows, in its
/// transaction: committed, the store has every index as it was and they answer; rolled back, it
/// has them too, and no row.
#[tokio::test]
async fn a_first_load_builds_the_indexes_after_its_rows_and_a_rollback_keeps_them() {
    let (_dir, _, s) = new_sqlite_store().await;
    let before = sqlite_indexes(&s).await;
    assert!(before.len() >= 5, "{before:?}");
    let fleet = phones(6_000, |i| i % 2 == 1);

    let mut write = s.begin_device_write("embedded", None).await.unwrap();
    write.write(&fleet).await.unwrap();
    write.rollback().await.unwrap();
    assert_eq!(
        sqlite_indexes(&s).await,
        before,
        "a rollback keeps the indexes"
    );
    assert_eq!(s.device_count().await.unwrap(), 0);

    let mut write = s.begin_device_write("embedded", None).await.unwrap();
    write.write(&fleet[..5_000]).await.unwrap();
    write.write(&fleet[5_000..]).await.unwrap();
    write.commit().await.unwrap();
    assert_eq!(
        sqlite_indexes(&s).await,
        before,
        "the same indexes, built again"
    );
    assert_eq!(s.device_count().await.unwrap(), 6_000);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let ios = list(
        &s,
        DeviceQuery {
            platform: Some(Platform::Ios),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(ios.first().map(String::as_str), Some("dev-00001"));
    assert_eq!(search(&s, "phone 05999").await, ["dev-05999"]);

    // A store with devices keeps its indexes through a write: nothing to build again.
    let mut more = fleet[..5_000].to_vec();
    more.iter_mut().for_each(|d| d.name.push_str(" renamed"));
    s.upsert_devices(&more, "embedded").await.unwrap();
    assert_eq!(sqlite_indexes(&s).await, before);
}

/// A sync's first load keeps the indexes dropped across its batches (each its own
/// transaction), answers the same meanwhile, and builds them once when the sync ends
/// (`build_deferred_indexes`). A load the sync's killing left without them is completed by the
/// next write that is not a sync's batch, or the next sync's end. A first batch rolled back
/// keeps them.
#[tokio::test]
async fn a_sync_first_load_builds_the_indexes_when_the_sync_ends() {
    let (_dir, _, s) = new_sqlite_store().await;
    let before = sqlite_indexes(&s).await;
    let fleet = phones(6_000, |i| i % 3 == 0);
    let pending = |s: &Store| {
        let pool = s.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM deferred_indexes")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };

    let mut write = s.begin_sync_write("mdm", "run-1", 6_000).await.unwrap();
    write.write(&fleet[..1_000]).await.unwrap();
    write.rollback().await.unwrap();
    assert_eq!(sqlite_indexes(&s).await, before, "a rollback keeps them");
    assert_eq!(pending(&s).await, 0);

    // The sync's batches: small ones, of a load large enough.
    for batch in fleet.chunks(2_000) {
        let mut write = s.begin_sync_write("mdm", "run-1", 6_000).await.unwrap();
        write.write(batch).await.unwrap();
        write.commit().await.unwrap();
        let now = sqlite_indexes(&s).await;
        assert_eq!(
            now.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["devices_id_key_other", "sqlite_autoindex_devices_1"],
            "dropped across the batches"
        );
        assert_eq!(pending(&s).await as usize, before.len() - now.len());
    }
    // Meanwhile the answers are the same.
    assert_eq!(search(&s, "phone 05999").await, ["dev-05999"]);
    let ios = list(
        &s,
        DeviceQuery {
            platform: Some(Platform::Ios),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(ios[..2], ["dev-00000", "dev-00003"]);

    assert_eq!(s.build_deferred_indexes().await.unwrap(), before.len() - 2);
    assert_eq!(sqlite_indexes(&s).await, before, "the same indexes, built");
    assert_eq!(pending(&s).await, 0);
    assert_eq!(s.build_deferred_indexes().await.unwrap(), 0, "nothing left");
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(s.pool())
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    assert_eq!(search(&s, "phone 00042").await, ["dev-00042"]);

    // A later sync of a store with devices drops nothing.
    let mut write = s.begin_sync_write("mdm", "run-2", 6_000).await.unwrap();
    write.write(&fleet[..2_000]).await.unwrap();
    write.commit().await.unwrap();
    assert_eq!(sqlite_indexes(&s).await, before);

    // A first load whose sync was killed (no build): an import's commit builds them.
    let (_dir, url, s) = new_sqlite_store().await;
    let mut write = s.begin_sync_write("mdm", "run-1", 6_000).await.unwrap();
    write.write(&fleet[..2_000]).await.unwrap();
    write.commit().await.unwrap();
    drop(s);
    let s = Store::open(&url).await.unwrap();
    assert!(pending(&s).await > 0, "left for later");
    s.upsert_devices(&fleet[2_000..2_010], "embedded")
        .await
        .unwrap();
    assert_eq!(sqlite_indexes(&s).await, before, "built by the import");
    assert_eq!(pending(&s).await, 0);
    assert_eq!(s.device_count().await.unwrap(), 2_010);
}

/// A stored device's content hash is the first 12 bytes of the SHA-256 of its JSON
/// serialisation, in hex: what stores written by earlier versions hold, so a sync after an
/// upgrade still finds its unchanged devices unchanged.
#[tokio::test]
async fn the_content_hash_is_the_sha256_of_the_device_as_json() {
    use sha2::{Digest, Sha256};
    for (_d, s) in support::stores().await {
        let d = device("and-0042", "Ana's phone", Platform::Android);
        s.upsert_devices(std::slice::from_ref(&d), "embedded")
            .await
            .unwrap();
        let stored: String =
            sqlx::query_scalar("SELECT content_hash FROM devices WHERE id = 'and-0042'")
                .fetch_one(s.pool())
                .await
                .unwrap();
        let digest = Sha256::digest(serde_json::to_vec(&d).unwrap());
        let expected: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(stored, expected);
        let again = s.upsert_devices(&[d], "embedded").await.unwrap();
        assert_eq!(again.unchanged, 1);
    }
}

async fn distinct_write(s: &Store) -> helpatwork_store::DeviceWrite {
    s.begin_device_write("embedded", None)
        .await
        .unwrap()
        .with_distinct_ids()
}

/// A write whose ids are distinct (a fleet file's) looks nothing up when it begins on an empty
/// store: every device is new, across its batches, and reads back with its apps. On a store that
/// holds devices it matches them as any write does. A broken word (an id again in a later batch)
/// fails the write and leaves the store as it was.
#[tokio::test]
async fn a_write_of_distinct_ids_into_an_empty_store_inserts_and_one_into_a_full_store_matches() {
    for (_d, s) in stores().await {
        let fleet = phones(300, |i| i % 3 == 0);
        let mut write = distinct_write(&s).await;
        write.write(&fleet[..100]).await.unwrap();
        write.write(&fleet[100..]).await.unwrap();
        let summary = write.commit().await.unwrap();
        assert_eq!(
            (summary.inserted, summary.updated, summary.unchanged),
            (300, 0, 0)
        );
        assert_eq!(s.device_count().await.unwrap(), 300);
        let stored = s.device("dev-00007").await.unwrap().unwrap();
        assert_eq!(stored.name, "Phone 00007");
        assert_eq!(stored.apps.as_ref().map(Vec::len), Some(1));

        // The store holds devices: the same fleet, one renamed and one spelled otherwise.
        let mut again = phones(300, |i| i % 3 == 0);
        again[5].name = "Renamed".into();
        again[6].id = "DEV-00006".into();
        let mut write = distinct_write(&s).await;
        write.write(&again).await.unwrap();
        let summary = write.commit().await.unwrap();
        assert_eq!(
            (summary.inserted, summary.updated, summary.unchanged),
            (0, 1, 299)
        );
        assert_eq!(s.device_count().await.unwrap(), 300);
        assert_eq!(
            s.device("dev-00005").await.unwrap().unwrap().name,
            "Renamed"
        );
    }

    // The word broken on an empty SQLite store: the second batch's device collides with the
    // first's, and the write fails whole.
    let (_dir, _, s) = new_sqlite_store().await;
    let fleet = phones(10, |_| false);
    let mut write = distinct_write(&s).await;
    write.write(&fleet).await.unwrap();
    assert!(write.write(&fleet[3..4]).await.is_err());
    write.rollback().await.unwrap();
    assert_eq!(s.device_count().await.unwrap(), 0);
}
