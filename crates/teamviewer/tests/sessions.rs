//! Sessions ("service cases"): create, get, list with paging, update, close.

use chrono::{Duration as ChronoDuration, Utc};
use helpatwork_teamviewer::{
    CaseState, EndCustomer, ErrorCode, NewSession, SessionCode, SessionGroup, SessionQuery,
    SessionUpdate, StateFilter,
};
use helpatwork_teamviewer_sandbox::Endpoint;

use crate::support;

fn looks_like_code(code: &str) -> bool {
    SessionCode::parse(code).is_ok()
}

#[tokio::test]
async fn create_session_returns_validated_links() {
    let (sandbox, client, _store) = support::signed_in().await;
    let new = NewSession {
        description: Some("Pixel 8 of Ana: Wi-Fi".to_owned()),
        end_customer: Some(EndCustomer {
            name: Some("Ana Souza".to_owned()),
            email: Some("ana@example.com".to_owned()),
        }),
        waiting_message: Some("An agent will join shortly.".to_owned()),
        ..NewSession::default()
    };
    let session = client.create_session(&new).await.expect("create");

    assert!(looks_like_code(session.code.as_str()));
    assert_eq!(session.state, CaseState::Open);
    assert!(!session.online);
    let digits = session.code.as_str().replace('-', "");
    let end_customer = session
        .end_customer_link
        .as_ref()
        .expect("end customer link");
    assert_eq!(
        end_customer.as_str(),
        format!("https://get.teamviewer.com/v15/{digits}")
    );
    let supporter = session.supporter_link.as_ref().expect("supporter link");
    assert_eq!(supporter.scheme(), "https");
    assert!(supporter.path().starts_with(&format!("/v15/{digits}-")));
    let web = session.webclient_supporter_link.as_ref().expect("web link");
    assert_eq!(web.host_str(), Some("login.teamviewer.com"));
    let created = session.created_at.expect("created_at");
    let valid_until = session.valid_until.expect("valid_until");
    assert_eq!(valid_until - created, ChronoDuration::hours(24));
    assert_eq!(session.end_customer, new.end_customer);
    assert_eq!(session.description, new.description);

    let stored = sandbox
        .handle
        .session(session.code.as_str())
        .expect("in the sandbox");
    assert_eq!(stored.waiting_message, new.waiting_message);
    assert_eq!(sandbox.handle.sessions_created(), 1);
}

#[tokio::test]
async fn create_uses_the_group_it_is_given() {
    let (_sandbox, client, _store) = support::signed_in().await;
    let first = client
        .create_session(&NewSession::default())
        .await
        .expect("by name");
    let groupid = first.groupid.clone().expect("groupid");
    assert!(groupid.starts_with('g'));
    let until = Utc::now() + ChronoDuration::hours(2);
    let second = client
        .create_session(&NewSession {
            group: SessionGroup::Id(groupid.clone()),
            valid_until: Some(until),
            custom_api: Some("{\"device\":\"42\"}".to_owned()),
            ..NewSession::default()
        })
        .await
        .expect("by id");
    assert_eq!(second.groupid.as_deref(), Some(groupid.as_str()));
    let got = second.valid_until.expect("valid_until");
    assert!((got - until).num_seconds().abs() <= 1);
    assert_eq!(second.custom_api.as_deref(), Some("{\"device\":\"42\"}"));

    let unknown = client
        .create_session(&NewSession {
            group: SessionGroup::Id("g1".to_owned()),
            ..NewSession::default()
        })
        .await
        .expect_err("unknown group id");
    assert_eq!(unknown.code(), ErrorCode::InvalidRequest);
}

#[tokio::test]
async fn get_session_returns_the_created_object() {
    let (sandbox, client, _store) = support::signed_in().await;
    let created = client
        .create_session(&NewSession::default())
        .await
        .expect("create");
    assert!(sandbox.handle.set_online(created.code.as_str(), true));
    let got = client.session(&created.code).await.expect("get");
    assert_eq!(got.code, created.code);
    assert_eq!(got.supporter_link, created.supporter_link);
    assert!(got.online, "end customer connected");
}

