//! The admin facts a preflight judges (tenant, integrations, support policies), on SQLite and
//! PostgreSQL, from two handles on one database (two processes of a team): a long-running
//! process keeps them in memory and reads them again after any write to them, its own or the
//! other's; a one-shot command reads them each time.

mod support;

use std::sync::Arc;

use helpatwork_store::{Integration, NewAuditEvent, OpenOptions, Store};

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

fn event(action: &str) -> NewAuditEvent<'_> {
    NewAuditEvent {
        actor: "admin.test",
        action,
        device_id: None,
        session_id: None,
        detail: serde_json::json!({}),
    }
}

fn integration(mode: &str, active: bool) -> Integration {
    Integration {
        mode: mode.into(),
        active,
        account_id: Some("acc-1".into()),
        account_name: Some("Contoso".into()),
        eula_version: Some("2026-01".into()),
        eula_sha256: None,
        agreed_by: Some("admin.test".into()),
        agreed_at: Some(at("2026-12-07T10:00:00Z")),
    }
}

#[tokio::test]
async fn a_write_by_either_handle_shows_up_on_the_next_read_and_nothing_else_reads_them_again() {
    for (_dir, url) in support::store_urls().await {
        let (a, b) = (
            Store::open(&url).await.unwrap(),
            Store::open(&url).await.unwrap(),
        );
        let first = a.admin_facts().await.unwrap();
        assert_eq!(first.tenant.tier, None);
        assert!(first.integrations.is_empty() && first.policies.is_empty());
        // Nothing written: the facts held are answered (not read again).
        assert!(Arc::ptr_eq(&first, &a.admin_facts().await.unwrap()));
        // Writes that are not admin facts leave them held.
        a.set_setting("language", "pt-BR").await.unwrap();
        assert!(Arc::ptr_eq(&first, &a.admin_facts().await.unwrap()));

        // The other handle's writes, each in turn.
        let at = at("2026-12-07T10:00:00Z");
        b.update_tenant(Some("premium"), Some(5), at, event("admin.tier"))
            .await
            .unwrap();
        let facts = a.admin_facts().await.unwrap();
        assert_eq!(facts.tenant.tier.as_deref(), Some("premium"));
        assert_eq!(facts.tenant.unattended_licences, 5);
        b.set_integration(&integration("attended", true), at, event("admin.activate"))
            .await
            .unwrap();
        let facts = a.admin_facts().await.unwrap();
        assert_eq!(facts.integrations, vec![integration("attended", true)]);
        b.save_policy("Kiosks", "{}", "admin.test", at, |_| event("policy.set"))
            .await
            .unwrap();
        assert_eq!(a.admin_facts().await.unwrap().policies.len(), 1);
        b.remove_policy("Kiosks", at, |_| event("policy.removed"))
            .await
            .unwrap();
        assert!(a.admin_facts().await.unwrap().policies.is_empty());

        // Its own write, and the other handle sees it too.
        a.set_integration(
            &integration("attended", false),
            at,
            event("admin.deactivate"),
        )
        .await
        .unwrap();
        for handle in [&a, &b] {
            let facts = handle.admin_facts().await.unwrap();
            assert_eq!(facts.integrations, vec![integration("attended", false)]);
            assert_eq!(facts.tenant.tier.as_deref(), Some("premium"));
        }

        // A one-shot command's store keeps nothing: each read is a new one, and current.
        let once = Store::open_with(
            &url,
            OpenOptions {
                single_connection: true,
            },
        )
        .await
        .unwrap();
        let read = once.admin_facts().await.unwrap();
        assert!(!Arc::ptr_eq(&read, &once.admin_facts().await.unwrap()));
        b.update_tenant(None, Some(9), at, event("admin.licences"))
            .await
            .unwrap();
        assert_eq!(
            once.admin_facts().await.unwrap().tenant.unattended_licences,
            9
        );
        assert_eq!(a.admin_facts().await.unwrap().tenant.unattended_licences, 9);
    }
}
