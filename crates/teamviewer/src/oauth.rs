//! OAuth2 sign-in as a native app (RFC 8252): authorization code + PKCE (S256) + `state`, a
//! loopback redirect listener on `127.0.0.1` with an ephemeral port, a timeout and a cancel.
//!
//! TeamViewer documents `response_type=code`, `client_id`, `redirect_uri`, `display=popup` and
//! `state` for the authorize page, and a form-encoded token request carrying `client_id` and
//! `client_secret` [docs/reference/teamviewer-web-api.md §2.2–2.3]. PKCE and loopback redirect URIs are not documented by
//! TeamViewer: the PKCE parameters are sent in addition (a server that does not know them
//! ignores them), and the client secret is always sent as documented.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::time::Duration;

use chrono::Utc;
use helpatwork_net::Sensitive;
use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AsyncHttpClient, AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    TokenResponse, TokenUrl,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::error::TeamViewerError;
use crate::http::Transport;
use crate::tokens::TokenSet;

/// The path of the loopback redirect URI (`http://127.0.0.1:<port>/callback`).
pub const CALLBACK_PATH: &str = "/callback";
/// The longest request head the redirect listener reads.
const MAX_REQUEST_HEAD: usize = 8 * 1024;
/// How long one browser connection may take to send its request.
const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens the authorize page in the user's browser. The CLI passes [`SystemBrowser`]; the
/// window passes Tauri's opener; tests pass a closure.
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &Url) -> Result<(), String>;
}

impl<F> BrowserOpener for F
where
    F: Fn(&Url) -> Result<(), String> + Send + Sync,
{
    fn open(&self, url: &Url) -> Result<(), String> {
        self(url)
    }
}

/// Opens URLs with the OS handler (`open` crate; `xdg-open`, `open`, `ShellExecute`), detached.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &Url) -> Result<(), String> {
        open::that_detached(url.as_str()).map_err(|e| format!("{}", e.kind()))
    }
}

/// How long to wait for the browser, and a way to stop waiting.
#[derive(Debug, Clone)]
pub struct SignInOptions {
    /// Give up (`oauth_timeout`) when the redirect has not arrived by then.
    pub timeout: Duration,
    /// Cancel the sign-in (`oauth_cancelled`), e.g. from a "Cancel" button.
    pub cancel: CancellationToken,
}

impl Default for SignInOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(5 * 60),
            cancel: CancellationToken::new(),
        }
    }
}

/// The TeamViewer app doing the sign-in.
pub(crate) struct OAuthApp<'a> {
    pub(crate) client_id: &'a str,
    pub(crate) client_secret: &'a Sensitive<String>,
    pub(crate) token_url: Url,
}

/// A prepared authorize request: the URL to open and what must come back.
pub(crate) struct AuthorizationRequest {
    pub(crate) url: Url,
    pub(crate) state: CsrfToken,
    pub(crate) verifier: PkceCodeVerifier,
}

