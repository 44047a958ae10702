//! The sandbox speaks the documented wire format (docs/reference/teamviewer-web-api.md §2–§5), checked with raw HTTP.

use std::time::{Duration, Instant};

use helpatwork_teamviewer_sandbox::{spawn, Endpoint, Failure, Sandbox, SandboxOptions};
use serde_json::{json, Value};

async fn sandbox() -> Sandbox {
    spawn(SandboxOptions::default())
        .await
        .expect("sandbox starts")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn missing_token_is_401_with_www_authenticate() {
    let sandbox = sandbox().await;
    let response = http()
        .get(format!("{}/account", sandbox.base_url))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (_, body) = json_of(response).await;
    assert_eq!(body["error"], "invalid_token");
}

#[tokio::test]
async fn expired_token_body_is_the_documented_one() {
    let sandbox = sandbox().await;
    let tokens = sandbox.handle.issue_tokens();
    sandbox.handle.expire_access_tokens();
    let response = http()
        .get(format!("{}/account", sandbox.base_url))
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .expect("answer");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"error": "token_expired", "error_code": 1, "error_description": "The access token expired"})
    );
}

#[tokio::test]
async fn ping_reports_token_validity() {
    let sandbox = sandbox().await;
    let tokens = sandbox.handle.issue_tokens();
    let ping = |token: Option<String>| {
        let mut request = http().get(format!("{}/ping", sandbox.base_url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move { json_of(request.send().await.expect("answer")).await }
    };
    assert_eq!(
        ping(Some(tokens.access_token.clone())).await,
        (200, json!({"token_valid": true}))
    );
    assert_eq!(ping(None).await, (200, json!({"token_valid": false})));
    sandbox.handle.expire_access_tokens();
    assert_eq!(
        ping(Some(tokens.access_token)).await,
        (200, json!({"token_valid": false}))
    );
}

#[tokio::test]
async fn token_grants_rotate_and_answer_no_store() {
    let sandbox = sandbox().await;
    let tokens = sandbox.handle.issue_tokens();
    let refresh = |token: String| {
        let form = [
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", token),
            ("client_id", sandbox.client_id.clone()),
            ("client_secret", sandbox.client_secret.clone()),
        ];
        let request = http()
            .post(format!("{}/oauth2/token", sandbox.base_url))
            .form(&form);
        async move { request.send().await.expect("answer") }
    };
    let response = refresh(tokens.refresh_token.clone()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["pragma"], "no-cache");
    let (_, body) = json_of(response).await;
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 86400);
    assert_ne!(body["refresh_token"], json!(tokens.refresh_token));
    let (status, body) = json_of(refresh(tokens.refresh_token.clone()).await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    assert_eq!(
        sandbox.handle.refresh_tokens_used(),
        vec![tokens.refresh_token]
    );
}

#[tokio::test]
async fn wrong_client_secret_is_invalid_client() {
    let sandbox = sandbox().await;
    let tokens = sandbox.handle.issue_tokens();
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
        ("client_id", sandbox.client_id.as_str()),
        ("client_secret", "wrong"),
    ];
    let response = http()
        .post(format!("{}/oauth2/token", sandbox.base_url))
        .form(&form)
        .send()
        .await
        .expect("answer");
    let (status, body) = json_of(response).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_client"))
    );
    assert!(
        sandbox.handle.refresh_tokens_used().is_empty(),
        "the refresh token is not spent"
    );
}

/// Runs the authorize page and returns the redirect it answers with.
async fn authorize(sandbox: &Sandbox, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", sandbox.client_id.as_str()),
        ("redirect_uri", "http://127.0.0.1:4567/callback"),
        ("display", "popup"),
        ("state", "s-1"),
    ];
    for (k, v) in extra {
        params.retain(|(name, _)| name != k);
        if !v.is_empty() {
            params.push((k, v));
        }
    }
    http()
        .get(&sandbox.login_url)
        .query(&params)
        .send()
        .await
        .expect("answer")
}

fn location(response: &reqwest::Response) -> url::Url {
    url::Url::parse(response.headers()["location"].to_str().expect("ascii")).expect("url")
}

