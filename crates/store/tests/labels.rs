//! A device's MDM labels are stored with it: a list (possibly empty) comes back as written, an
//! unreported one stays unknown, an import or a sync that changes them rewrites the row. On
//! SQLite and (with `HELPATWORK_TEST_POSTGRES_URL`) PostgreSQL.

mod support;

use helpatwork_domain::Platform;
use helpatwork_store::DeviceQuery;
use support::{device, stores};

#[tokio::test]
async fn labels_round_trip_and_unknown_stays_unknown() {
    for (_d, s) in stores().await {
        let mut labelled = device("l1", "Scanner 1", Platform::Android);
        labelled.labels = Some(vec![
            "Warehouse".into(),
            "Store 12".into(),
            "Loja São Paulo".into(),
        ]);
        let mut none = device("l2", "Scanner 2", Platform::Android);
        none.labels = Some(vec![]);
        let unknown = device("l3", "Scanner 3", Platform::Android);
        let fleet = [labelled.clone(), none.clone(), unknown.clone()];
        let first = s.upsert_devices(&fleet, "embedded").await.unwrap();
        assert_eq!(first.inserted, 3);
        assert_eq!(s.device("l1").await.unwrap().unwrap(), labelled);
        assert_eq!(s.device("l2").await.unwrap().unwrap().labels, Some(vec![]));
        assert_eq!(s.device("l3").await.unwrap().unwrap().labels, None);

        // The same fleet again changes nothing; a changed label list rewrites the row (a sync's
        // upsert as an import's), and a source that stops reporting labels makes them unknown.
        assert_eq!(
            s.upsert_devices(&fleet, "embedded")
                .await
                .unwrap()
                .unchanged,
            3
        );
        labelled.labels = Some(vec!["Store 12".into()]);
        let mut forgotten = none.clone();
        forgotten.labels = None;
        let again = s
            .upsert_seen_devices(&[labelled.clone(), forgotten.clone()], "mdm", "run-1")
            .await
            .unwrap();
        assert_eq!(again.updated, 2);
        assert_eq!(s.device("l1").await.unwrap().unwrap(), labelled);
        assert_eq!(s.device("l2").await.unwrap().unwrap().labels, None);

        // The list still pages in one query per page, labels or not.
        let page = s
            .list_devices(&DeviceQuery {
                search: Some("scanner".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(page.items.len(), 3);
    }
}