/// Builds the authorize URL: TeamViewer's parameters plus PKCE S256 and a random `state`.
pub(crate) fn authorization_request(
    client_id: &str,
    login_url: &Url,
    redirect_uri: &Url,
) -> AuthorizationRequest {
    let client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(AuthUrl::from_url(login_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge)
        .add_extra_param("display", "popup")
        .url();
    AuthorizationRequest {
        url,
        state,
        verifier,
    }
}

/// Exchanges the authorization code (with the PKCE verifier) for a token pair.
#[tracing::instrument(skip_all, err)]
pub(crate) async fn exchange_code(
    transport: &Transport,
    app: &OAuthApp<'_>,
    redirect_uri: &Url,
    code: AuthorizationCode,
    verifier: PkceCodeVerifier,
) -> Result<TokenSet, TeamViewerError> {
    let client = BasicClient::new(ClientId::new(app.client_id.to_owned()))
        .set_client_secret(ClientSecret::new(app.client_secret.expose().clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(app.token_url.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect_uri.clone()));
    let response = client
        .exchange_code(code)
        .set_pkce_verifier(verifier)
        .request_async(&OAuthHttp(transport))
        .await
        .map_err(map_token_error)?;
    Ok(token_set(&response, None))
}

/// Uses the (single-use, rotating) refresh token once.
#[tracing::instrument(skip_all, err)]
pub(crate) async fn refresh(
    transport: &Transport,
    app: &OAuthApp<'_>,
    refresh_token: &Sensitive<String>,
) -> Result<TokenSet, TeamViewerError> {
    let client = BasicClient::new(ClientId::new(app.client_id.to_owned()))
        .set_client_secret(ClientSecret::new(app.client_secret.expose().clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(app.token_url.clone()));
    let token = RefreshToken::new(refresh_token.expose().clone());
    let response = client
        .exchange_refresh_token(&token)
        .request_async(&OAuthHttp(transport))
        .await
        .map_err(map_token_error)?;
    Ok(token_set(&response, Some(refresh_token)))
}

/// The `oauth2` crate's HTTP client: our transport (timeouts, body cap, typed errors). A named
/// type with a boxed `Send` future keeps the sign-in and refresh futures spawnable.
struct OAuthHttp<'t>(&'t Transport);

impl<'c> AsyncHttpClient<'c> for OAuthHttp<'_> {
    type Error = TeamViewerError;
    type Future =
        Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, TeamViewerError>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(self.0.send_oauth(request))
    }
}

fn token_set(
    response: &BasicTokenResponse,
    previous_refresh: Option<&Sensitive<String>>,
) -> TokenSet {
    let expires_at = response
        .expires_in()
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .and_then(|d| Utc::now().checked_add_signed(d));
    TokenSet {
        access: Sensitive::new(response.access_token().secret().clone()),
        // RFC 6749 §6: without a new refresh token, the old one stays in force.
        refresh: response
            .refresh_token()
            .map(|r| Sensitive::new(r.secret().clone()))
            .or_else(|| previous_refresh.cloned()),
        expires_at,
    }
}

fn map_token_error<RE>(error: RequestTokenError<TeamViewerError, RE>) -> TeamViewerError
where
    RE: oauth2::ErrorResponse + 'static,
{
    match error {
        RequestTokenError::Request(e) => e,
        // Never include the body: it may hold a token.
        RequestTokenError::Parse(..) => TeamViewerError::malformed("token response is not valid"),
        RequestTokenError::ServerResponse(_) | RequestTokenError::Other(_) => {
            TeamViewerError::malformed("token response is not valid")
        }
    }
}

/// The loopback listener the browser is redirected to.
pub(crate) struct LoopbackRedirect {
    listener: TcpListener,
    redirect_uri: Url,
    port: u16,
}

/// A request that reached `/callback`, handed to the sign-in loop.
struct Callback {
    stream: TcpStream,
    query: String,
}

impl LoopbackRedirect {
    /// Binds `127.0.0.1:0` (IPv4 loopback only, ephemeral port).
    pub(crate) async fn bind() -> Result<Self, TeamViewerError> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .map_err(|e| TeamViewerError::OauthRedirectInvalid {
                detail: format!("cannot listen on 127.0.0.1 ({})", e.kind()),
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| TeamViewerError::OauthRedirectInvalid {
                detail: format!("no local address ({})", e.kind()),
            })?
            .port();
        let redirect_uri =
            Url::parse(&format!("http://127.0.0.1:{port}{CALLBACK_PATH}")).map_err(|_| {
                TeamViewerError::OauthRedirectInvalid {
                    detail: "cannot build the redirect URI".to_owned(),
                }
            })?;
        Ok(Self {
            listener,
            redirect_uri,
            port,
        })
    }

