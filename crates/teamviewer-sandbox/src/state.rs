//! The sandbox's memory: issued tokens, authorization codes, sessions, groups, switches and the
//! request log. Guarded by one `std::sync::Mutex`, never held across an `.await`.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use helpatwork_net::fake_server::{FailureSwitches, RequestLog};
use rand::distributions::{Alphanumeric, DistString};
use rand::Rng;

use crate::failures::{Endpoint, Failure};
use crate::{AuthorizeMode, SandboxAccount, SandboxOptions};

/// How long an authorization code lives [docs/reference/teamviewer-web-api.md §2.2].
pub(crate) const CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// One request as the sandbox saw it (never the token or the form values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub endpoint: Option<Endpoint>,
    /// Whether an `Authorization` header was present.
    pub authorized: bool,
}

/// One call of the token endpoint: the grant and the form field names (not values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequestRecord {
    pub grant_type: String,
    pub fields: Vec<String>,
    /// Whether the sandbox issued tokens for it.
    pub granted: bool,
}

/// A session ("service case") held by the sandbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SandboxSession {
    pub code: String,
    /// `"Open"` or `"Closed"`.
    pub state: String,
    pub online: bool,
    pub groupid: String,
    pub description: Option<String>,
    pub waiting_message: Option<String>,
    pub end_customer_name: Option<String>,
    pub end_customer_email: Option<String>,
    pub assigned_userid: String,
    pub assigned_at: Option<DateTime<Utc>>,
    pub support_session_type: String,
    pub custom_api: Option<String>,
    pub end_customer_link: String,
    pub supporter_link: String,
    pub webclient_supporter_link: String,
    pub created_at: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct AccessToken {
    pub(crate) refresh: String,
    pub(crate) expires_at: DateTime<Utc>,
    pub(crate) forced_expired: bool,
    pub(crate) revoked: bool,
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct RefreshToken {
    pub(crate) used: bool,
    pub(crate) revoked: bool,
}

pub(crate) struct AuthorizationCode {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) code_challenge: Option<String>,
    pub(crate) issued: Instant,
    /// Set by `expire_authorization_codes` (the 10 minutes passed).
    pub(crate) expired: bool,
    pub(crate) used: bool,
}

impl AuthorizationCode {
    pub(crate) fn is_expired(&self) -> bool {
        self.expired || self.issued.elapsed() > CODE_LIFETIME
    }
}

/// What a bearer token is.
pub(crate) enum Bearer {
    Valid,
    Expired,
    Invalid,
}

pub(crate) struct State {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) page_size: usize,
    pub(crate) access_token_ttl: Duration,
    pub(crate) authorize: AuthorizeMode,
    pub(crate) account: SandboxAccount,
    pub(crate) latency: Duration,
    pub(crate) max_open_sessions: Option<usize>,
    /// The host of the links a created session answers, instead of TeamViewer's (a test of a
    /// service answering links Help@Work must refuse).
    pub(crate) link_host: Option<String>,
    pub(crate) script_tokens: HashSet<String>,
    pub(crate) access_tokens: HashMap<String, AccessToken>,
    pub(crate) refresh_tokens: HashMap<String, RefreshToken>,
    pub(crate) codes: HashMap<String, AuthorizationCode>,
    pub(crate) sessions: Vec<SandboxSession>,
    pub(crate) groups: Vec<(String, String)>,
    /// The company's other TeamViewer users (sessions may be assigned to them).
    pub(crate) users: Vec<SandboxAccount>,
    /// Script tokens that act as one of `users` (the others act as `account`).
    pub(crate) token_users: HashMap<String, String>,
    /// The Computers & Contacts list (`GET /devices`).
    pub(crate) devices: Vec<crate::devices::SandboxDevice>,
    pub(crate) failures: FailureSwitches<Endpoint, Failure>,
    pub(crate) requests: RequestLog<RequestRecord>,
    pub(crate) token_requests: Vec<TokenRequestRecord>,
    pub(crate) sessions_created: usize,
    pub(crate) refresh_tokens_used: Vec<String>,
    pub(crate) revoked_tokens: Vec<String>,
    pub(crate) issued_tokens: Vec<String>,
}

impl State {
    pub(crate) fn new(options: SandboxOptions) -> Self {
        Self {
            client_id: options.client_id,
            client_secret: options.client_secret,
            redirect_uris: options.redirect_uris,
            page_size: options.page_size.max(1),
            access_token_ttl: options.access_token_ttl,
            authorize: options.authorize,
            account: options.account,
            latency: options.latency,
            max_open_sessions: options.max_open_sessions,
            link_host: None,
            script_tokens: options.script_tokens.into_iter().collect(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            codes: HashMap::new(),
            sessions: Vec::new(),
            groups: Vec::new(),
            users: options.users,
            token_users: HashMap::new(),
            devices: Vec::new(),
            failures: FailureSwitches::default(),
            requests: RequestLog::default(),
            token_requests: Vec::new(),
            sessions_created: 0,
            refresh_tokens_used: Vec::new(),
            revoked_tokens: Vec::new(),
            issued_tokens: Vec::new(),
        }
    }

    /// What a state file keeps (`SandboxOptions::state_file`): sessions, groups and issued tokens.
    pub(crate) fn to_persisted(&self) -> crate::persist::Persisted<'_> {
        crate::persist::Persisted {
            sessions: std::borrow::Cow::Borrowed(self.sessions.as_slice()),
            groups: std::borrow::Cow::Borrowed(self.groups.as_slice()),
            devices: std::borrow::Cow::Borrowed(self.devices.as_slice()),
            access_tokens: std::borrow::Cow::Borrowed(&self.access_tokens),
            refresh_tokens: std::borrow::Cow::Borrowed(&self.refresh_tokens),
            sessions_created: self.sessions_created,
        }
    }

