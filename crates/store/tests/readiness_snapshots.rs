//! The readiness board's daily snapshot on SQLite and PostgreSQL: written once a day per mode
//! (two handles on one database racing: one wins), read back as a series; the fleet read by
//! id pages, removed devices left out.

mod support;

use std::collections::BTreeMap;

use helpatwork_store::{ReadinessSnapshot, Store};

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
            .map(|i| support::device(&format!("d-{i}"), "n", helpatwork_domain::Platform::Android))
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
            seen.extend(page.into_iter().map(|d| d.id));
        }
        assert_eq!(seen, ["d-0", "d-1", "d-2", "d-4", "d-5", "d-6"]);
    }
}
