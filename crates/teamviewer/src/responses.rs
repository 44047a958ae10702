//! Reading TeamViewer's HTTP answers: the one place response bodies become typed values.
//!
//! Each function takes the raw (already size-capped) body and returns what the client returns,
//! validated. Public so the parsers can be fuzzed on their own; the client calls the same
//! functions, so what is fuzzed is what runs.

use serde::de::DeserializeOwned;

use crate::devices::{Device, DeviceListWire, Group, GroupListWire};
use crate::error::TeamViewerError;
use crate::model::{Account, AccountWire, PingWire, Session, SessionPageWire, SessionWire};

/// One page of `GET /sessions`: its sessions, how many remain, and the offset of the next page.
#[derive(Debug)]
pub struct SessionPage {
    pub sessions: Vec<Session>,
    pub remaining: u64,
    pub next_offset: Option<String>,
}

/// `GET /ping` → `token_valid`.
pub fn ping(body: &[u8]) -> Result<bool, TeamViewerError> {
    Ok(parse::<PingWire>(body, "ping")?.token_valid)
}

/// `GET /account`.
pub fn account(body: &[u8]) -> Result<Account, TeamViewerError> {
    Account::try_from(parse::<AccountWire>(body, "account")?)
}

/// `POST /sessions` and `GET /sessions/{code}`.
pub fn session(body: &[u8]) -> Result<Session, TeamViewerError> {
    Session::try_from(parse::<SessionWire>(body, "session")?)
}

/// One page of `GET /sessions`.
pub fn session_page(body: &[u8]) -> Result<SessionPage, TeamViewerError> {
    let page: SessionPageWire = parse(body, "session list")?;
    let sessions = page
        .sessions
        .into_iter()
        .map(Session::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SessionPage {
        sessions,
        remaining: page.sessions_remaining.unwrap_or(0),
        next_offset: page.next_offset,
    })
}

/// `GET /devices`: the account's Computers & Contacts entries.
pub fn devices(body: &[u8]) -> Result<Vec<Device>, TeamViewerError> {
    parse::<DeviceListWire>(body, "device list")?
        .devices
        .into_iter()
        .map(Device::try_from)
        .collect()
}

/// `GET /groups`.
pub fn groups(body: &[u8]) -> Result<Vec<Group>, TeamViewerError> {
    let groups = parse::<GroupListWire>(body, "group list")?.groups;
    if groups.iter().any(|g| !g.id.starts_with('g')) {
        return Err(TeamViewerError::malformed("group id in an unknown format"));
    }
    Ok(groups)
}

/// An HTTP error status and its body, as the typed error the client returns.
pub fn error(status: u16, body: &[u8]) -> TeamViewerError {
    TeamViewerError::from_response(status, body)
}

/// Parses JSON without ever echoing the body (or serde's excerpt of it) into the error.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T, TeamViewerError> {
    serde_json::from_slice(body)
        .map_err(|_| TeamViewerError::malformed(format!("{what} is not valid JSON")))
}
