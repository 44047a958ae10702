//! The store on a temp SQLite file: migrations, upsert, search, settings, audit.

mod support;

use helpatwork_domain::{
    AppKind, Device, InstalledApp, ManagementFacts, Ownership, Platform, Readiness,
};
use helpatwork_store::{AuditQuery, DeviceQuery, NewAuditEvent, OpenOptions, Store};
use support::{device, postgres, store_urls, stores};

fn apps(d: &mut Device) -> &mut Vec<InstalledApp> {
    d.apps.as_mut().expect("known apps")
}

#[tokio::test]
async fn migrations_run_and_reopen_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let s = Store::open_sqlite(&path).await.unwrap();
    s.upsert_devices(&[device("a", "A", Platform::Android)], "embedded")
        .await
        .unwrap();
    s.close().await;
    let again = Store::open_sqlite(&path).await.unwrap();
    assert_eq!(
        again.device_count().await.unwrap(),
        1,
        "nothing committed is lost on reopen"
    );
}

#[tokio::test]
async fn upsert_is_idempotent_and_detects_changes() {
    for (_d, s) in stores().await {
        let mut fleet = vec![
            device("a", "Alpha", Platform::Android),
            device("b", "Beta", Platform::Ios),
        ];
        let first = s.upsert_devices(&fleet, "embedded").await.unwrap();
        assert_eq!((first.inserted, first.updated, first.unchanged), (2, 0, 0));
        let again = s.upsert_devices(&fleet, "embedded").await.unwrap();
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
        apps(&mut fleet[1]).clear();
        let changed = s.upsert_devices(&fleet, "embedded").await.unwrap();
        assert_eq!(
            (changed.inserted, changed.updated, changed.unchanged),
            (0, 1, 1)
        );
        assert!(
            s.device("b").await.unwrap().unwrap().apps == Some(Vec::new()),
            "apps are replaced, not merged"
        );
    }
}

#[tokio::test]
async fn device_round_trips_with_apps_and_flags() {
    for (_d, s) in stores().await {
        let mut d = device("k1", "Kiosk", Platform::Android);
        d.kiosk = true;
        d.host_activated = Some(true);
        apps(&mut d).push(InstalledApp::known(AppKind::Host, "15.58.3", true, false));
        s.upsert_devices(std::slice::from_ref(&d), "embedded")
            .await
            .unwrap();
        let mut back = s.device("k1").await.unwrap().unwrap();
        apps(&mut back).sort_by_key(|a| a.app);
        apps(&mut d).sort_by_key(|a| a.app);
        assert_eq!(back, d);
        assert!(s.device("nope").await.unwrap().is_none());
    }
}

