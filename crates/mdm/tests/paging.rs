//! Device search paging (docs/reference/mdm-apis.md §2.3): `rows` ≤ 500, `start` advanced until `totalCount`.

use helpatwork_mdm::{collect_fleet, IvantiOptions, MdmConnector, PageCursor};

use crate::support::{self, fake_ivanti, searches};

#[tokio::test]
async fn paging_1234_devices_with_rows_500_takes_three_requests() {
    let fake = fake_ivanti(1234).await;
    let connector = support::connector(&fake);
    let mut progress = Vec::new();
    let fleet = collect_fleet(&connector, 500, |p| progress.push((p.read, p.total)))
        .await
        .expect("fleet");
    assert_eq!(fleet.devices.len(), 1234);
    assert_eq!(fleet.pages, 3);
    assert_eq!(progress, vec![(500, 1234), (1000, 1234), (1234, 1234)]);
    let pages: Vec<(String, String)> = searches(&fake)
        .iter()
        .map(|r| {
            (
                r.query_param("start").expect("start"),
                r.query_param("rows").expect("rows"),
            )
        })
        .collect();
    assert_eq!(
        pages,
        vec![
            ("0".to_owned(), "500".to_owned()),
            ("500".to_owned(), "500".to_owned()),
            ("1000".to_owned(), "500".to_owned())
        ]
    );
    let first = &fleet.devices[0];
    let last = &fleet.devices[1233];
    assert_eq!(first.id, "1000000");
    assert_eq!(last.id, "1001233");
}

#[tokio::test]
async fn each_page_reports_the_next_cursor_until_start_reaches_total_count() {
    let fake = fake_ivanti(1234).await;
    let connector = support::connector(&fake);
    let first = connector
        .devices_page(PageCursor::START, 500)
        .await
        .expect("page 1");
    assert_eq!((first.devices.len(), first.total), (500, 1234));
    assert_eq!(first.next, Some(PageCursor(500)));
    let last = connector
        .devices_page(PageCursor(1000), 500)
        .await
        .expect("page 3");
    assert_eq!(last.devices.len(), 234);
    assert_eq!(last.next, None);
}

#[tokio::test]
async fn rows_above_500_are_clamped_to_500() {
    let fake = fake_ivanti(1234).await;
    let connector = support::connector(&fake);
    let page = connector
        .devices_page(PageCursor::START, 10_000)
        .await
        .expect("clamped page, not a 400");
    assert_eq!(page.devices.len(), 500);
    assert_eq!(page.next, Some(PageCursor(500)));
    let sent = searches(&fake);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].query_param("rows").as_deref(), Some("500"));
}

#[tokio::test]
async fn rows_zero_is_sent_as_one() {
    let fake = fake_ivanti(3).await;
    let connector = support::connector(&fake);
    let page = connector
        .devices_page(PageCursor::START, 0)
        .await
        .expect("page");
    assert_eq!(page.devices.len(), 1);
    assert_eq!(searches(&fake)[0].query_param("rows").as_deref(), Some("1"));
}

#[tokio::test]
async fn the_search_sends_the_documented_parameters_in_order() {
    let fake = fake_ivanti(3).await;
    let connector = support::connector(&fake);
    connector
        .devices_page(PageCursor(2), 25)
        .await
        .expect("page");
    let sent = &searches(&fake)[0];
    assert_eq!(sent.method, "GET");
    assert_eq!(sent.path, "/api/v1/device");
    assert!(sent.authorized);
    let names: Vec<String> = sent.query_pairs().into_iter().map(|(k, _)| k).collect();
    assert_eq!(names, ["q", "rows", "start", "dmPartitionId"]);
    assert_eq!(sent.query_param("q").as_deref(), Some(""));
    assert_eq!(sent.query_param("start").as_deref(), Some("2"));
    assert_eq!(sent.query_param("dmPartitionId").as_deref(), Some("100001"));
}

#[tokio::test]
async fn a_configured_filter_is_sent_as_fq() {
    let fake = fake_ivanti(200).await;
    let connector = support::connector_with(
        &fake,
        IvantiOptions {
            filter: Some("platformType=IOS and registrationState=ACTIVE".to_owned()),
            ..support::fast_options()
        },
    );
    let fleet = collect_fleet(&connector, 500, |_| {}).await.expect("fleet");
    assert!(!fleet.devices.is_empty());
    assert!(fleet
        .devices
        .iter()
        .all(|d| d.platform == helpatwork_domain::device::Platform::Ios));
    assert_eq!(
        searches(&fake)[0].query_param("fq").as_deref(),
        Some("platformType=IOS and registrationState=ACTIVE")
    );
}

#[tokio::test]
async fn an_empty_fleet_is_one_empty_page() {
    let fake = fake_ivanti(0).await;
    let connector = support::connector(&fake);
    let fleet = collect_fleet(&connector, 500, |_| {}).await.expect("fleet");
    assert!(fleet.devices.is_empty());
    assert_eq!(fleet.pages, 1);
}

#[tokio::test]
async fn a_server_that_caps_rows_skips_nothing() {
    // Reference §2.3: some lists return only 50 rows whatever `rows` asks. Advancing `start`
    // by `rows` would skip 450 records per page; the connector advances by what it got.
    let fake = fake_ivanti(120).await;
    fake.handle.set_page_cap(Some(50));
    let connector = support::connector(&fake);
    let fleet = collect_fleet(&connector, 500, |_| {}).await.expect("fleet");
    assert_eq!(fleet.devices.len(), 120);
    assert_eq!(fleet.pages, 3);
    let starts: Vec<String> = searches(&fake)
        .iter()
        .filter_map(|r| r.query_param("start"))
        .collect();
    assert_eq!(starts, ["0", "50", "100"]);
}
