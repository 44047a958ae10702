//! Whether TeamViewer's API is there at all, before any sign-in (`doctor`).

use helpatwork_net::Sensitive;

use crate::api::{Call, TeamViewerClient};
use crate::error::TeamViewerError;

impl TeamViewerClient {
    /// `GET /ping` without a token: whether TeamViewer's API answers at all (its answer that
    /// no valid token came counts: the service is there).
    #[tracing::instrument(skip_all, err)]
    pub async fn reachable(&self) -> Result<(), TeamViewerError> {
        match self
            .send(&Call::get("ping"), &Sensitive::new(String::new()))
            .await
        {
            Ok(_)
            | Err(TeamViewerError::InvalidToken)
            | Err(TeamViewerError::TokenExpired)
            | Err(TeamViewerError::InvalidRequest { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