fn param(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn authorize_redirects_with_code_and_state_or_error() {
    let sandbox = sandbox().await;
    let ok = authorize(&sandbox, &[]).await;
    assert_eq!(ok.status(), 302);
    let back = location(&ok);
    assert_eq!(
        back.as_str().split('?').next(),
        Some("http://127.0.0.1:4567/callback")
    );
    assert_eq!(param(&back, "state").as_deref(), Some("s-1"));
    assert!(param(&back, "code").is_some());

    let no_popup = location(&authorize(&sandbox, &[("display", "")]).await);
    assert_eq!(
        param(&no_popup, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(param(&no_popup, "state").as_deref(), Some("s-1"));

    sandbox
        .handle
        .set_authorize(helpatwork_teamviewer_sandbox::AuthorizeMode::Deny);
    let denied = location(&authorize(&sandbox, &[]).await);
    assert_eq!(param(&denied, "error").as_deref(), Some("access_denied"));
    assert!(param(&denied, "code").is_none());
}

#[tokio::test]
async fn unregistered_redirect_is_never_followed() {
    let sandbox = sandbox().await;
    for redirect in ["https://evil.example/cb", "http://10.0.0.1:80/cb"] {
        let response = authorize(&sandbox, &[("redirect_uri", redirect)]).await;
        assert_eq!(response.status(), 400, "{redirect}");
        assert!(response.headers().get("location").is_none());
    }
    let response = authorize(&sandbox, &[("client_id", "someone-else")]).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn authorization_codes_expire_after_ten_minutes() {
    let sandbox = sandbox().await;
    let code = param(&location(&authorize(&sandbox, &[]).await), "code").expect("code");
    sandbox.handle.expire_authorization_codes();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:4567/callback"),
        ("client_id", sandbox.client_id.as_str()),
        ("client_secret", sandbox.client_secret.as_str()),
    ];
    let response = http()
        .post(format!("{}/oauth2/token", sandbox.base_url))
        .form(&form)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn sessions_follow_the_documented_shapes() {
    let sandbox = sandbox().await;
    sandbox.handle.set_page_size(1);
    let token = sandbox.handle.issue_tokens().access_token;
    let client = http();
    let create = |body: Value| {
        let request = client
            .post(format!("{}/sessions", sandbox.base_url))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.expect("answer") }
    };
    let response = create(json!({"groupname": "Help@Work", "description": "d"})).await;
    assert_eq!(response.status(), 200);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let (_, first) = json_of(response).await;
    let code = first["code"].as_str().expect("code").to_owned();
    assert_eq!(location, format!("{}/sessions/{code}", sandbox.base_url));
    assert_eq!(first["state"], "Open");
    assert_eq!(first["online"], false);
    assert_eq!(first["support_session_type"], "Default");
    assert!(first["groupid"]
        .as_str()
        .is_some_and(|g| g.starts_with('g')));
    for link in [
        "end_customer_link",
        "supporter_link",
        "webclient_supporter_link",
    ] {
        assert!(
            first[link]
                .as_str()
                .is_some_and(|l| l.starts_with("https://")),
            "{link}"
        );
    }
    let (status, both) =
        json_of(create(json!({"groupid": "g1", "groupname": "Help@Work"})).await).await;
    assert_eq!(
        (status, both["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, _) = json_of(create(json!({"description": "no group"})).await).await;
    assert_eq!(status, 400);
    create(json!({"groupname": "Help@Work"})).await;

    let list = client
        .get(format!("{}/sessions", sandbox.base_url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answer");
    let (_, page) = json_of(list).await;
    assert_eq!(page["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["sessions_remaining"], 1);
    assert!(
        page["sessions"][0].get("supporter_link").is_none(),
        "short items"
    );
    let next = page["next_offset"]
        .as_str()
        .expect("next_offset")
        .to_owned();
    let last = client
        .get(format!("{}/sessions", sandbox.base_url))
        .query(&[("offset", next.as_str()), ("full_list", "true")])
        .bearer_auth(&token)
        .send()
        .await
        .expect("answer");
    let (_, page) = json_of(last).await;
    assert_eq!(page["sessions"][0]["code"], json!(code), "oldest last");
    assert!(page.get("sessions_remaining").is_none(), "omitted when 0");
    assert!(page["sessions"][0]["supporter_link"].is_string());

    let put = client
        .put(format!("{}/sessions/{code}", sandbox.base_url))
        .bearer_auth(&token)
        .json(&json!({"state": "closed"}))
        .send()
        .await
        .expect("answer");
    assert_eq!(put.status(), 204);
    assert!(put.bytes().await.expect("body").is_empty());
    assert_eq!(sandbox.handle.session(&code).expect("kept").state, "Closed");
}

#[tokio::test]
async fn failure_switches_fire_the_given_number_of_times() {
    let sandbox = sandbox().await;
    let token = sandbox.handle.issue_tokens().access_token;
    sandbox
        .handle
        .inject_times(Endpoint::Account, Failure::RateLimited, 2);
    let statuses = {
        let mut statuses = Vec::new();
        for _ in 0..3 {
            let response = http()
                .get(format!("{}/account", sandbox.base_url))
                .bearer_auth(&token)
                .send()
                .await
                .expect("answer");
            statuses.push(response.status().as_u16());
        }
        statuses
    };
    assert_eq!(statuses, [403, 403, 200]);
    assert_eq!(sandbox.handle.request_count(Endpoint::Account), 3);
}

#[tokio::test]
async fn latency_is_added_to_every_request() {
    let sandbox = sandbox().await;
    sandbox.handle.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    http()
        .get(format!("{}/ping", sandbox.base_url))
        .send()
        .await
        .expect("answer");
    assert!(started.elapsed() >= Duration::from_millis(150));
}
