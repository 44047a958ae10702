//! The sync watermark per connector: it moves only when a sync completes, never back; a failed
//! or cancelled sync is recorded without moving it. On SQLite and (with
//! `HELPATWORK_TEST_POSTGRES_URL`) PostgreSQL.

mod support;

use chrono::{DateTime, Duration, Utc};
use support::stores;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[tokio::test]
async fn the_watermark_moves_only_when_a_sync_completes() {
    for (_dir, s) in stores().await {
        let c = "Ivanti Neurons for MDM";
        assert_eq!(s.sync_state(c).await.unwrap(), None);

        let t0 = at("2026-12-07T08:00:00Z");
        s.complete_sync(c, true, t0, t0 + Duration::seconds(40), 1200)
            .await
            .unwrap();
        let state = s.sync_state(c).await.unwrap().unwrap();
        assert_eq!(state.watermark, Some(t0));
        assert_eq!(state.last_full_at, Some(t0));
        assert_eq!(state.last_outcome.as_deref(), Some("ok"));
        assert_eq!(state.last_mode.as_deref(), Some("full"));
        assert_eq!(state.last_devices, 1200);

        // A failed incremental sync is shown, the watermark stays.
        let t1 = t0 + Duration::minutes(15);
        s.record_sync_outcome(c, false, "failed", Some("HTTP 503"), t1, 0)
            .await
            .unwrap();
        let state = s.sync_state(c).await.unwrap().unwrap();
        assert_eq!(state.watermark, Some(t0));
        assert_eq!(state.last_outcome.as_deref(), Some("failed"));
        assert_eq!(state.last_error.as_deref(), Some("HTTP 503"));
        assert_eq!(state.last_run_at, Some(t1));

        // An incremental sync completes: the watermark moves, the last full sync stays.
        let t2 = t1 + Duration::minutes(15);
        s.complete_sync(c, false, t2, t2 + Duration::seconds(1), 12)
            .await
            .unwrap();
        let state = s.sync_state(c).await.unwrap().unwrap();
        assert_eq!(state.watermark, Some(t2));
        assert_eq!(state.last_full_at, Some(t0));
        assert_eq!(state.last_error, None);
        assert_eq!(state.last_mode.as_deref(), Some("incremental"));

        // A sync that started earlier but completed later (overlapping processes) never moves
        // the watermark back.
        s.complete_sync(c, false, t1, t2 + Duration::minutes(1), 3)
            .await
            .unwrap();
        assert_eq!(s.sync_state(c).await.unwrap().unwrap().watermark, Some(t2));

        // Connectors are kept apart; a first cancelled run leaves no watermark.
        s.record_sync_outcome("Other MDM", true, "cancelled", None, t2, 500)
            .await
            .unwrap();
        let other = s.sync_state("Other MDM").await.unwrap().unwrap();
        assert_eq!(other.watermark, None);
        assert_eq!(other.last_full_at, None);
        assert_eq!(other.last_outcome.as_deref(), Some("cancelled"));
    }
}
