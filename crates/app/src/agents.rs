//! The agents who signed in to TeamViewer here, with their TeamViewer user ids: whom a session
//! can be handed over to. Each sign-in and each auth status records the agent (in team mode the
//! shared PostgreSQL makes the list the team's).

use helpatwork_store::AgentRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{AppError, Result};

/// An agent who signed in to TeamViewer here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agent {
    /// The agent as sessions and the audit trail name them.
    pub agent: String,
    /// TeamViewer's account id (`u…`): a handed-over case is assigned to it.
    pub userid: String,
    /// TeamViewer's account name.
    pub name: String,
    pub email: Option<String>,
    pub last_seen_at: String,
    /// The agent using this app now.
    pub me: bool,
}

impl Agent {
    fn new(r: AgentRecord, actor: &str) -> Self {
        Self {
            me: r.agent == actor,
            agent: r.agent,
            userid: r.userid,
            name: r.name,
            email: r.email,
            last_seen_at: crate::dto::rfc3339(r.last_seen_at),
        }
    }
}

/// Records the agent signed in as this TeamViewer account.
pub async fn remember(ctx: &AppContext, account: &helpatwork_teamviewer::Account) -> Result<()> {
    ctx.store
        .upsert_agent(
            &account.userid,
            &account.name,
            account.email.as_deref(),
            &ctx.actor,
            ctx.clock.now(),
        )
        .await?;
    Ok(())
}

/// Every agent who signed in here, most recently seen first.
pub async fn list(ctx: &AppContext) -> Result<Vec<Agent>> {
    Ok(ctx
        .store
        .agents()
        .await?
        .into_iter()
        .map(|r| Agent::new(r, &ctx.actor))
        .collect())
}

/// The agent `who` names: their agent name, TeamViewer user id, TeamViewer name or e-mail
/// (without case). Several matches or none are errors with the fix.
pub(crate) async fn resolve(ctx: &AppContext, who: &str) -> Result<Agent> {
    let lang = ctx.lang;
    let who = who.trim();
    let wanted = who.to_lowercase();
    let agents = list(ctx).await?;
    let exact: Vec<&Agent> = agents
        .iter()
        .filter(|a| a.userid == who || a.agent.to_lowercase() == wanted)
        .collect();
    let found: Vec<&Agent> = if exact.is_empty() {
        agents
            .iter()
            .filter(|a| {
                a.name.to_lowercase() == wanted
                    || a.email
                        .as_deref()
                        .is_some_and(|e| e.to_lowercase() == wanted)
            })
            .collect()
    } else {
        exact
    };
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let shown: String = who.chars().take(64).collect();
            Err(AppError::not_found(match lang {
                helpatwork_domain::Lang::En => {
                    format!("No agent \"{shown}\" has signed in to TeamViewer here.")
                }
                helpatwork_domain::Lang::PtBr => {
                    format!("Nenhum agente \"{shown}\" entrou no TeamViewer aqui.")
                }
            })
            .with_fix(lang.pick(
                "List the agents with `helpatwork agents list`; an agent is listed once they sign in (helpatwork auth login).",
                "Liste os agentes com `helpatwork agents list`; um agente aparece depois de entrar (helpatwork auth login).",
            )))
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|a| format!("{} ({})", a.agent, a.userid))
                .collect();
            Err(AppError::invalid(match lang {
                helpatwork_domain::Lang::En => {
                    format!("\"{who}\" names several agents: {}.", names.join(", "))
                }
                helpatwork_domain::Lang::PtBr => {
                    format!("\"{who}\" indica vários agentes: {}.", names.join(", "))
                }
            })
            .with_fix(lang.pick(
                "Name the agent by their TeamViewer user id (u…).",
                "Indique o agente pelo id de usuário do TeamViewer (u…).",
            )))
        }
    }
}
