//! The Web API's data: account, sessions ("service cases"), and their validated forms.
//!
//! Wire structs are private and lenient (unknown fields are ignored); what callers get is
//! validated: session codes match `^s\d{2,4}-\d{3}-\d{3}$` and links are `https`.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::error::TeamViewerError;

/// The signed-in TeamViewer account: non-secret facts the app may store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// `u…`, e.g. `u11293276`.
    pub userid: String,
    pub name: String,
    /// Absent without the `Account.ReadEmail` permission.
    pub email: Option<String>,
    pub company_name: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct AccountWire {
    userid: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    company_name: Option<String>,
}

impl TryFrom<AccountWire> for Account {
    type Error = TeamViewerError;

    fn try_from(wire: AccountWire) -> Result<Self, Self::Error> {
        if wire.userid.is_empty() {
            return Err(TeamViewerError::malformed("account without userid"));
        }
        Ok(Self {
            userid: wire.userid,
            name: wire.name.unwrap_or_default(),
            email: wire.email.filter(|e| !e.is_empty()),
            company_name: wire.company_name.filter(|c| !c.is_empty()),
        })
    }
}

/// A session code such as `s123-456-789`, validated against `^s\d{2,4}-\d{3}-\d{3}$`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SessionCode(String);

impl SessionCode {
    /// Parses and validates a session code.
    pub fn parse(code: &str) -> Result<Self, TeamViewerError> {
        if is_session_code(code) {
            Ok(Self(code.to_owned()))
        } else {
            Err(TeamViewerError::InvalidRequest {
                description: "a session code looks like s123-456-789".to_owned(),
                signature: None,
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SessionCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(|_| serde::de::Error::custom("invalid session code"))
    }
}

/// `^s\d{2,4}-\d{3}-\d{3}$` (ASCII digits).
pub(crate) fn is_session_code(code: &str) -> bool {
    let Some(rest) = code.strip_prefix('s') else {
        return false;
    };
    let mut groups = rest.split('-');
    let digits = |g: Option<&str>, lengths: std::ops::RangeInclusive<usize>| {
        g.is_some_and(|g| lengths.contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()))
    };
    digits(groups.next(), 2..=4)
        && digits(groups.next(), 3..=3)
        && digits(groups.next(), 3..=3)
        && groups.next().is_none()
}

/// Open or closed. Requests send `open`/`closed`; responses say `"Open"`/`"Closed"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseState {
    Open,
    Closed,
}

impl CaseState {
    fn parse(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("open") {
            Some(Self::Open)
        } else if value.eq_ignore_ascii_case("closed") {
            Some(Self::Closed)
        } else {
            None
        }
    }
}

/// The end customer (the device user) of a session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EndCustomer {
    /// At most 100 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// At most 254 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A session ("service case"), validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub code: SessionCode,
    pub state: CaseState,
    /// The end customer is connected (semantics only loosely documented).
    pub online: bool,
    pub groupid: Option<String>,
    pub description: Option<String>,
    pub waiting_message: Option<String>,
    pub end_customer: Option<EndCustomer>,
    pub assigned_userid: Option<String>,
    pub support_session_type: Option<String>,
    pub custom_api: Option<String>,
    /// For the device user (`https://get.teamviewer.com/v15/s…`).
    pub end_customer_link: Option<Url>,
    /// For the supporter: opens the installed TeamViewer client.
    pub supporter_link: Option<Url>,
    /// For the supporter: opens the browser client.
    pub webclient_supporter_link: Option<Url>,
    pub created_at: Option<DateTime<Utc>>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
pub(crate) struct SessionWire {
    code: String,
    state: String,
    #[serde(default)]
    online: Option<bool>,
    #[serde(default)]
    groupid: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    waiting_message: Option<String>,
    #[serde(default)]
    end_customer: Option<EndCustomer>,
    #[serde(default)]
    assigned_userid: Option<String>,
    #[serde(default)]
    support_session_type: Option<String>,
    #[serde(default)]
    custom_api: Option<String>,
    #[serde(default)]
    end_customer_link: Option<String>,
    #[serde(default)]
    supporter_link: Option<String>,
    #[serde(default)]
    webclient_supporter_link: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    assigned_at: Option<String>,
    #[serde(default)]
    closed_at: Option<String>,
    #[serde(default)]
    valid_until: Option<String>,
}

impl TryFrom<SessionWire> for Session {
    type Error = TeamViewerError;

