//! TeamViewer Web API client for Help@Work Desk.
//!
//! What is here: OAuth2 sign-in as a native app (authorization code + PKCE S256 + `state`,
//! loopback redirect on `127.0.0.1`, timeout and cancel), token upkeep (single-flight refresh of
//! rotating single-use refresh tokens, stored as one keyring entry), script tokens, and the Web
//! API calls the app needs — `ping`, `account`, sessions create/get/list/update/close, the
//! account's devices and groups (unattended Hosts, the service queue's group) — with
//! typed errors (`code()` + `fix()`), bounded backoff for idempotent calls, capped and
//! validated responses.
//!
//! What is deliberately not here: no Tauri, no UI, no database, no files. Secrets live only in
//! a [`SecretStore`] (the OS keyring via [`KeyringStore`]) and are wrapped in [`Sensitive`];
//! tokens never reach logs, errors or Debug output. The desktop-client hand-off (launching
//! links) belongs to `helpatwork-desktop`. The fake service used by tests and the demo
//! mode is `helpatwork-teamviewer-sandbox`.
//!
//! Facts follow `docs/reference/teamviewer-web-api.md`; where TeamViewer documents nothing
//! (PKCE, loopback redirects, the bad-grant error body) the code says so.

mod api;
mod config;
mod devices;
mod error;
mod http;
mod model;
mod oauth;
mod reach;
pub mod responses;
mod retry;
mod secrets;
mod tokens;

pub use api::{AuthKind, SignOutOutcome, TeamViewerClient};
pub use config::{
    is_teamviewer_host, ClientOptions, TeamViewerConfig, DEFAULT_API_URL, DEFAULT_LOGIN_URL,
    ENV_API_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_LOGIN_URL, ENV_TOKEN, TEAMVIEWER_DOMAIN,
};
pub use devices::{Device, DeviceQuery, Group, OnlineState, RemoteControlId};
pub use error::{ErrorCode, TeamViewerError};
/// The shared secret wrapper and retry bounds (`crates/net`), re-exported for this client's users.
pub use helpatwork_net::{RetryPolicy, Sensitive};
pub use model::{
    Account, CaseState, EndCustomer, NewSession, Session, SessionCode, SessionGroup, SessionQuery,
    SessionUpdate, StateFilter, DEFAULT_GROUP_NAME,
};
pub use oauth::{BrowserOpener, SignInOptions, SystemBrowser, CALLBACK_PATH};
pub use secrets::{InMemoryStore, KeyringBackend, KeyringStore, SecretStore, SecretStoreError};
/// Re-exported so callers can build [`SignInOptions::cancel`] without naming `tokio-util`.
pub use tokio_util::sync::CancellationToken;
pub use url::Url;
