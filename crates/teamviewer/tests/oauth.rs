//! Sign-in: PKCE, state, the loopback listener, replay, timeout, cancel, denial.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use helpatwork_teamviewer::{
    AuthKind, CancellationToken, ErrorCode, InMemoryStore, Sensitive, SignInOptions,
    TeamViewerConfig, TeamViewerError, Url,
};
use helpatwork_teamviewer_sandbox::{AuthorizeMode, Endpoint};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{self, FakeBrowser, RecordingBrowser};

#[tokio::test]
async fn sign_in_stores_tokens_and_returns_account() {
    let sandbox = support::sandbox().await;
    let (client, store) = support::app_client(&sandbox);
    let browser = FakeBrowser::default();
    let account = client
        .sign_in(&browser, support::quick_sign_in())
        .await
        .expect("sign-in");
    assert_eq!(account.userid, "u11293276");
    assert_eq!(account.name, "Demo Supporter");
    assert_eq!(account.email.as_deref(), Some("demo.supporter@example.com"));
    assert_eq!(account.company_name.as_deref(), Some("Help@Work Demo"));
    assert_eq!(
        client.auth_kind().await.expect("auth kind"),
        Some(AuthKind::OAuth)
    );
    let stored = support::stored_tokens(&store).expect("tokens stored");
    let issued = sandbox.handle.issued_tokens();
    assert!(issued.contains(&stored["access_token"].as_str().expect("access").to_owned()));
    assert!(issued.contains(
        &stored["refresh_token"]
            .as_str()
            .expect("refresh")
            .to_owned()
    ));
    assert_eq!(browser.opened().len(), 1);
}

#[tokio::test]
async fn token_exchange_posts_documented_form_plus_pkce_verifier() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    support::sign_in(&client).await;
    let requests = sandbox.handle.token_requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].grant_type, "authorization_code");
    assert_eq!(
        requests[0].fields,
        [
            "client_id",
            "client_secret",
            "code",
            "code_verifier",
            "grant_type",
            "redirect_uri"
        ]
    );
    assert!(
        requests[0].granted,
        "the sandbox verified the S256 challenge against the verifier"
    );
}

#[tokio::test]
async fn authorize_request_carries_teamviewer_parameters_and_pkce() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let browser = FakeBrowser::default();
    client
        .sign_in(&browser, support::quick_sign_in())
        .await
        .expect("sign-in");
    let url = &browser.opened()[0];
    assert!(url.as_str().starts_with(&sandbox.login_url));
    for (name, value) in [
        ("response_type", "code"),
        ("client_id", sandbox.client_id.as_str()),
        ("display", "popup"),
        ("code_challenge_method", "S256"),
    ] {
        assert_eq!(support::param(url, name).as_deref(), Some(value), "{name}");
    }
    assert!(support::param(url, "state").is_some_and(|s| s.len() >= 16));
    assert!(support::param(url, "code_challenge").is_some_and(|c| c.len() == 43));
}

