//! The shared transport against a local server: credentials and headers sent, bodies capped,
//! redirects not followed, timeouts and refused connections told apart.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use axum::body::{Body as AxumBody, Bytes};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{any, get};
use axum::Router;
use helpatwork_net::{Auth, Body, HttpLimits, Sensitive, Transport, TransportError};
use reqwest::Method;
use url::Url;

async fn echo(headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    axum::Json(serde_json::json!({
        "authorization": text(header::AUTHORIZATION),
        "accept": text(header::ACCEPT),
        "content_type": text(header::CONTENT_TYPE),
        "user_agent": text(header::USER_AGENT),
        "body": String::from_utf8_lossy(&body),
    }))
}

async fn server() -> String {
    let chunked = || async {
        let chunks = (0..8).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; 400])));
        AxumBody::from_stream(futures_util::stream::iter(chunks))
    };
    let router = Router::new()
        .route("/echo", any(echo))
        .route("/big", get(|| async { vec![b'x'; 2000] }))
        .route("/chunked", get(chunked))
        .route("/redirect", get(|| async { Redirect::temporary("/echo") }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                "late"
            }),
        )
        .route(
            "/refused",
            get(|| async { (StatusCode::BAD_REQUEST, r#"{"error":"invalid_request"}"#) }),
        )
        .route(
            "/huge-error",
            get(|| async { (StatusCode::BAD_GATEWAY, vec![b'<'; 100 * 1024]) }),
        );
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

fn transport() -> Transport {
    Transport::new(&HttpLimits {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(500),
        max_body_bytes: 1000,
    })
    .unwrap()
}

fn url(base: &str, path: &str) -> Url {
    Url::parse(&format!("{base}{path}")).unwrap()
}

#[tokio::test]
async fn credentials_headers_and_bodies_are_sent() {
    let base = server().await;
    let password = Sensitive::from("pw");
    let basic = Auth::Basic {
        user: "api",
        password: &password,
    };
    let reply = transport()
        .send(
            basic,
            Method::PUT,
            url(&base, "/echo"),
            Some(Body::Form("ids=1".into())),
        )
        .await
        .unwrap();
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type.unwrap(), "application/json");
    let seen: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(seen["authorization"], "Basic YXBpOnB3");
    assert_eq!(seen["accept"], "application/json");
    assert_eq!(seen["content_type"], "application/x-www-form-urlencoded");
    assert_eq!(seen["body"], "ids=1");
    assert!(seen["user_agent"]
        .as_str()
        .unwrap()
        .starts_with("helpatwork-desk/"));

    let token = Sensitive::from("t0ken");
    let reply = transport()
        .send(
            Auth::Bearer(&token),
            Method::POST,
            url(&base, "/echo"),
            Some(Body::Json(b"{}".to_vec())),
        )
        .await
        .unwrap();
    let seen: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(seen["authorization"], "Bearer t0ken");
    assert_eq!(seen["content_type"], "application/json");
}

#[tokio::test]
async fn bodies_past_the_cap_are_refused_announced_or_streamed() {
    let base = server().await;
    let token = Sensitive::from("t");
    for path in ["/big", "/chunked"] {
        let err = transport()
            .send(Auth::Bearer(&token), Method::GET, url(&base, path), None)
            .await
            .unwrap_err();
        assert_eq!(err, TransportError::TooLarge { max: 1000 }, "{path}");
    }
}

#[tokio::test]
async fn error_statuses_keep_a_capped_body_and_redirects_are_not_followed() {
    let base = server().await;
    let token = Sensitive::from("t");
    let send = |path: &'static str| {
        let base = base.clone();
        let token = token.clone();
        async move {
            transport()
                .send(Auth::Bearer(&token), Method::GET, url(&base, path), None)
                .await
                .unwrap_err()
        }
    };
    assert_eq!(
        send("/refused").await,
        TransportError::Status {
            status: 400,
            body: br#"{"error":"invalid_request"}"#.to_vec(),
            retry_after: None,
        }
    );
    assert_eq!(
        send("/huge-error").await,
        TransportError::Status {
            status: 502,
            body: Vec::new(),
            retry_after: None,
        },
        "an error body past 64 KiB maps by status alone"
    );
    assert!(matches!(
        send("/redirect").await,
        TransportError::Status { status: 307, .. }
    ));
}

#[tokio::test]
async fn timeouts_and_refused_connections_are_told_apart() {
    let base = server().await;
    let token = Sensitive::from("t");
    let err = transport()
        .send(Auth::Bearer(&token), Method::GET, url(&base, "/slow"), None)
        .await
        .unwrap_err();
    assert_eq!(err, TransportError::Timeout);

    let closed = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let err = transport()
        .send(
            Auth::Bearer(&token),
            Method::GET,
            url(&format!("http://{addr}"), "/"),
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, TransportError::Connection { .. }), "{err:?}");
}

#[tokio::test]
async fn a_prepared_request_runs_with_the_same_limits() {
    let base = server().await;
    let request = reqwest::Request::new(Method::GET, url(&base, "/big"));
    assert_eq!(
        transport().execute(request).await.unwrap_err(),
        TransportError::TooLarge { max: 1000 }
    );
    let request = reqwest::Request::new(Method::GET, url(&base, "/echo"));
    let reply = transport().execute(request).await.unwrap();
    assert_eq!(reply.status, StatusCode::OK);
}
