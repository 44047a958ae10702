//! The agent's TeamViewer sign-in (S3): status, sign in, sign out. The store keeps only the
//! account id and name; tokens stay in the secret store.

use std::time::Duration;

use helpatwork_teamviewer::{AuthKind, SignInOptions, SignOutOutcome};
pub use helpatwork_teamviewer::{BrowserOpener, CancellationToken, Url};
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
    /// What the agent must know about the answer: a sign-out whose token TeamViewer did not
    /// revoke. (A TeamViewer host outside TeamViewer's domain is a standing warning: doctor,
    /// settings, the window's banner.)
    pub warnings: Vec<String>,
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
        warnings: Vec::new(),
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
        warnings: Vec::new(),
    })
}

async fn remember(ctx: &AppContext, account: &helpatwork_teamviewer::Account) -> Result<()> {
    ctx.store
        .set_setting(ACCOUNT_ID_SETTING, &account.userid)
        .await?;
    ctx.store
        .set_setting(ACCOUNT_NAME_SETTING, &account.name)
        .await?;
    // The agents a session can be handed over to (crate::session::handover).
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
    // The events from now on are written as the account just signed in.
    crate::actor::reverify(ctx);
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

/// Revokes the token at TeamViewer and deletes it here. When TeamViewer does not confirm the
/// revocation, the answer says so (`warnings`), besides the audit event.
pub async fn sign_out(ctx: &AppContext) -> Result<AuthStatus> {
    let client = ctx.teamviewer.client()?;
    // The sign-out event is written as the account signing out.
    let _ = ctx.store.audit_account().await;
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
    crate::actor::reverify(ctx);
    let mut now = status(ctx).await?;
    if let SignOutOutcome::DeletedLocallyOnly(code) = outcome {
        now.warnings.insert(
            0,
            match ctx.lang {
                helpatwork_domain::Lang::En => format!(
                    "Signed out here, but TeamViewer did not confirm revoking the token ({code}): it stays valid until it expires. Revoke it in the TeamViewer Management Console (profile → Apps), or sign out again later."
                ),
                helpatwork_domain::Lang::PtBr => format!(
                    "Sessão encerrada aqui, mas o TeamViewer não confirmou a revogação do token ({code}): ele continua válido até expirar. Revogue-o no TeamViewer Management Console (perfil → Apps) ou encerre a sessão novamente mais tarde."
                ),
            },
        );
    }
    Ok(now)
}

/// Opens the sign-in address in the browser; when the browser cannot be opened (or
/// `browser` is `None`: `auth login --no-browser`), hands the address to `show` and keeps
/// waiting for the agent to open it by hand, as the common CLIs do.
pub struct AddressOpener<'a> {
    pub browser: Option<&'a dyn BrowserOpener>,
    pub show: ShowAddress<'a>,
}

/// Shows the sign-in address (and why the browser could not open it, if it could not).
pub type ShowAddress<'a> = Box<dyn Fn(&Url, Option<&str>) + Send + Sync + 'a>;

impl BrowserOpener for AddressOpener<'_> {
    fn open(&self, url: &Url) -> std::result::Result<(), String> {
        match self.browser.map(|b| b.open(url)) {
            Some(Ok(())) => Ok(()),
            Some(Err(why)) => {
                tracing::info!(%why, "the browser could not be opened; the sign-in address is shown");
                (self.show)(url, Some(&why));
                Ok(())
            }
            None => {
                (self.show)(url, None);
                Ok(())
            }
        }
    }
}