/// The RFC 7636 S256 relation is checked in the unit test `oauth::tests`; here the sandbox
/// checks it too: a sign-in only succeeds when the verifier hashes to the challenge.
#[tokio::test]
async fn pkce_challenge_is_s256_of_verifier() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier));
    assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    // A code issued for a challenge is refused with a wrong verifier.
    let sandbox = support::sandbox().await;
    let redirect = "http://127.0.0.1:9/callback";
    let authorize = Url::parse_with_params(
        &sandbox.login_url,
        [
            ("response_type", "code"),
            ("client_id", sandbox.client_id.as_str()),
            ("redirect_uri", redirect),
            ("display", "popup"),
            ("state", "st"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    )
    .expect("url");
    let code_for = |response: reqwest::Response| {
        let location = response.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned();
        support::param(&Url::parse(&location).expect("location"), "code").expect("code")
    };
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let code = code_for(
        no_redirects
            .get(authorize.clone())
            .send()
            .await
            .expect("authorize"),
    );
    let (status, body) = exchange(
        &sandbox,
        &code,
        redirect,
        "wrong-verifier-wrong-verifier-wrong-verifier",
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let code = code_for(no_redirects.get(authorize).send().await.expect("authorize"));
    let (status, body) = exchange(&sandbox, &code, redirect, verifier).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "bearer");
}

async fn exchange(
    sandbox: &helpatwork_teamviewer_sandbox::Sandbox,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> (u16, serde_json::Value) {
    support::post_token(
        sandbox,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", &sandbox.client_id),
            ("client_secret", &sandbox.client_secret),
            ("code_verifier", verifier),
        ],
    )
    .await
}

#[tokio::test]
async fn state_mismatch_rejected() {
    let sandbox = support::sandbox().await;
    let (client, store) = support::app_client(&sandbox);
    // A "browser" that answers with someone else's state.
    let forging = |url: &Url| {
        let mut forged = url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "state" {
                    "forged-state".to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        forged.query_pairs_mut().clear().extend_pairs(pairs);
        tokio::spawn(async move {
            let _ = reqwest::get(forged).await;
        });
        Ok(())
    };
    let err = client
        .sign_in(&forging, support::quick_sign_in())
        .await
        .expect_err("forged state");
    assert_eq!(err, TeamViewerError::OauthStateMismatch);
    assert_eq!(err.code(), ErrorCode::OauthStateMismatch);
    assert!(
        sandbox.handle.token_requests().is_empty(),
        "no code exchanged"
    );
    assert!(support::stored_tokens(&store).is_none());
}

#[tokio::test]
async fn redirect_accepted_only_on_loopback() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let (browser, opened) = RecordingBrowser::new();
    let signing_in = tokio::spawn({
        let client = client.clone();
        async move { client.sign_in(&browser, support::quick_sign_in()).await }
    });
    let url = opened.await.expect("browser opened");
    let redirect =
        Url::parse(&support::param(&url, "redirect_uri").expect("redirect_uri")).expect("url");
    assert_eq!(redirect.scheme(), "http");
    assert_eq!(redirect.host_str(), Some("127.0.0.1"));
    assert_eq!(redirect.path(), "/callback");
    let port = redirect.port().expect("explicit ephemeral port");
    assert_ne!(port, 0);
    // Bound to 127.0.0.1 only: another loopback address and IPv6 loopback find nothing.
    let other_v4 = TcpStream::connect(SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), port))).await;
    assert!(other_v4.is_err(), "listener must not be bound to 0.0.0.0");
    let v6 = TcpStream::connect(SocketAddr::from((Ipv6Addr::LOCALHOST, port))).await;
    assert!(v6.is_err(), "listener must not be bound to [::]");
    // The real browser round trip still completes.
    reqwest::get(url).await.expect("authorize + redirect");
    let account = signing_in.await.expect("task").expect("sign-in");
    assert_eq!(account.userid, "u11293276");
}

/// Sends a raw request to the listener and returns the status line.
async fn raw_get(port: u16, target: &str, host: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("listener");
    let request = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    response.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn exact_callback_path_and_host_are_enforced() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let (browser, opened) = RecordingBrowser::new();
    let signing_in = tokio::spawn({
        let client = client.clone();
        async move { client.sign_in(&browser, support::quick_sign_in()).await }
    });
    let url = opened.await.expect("browser opened");
    let state = support::param(&url, "state").expect("state");
    let redirect =
        Url::parse(&support::param(&url, "redirect_uri").expect("redirect")).expect("url");
    let port = redirect.port().expect("port");
    let host = format!("127.0.0.1:{port}");
    let query = format!("code=x&state={state}");
    assert!(raw_get(port, &format!("/callback/?{query}"), &host)
        .await
        .contains("404"));
    assert!(raw_get(port, &format!("/Callback?{query}"), &host)
        .await
        .contains("404"));
    assert!(raw_get(port, &format!("/?{query}"), &host)
        .await
        .contains("404"));
    assert!(raw_get(port, "/favicon.ico", &host).await.contains("404"));
    // DNS rebinding: a foreign Host header is refused.
    assert!(raw_get(
        port,
        &format!("/callback?{query}"),
        &format!("evil.example:{port}")
    )
    .await
    .contains("400"));
    // None of that ended the sign-in; the real redirect does.
    reqwest::get(url).await.expect("authorize + redirect");
    signing_in
        .await
        .expect("task")
        .expect("sign-in after refused requests");
}

#[tokio::test]
async fn code_replay_rejected() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let (browser, opened) = RecordingBrowser::new();
    let signing_in = tokio::spawn({
        let client = client.clone();
        async move { client.sign_in(&browser, support::quick_sign_in()).await }
    });
    let url = opened.await.expect("browser opened");
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = no_redirects.get(url).send().await.expect("authorize");
    let callback =
        Url::parse(login.headers()["location"].to_str().expect("ascii")).expect("callback url");
    let first = reqwest::get(callback.clone())
        .await
        .expect("first redirect");
    assert_eq!(first.status(), 200);
    assert!(first
        .text()
        .await
        .expect("page")
        .contains("You can close this tab"));
    signing_in.await.expect("task").expect("sign-in");
    // The listener is gone: the same redirect finds nothing listening.
    assert!(
        reqwest::get(callback.clone()).await.is_err(),
        "second use of the listener"
    );
    // And the code itself is single-use at the token endpoint.
    let code = support::param(&callback, "code").expect("code");
    let redirect_uri = format!(
        "http://127.0.0.1:{}/callback",
        callback.port().expect("port")
    );
    let (status, body) = support::post_token(
        &sandbox,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &redirect_uri),
            ("client_id", &sandbox.client_id),
            ("client_secret", &sandbox.client_secret),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn sign_in_times_out() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let ignoring = |_: &Url| Ok(());
    let options = SignInOptions {
        timeout: Duration::from_millis(150),
        ..SignInOptions::default()
    };
    let err = client
        .sign_in(&ignoring, options)
        .await
        .expect_err("nobody signs in");
    assert_eq!(err.code(), ErrorCode::OauthTimeout);
}

