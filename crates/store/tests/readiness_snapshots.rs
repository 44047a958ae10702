//! The readiness board's daily snapshot on SQLite and PostgreSQL: written once a day per mode
//! (two handles on one database racing: one wins), read back as a series; the fleet read by
//! id pages, removed devices left out.

mod support;

use std::collections::BTreeMap;

use helpatwork_store::{ReadinessSnapshot, Store, StoredBoard};

fn snapshot(day: &str, mode: &str, helpable: u32) -> ReadinessSnapshot {
    ReadinessSnapshot {
        day: day.into(),
        mode: mode.into(),
        total: 10,
        helpable_now: helpable,
        groups: BTreeMap::from([("view_only".to_string(), 3), ("offline".to_string(), 1)]),
    }
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

#[tokio::test]
async fn a_days_snapshot_is_written_once_and_read_as_a_series() {
    for (_dir, url) in support::store_urls().await {
        let a = Store::open(&url).await.unwrap();
        let b = Store::open(&url).await.unwrap();
        let (one, two) = (
            snapshot("2026-12-05", "attended", 4),
            snapshot("2026-12-05", "attended", 9),
        );
        let (first, second) = tokio::join!(
            a.record_readiness_snapshot(&one, at("2026-12-05T08:00:00Z")),
            b.record_readiness_snapshot(&two, at("2026-12-05T08:00:00Z")),
        );
        assert!(
            first.unwrap() ^ second.unwrap(),
            "{url}: one of two writers wins the day"
        );
        assert!(!a
            .record_readiness_snapshot(
                &snapshot("2026-12-05", "attended", 7),
                at("2026-12-05T20:00:00Z")
            )
            .await
            .unwrap());
        assert!(a
            .record_readiness_snapshot(
                &snapshot("2026-12-05", "unattended", 2),
                at("2026-12-05T20:00:00Z")
            )
            .await
            .unwrap());
        assert!(a
            .record_readiness_snapshot(
                &snapshot("2026-12-06", "attended", 6),
                at("2026-12-06T09:00:00Z")
            )
            .await
            .unwrap());
        let series = b.readiness_series("attended", "2026-12-01").await.unwrap();
        let days: Vec<(&str, u32)> = series
            .iter()
            .map(|s| (s.day.as_str(), s.helpable_now))
            .collect();
        assert_eq!(days.len(), 2, "{url}");
        assert_eq!(days[1], ("2026-12-06", 6));
        assert!(days[0].1 == 4 || days[0].1 == 9, "{days:?}");
        assert_eq!(series[1].groups, snapshot("", "", 0).groups);
        assert_eq!(
            b.readiness_series("attended", "2026-12-06")
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            b.readiness_series("unattended", "2026-12-01")
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn the_fleet_is_read_by_id_pages_without_removed_devices() {
    for (_dir, store) in support::stores().await {
        let devices: Vec<_> = (0..7)
            .map(|i| {
                let mut d =
                    support::device(&format!("d-{i}"), "n", helpatwork_domain::Platform::Android);
                // Each page's apps are read in one query over its id range: every device keeps
                // its own, one without apps gets none.
                match i {
                    2 => d.apps = None,
                    5 => d.apps = Some(Vec::new()),
                    _ => {
                        if let Some(apps) = d.apps.as_mut() {
                            apps[0].version = Some(format!("15.{i}.0"));
                        }
                    }
                }
                d
            })
            .collect();
        store.upsert_devices(&devices, "test").await.unwrap();
        store
            .mark_removed(&["d-3".to_string()], at("2026-12-06T09:00:00Z"))
            .await
            .unwrap();
        let mut seen = Vec::new();
        let mut after = String::new();
        loop {
            let page = store.devices_after(&after, 2).await.unwrap();
            let Some(last) = page.last() else { break };
            after = last.id.clone();
            for device in page {
                let written = devices.iter().find(|d| d.id == device.id).unwrap();
                assert_eq!(device.apps, written.apps, "{}: its own apps", device.id);
                seen.push(device.id);
            }
        }
        assert_eq!(seen, ["d-0", "d-1", "d-2", "d-4", "d-5", "d-6"]);
    }
}

fn stored(mode: &str, total: u32, computed_at: &str) -> StoredBoard {
    StoredBoard {
        mode: mode.into(),
        offline_days: 7,
        total,
        helpable_now: total / 2,
        groups: BTreeMap::from([("offline".to_string(), 3)]),
        computed_at: at(computed_at),
    }
}

#[tokio::test]
async fn the_last_computed_board_replaces_the_one_before() {
    for (_dir, store) in support::stores().await {
        assert!(store.readiness_board().await.unwrap().is_empty());
        let first = [
            stored("attended", 10, "2026-12-06T10:00:00Z"),
            stored("unattended", 10, "2026-12-06T10:00:00Z"),
        ];
        store.save_readiness_board(&first).await.unwrap();
        assert_eq!(store.readiness_board().await.unwrap(), first.to_vec());
        let second = [
            stored("attended", 12, "2026-12-06T11:00:00Z"),
            stored("unattended", 12, "2026-12-06T11:00:00Z"),
        ];
        store.save_readiness_board(&second).await.unwrap();
        assert_eq!(store.readiness_board().await.unwrap(), second.to_vec());
    }
}
