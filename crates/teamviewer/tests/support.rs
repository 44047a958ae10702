//! Shared helpers: a sandbox, clients wired to it, and browser openers that play the user.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use helpatwork_teamviewer::{
    BrowserOpener, ClientOptions, InMemoryStore, RetryPolicy, SecretStore, Sensitive,
    SignInOptions, TeamViewerClient, TeamViewerConfig, Url,
};
use helpatwork_teamviewer_sandbox::{spawn, Sandbox, SandboxOptions};

/// The keyring entry the client uses by default.
pub const TOKEN_KEY: &str = "teamviewer-oauth-token";

pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxOptions::default()).await
}

pub async fn sandbox_with(options: SandboxOptions) -> Sandbox {
    spawn(options).await.expect("sandbox starts on 127.0.0.1")
}

/// Short timeouts and millisecond backoff, so failure tests run fast.
pub fn fast_options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_total_wait: Duration::from_millis(500),
        },
        ..ClientOptions::default()
    }
}

/// Config for the sandbox with its registered app.
pub fn app_config(sandbox: &Sandbox) -> TeamViewerConfig {
    TeamViewerConfig::for_service(&sandbox.base_url, &sandbox.login_url)
        .expect("sandbox URLs are loopback http")
        .with_app(
            sandbox.client_id.clone(),
            Sensitive::new(sandbox.client_secret.clone()),
        )
}

pub fn client(
    config: TeamViewerConfig,
    store: Arc<dyn SecretStore>,
    options: ClientOptions,
) -> TeamViewerClient {
    TeamViewerClient::with_options(config, store, options).expect("client builds")
}

/// A client of the sandbox's app with an in-memory secret store.
pub fn app_client(sandbox: &Sandbox) -> (TeamViewerClient, Arc<InMemoryStore>) {
    app_client_with(sandbox, fast_options())
}

pub fn app_client_with(
    sandbox: &Sandbox,
    options: ClientOptions,
) -> (TeamViewerClient, Arc<InMemoryStore>) {
    let store = Arc::new(InMemoryStore::new());
    let client = client(app_config(sandbox), store.clone(), options);
    (client, store)
}

/// Plays the user: opens the authorize URL like a browser (following the redirect to the
/// loopback listener). Records every URL it was asked to open.
#[derive(Clone, Default)]
pub struct FakeBrowser {
    pub opened: Arc<Mutex<Vec<Url>>>,
}

impl FakeBrowser {
    pub fn opened(&self) -> Vec<Url> {
        self.opened.lock().expect("lock").clone()
    }
}

impl BrowserOpener for FakeBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.opened.lock().expect("lock").push(url.clone());
        let url = url.clone();
        tokio::spawn(async move {
            let _ = reqwest::get(url).await;
        });
        Ok(())
    }
}

/// A browser that only records the URL (the test drives the redirect itself).
#[derive(Clone, Default)]
pub struct RecordingBrowser {
    pub tx: Arc<Mutex<Option<tokio::sync::oneshot::Sender<Url>>>>,
}

impl RecordingBrowser {
    pub fn new() -> (Self, tokio::sync::oneshot::Receiver<Url>) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        (
            Self {
                tx: Arc::new(Mutex::new(Some(tx))),
            },
            rx,
        )
    }
}

impl BrowserOpener for RecordingBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        if let Some(tx) = self.tx.lock().expect("lock").take() {
            let _ = tx.send(url.clone());
        }
        Ok(())
    }
}

/// Signs in through the sandbox's auto-approving login page.
pub async fn sign_in(client: &TeamViewerClient) {
    client
        .sign_in(&FakeBrowser::default(), quick_sign_in())
        .await
        .expect("sign-in through the sandbox");
}

pub fn quick_sign_in() -> SignInOptions {
    SignInOptions {
        timeout: Duration::from_secs(10),
        ..SignInOptions::default()
    }
}

/// A signed-in client of a fresh sandbox.
pub async fn signed_in() -> (Sandbox, TeamViewerClient, Arc<InMemoryStore>) {
    let sandbox = sandbox().await;
    let (client, store) = app_client(&sandbox);
    sign_in(&client).await;
    (sandbox, client, store)
}

/// The token pair JSON the client keeps in the secret store.
pub fn stored_tokens(store: &InMemoryStore) -> Option<serde_json::Value> {
    store
        .get(TOKEN_KEY)
        .expect("in-memory store")
        .map(|s| serde_json::from_str(s.expose()).expect("stored tokens are JSON"))
}

/// A query parameter of a URL.
pub fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Posts a form to the sandbox's token endpoint directly; returns status and JSON body.
pub async fn post_token(sandbox: &Sandbox, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/oauth2/token", sandbox.base_url))
        .form(form)
        .send()
        .await
        .expect("token endpoint answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}