#[tokio::test]
async fn sign_in_can_be_cancelled() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let cancel = CancellationToken::new();
    let canceller = cancel.clone();
    let cancelling = move |_: &Url| {
        canceller.cancel();
        Ok(())
    };
    let options = SignInOptions {
        timeout: Duration::from_secs(30),
        cancel,
    };
    let err = client
        .sign_in(&cancelling, options)
        .await
        .expect_err("cancelled");
    assert_eq!(err, TeamViewerError::OauthCancelled);
}

#[tokio::test]
async fn sign_in_denied_by_the_user() {
    let sandbox = support::sandbox().await;
    sandbox.handle.set_authorize(AuthorizeMode::Deny);
    let (client, store) = support::app_client(&sandbox);
    let err = client
        .sign_in(&FakeBrowser::default(), support::quick_sign_in())
        .await
        .expect_err("denied");
    assert_eq!(
        err,
        TeamViewerError::OauthDenied {
            reason: "access_denied".to_owned()
        }
    );
    assert!(support::stored_tokens(&store).is_none());
}

#[tokio::test]
async fn wrong_client_secret_is_invalid_client() {
    let sandbox = support::sandbox().await;
    let config = TeamViewerConfig::for_service(&sandbox.base_url, &sandbox.login_url)
        .expect("config")
        .with_app(sandbox.client_id.clone(), Sensitive::from("not-the-secret"));
    let client = support::client(
        config,
        std::sync::Arc::new(InMemoryStore::new()),
        support::fast_options(),
    );
    let err = client
        .sign_in(&FakeBrowser::default(), support::quick_sign_in())
        .await
        .expect_err("bad secret");
    assert_eq!(err, TeamViewerError::InvalidClient);
    assert_eq!(
        sandbox.handle.request_count(Endpoint::Token),
        1,
        "never retried"
    );
}

#[tokio::test]
async fn sign_in_without_an_app_is_not_configured() {
    let sandbox = support::sandbox().await;
    let config =
        TeamViewerConfig::for_service(&sandbox.base_url, &sandbox.login_url).expect("config");
    let client = support::client(
        config,
        std::sync::Arc::new(InMemoryStore::new()),
        support::fast_options(),
    );
    let err = client
        .sign_in(&FakeBrowser::default(), support::quick_sign_in())
        .await
        .expect_err("no app");
    assert_eq!(err.code(), ErrorCode::NotConfigured);
    assert!(err.to_string().contains("HELPATWORK_TEAMVIEWER_CLIENT_ID"));
    assert_eq!(sandbox.handle.request_count(Endpoint::Authorize), 0);
}

#[tokio::test]
async fn browser_that_cannot_open_is_typed() {
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let broken = |_: &Url| Err("no browser installed".to_owned());
    let err = client
        .sign_in(&broken, support::quick_sign_in())
        .await
        .expect_err("no browser");
    assert_eq!(err.code(), ErrorCode::BrowserOpenFailed);
    assert!(!err.fix().is_empty());
}

#[tokio::test]
async fn a_refused_code_exchange_asks_to_sign_in_again() {
    // Hardening finding 14: TeamViewer refusing the code at the token endpoint was a service
    // failure (exit 5); the agent must simply sign in again (exit 4).
    let sandbox = support::sandbox().await;
    let (client, _store) = support::app_client(&sandbox);
    let (browser, opened) = RecordingBrowser::new();
    let signing_in = tokio::spawn({
        let client = client.clone();
        async move { client.sign_in(&browser, support::quick_sign_in()).await }
    });
    let url = opened.await.expect("browser opened");
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = no_redirects.get(url).send().await.expect("authorize");
    let callback =
        Url::parse(login.headers()["location"].to_str().expect("ascii")).expect("callback url");
    sandbox.handle.expire_authorization_codes();
    let _ = reqwest::get(callback).await;
    let err = signing_in.await.expect("task").expect_err("refused");
    assert_eq!(err.code(), ErrorCode::OauthDenied, "{err:?}");
    assert!(err.fix().contains("sign-in again"), "{}", err.fix());
}