    fn try_from(w: SessionWire) -> Result<Self, Self::Error> {
        if !is_session_code(&w.code) {
            return Err(TeamViewerError::malformed(
                "session code in an unknown format",
            ));
        }
        let state = CaseState::parse(&w.state).ok_or_else(|| {
            TeamViewerError::malformed("session state is neither open nor closed")
        })?;
        Ok(Self {
            code: SessionCode(w.code),
            state,
            online: w.online.unwrap_or(false),
            groupid: w.groupid,
            description: w.description,
            waiting_message: w.waiting_message,
            end_customer: w.end_customer,
            assigned_userid: w.assigned_userid,
            support_session_type: w.support_session_type,
            custom_api: w.custom_api,
            end_customer_link: https_link(w.end_customer_link, "end_customer_link")?,
            supporter_link: https_link(w.supporter_link, "supporter_link")?,
            webclient_supporter_link: https_link(
                w.webclient_supporter_link,
                "webclient_supporter_link",
            )?,
            created_at: timestamp(w.created_at, "created_at")?,
            assigned_at: timestamp(w.assigned_at, "assigned_at")?,
            closed_at: timestamp(w.closed_at, "closed_at")?,
            valid_until: timestamp(w.valid_until, "valid_until")?,
        })
    }
}

fn https_link(raw: Option<String>, field: &str) -> Result<Option<Url>, TeamViewerError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    match Url::parse(&raw) {
        Ok(url) if url.scheme() == "https" && url.host().is_some() => Ok(Some(url)),
        _ => Err(TeamViewerError::malformed(format!(
            "{field} is not an https link"
        ))),
    }
}

fn timestamp(raw: Option<String>, field: &str) -> Result<Option<DateTime<Utc>>, TeamViewerError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(&raw) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    // No offset: TeamViewer's samples are UTC (`…Z`), so read a bare timestamp as UTC.
    NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|t| Some(t.and_utc()))
        .map_err(|_| TeamViewerError::malformed(format!("{field} is not a timestamp")))
}

/// The group a new session goes into: one of the two is required; an unknown name is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionGroup {
    /// `groupname` (default `Help@Work`).
    Name(String),
    /// `groupid` (`g…`).
    Id(String),
}

impl Default for SessionGroup {
    fn default() -> Self {
        Self::Name(DEFAULT_GROUP_NAME.to_owned())
    }
}

/// The group name new sessions go into unless told otherwise.
pub const DEFAULT_GROUP_NAME: &str = "Help@Work";

/// A session to create (`POST /sessions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSession {
    pub group: SessionGroup,
    /// The case description.
    pub description: Option<String>,
    pub end_customer: Option<EndCustomer>,
    /// Shown to the end customer while waiting.
    pub waiting_message: Option<String>,
    /// Omitted: TeamViewer lets the code expire after 24 h.
    pub valid_until: Option<DateTime<Utc>>,
    /// At most 4,000 characters; visible only via the API.
    pub custom_api: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct NewSessionBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    groupid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groupname: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_customer: Option<&'a EndCustomer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiting_message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_api: Option<&'a str>,
}

impl NewSession {
    /// Checks the documented limits locally, so a bad value fails before any request.
    pub(crate) fn to_body(&self) -> Result<NewSessionBody<'_>, TeamViewerError> {
        let (groupid, groupname) = match &self.group {
            SessionGroup::Id(id) if id.starts_with('g') && id.len() > 1 => {
                (Some(id.as_str()), None)
            }
            SessionGroup::Id(_) => return Err(invalid("a group id looks like g123456789")),
            SessionGroup::Name(name) if !name.trim().is_empty() => (None, Some(name.as_str())),
            SessionGroup::Name(_) => return Err(invalid("the group name is empty")),
        };
        if let Some(customer) = &self.end_customer {
            check_customer(customer)?;
        }
        check_len(self.custom_api.as_deref(), 4000, "custom_api")?;
        Ok(NewSessionBody {
            groupid,
            groupname,
            description: self.description.as_deref(),
            end_customer: self.end_customer.as_ref(),
            waiting_message: self.waiting_message.as_deref(),
            valid_until: self
                .valid_until
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            custom_api: self.custom_api.as_deref(),
        })
    }
}

/// Changes to a session (`PUT /sessions/{code}`); `None` fields are left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SessionUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groupid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_customer: Option<EndCustomer>,
    /// `"u0"` unassigns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_userid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_api: Option<String>,
    /// `closed` closes; `open` reopens (allowed until `valid_until`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<CaseState>,
}

impl SessionUpdate {
    /// `{"state":"closed"}`.
    pub fn close() -> Self {
        Self {
            state: Some(CaseState::Closed),
            ..Self::default()
        }
    }

    pub(crate) fn validate(&self) -> Result<(), TeamViewerError> {
        if let Some(customer) = &self.end_customer {
            check_customer(customer)?;
        }
        check_len(self.custom_api.as_deref(), 4000, "custom_api")
    }
}