    pub(crate) fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Waits for the one redirect that carries `expected_state`, answers the browser, and
    /// closes the listener (so a replayed redirect finds nothing listening).
    #[tracing::instrument(skip_all, err, fields(port = self.port))]
    pub(crate) async fn wait(
        self,
        expected_state: &CsrfToken,
        timeout: Duration,
        cancel: &CancellationToken,
    ) -> Result<AuthorizationCode, TeamViewerError> {
        let (tx, mut rx) = mpsc::channel::<Callback>(4);
        let mut connections = JoinSet::new();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let host = format!("127.0.0.1:{}", self.port);
        loop {
            tokio::select! {
                () = cancel.cancelled() => return Err(TeamViewerError::OauthCancelled),
                () = &mut deadline => return Err(TeamViewerError::OauthTimeout),
                accepted = self.listener.accept() => {
                    let Ok((stream, peer)) = accepted else {
                        // E.g. out of file descriptors: do not spin.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    };
                    if !peer.ip().is_loopback() {
                        continue;
                    }
                    connections.spawn(read_callback(stream, host.clone(), tx.clone()));
                }
                Some(mut callback) = rx.recv() => {
                    let outcome = judge(&callback.query, expected_state);
                    let page = match &outcome {
                        Ok(_) => Page::SignedIn,
                        Err(_) => Page::Failed,
                    };
                    tracing::debug!(accepted = outcome.is_ok(), "sign-in redirect received");
                    // The browser's answer is best effort: the outcome stands either way.
                    let _ = respond(&mut callback.stream, page).await;
                    return outcome;
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        // Dropping `self.listener` and `connections` closes the port and every open connection.
    }
}

/// Checks `state` first (an answer to someone else's request is rejected whatever it says),
/// then TeamViewer's `error`, then `code`.
fn judge(query: &str, expected_state: &CsrfToken) -> Result<AuthorizationCode, TeamViewerError> {
    let mut state = None;
    let mut code = None;
    let mut error = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "state" => state = Some(value.into_owned()),
            "code" => code = Some(value.into_owned()),
            "error" => error = Some(value.into_owned()),
            _ => {}
        }
    }
    let state_ok = state
        .as_deref()
        .is_some_and(|s| constant_time_eq(s.as_bytes(), expected_state.secret().as_bytes()));
    if !state_ok {
        return Err(TeamViewerError::OauthStateMismatch);
    }
    if let Some(error) = error {
        let reason: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect();
        return Err(TeamViewerError::OauthDenied { reason });
    }
    match code.filter(|c| !c.is_empty()) {
        Some(code) => Ok(AuthorizationCode::new(code)),
        None => Err(TeamViewerError::OauthRedirectInvalid {
            detail: "the redirect carried no code".to_owned(),
        }),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads one request head; answers anything that is not `GET /callback` on our exact host
/// itself, and forwards the callback to the sign-in loop.
async fn read_callback(mut stream: TcpStream, host: String, tx: mpsc::Sender<Callback>) {
    let head = match tokio::time::timeout(REQUEST_READ_TIMEOUT, read_head(&mut stream)).await {
        Ok(Some(head)) => head,
        _ => return,
    };
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (method, target) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let host_ok = lines
        .filter_map(|l| l.split_once(':'))
        .any(|(name, value)| name.eq_ignore_ascii_case("host") && value.trim() == host);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let refusal = if method != "GET" {
        Some(Page::MethodNotAllowed)
    } else if path != CALLBACK_PATH {
        Some(Page::NotFound)
    } else if !host_ok {
        // A page on another origin resolving to 127.0.0.1 (DNS rebinding) is not the redirect.
        Some(Page::BadRequest)
    } else {
        None
    };
    if let Some(page) = refusal {
        let _ = respond(&mut stream, page).await;
        return;
    }
    let _ = tx
        .send(Callback {
            stream,
            query: query.to_owned(),
        })
        .await;
}

/// The request line and headers, or `None` if the peer sent too much or closed early.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(end);
            return String::from_utf8(head).ok();
        }
        if head.len() > MAX_REQUEST_HEAD {
            return None;
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Page {
    SignedIn,
    Failed,
    NotFound,
    MethodNotAllowed,
    BadRequest,
}

async fn respond(stream: &mut TcpStream, page: Page) -> std::io::Result<()> {
    let (status, title, text) = match page {
        Page::SignedIn => (
            "200 OK",
            "Signed in to TeamViewer",
            "You can close this tab and go back to Help@Work Desk.",
        ),
        Page::Failed => (
            "400 Bad Request",
            "TeamViewer sign-in failed",
            "Go back to Help@Work Desk to see why and try again. You can close this tab.",
        ),
        Page::NotFound => ("404 Not Found", "Not found", "Nothing here."),
        Page::MethodNotAllowed => ("405 Method Not Allowed", "Not allowed", "Nothing here."),
        Page::BadRequest => ("400 Bad Request", "Bad request", "Nothing here."),
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use sha2::Digest as _;

    use super::*;

    fn query_param(url: &Url, name: &str) -> Option<String> {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    #[test]
    fn pkce_challenge_is_s256_of_verifier() {
        let login = Url::parse("https://login.teamviewer.com/oauth2/authorize").expect("url");
        let redirect = Url::parse("http://127.0.0.1:4000/callback").expect("url");
        let request = authorization_request("client-1", &login, &redirect);
        let digest = sha2::Sha256::digest(request.verifier.secret().as_bytes());
        let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
        assert_eq!(query_param(&request.url, "code_challenge"), Some(expected));
        assert_eq!(
            query_param(&request.url, "code_challenge_method").as_deref(),
            Some("S256")
        );
        // RFC 7636: 43..128 characters of unreserved characters.
        let verifier = request.verifier.secret();
        assert!((43..=128).contains(&verifier.len()), "{}", verifier.len());
    }

    #[test]
    fn authorize_url_has_teamviewer_parameters() {
        let login = Url::parse("https://login.teamviewer.com/oauth2/authorize").expect("url");
        let redirect = Url::parse("http://127.0.0.1:4000/callback").expect("url");
        let request = authorization_request("client-1", &login, &redirect);
        assert_eq!(request.url.host_str(), Some("login.teamviewer.com"));
        assert_eq!(request.url.path(), "/oauth2/authorize");
        assert_eq!(
            query_param(&request.url, "response_type").as_deref(),
            Some("code")
        );
        assert_eq!(
            query_param(&request.url, "client_id").as_deref(),
            Some("client-1")
        );
        assert_eq!(
            query_param(&request.url, "redirect_uri").as_deref(),
            Some("http://127.0.0.1:4000/callback")
        );
        assert_eq!(
            query_param(&request.url, "display").as_deref(),
            Some("popup")
        );
        assert_eq!(
            query_param(&request.url, "state").as_deref(),
            Some(request.state.secret().as_str())
        );
        assert!(
            query_param(&request.url, "scope").is_none(),
            "TeamViewer has no scope parameter"
        );
        let other = authorization_request("client-1", &login, &redirect);
        assert_ne!(
            other.state.secret(),
            request.state.secret(),
            "state is random"
        );
    }

    #[test]
    fn judge_checks_state_before_anything_else() {
        let state = CsrfToken::new("abc".to_owned());
        assert_eq!(
            judge("code=1&state=abd", &state).map(|c| c.secret().clone()),
            Err(TeamViewerError::OauthStateMismatch)
        );
        assert_eq!(
            judge("error=access_denied&state=zzz", &state).map(|c| c.secret().clone()),
            Err(TeamViewerError::OauthStateMismatch)
        );
        assert_eq!(
            judge("error=access_denied&state=abc", &state).map(|c| c.secret().clone()),
            Err(TeamViewerError::OauthDenied {
                reason: "access_denied".to_owned()
            })
        );
        assert_eq!(
            judge("state=abc", &state)
                .map(|c| c.secret().clone())
                .map_err(|e| e.code()),
            Err(crate::ErrorCode::OauthRedirectInvalid)
        );
        assert_eq!(
            judge("code=c%2B1&state=abc", &state).map(|c| c.secret().clone()),
            Ok("c+1".to_owned())
        );
    }
}