    pub(crate) fn restore(&mut self, p: crate::persist::Persisted<'static>) {
        self.sessions = p.sessions.into_owned();
        self.groups = p.groups.into_owned();
        self.devices = p.devices.into_owned();
        self.access_tokens = p.access_tokens.into_owned();
        self.refresh_tokens = p.refresh_tokens.into_owned();
        self.sessions_created = p.sessions_created;
    }

    pub(crate) fn bearer(&self, token: &str) -> Bearer {
        if self.script_tokens.contains(token) {
            return Bearer::Valid;
        }
        match self.access_tokens.get(token) {
            Some(t) if t.revoked => Bearer::Invalid,
            Some(t) if t.forced_expired || Utc::now() >= t.expires_at => Bearer::Expired,
            Some(_) => Bearer::Valid,
            None => Bearer::Invalid,
        }
    }

    /// The account a valid bearer token acts as: a script token given to one of the company's
    /// users, else the sandbox's account.
    pub(crate) fn account_for(&self, token: &str) -> &SandboxAccount {
        self.token_users
            .get(token)
            .and_then(|id| self.users.iter().find(|u| u.userid == *id))
            .unwrap_or(&self.account)
    }

    /// A user of the company: the sandbox's account or one of `users`.
    pub(crate) fn is_company_user(&self, userid: &str) -> bool {
        self.account.userid == userid || self.users.iter().any(|u| u.userid == userid)
    }

    /// Issues a fresh access + refresh pair.
    pub(crate) fn issue_pair(&mut self) -> (String, String, u64) {
        let access = token_string();
        let refresh = token_string();
        let ttl = chrono::Duration::from_std(self.access_token_ttl)
            .unwrap_or_else(|_| chrono::Duration::days(1));
        self.access_tokens.insert(
            access.clone(),
            AccessToken {
                refresh: refresh.clone(),
                expires_at: Utc::now() + ttl,
                forced_expired: false,
                revoked: false,
            },
        );
        self.refresh_tokens.insert(
            refresh.clone(),
            RefreshToken {
                used: false,
                revoked: false,
            },
        );
        self.issued_tokens.push(access.clone());
        self.issued_tokens.push(refresh.clone());
        (access, refresh, self.access_token_ttl.as_secs())
    }

    /// Revoking an access token kills it and its refresh token [docs/reference/teamviewer-web-api.md §2.3].
    pub(crate) fn revoke(&mut self, access: &str) {
        if let Some(token) = self.access_tokens.get_mut(access) {
            token.revoked = true;
            let refresh = token.refresh.clone();
            if let Some(r) = self.refresh_tokens.get_mut(&refresh) {
                r.revoked = true;
            }
            self.revoked_tokens.push(access.to_owned());
            self.revoked_tokens.push(refresh);
        }
    }

    pub(crate) fn new_code(
        &mut self,
        client_id: &str,
        redirect_uri: &str,
        challenge: Option<String>,
    ) -> String {
        let code = Alphanumeric.sample_string(&mut rand::thread_rng(), 32);
        self.codes.insert(
            code.clone(),
            AuthorizationCode {
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                code_challenge: challenge,
                issued: Instant::now(),
                expired: false,
                used: false,
            },
        );
        code
    }

    /// The group id for a name, creating the group when it is unknown.
    pub(crate) fn group_for_name(&mut self, name: &str) -> String {
        if let Some((id, _)) = self.groups.iter().find(|(_, n)| n == name) {
            return id.clone();
        }
        let id = format!(
            "g{}",
            rand::thread_rng().gen_range(100_000_000u32..1_000_000_000)
        );
        self.groups.push((id.clone(), name.to_owned()));
        id
    }

    pub(crate) fn group_name(&self, id: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|(g, _)| g == id)
            .map(|(_, n)| n.as_str())
    }

    /// A new unique code like `s123-456-789`.
    pub(crate) fn new_session_code(&self) -> String {
        let mut rng = rand::thread_rng();
        loop {
            let code = format!(
                "s{}-{:03}-{:03}",
                rng.gen_range(100..1000),
                rng.gen_range(0..1000),
                rng.gen_range(0..1000)
            );
            if !self.sessions.iter().any(|s| s.code == code) {
                return code;
            }
        }
    }

    pub(crate) fn session_mut(&mut self, code: &str) -> Option<&mut SandboxSession> {
        self.sessions.iter_mut().find(|s| s.code == code)
    }
}

/// A token in the shape of TeamViewer's script tokens (`1234567-AbCd…`); undocumented for OAuth.
fn token_string() -> String {
    let mut rng = rand::thread_rng();
    format!(
        "{}-{}",
        rng.gen_range(1_000_000u32..10_000_000),
        Alphanumeric.sample_string(&mut rng, 20)
    )
}

/// Base64url(SHA-256(verifier)) == challenge (RFC 7636 S256).
pub(crate) fn pkce_s256_matches(verifier: &str, challenge: &str) -> bool {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) == challenge
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example() {
        assert!(pkce_s256_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_s256_matches(
            "other",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }

    #[test]
    fn session_codes_match_the_documented_pattern() {
        let state = State::new(SandboxOptions::default());
        for _ in 0..100 {
            let code = state.new_session_code();
            let digits: Vec<&str> = code.trim_start_matches('s').split('-').collect();
            assert!(code.starts_with('s'));
            assert_eq!(
                digits.iter().map(|d| d.len()).collect::<Vec<_>>(),
                vec![3, 3, 3],
                "{code}"
            );
            assert!(
                digits.iter().all(|d| d.bytes().all(|b| b.is_ascii_digit())),
                "{code}"
            );
        }
    }
}