/// Which sessions to list. TeamViewer's default is open sessions only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateFilter {
    #[default]
    Open,
    Closed,
    All,
}

impl StateFilter {
    pub(crate) fn as_query(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::All => "open,closed",
        }
    }
}

/// Filters for `GET /sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionQuery {
    pub state: StateFilter,
    pub groupid: Option<String>,
    pub assigned_userid: Option<String>,
    /// Include descriptions, links, end customer and timestamps.
    pub full_list: bool,
}

#[derive(Deserialize)]
pub(crate) struct SessionPageWire {
    pub(crate) sessions: Vec<SessionWire>,
    #[serde(default)]
    pub(crate) sessions_remaining: Option<u64>,
    #[serde(default)]
    pub(crate) next_offset: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct PingWire {
    pub(crate) token_valid: bool,
}

fn check_customer(customer: &EndCustomer) -> Result<(), TeamViewerError> {
    check_len(customer.name.as_deref(), 100, "end_customer.name")?;
    check_len(customer.email.as_deref(), 254, "end_customer.email")
}

fn check_len(value: Option<&str>, max: usize, field: &str) -> Result<(), TeamViewerError> {
    match value {
        Some(v) if v.chars().count() > max => {
            Err(invalid(&format!("{field} is longer than {max} characters")))
        }
        _ => Ok(()),
    }
}

fn invalid(description: &str) -> TeamViewerError {
    TeamViewerError::InvalidRequest {
        description: description.to_owned(),
        signature: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_codes_follow_the_documented_shape() {
        for ok in ["s12-345-678", "s119-457-589", "s1234-567-890"] {
            assert!(is_session_code(ok), "{ok}");
        }
        for bad in [
            "s1-345-678",
            "s12345-678-901",
            "s1234-5678",
            "S12-345-678",
            "s12-345-678-",
            "s12-34a-678",
            "s12-345-678/../x",
            "",
            "s١٢-345-678",
        ] {
            assert!(!is_session_code(bad), "{bad}");
        }
    }

    #[test]
    fn doc_sample_session_parses() {
        let sample = r#"{"code":"s119-457-589","state":"Open","groupid":"g272032545",
            "assigned_userid":"u11293276",
            "end_customer_link":"https://get.teamviewer.com/v15/s119457589",
            "supporter_link":"https://get.teamviewer.com/v15/s119457589-AEG8iPEEzz96",
            "webclient_supporter_link":"https://login.teamviewer.com/Connect/IndexByol?sessioncode=s119457589&servicequeuetoken=AEG8iPEEzz96&lang=en&displayName=Jon+Snow",
            "created_at":"2024-04-16T20:40:38Z","valid_until":"2024-04-17T20:40:38Z",
            "online":false,"support_session_type":"Default","tv_version":"15.0"}"#;
        let wire: SessionWire = serde_json::from_str(sample).expect("sample parses");
        let session = Session::try_from(wire).expect("sample is valid");
        assert_eq!(session.code.as_str(), "s119-457-589");
        assert_eq!(session.state, CaseState::Open);
        assert_eq!(
            session.valid_until.map(|t| t.to_rfc3339()),
            Some("2024-04-17T20:40:38+00:00".to_owned())
        );
    }

    #[test]
    fn http_links_are_rejected() {
        let wire: SessionWire = serde_json::from_str(
            r#"{"code":"s119-457-589","state":"Open","supporter_link":"http://get.teamviewer.com/v15/x"}"#,
        )
        .expect("parses");
        assert_eq!(
            Session::try_from(wire).map_err(|e| e.code()),
            Err(crate::ErrorCode::MalformedResponse)
        );
    }

    #[test]
    fn new_session_defaults_to_help_at_work_group() {
        let new = NewSession::default();
        let body = serde_json::to_value(new.to_body().expect("valid")).expect("json");
        assert_eq!(body, serde_json::json!({"groupname": "Help@Work"}));
    }

    #[test]
    fn new_session_limits_are_checked_locally() {
        let new = NewSession {
            end_customer: Some(EndCustomer {
                name: Some("x".repeat(101)),
                email: None,
            }),
            ..NewSession::default()
        };
        assert!(new.to_body().is_err());
        let new = NewSession {
            custom_api: Some("x".repeat(4001)),
            ..NewSession::default()
        };
        assert!(new.to_body().is_err());
    }

    #[test]
    fn close_is_state_closed() {
        assert_eq!(
            serde_json::to_string(&SessionUpdate::close()).expect("json"),
            r#"{"state":"closed"}"#
        );
    }
}
