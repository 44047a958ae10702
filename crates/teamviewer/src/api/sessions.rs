//! The service-case calls: `POST /sessions`, `GET /sessions/{code}`, `GET /sessions` (paged),
//! `PUT /sessions/{code}` and the close that is a `PUT`.

use std::collections::HashSet;

use reqwest::Method;

use super::{Call, TeamViewerClient};
use crate::error::TeamViewerError;
use crate::model::{
    is_session_code, NewSession, Session, SessionCode, SessionQuery, SessionUpdate,
};
use crate::responses;

/// Upper bound of list pages followed (1,000 sessions each): a loop guard, not a product limit.
const MAX_LIST_PAGES: usize = 1000;

impl TeamViewerClient {
    /// `POST /sessions`. Never retried after a transport or server failure (the first try may
    /// have created the session); only a `401 token_expired`, which TeamViewer answers before
    /// doing anything, leads to one refresh and one resend.
    #[tracing::instrument(skip_all, err)]
    pub async fn create_session(&self, new: &NewSession) -> Result<Session, TeamViewerError> {
        let body = serde_json::to_vec(&new.to_body()?)
            .map_err(|_| TeamViewerError::malformed("cannot encode the session"))?;
        let call = Call {
            method: Method::POST,
            path: "sessions".to_owned(),
            query: Vec::new(),
            body: Some(body),
            idempotent: false,
        };
        let reply = self.call(&call).await?;
        let session = responses::session(&reply)?;
        tracing::info!(code = %session.code, "created a TeamViewer session");
        Ok(session)
    }

    /// `GET /sessions/{code}`.
    #[tracing::instrument(skip_all, err, fields(code = %code))]
    pub async fn session(&self, code: &SessionCode) -> Result<Session, TeamViewerError> {
        let body = self.call(&Call::get(&format!("sessions/{code}"))).await?;
        responses::session(&body)
    }

    /// `GET /sessions`, following `next_offset` while `sessions_remaining` > 0 (newest first).
    #[tracing::instrument(skip_all, err)]
    pub async fn list_sessions(
        &self,
        query: &SessionQuery,
    ) -> Result<Vec<Session>, TeamViewerError> {
        let mut sessions = Vec::new();
        let mut offset: Option<String> = None;
        let mut seen_offsets = HashSet::new();
        for _ in 0..MAX_LIST_PAGES {
            let mut call = Call::get("sessions");
            call.query
                .push(("state", query.state.as_query().to_owned()));
            if let Some(groupid) = &query.groupid {
                call.query.push(("groupid", groupid.clone()));
            }
            if let Some(userid) = &query.assigned_userid {
                call.query.push(("assigned_userid", userid.clone()));
            }
            if query.full_list {
                call.query.push(("full_list", "true".to_owned()));
            }
            if let Some(offset) = &offset {
                call.query.push(("offset", offset.clone()));
            }
            let page = responses::session_page(&self.call(&call).await?)?;
            sessions.extend(page.sessions);
            if page.remaining == 0 {
                return Ok(sessions);
            }
            let next = page
                .next_offset
                .filter(|o| is_session_code(o))
                .ok_or_else(|| {
                    TeamViewerError::malformed("sessions remain but next_offset is missing")
                })?;
            if !seen_offsets.insert(next.clone()) {
                return Err(TeamViewerError::malformed("next_offset repeats"));
            }
            offset = Some(next);
        }
        Err(TeamViewerError::malformed("the session list does not end"))
    }

    /// `PUT /sessions/{code}` (204).
    #[tracing::instrument(skip_all, err, fields(code = %code))]
    pub async fn update_session(
        &self,
        code: &SessionCode,
        update: &SessionUpdate,
    ) -> Result<(), TeamViewerError> {
        update.validate()?;
        let body = serde_json::to_vec(update)
            .map_err(|_| TeamViewerError::malformed("cannot encode the update"))?;
        let call = Call {
            method: Method::PUT,
            path: format!("sessions/{code}"),
            query: Vec::new(),
            body: Some(body),
            idempotent: true,
        };
        self.call(&call).await.map(drop)
    }

    /// Closes a session: `PUT /sessions/{code}` with `{"state":"closed"}`.
    pub async fn close_session(&self, code: &SessionCode) -> Result<(), TeamViewerError> {
        self.update_session(code, &SessionUpdate::close()).await
    }
}
