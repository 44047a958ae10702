//! The readiness board painted first: the board as last computed, read back without the fleet
//! (it stays as computed while the fleet changes), worded in the reader's language, until a
//! fresh computation replaces it.

use chrono::{DateTime, Utc};
use helpatwork_app::context::Clock;
use helpatwork_app::paths::Paths;
use helpatwork_app::readiness;
use helpatwork_app::{AppContext, ContextOptions};
use helpatwork_domain::{Lang, Mode};

fn device(id: &str, online: bool) -> String {
    format!(
        r#"{{"id":"{id}","name":"Phone {id}","user":{{"name":"U","email":"u@example.com"}},
        "platform":"android","os_version":"14","manufacturer":"Samsung","model":"Galaxy S23",
        "kiosk":false,"mam_only":false,"online":{online},"last_checkin":"2026-12-06T08:00:00Z",
        "host_activated":false,
        "apps":[{{"app":"quicksupport","version":"15.60.1","managed":true,"allowlisted":true}}]}}"#
    )
}

async fn import(ctx: &AppContext, devices: &[String]) {
    let json = format!(r#"{{"devices":[{}]}}"#, devices.join(","));
    let devices = helpatwork_domain::fleet::parse_json(json.as_bytes()).unwrap();
    ctx.store.upsert_devices(&devices, "test").await.unwrap();
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn the_stored_board_is_the_last_computed_one_until_the_next_computation() {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = AppContext::open(Paths::at(dir.path()), ContextOptions::default())
        .await
        .unwrap();
    ctx.clock = Clock::fixed(at("2026-12-06T09:00:00Z"));
    assert_eq!(readiness::stored_board(&ctx).await.unwrap(), None);

    import(&ctx, &[device("a-1", true), device("a-2", false)]).await;
    let computed = readiness::board(&ctx, 7).await.unwrap();
    let stored = readiness::stored_board(&ctx).await.unwrap().unwrap();
    assert_eq!(
        stored, computed,
        "the stored board is the board as computed"
    );
    assert_eq!(stored.taken_at, "2026-12-06T09:00:00Z");

    // The fleet changes: the stored board keeps its counts and its time until recomputed.
    import(&ctx, &[device("a-3", true)]).await;
    ctx.clock = Clock::fixed(at("2026-12-06T10:30:00Z"));
    let still = readiness::stored_board(&ctx).await.unwrap().unwrap();
    assert_eq!(still.taken_at, "2026-12-06T09:00:00Z");
    assert_eq!(still.modes[0].board.total, 2);

    let fresh = readiness::refresh(&ctx, 14).await.unwrap();
    assert_eq!(fresh.modes[0].board.total, 3);
    let stored = readiness::stored_board(&ctx).await.unwrap().unwrap();
    assert_eq!(stored, fresh);
    assert_eq!(stored.offline_days, 14);
    assert_eq!(stored.taken_at, "2026-12-06T10:30:00Z");

    // Its words are the reader's.
    ctx.lang = Lang::PtBr;
    let pt = readiness::stored_board(&ctx).await.unwrap().unwrap();
    let pt_words = readiness::board(&ctx, 14).await.unwrap();
    let attended = |b: &helpatwork_app::dto::readiness::ReadinessBoard| {
        b.modes
            .iter()
            .find(|m| m.mode == Mode::Attended)
            .unwrap()
            .board
            .clone()
    };
    assert_eq!(attended(&pt), attended(&pt_words));
    assert_ne!(attended(&pt), attended(&stored), "worded in pt-BR");
}
