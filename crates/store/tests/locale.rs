//! A device's locale is stored with it: a reported one comes back as written, an unreported one
//! stays unknown, an import or a sync that changes it rewrites the row. On SQLite and (with
//! `HELPATWORK_TEST_POSTGRES_URL`) PostgreSQL.

mod support;

use helpatwork_domain::Platform;
use support::{device, stores};

#[tokio::test]
async fn locale_round_trips_and_unknown_stays_unknown() {
    for (_d, s) in stores().await {
        let mut brazilian = device("c1", "Caixa 1", Platform::Android);
        brazilian.locale = Some("pt-BR".into());
        let mut american = device("c2", "Caixa 2", Platform::Ios);
        american.locale = Some("en_US".into());
        let unknown = device("c3", "Caixa 3", Platform::Android);
        let fleet = [brazilian.clone(), american.clone(), unknown.clone()];
        assert_eq!(
            s.upsert_devices(&fleet, "embedded").await.unwrap().inserted,
            3
        );
        assert_eq!(s.device("c1").await.unwrap().unwrap(), brazilian);
        assert_eq!(
            s.device("c2").await.unwrap().unwrap().locale.as_deref(),
            Some("en_US")
        );
        assert_eq!(s.device("c3").await.unwrap().unwrap().locale, None);

        // The same fleet again changes nothing; a changed locale rewrites the row (a sync's
        // upsert as an import's), and a source that stops reporting it makes it unknown.
        assert_eq!(
            s.upsert_devices(&fleet, "embedded")
                .await
                .unwrap()
                .unchanged,
            3
        );
        brazilian.locale = Some("en-GB".into());
        let mut forgotten = american.clone();
        forgotten.locale = None;
        let again = s
            .upsert_seen_devices(&[brazilian.clone(), forgotten.clone()], "mdm", "run-1")
            .await
            .unwrap();
        assert_eq!(again.updated, 2);
        assert_eq!(s.device("c1").await.unwrap().unwrap(), brazilian);
        assert_eq!(s.device("c2").await.unwrap().unwrap().locale, None);

        // The fleet as an export or the embedded MDM reads it carries it too.
        let page = s.fleet_page(0, 10).await.unwrap();
        let locales: Vec<_> = page.devices.iter().map(|d| d.locale.clone()).collect();
        assert_eq!(locales, vec![Some("en-GB".to_string()), None, None]);
    }
}
