//! The agent's TeamViewer sign-in (S3): status, sign in, sign out. The store keeps only the
//! account id and name; tokens stay in the secret store.

use std::time::Duration;

use helpatwork_teamviewer::{AuthKind, SignInOptions};
pub use helpatwork_teamviewer::{BrowserOpener, CancellationToken};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::Result;

pub const ACCOUNT_ID_SETTING: &str = "teamviewer.account_id";
pub const ACCOUNT_NAME_SETTING: &str = "teamviewer.account_name";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuthMethod {
    Oauth,
    ScriptToken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamViewerAccount {
    pub userid: String,
    pub name: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuthStatus {
    /// A TeamViewer app (client id) or a script token is configured.
    pub configured: bool,
    pub signed_in: bool,
    pub method: Option<AuthMethod>,
    pub account: Option<TeamViewerAccount>,
}

fn method(kind: AuthKind) -> AuthMethod {
    match kind {
        AuthKind::ScriptToken => AuthMethod::ScriptToken,
        AuthKind::OAuth => AuthMethod::Oauth,
    }
}

fn configured(ctx: &AppContext) -> bool {
    ctx.teamviewer
        .client
        .as_ref()
        .is_some_and(|c| c.config().client_id.is_some() || c.config().script_token.is_some())
}

/// Who is signed in, checked against TeamViewer (`GET /ping`, `GET /account`).
pub async fn status(ctx: &AppContext) -> Result<AuthStatus> {
    let signed_out = AuthStatus {
        configured: configured(ctx),
        signed_in: false,
        method: None,
        account: None,
    };
    let Some(client) = ctx.teamviewer.client.as_ref() else {
        return Ok(signed_out);
    };
    if client.auth_kind().await?.is_none() {
        return Ok(signed_out);
    }
    let kind = match client.ensure_valid_token().await {
        Ok(kind) => kind,
        Err(e) if e.code() == helpatwork_teamviewer::ErrorCode::SignInNeeded => {
            return Ok(signed_out)
        }
        Err(e) => return Err(e.into()),
    };
    let account = client.account().await?;
    remember(ctx, &account).await?;
    Ok(AuthStatus {
        configured: true,
        signed_in: true,
        method: Some(method(kind)),
        account: Some(TeamViewerAccount {
            userid: account.userid,
            name: account.name,
            email: account.email,
        }),
    })
}

async fn remember(ctx: &AppContext, account: &helpatwork_teamviewer::Account) -> Result<()> {
    ctx.store
        .set_setting(ACCOUNT_ID_SETTING, &account.userid)
        .await?;
    ctx.store
        .set_setting(ACCOUNT_NAME_SETTING, &account.name)
        .await?;
    // The agents a session can be handed over to (crate::handover).
    crate::agents::remember(ctx, account).await?;
    Ok(())
}

/// Signs in with OAuth (authorization code + PKCE on a loopback redirect) in the browser.
pub async fn sign_in(
    ctx: &AppContext,
    browser: &dyn BrowserOpener,
    cancel: CancellationToken,
) -> Result<AuthStatus> {
    let client = ctx.teamviewer.client()?;
    let account = client
        .sign_in(
            browser,
            SignInOptions {
                timeout: Duration::from_secs(300),
                cancel,
            },
        )
        .await?;
    remember(ctx, &account).await?;
    ctx.store
        .append_audit(helpatwork_store::NewAuditEvent {
            actor: &ctx.actor,
            action: "auth.sign_in",
            device_id: None,
            session_id: None,
            detail: serde_json::json!({ "account_id": account.userid, "account_name": account.name }),
        })
        .await?;
    status(ctx).await
}

/// Revokes the token at TeamViewer and deletes it here.
pub async fn sign_out(ctx: &AppContext) -> Result<AuthStatus> {
    let client = ctx.teamviewer.client()?;
    let outcome = client.sign_out().await?;
    ctx.store
        .append_audit(helpatwork_store::NewAuditEvent {
            actor: &ctx.actor,
            action: "auth.sign_out",
            device_id: None,
            session_id: None,
            detail: serde_json::json!({ "outcome": format!("{outcome:?}") }),
        })
        .await?;
    status(ctx).await
}