#[tokio::test]
async fn list_follows_next_offset() {
    let (sandbox, client, _store) = support::signed_in().await;
    sandbox.handle.set_page_size(2);
    let mut codes = Vec::new();
    for _ in 0..5 {
        codes.push(
            client
                .create_session(&NewSession::default())
                .await
                .expect("create")
                .code,
        );
    }
    sandbox.handle.clear_requests();

    let listed = client
        .list_sessions(&SessionQuery::default())
        .await
        .expect("list");

    let newest_first: Vec<_> = codes.iter().rev().cloned().collect();
    assert_eq!(
        listed.iter().map(|s| s.code.clone()).collect::<Vec<_>>(),
        newest_first
    );
    let requests: Vec<_> = sandbox
        .handle
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Endpoint::ListSessions))
        .collect();
    assert_eq!(requests.len(), 3, "pages of 2, 2 and 1");
    assert_eq!(requests[0].query.as_deref(), Some("state=open"));
    assert_eq!(
        requests[1].query.as_deref(),
        Some(format!("state=open&offset={}", newest_first[1]).as_str())
    );
    assert_eq!(
        requests[2].query.as_deref(),
        Some(format!("state=open&offset={}", newest_first[3]).as_str())
    );
}

#[tokio::test]
async fn list_filters_by_state_and_full_list_adds_links() {
    let (_sandbox, client, _store) = support::signed_in().await;
    let a = client
        .create_session(&NewSession::default())
        .await
        .expect("a");
    let b = client
        .create_session(&NewSession::default())
        .await
        .expect("b");
    client.close_session(&a.code).await.expect("close a");

    let open = client
        .list_sessions(&SessionQuery::default())
        .await
        .expect("open");
    assert_eq!(
        open.iter().map(|s| &s.code).collect::<Vec<_>>(),
        vec![&b.code]
    );
    assert!(
        open[0].supporter_link.is_none(),
        "short list items have no links"
    );
    let closed = client
        .list_sessions(&SessionQuery {
            state: StateFilter::Closed,
            ..SessionQuery::default()
        })
        .await
        .expect("closed");
    assert_eq!(
        closed.iter().map(|s| &s.code).collect::<Vec<_>>(),
        vec![&a.code]
    );
    let all = client
        .list_sessions(&SessionQuery {
            state: StateFilter::All,
            full_list: true,
            ..SessionQuery::default()
        })
        .await
        .expect("all");
    assert_eq!(all.len(), 2);
    assert!(all
        .iter()
        .all(|s| s.supporter_link.is_some() && s.created_at.is_some()));
    let closed_a = all.iter().find(|s| s.code == a.code).expect("a listed");
    assert_eq!(closed_a.state, helpatwork_teamviewer::CaseState::Closed);
    assert!(closed_a.closed_at.is_some());
}

#[tokio::test]
async fn update_and_close_session() {
    let (sandbox, client, _store) = support::signed_in().await;
    let session = client
        .create_session(&NewSession::default())
        .await
        .expect("create");
    client
        .update_session(
            &session.code,
            &SessionUpdate {
                description: Some("Escalated to L2".to_owned()),
                ..SessionUpdate::default()
            },
        )
        .await
        .expect("update");
    assert_eq!(
        sandbox
            .handle
            .session(session.code.as_str())
            .expect("kept")
            .description
            .as_deref(),
        Some("Escalated to L2")
    );

    client.close_session(&session.code).await.expect("close");

    let closed = client.session(&session.code).await.expect("get");
    assert_eq!(closed.state, CaseState::Closed);
    assert!(closed.closed_at.is_some());
    // Reopening is allowed until valid_until.
    client
        .update_session(
            &session.code,
            &SessionUpdate {
                state: Some(CaseState::Open),
                ..SessionUpdate::default()
            },
        )
        .await
        .expect("reopen");
    assert_eq!(
        client.session(&session.code).await.expect("get").state,
        CaseState::Open
    );
}

#[tokio::test]
async fn invalid_session_code_rejected_before_request() {
    for bad in [
        "s1-234-567",
        "s12-345-678/../../account",
        "12-345-678",
        "s12-345-6789",
    ] {
        let err = SessionCode::parse(bad).expect_err(bad);
        assert_eq!(err.code(), ErrorCode::InvalidRequest);
    }
    assert!(SessionCode::parse("s12-345-678").is_ok());
}

#[tokio::test]
async fn new_session_limits_are_checked_before_request() {
    let (sandbox, client, _store) = support::signed_in().await;
    let too_long = NewSession {
        end_customer: Some(EndCustomer {
            name: Some("n".repeat(101)),
            email: None,
        }),
        ..NewSession::default()
    };
    let err = client
        .create_session(&too_long)
        .await
        .expect_err("name too long");
    assert_eq!(err.code(), ErrorCode::InvalidRequest);
    assert_eq!(sandbox.handle.request_count(Endpoint::CreateSession), 0);
}

#[tokio::test]
async fn unknown_session_is_invalid_request() {
    let (_sandbox, client, _store) = support::signed_in().await;
    let code = SessionCode::parse("s999-999-999").expect("valid shape");
    let err = client.session(&code).await.expect_err("unknown");
    assert_eq!(err.code(), ErrorCode::InvalidRequest);
}