/// Unknown is stored as unknown: no inventory is not "no apps", an unreported flag is not
/// `false`, and the management facts come back as they were written.
#[tokio::test]
async fn unknown_facts_round_trip_as_unknown() {
    for (_d, s) in stores().await {
        let mut blind = device("u1", "Unknown apps", Platform::Ios);
        blind.apps = None;
        blind.host_activated = None;
        blind.management = ManagementFacts {
            compliant: Some(false),
            quarantined: Some(true),
            jailbroken: None,
            supervised: Some(true),
            lost_mode: None,
            ownership: Some(Ownership::Employee),
            client_version: Some("12.12.0".into()),
            android_enrollment: Some(helpatwork_domain::facts::AndroidEnrollment::WorkProfile),
        };
        let mut partial = device("u2", "Partial flags", Platform::Ios);
        apps(&mut partial)[0] = InstalledApp {
            app: AppKind::Quicksupport,
            version: None,
            managed: Some(true),
            allowlisted: None,
            installing: true,
        };
        let fleet = [blind.clone(), partial.clone()];
        s.upsert_devices(&fleet, "mdm").await.unwrap();
        assert_eq!(s.device("u1").await.unwrap().unwrap(), blind);
        assert_eq!(s.device("u2").await.unwrap().unwrap(), partial);
        let (_, source) = s.device_with_source("u1").await.unwrap().unwrap();
        assert_eq!(source, "mdm");
        // The unknown inventory is not a missing app: attention, not blocked.
        let page = s
            .list_devices(&DeviceQuery {
                search: Some("unknown apps".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.items[0].readiness, Readiness::Attention);
        // Known again: the apps of the next write replace the unknown.
        let mut known = blind.clone();
        known.apps = Some(Vec::new());
        s.upsert_devices(std::slice::from_ref(&known), "mdm")
            .await
            .unwrap();
        assert_eq!(
            s.device("u1").await.unwrap().unwrap().apps,
            Some(Vec::new())
        );
    }
}

/// A readiness stored under older rules (it once counted an offline device as needing
/// attention) is brought up to the current rules by a refresh.
#[tokio::test]
async fn stored_readiness_follows_the_current_rules() {
    for (_d, s) in stores().await {
        let mut offline = device("o1", "Offline", Platform::Android);
        offline.online = false;
        apps(&mut offline).push(InstalledApp::known(
            AppKind::AddonOem,
            "15.42.2",
            true,
            true,
        ));
        s.upsert_devices(std::slice::from_ref(&offline), "embedded")
            .await
            .unwrap();
        sqlx::query("UPDATE devices SET readiness = 'attention' WHERE id = 'o1'")
            .execute(s.pool())
            .await
            .unwrap();
        assert_eq!(s.refresh_readiness().await.unwrap(), 1);
        let page = s
            .list_devices(&DeviceQuery {
                readiness: Some(Readiness::Ready),
                limit: 10,
                count: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.total, Some(1), "{page:?}");
        assert_eq!(
            s.refresh_readiness().await.unwrap(),
            0,
            "a current store changes nothing"
        );
    }
}

/// A start checks every device's stored readiness only when it was computed under older rules
/// (or a migration asked for it): under the same rules it reads one row, so a start after an
/// upgrade does not read the whole fleet before the window opens.
#[tokio::test]
async fn a_start_rewrites_stored_readiness_only_under_newer_rules() {
    use helpatwork_domain::eligibility::READINESS_RULES;
    for (_d, url) in store_urls().await {
        let stored = |s: Store| async move {
            let readiness: String =
                sqlx::query_scalar("SELECT readiness FROM devices WHERE id = 'o1'")
                    .fetch_one(s.pool())
                    .await
                    .unwrap();
            let version: i64 =
                sqlx::query_scalar("SELECT version FROM readiness_rules WHERE id = 1")
                    .fetch_one(s.pool())
                    .await
                    .unwrap();
            s.close().await;
            (readiness, version)
        };
        let set = |url: String, sql: &'static str| async move {
            let s = Store::open(&url).await.unwrap();
            sqlx::query(sql).execute(s.pool()).await.unwrap();
            s.close().await;
        };
        let s = Store::open(&url).await.unwrap();
        s.upsert_devices(&[device("o1", "One", Platform::Android)], "embedded")
            .await
            .unwrap();
        let (truth, version) = stored(s).await;
        assert_eq!(
            version, READINESS_RULES,
            "a new store is under the current rules"
        );
        assert_ne!(truth, "unsupported");

        // A row that differs from the rules: the same rules do not look at it again.
        set(
            url.clone(),
            "UPDATE devices SET readiness = 'unsupported' WHERE id = 'o1'",
        )
        .await;
        let reopened = stored(Store::open(&url).await.unwrap()).await;
        assert_eq!(reopened, ("unsupported".to_string(), READINESS_RULES));

        // Older rules (a store of before the version, or a migration that set it back to 0).
        set(
            url.clone(),
            "UPDATE readiness_rules SET version = 0 WHERE id = 1",
        )
        .await;
        let reopened = stored(Store::open(&url).await.unwrap()).await;
        assert_eq!(
            reopened,
            (truth.clone(), READINESS_RULES),
            "rewritten, version recorded"
        );

        // Newer rules than this build's (a newer process of a team): left as they are.
        set(
            url.clone(),
            "UPDATE devices SET readiness = 'unsupported' WHERE id = 'o1'",
        )
        .await;
        let newer = READINESS_RULES + 1;
        let bump = format!("UPDATE readiness_rules SET version = {newer} WHERE id = 1");
        let s = Store::open(&url).await.unwrap();
        sqlx::query(&bump).execute(s.pool()).await.unwrap();
        s.close().await;
        let reopened = stored(Store::open(&url).await.unwrap()).await;
        assert_eq!(reopened, ("unsupported".to_string(), newer));
    }
}

#[tokio::test]
async fn search_matches_every_text_field_case_insensitively_and_literally() {
    for (_d, s) in stores().await {
        let mut odd = device("c_1", "100% Café", Platform::Android);
        odd.user.email = "carla@example.com".into();
        s.upsert_devices(
            &[
                device("a", "Alpha", Platform::Android),
                device("b", "Beta", Platform::Ios),
                odd,
            ],
            "embedded",
        )
        .await
        .unwrap();
        let find = |text: &str| {
            let s = s.clone();
            let text = text.to_string();
            async move {
                s.list_devices(&DeviceQuery {
                    search: Some(text),
                    limit: 50,
                    count: true,
                    ..Default::default()
                })
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|d| d.id)
                .collect::<Vec<_>>()
            }
        };
        assert_eq!(find("ALPHA").await, vec!["a"]);
        assert_eq!(find("CARLA@").await, vec!["c_1"], "e-mail");
        assert_eq!(find("café").await, vec!["c_1"], "non-ASCII");
        assert_eq!(find("100%").await, vec!["c_1"], "% is literal");
        assert_eq!(find("c_1").await, vec!["c_1"], "_ is literal, id matches");
        assert_eq!(find("galaxy").await.len(), 3, "model");
        assert!(find("'; DROP TABLE devices;--").await.is_empty());
        assert_eq!(s.device_count().await.unwrap(), 3);
    }
}

#[tokio::test]
async fn filters_paging_and_order() {
    for (_d, s) in stores().await {
        let fleet: Vec<_> = (0..25)
            .map(|i| {
                device(
                    &format!("d{i:02}"),
                    &format!("Device {i:02}"),
                    if i % 5 == 0 {
                        Platform::Ios
                    } else {
                        Platform::Android
                    },
                )
            })
            .collect();
        s.upsert_devices(&fleet, "embedded").await.unwrap();
        let page = s
            .list_devices(&DeviceQuery {
                offset: 10,
                limit: 10,
                count: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.total, Some(25));
        assert_eq!(page.items.first().unwrap().id, "d10");
        let ios = s
            .list_devices(&DeviceQuery {
                platform: Some(Platform::Ios),
                limit: 100,
                count: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(ios.total, Some(5));
        s.upsert_devices(
            &[
                device("w1", "Surface", Platform::Windows),
                device("m1", "Mac", Platform::Macos),
            ],
            "embedded",
        )
        .await
        .unwrap();
        let other = s
            .list_devices(&DeviceQuery {
                platform: Some(Platform::Other),
                limit: 100,
                count: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            other.total,
            Some(2),
            "Other = every platform but Android and iOS"
        );
        let unsupported = s
            .list_devices(&DeviceQuery {
                readiness: Some(Readiness::Unsupported),
                limit: 100,
                count: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            unsupported.total,
            Some(2),
            "Windows and macOS are not supported (L2)"
        );
    }
}

#[tokio::test]
async fn settings_and_audit() {
    for (_d, s) in stores().await {
        assert_eq!(s.setting("ui.lang").await.unwrap(), None);
        s.set_setting("ui.lang", "pt-BR").await.unwrap();
        s.set_setting("ui.lang", "en").await.unwrap();
        assert_eq!(s.setting("ui.lang").await.unwrap().as_deref(), Some("en"));

        for action in ["devices.import", "session.start"] {
            s.append_audit(NewAuditEvent {
                actor: "agent",
                action,
                device_id: Some("a"),
                session_id: None,
                detail: serde_json::json!({"n": 1}),
            })
            .await
            .unwrap();
        }
        let events = s
            .audit_events(&AuditQuery {
                device_id: Some("a".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].action, "session.start", "newest first");
        assert_eq!(events[0].detail["n"], 1);
    }
}

#[tokio::test]
async fn audit_filters_by_device_actor_action_and_time_with_paging() {
    let t = |h: u32| -> chrono::DateTime<chrono::Utc> {
        format!("2026-11-20T{h:02}:00:00Z").parse().unwrap()
    };
    for (_d, s) in stores().await {
        let rows = [
            (1, "ana", "session.start", Some("a")),
            (2, "ana", "session.close", Some("a")),
            (3, "bruno", "session.start", Some("b")),
            (4, "bruno", "admin.activate", None),
            (5, "ana", "session.start", Some("b")),
        ];
        for (h, actor, action, device) in rows {
            s.append_audit_at(
                t(h),
                NewAuditEvent {
                    actor,
                    action,
                    device_id: device,
                    session_id: None,
                    detail: serde_json::json!({ "h": h }),
                },
            )
            .await
            .unwrap();
        }
        let hours = |q: AuditQuery| {
            let s = s.clone();
            async move {
                let events = s.audit_events(&q).await.unwrap();
                assert!(s.audit_count(&q).await.unwrap() as usize >= events.len());
                events
                    .iter()
                    .map(|e| e.detail["h"].as_u64().unwrap())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            hours(AuditQuery::default()).await,
            [5, 4, 3, 2, 1],
            "newest first"
        );
        let by_actor = AuditQuery {
            actor: Some("ana".into()),
            ..Default::default()
        };
        assert_eq!(hours(by_actor.clone()).await, [5, 2, 1]);
        assert_eq!(s.audit_count(&by_actor).await.unwrap(), 3);
        assert_eq!(
            hours(AuditQuery {
                action: Some("session.start".into()),
                device_id: Some("b".into()),
                ..Default::default()
            })
            .await,
            [5, 3]
        );
        let window = AuditQuery {
            since: Some(t(2)),
            until: Some(t(4)),
            ..Default::default()
        };
        assert_eq!(
            hours(window.clone()).await,
            [3, 2],
            "since inclusive, until exclusive"
        );
        assert_eq!(s.audit_count(&window).await.unwrap(), 2);
        let page = AuditQuery {
            offset: 1,
            limit: 2,
            ..Default::default()
        };
        assert_eq!(hours(page.clone()).await, [4, 3]);
        assert_eq!(
            s.audit_count(&page).await.unwrap(),
            5,
            "the count ignores paging"
        );
        assert_eq!(
            hours(AuditQuery {
                actor: Some("nobody' OR '1'='1".into()),
                ..Default::default()
            })
            .await,
            Vec::<u64>::new(),
            "filters are bound, not spliced"
        );
        let facets = s.audit_facets().await.unwrap();
        assert_eq!(facets.actors, ["ana", "bruno"]);
        assert_eq!(
            facets.actions,
            ["admin.activate", "session.close", "session.start"]
        );
    }
}

#[tokio::test]
async fn a_failed_import_changes_nothing() {
    for (_d, s) in stores().await {
        s.upsert_devices(&[device("a", "Alpha", Platform::Android)], "embedded")
            .await
            .unwrap();
        // The same app twice violates the primary key mid-transaction: everything rolls back.
        let mut bad = device("b", "Beta", Platform::Android);
        let first = apps(&mut bad)[0].clone();
        apps(&mut bad).push(first);
        assert!(s
            .upsert_devices(
                &[device("a", "Renamed", Platform::Android), bad],
                "embedded"
            )
            .await
            .is_err());
        assert_eq!(s.device("a").await.unwrap().unwrap().name, "Alpha");
        assert!(s.device("b").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn postgres_search_uses_a_trigram_index() {
    use sqlx::Row;
    let Some(url) = std::env::var("HELPATWORK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("skipped: HELPATWORK_TEST_POSTGRES_URL is not set");
        return;
    };
    let s = Store::open(&postgres(&url).await).await.unwrap();
    let n: i64 =
        sqlx::query("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'devices_search_trgm'")
            .fetch_one(s.pool())
            .await
            .unwrap()
            .get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_start_skips_the_migrator_only_while_every_migration_is_applied_unchanged() {
    for (_dir, store) in stores().await {
        assert!(store.schema_is_current().await, "{:?}", store.backend());
        // A changed checksum (a migration edited after it ran) is not current: the migrator
        // runs and refuses, as it always did.
        sqlx::query(
            "UPDATE _sqlx_migrations SET checksum = $1 WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
        )
        .bind(vec![0u8; 48])
        .execute(store.pool())
        .await
        .unwrap();
        assert!(!store.schema_is_current().await, "{:?}", store.backend());
    }
}

#[tokio::test]
async fn a_lease_has_one_holder_until_given_back_or_stale() {
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let stale = chrono::Duration::minutes(2);
    for (_dir, s) in stores().await {
        let b = s.backend();
        assert!(
            s.take_lease("lease", "a", t0, t0 - stale).await.unwrap(),
            "{b:?}"
        );
        // Held and renewed: nobody else takes it.
        let t1 = t0 + chrono::Duration::seconds(90);
        assert!(s.renew_lease("lease", "a", t1).await.unwrap(), "{b:?}");
        let t2 = t0 + chrono::Duration::seconds(200);
        assert!(
            !s.take_lease("lease", "b", t2, t2 - stale).await.unwrap(),
            "{b:?}"
        );
        assert_eq!(s.setting("lease").await.unwrap().as_deref(), Some("a"));
        // Not renewed for the lease's time: taken over, and the old holder learns it.
        let t3 = t1 + stale + chrono::Duration::seconds(1);
        assert!(
            s.take_lease("lease", "b", t3, t3 - stale).await.unwrap(),
            "{b:?}"
        );
        assert!(!s.renew_lease("lease", "a", t3).await.unwrap(), "{b:?}");
        // The old holder's release leaves the new holder's lease alone.
        s.release_lease("lease", "a").await.unwrap();
        assert_eq!(s.setting("lease").await.unwrap().as_deref(), Some("b"));
        // Given back: free at once.
        s.release_lease("lease", "b").await.unwrap();
        assert!(
            s.take_lease("lease", "c", t3, t3 - stale).await.unwrap(),
            "{b:?}"
        );
    }
}

/// A fleet with every platform and readiness, names that repeat (the order falls back to the
/// id), texts that share words, names with LIKE's wildcards, and unknown apps: the generator's
/// organisation fleet (ids `dev-000000`…, e-mails `first.last<n>@example.com`), retouched.
fn mixed_fleet(n: usize) -> Vec<Device> {
    let now = "2026-11-20T10:00:00Z".parse().unwrap();
    let mut fleet = helpatwork_fleetgen::Fleet::organisation(n, 11, now).generate();
    for (i, d) in fleet.iter_mut().enumerate() {
        if i % 5 == 2 {
            d.name = "ana_b%".into();
        }
        if i % 11 == 0 {
            d.apps = None;
        }
    }
    fleet
}

/// What a list shows, compared field by field.
fn shown(page: &helpatwork_store::DevicePage) -> (Option<u32>, Vec<String>) {
    (
        page.total,
        page.items.iter().map(|r| format!("{r:?}")).collect(),
    )
}

/// A long-running process answers filtered lists from its in-memory index; a one-shot command
/// from the database's indexes. Both must show the same rows, in the same order, with the same
/// count, for every kind of query, on both databases, before and after writes.
#[tokio::test]
async fn the_in_memory_index_lists_what_the_database_lists() {
    for (_d, url) in store_urls().await {
        let live = Store::open(&url).await.unwrap();
        let sql = Store::open_with(
            &url,
            OpenOptions {
                single_connection: true,
            },
        )
        .await
        .unwrap();
        live.upsert_devices(&mixed_fleet(300), "embedded")
            .await
            .unwrap();
        let texts = [
            None,
            Some("ana"),
            Some("ANA"),
            Some("  galaxy "),
            Some("%"),
            Some("_b%"),
            Some("dev-0001"),
            Some("299@example"),
            Some("dev-000042"),
            Some("s pix"),
            Some("nothing like this"),
            // A maker, a model, and texts across the fields the index holds apart.
            Some("samsung"),
            Some("pixel"),
            Some("com\u{1f}google\u{1f}pix"),
            Some("\u{1f}dev-00004"),
        ];
        let platforms = [
            None,
            Some(Platform::Android),
            Some(Platform::Ios),
            Some(Platform::Other),
        ];
        let readiness = [
            None,
            Some(Readiness::Ready),
            Some(Readiness::Attention),
            Some(Readiness::Unsupported),
        ];
        let pages = [(0, 1000), (0, 7), (20, 25), (280, 50)];
        let check = |round: &'static str| {
            let (live, sql) = (&live, &sql);
            async move {
                let mut compared = 0;
                for text in texts {
                    for platform in platforms {
                        for readiness in readiness {
                            for (offset, limit) in pages {
                                let q = DeviceQuery {
                                    search: text.map(str::to_string),
                                    platform,
                                    readiness,
                                    offset,
                                    limit,
                                    count: true,
                                };
                                let a = live.list_devices(&q).await.unwrap();
                                let b = sql.list_devices(&q).await.unwrap();
                                assert_eq!(shown(&a), shown(&b), "{round}: {q:?}");
                                compared += 1;
                            }
                        }
                    }
                }
                compared
            }
        };
        assert_eq!(check("first").await, 15 * 4 * 4 * 4);
        let some_match = live
            .list_devices(&DeviceQuery {
                search: Some("ana".into()),
                limit: 1000,
                count: true,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            some_match.total.unwrap() > 50,
            "the fleet exercises the queries"
        );

        // Writes move the index: renamed, re-platformed, removed, revived, new.
        let mut changed = mixed_fleet(300);
        changed[0].name = "Zed".into();
        changed[3].platform = Platform::Android;
        changed.push(device("dev-new", "Ana's new phone", Platform::Ios));
        // An id with capitals: its text holds it in lower case.
        changed.push(device("DEV-Caps", "Ana's caps", Platform::Android));
        live.upsert_devices(&changed, "embedded").await.unwrap();
        let now = chrono::Utc::now();
        live.mark_removed(&["dev-000010".into(), "dev-000011".into()], now)
            .await
            .unwrap();
        check("after writes").await;
        live.upsert_seen_devices(&changed[10..11], "embedded", "run-2")
            .await
            .unwrap();
        check("after a revival").await;
    }
}

/// Another process's (or another agent's) writes show in this process's next list.
#[tokio::test]
async fn another_processs_writes_show_in_the_next_list() {
    for (_d, url) in store_urls().await {
        let window = Store::open(&url).await.unwrap();
        let other = Store::open(&url).await.unwrap();
        let ana = DeviceQuery {
            search: Some("ana".into()),
            limit: 100,
            count: true,
            ..Default::default()
        };
        assert_eq!(window.list_devices(&ana).await.unwrap().total, Some(0));
        other
            .upsert_devices(
                &[device("a1", "Ana's phone", Platform::Android)],
                "embedded",
            )
            .await
            .unwrap();
        assert_eq!(window.list_devices(&ana).await.unwrap().total, Some(1));
        other
            .mark_removed(&["a1".into()], chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(window.list_devices(&ana).await.unwrap().total, Some(0));
        other
            .upsert_seen_devices(
                &[device("a1", "Ana's phone", Platform::Android)],
                "embedded",
                "r1",
            )
            .await
            .unwrap();
        assert_eq!(
            window.list_devices(&ana).await.unwrap().total,
            Some(1),
            "revived"
        );
        assert_eq!(
            other
                .mark_unseen_removed("embedded", "r2", chrono::Utc::now())
                .await
                .unwrap(),
            1
        );
        assert_eq!(window.list_devices(&ana).await.unwrap().total, Some(0));
    }
}

/// A store written by the version before unknown facts existed: after the upgrade its devices
/// keep their facts (Host's activation, every app and flag), and their readiness follows the
/// current rules (an offline device no longer needs attention for being offline).
#[tokio::test]
async fn an_older_store_keeps_its_facts_through_the_upgrade() {
    sqlx::any::install_default_drivers();
    for (_dir, url) in store_urls().await {
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let all = sqlx::migrate!("./migrations");
        let older = sqlx::migrate::Migrator {
            migrations: all
                .migrations
                .iter()
                .filter(|m| m.version < 20261206200000)
                .cloned()
                .collect::<Vec<_>>()
                .into(),
            ignore_missing: false,
            locking: true,
            no_tx: false,
        };
        older.run(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO devices (id, name, user_name, user_email, platform, os_version, manufacturer, \
             model, kiosk, mam_only, online, last_checkin, host_activated, readiness, search_text, \
             sort_key, content_hash, source, removed_at, updated_at) VALUES ('old-1', 'Old', 'Ana', \
             'ana@example.com', 'android', '14', 'Samsung', 'Galaxy S23', 0, 0, 0, \
             '2026-11-01T10:00:00.000Z', 1, 'attention', 'old', 'old', 'x', 'embedded', NULL, \
             '2026-11-01T10:00:00.000Z')",
        )
        .execute(&pool)
        .await
        .unwrap();
        for (app, version) in [
            ("quicksupport", "15.60.1"),
            ("host", "15.58.3"),
            ("addon-oem", "15.42.2"),
        ] {
            sqlx::query(
                "INSERT INTO device_apps (device_id, app, version, managed, allowlisted) \
                 VALUES ('old-1', $1, $2, 1, 1)",
            )
            .bind(app)
            .bind(version)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;

        let s = Store::open(&url).await.unwrap();
        let d = s.device("old-1").await.unwrap().unwrap();
        assert_eq!(d.host_activated, Some(true));
        let known = d.apps.as_ref().expect("the inventory stays known");
        assert_eq!(known.len(), 3);
        assert!(known.iter().all(|a| a.managed == Some(true)
            && a.allowlisted == Some(true)
            && a.version.is_some()));
        let page = s
            .list_devices(&DeviceQuery {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.items[0].readiness, Readiness::Ready);
    }
}
