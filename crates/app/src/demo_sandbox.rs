//! The demo's TeamViewer: a local sandbox whose sessions, groups and tokens live in the demo's
//! data directory, so every `--demo` command (and the window) shares them across processes, and
//! the demo's sign-in, kept in a file beside it. Plus the demo's stand-in for the world outside
//! the product: the device user joining or leaving the session at TeamViewer, and the case
//! closed there, as the real services would report them.
//!
//! Never used outside the labelled demo: real tokens live only in the OS keyring.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use helpatwork_teamviewer::{
    SecretStore, SecretStoreError, Sensitive, TeamViewerClient, TeamViewerConfig,
};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{device_not_found, AppError, Result};
use crate::teamviewer::TeamViewer;

/// The sandbox's state file in the demo's data directory.
pub fn state_file(demo_root: &Path) -> PathBuf {
    demo_root.join("teamviewer-sandbox.json")
}

/// The demo's sign-in (sandbox tokens, worthless outside it), owner-only.
pub fn secrets_file(demo_root: &Path) -> PathBuf {
    demo_root.join("teamviewer-sandbox-signin.json")
}

/// A secret store in one JSON file: the demo's only, for the sandbox's tokens.
pub struct DemoSecrets {
    path: PathBuf,
    write: Mutex<()>,
}

impl DemoSecrets {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            write: Mutex::new(()),
        }
    }

    fn read(&self) -> Result<BTreeMap<String, String>, SecretStoreError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| SecretStoreError::Corrupt),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(SecretStoreError::Unavailable(e.to_string())),
        }
    }

    fn write(&self, entries: &BTreeMap<String, String>) -> Result<(), SecretStoreError> {
        let unavailable = |e: std::io::Error| SecretStoreError::Unavailable(e.to_string());
        let bytes = serde_json::to_vec(entries).map_err(|_| SecretStoreError::Corrupt)?;
        let mut tmp = self.path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let _ = std::fs::remove_file(&tmp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(unavailable)?;
        std::io::Write::write_all(&mut file, &bytes).map_err(unavailable)?;
        file.sync_all().map_err(unavailable)?;
        drop(file);
        std::fs::rename(&tmp, &self.path).map_err(unavailable)
    }
}

impl SecretStore for DemoSecrets {
    fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretStoreError> {
        Ok(self.read()?.remove(key).map(Sensitive::new))
    }

    fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretStoreError> {
        let _guard = self.write.lock().unwrap_or_else(|e| e.into_inner());
        let mut entries = self.read().unwrap_or_default();
        entries.insert(key.to_owned(), value.expose().clone());
        self.write(&entries)
    }

    fn delete(&self, key: &str) -> Result<(), SecretStoreError> {
        let _guard = self.write.lock().unwrap_or_else(|e| e.into_inner());
        let mut entries = self.read().unwrap_or_default();
        if entries.remove(key).is_some() {
            self.write(&entries)?;
        }
        Ok(())
    }
}

/// What the demo's outside world does to a device's open session at TeamViewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoEvent {
    /// The device user opens QuickSupport (or Host) with the code: TeamViewer's `online`.
    CustomerJoins,
    /// The device user's app leaves the session.
    CustomerLeaves,
    /// The case is closed at TeamViewer (as a supporter ending it in the TeamViewer client).
    CaseClosed,
}

/// What the demo's TeamViewer now says of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DemoOutcome {
    pub device_id: String,
    pub code: String,
    /// `open` or `closed`, as TeamViewer says.
    pub case_state: String,
    pub online: bool,
}

/// Acts as the device user or TeamViewer on the device's open session, in the demo's sandbox.
/// The session here follows at the next reconciliation (`session list`, the window's interval).
pub async fn simulate(ctx: &AppContext, device_id: &str, event: DemoEvent) -> Result<DemoOutcome> {
    let Some(sandbox) = ctx.teamviewer.sandbox() else {
        return Err(AppError::invalid(ctx.lang.pick(
            "This exists only in the demo.",
            "Isto existe apenas na demonstração.",
        ))
        .with_fix(ctx.lang.pick("Run it with --demo.", "Execute com --demo.")));
    };
    let device = ctx
        .store
        .device(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx.lang, device_id))?;
    let code = ctx
        .store
        .open_session_for_device(&device.id)
        .await?
        .and_then(|s| s.code)
        .ok_or_else(|| {
            AppError::not_found(match ctx.lang {
                helpatwork_domain::Lang::En => {
                    format!("{} has no open session with a TeamViewer code.", device.id)
                }
                helpatwork_domain::Lang::PtBr => {
                    format!(
                        "{} não tem sessão aberta com código do TeamViewer.",
                        device.id
                    )
                }
            })
            .with_fix(ctx.lang.pick(
                "Start one first: helpatwork --demo session start DEVICE.",
                "Inicie uma antes: helpatwork --demo session start DISPOSITIVO.",
            ))
        })?;
    let handle = sandbox.handle.clone();
    let code_for_task = code.clone();
    let changed = tokio::task::spawn_blocking(move || match event {
        DemoEvent::CustomerJoins => handle.set_online(&code_for_task, true),
        DemoEvent::CustomerLeaves => handle.set_online(&code_for_task, false),
        DemoEvent::CaseClosed => handle.close_case(&code_for_task),
    })
    .await
    .map_err(|e| AppError::internal(e.to_string()))?;
    let handle = sandbox.handle.clone();
    let code_for_task = code.clone();
    let now = tokio::task::spawn_blocking(move || handle.session(&code_for_task))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    match (changed, now) {
        (true, Some(s)) => Ok(DemoOutcome {
            device_id: device.id,
            code,
            case_state: s.state.to_ascii_lowercase(),
            online: s.online,
        }),
        _ => Err(AppError::new(crate::ErrorCode::Conflict, ctx.lang.pick(
            "The demo's TeamViewer has no open case with this code: it was closed there already.",
            "O TeamViewer da demonstração não tem caso aberto com este código: ele já foi encerrado.",
        ))
        .with_fix(ctx.lang.pick(
            "Run `helpatwork --demo session list`: the session follows TeamViewer.",
            "Execute `helpatwork --demo session list`: a sessão acompanha o TeamViewer.",
        ))),
    }
}

/// The demo's tier 2 agent as the sandbox knows them: a second TeamViewer user of the demo
/// company, whom a session can be handed over to.
pub fn tier2_account() -> helpatwork_teamviewer_sandbox::SandboxAccount {
    helpatwork_teamviewer_sandbox::SandboxAccount {
        userid: "u22334455".to_owned(),
        name: "Tier 2 Supporter".to_owned(),
        email: "tier2.supporter@example.com".to_owned(),
        company_name: "Help@Work Demo".to_owned(),
    }
}

/// The demo's tier 2 agent as sessions and the audit trail name them.
pub const TIER2_AGENT: &str = "tier2.agent";

/// The demo's unattended side and team, once per demo data directory: every Android device with
/// Host activated appears in the sandbox's device list, assigned under the alias Help@Work writes
/// into Host's assignment configuration (online as the device is; one in ten under its bare name,
/// for the admin to confirm), and the tier 2 agent is among the agents who signed in.
pub async fn seed_unattended_and_agents(ctx: &AppContext) -> Result<()> {
    let Some(sandbox) = ctx.teamviewer.sandbox() else {
        return Ok(());
    };
    let tier2 = tier2_account();
    if ctx.store.agent_by_userid(&tier2.userid).await?.is_none() {
        ctx.store
            .upsert_agent(
                &tier2.userid,
                &tier2.name,
                Some(&tier2.email),
                TIER2_AGENT,
                ctx.clock.now(),
            )
            .await?;
    }
    let handle = sandbox.handle.clone();
    let hosts: Vec<_> = crate::demo::fleet(ctx.clock.now())
        .iter()
        .filter(|d| {
            d.platform == helpatwork_domain::Platform::Android
                && d.host_activated == Some(true)
                && d.app(helpatwork_domain::AppKind::Host).is_some()
        })
        .enumerate()
        .map(|(i, d)| {
            // A few were assigned before Help@Work wrote its aliases: only the device's name, so
            // an admin confirms their match (the fallback).
            let alias = if i % 10 == 3 {
                d.name.clone()
            } else {
                crate::session::unattended::alias_for(d)
            };
            helpatwork_teamviewer_sandbox::SandboxDevice::assigned_host(&alias, d.online)
        })
        .collect();
    tokio::task::spawn_blocking(move || {
        if handle.devices().is_empty() {
            for host in hosts {
                handle.add_device(host);
            }
        }
    })
    .await
    .map_err(|e| AppError::internal(e.to_string()))
}

fn demo_only(ctx: &AppContext) -> Result<&helpatwork_teamviewer_sandbox::Sandbox> {
    ctx.teamviewer.sandbox().ok_or_else(|| {
        AppError::invalid(ctx.lang.pick(
            "This exists only in the demo.",
            "Isto existe apenas na demonstração.",
        ))
        .with_fix(ctx.lang.pick("Run it with --demo.", "Execute com --demo."))
    })
}

/// The device user asks for help "with the click of a button": a service case waits unassigned
/// in Help@Work's group, with the user as its end customer (what the device side creates).
pub async fn request_help(ctx: &AppContext, device_id: &str) -> Result<DemoOutcome> {
    let sandbox = demo_only(ctx)?;
    let device = ctx
        .store
        .device(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx.lang, device_id))?;
    let request = helpatwork_teamviewer_sandbox::HelpRequest {
        name: Some(device.user.name.clone()),
        email: (!device.user.email.is_empty()).then(|| device.user.email.clone()),
        description: Some(format!("Help requested on {} ({})", device.name, device.id)),
        group_name: helpatwork_teamviewer::DEFAULT_GROUP_NAME.to_owned(),
    };
    let handle = sandbox.handle.clone();
    let code = tokio::task::spawn_blocking(move || handle.request_help(&request))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(DemoOutcome {
        device_id: device.id,
        code,
        case_state: "open".to_owned(),
        online: false,
    })
}

/// What the demo's TeamViewer now says of a device's Host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DemoHostOutcome {
    pub device_id: String,
    pub remotecontrol_id: String,
    pub online: bool,
}

/// The device's TeamViewer Host goes on or off line in the demo's TeamViewer.
pub async fn set_host_online(
    ctx: &AppContext,
    device_id: &str,
    online: bool,
) -> Result<DemoHostOutcome> {
    let sandbox = demo_only(ctx)?;
    let device = ctx
        .store
        .device(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx.lang, device_id))?;
    let alias = crate::session::unattended::alias_for(&device);
    let handle = sandbox.handle.clone();
    let found = tokio::task::spawn_blocking(move || {
        let id = handle
            .devices()
            .into_iter()
            .find(|d| d.alias == alias)
            .map(|d| d.remotecontrol_id)?;
        handle.set_device_online(&id, online).then_some(id)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string()))?;
    match found {
        Some(remotecontrol_id) => Ok(DemoHostOutcome { device_id: device.id, remotecontrol_id, online }),
        None => Err(AppError::not_found(match ctx.lang {
            helpatwork_domain::Lang::En => format!("{} has no TeamViewer Host assigned in the demo's TeamViewer.", device.id),
            helpatwork_domain::Lang::PtBr => format!("{} não tem TeamViewer Host atribuído no TeamViewer da demonstração.", device.id),
        })
        .with_fix(ctx.lang.pick(
            "Pick an Android device with Host activated (helpatwork --demo devices show DEVICE).",
            "Escolha um dispositivo Android com o Host ativado (helpatwork --demo devices show DISPOSITIVO).",
        ))),
    }
}

/// The labelled demo: a local sandbox that follows TeamViewer's documented API. Its sessions
/// and tokens, and the demo's sign-in, live in the demo's data directory (`demo_root`), so
/// every `--demo` process shares them (`crate::demo_sandbox`).
pub async fn teamviewer(demo_root: &Path) -> Result<TeamViewer> {
    std::fs::create_dir_all(demo_root).map_err(|e| {
        AppError::internal(format!("the demo data directory could not be made: {e}"))
    })?;
    let sandbox =
        helpatwork_teamviewer_sandbox::spawn(helpatwork_teamviewer_sandbox::SandboxOptions {
            state_file: Some(state_file(demo_root)),
            // The demo's tier 2 agent, whom a session can be handed over to.
            users: vec![tier2_account()],
            ..Default::default()
        })
        .await
        .map_err(|e| {
            AppError::internal(format!("the demo TeamViewer sandbox could not start: {e}"))
        })?;
    let config = TeamViewerConfig::for_service(&sandbox.base_url, &sandbox.login_url)
        .map_err(|e| AppError::internal(e.to_string()))?
        .with_app(
            sandbox.client_id.clone(),
            helpatwork_teamviewer::Sensitive::new(sandbox.client_secret.clone()),
        );
    let secrets = DemoSecrets::new(secrets_file(demo_root));
    let client = TeamViewerClient::new(config, Arc::new(secrets))
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(TeamViewer::with_sandbox(client, sandbox))
}

/// The demo's tier 2 agent's script token in the sandbox (the demo only; a made-up value).
const TIER2_TOKEN: &str = "demo-tier2-script-token-0000000000";

/// The demo only: a context acting as the tier 2 agent, signed in to the sandbox with their
/// own TeamViewer user, so one machine can show four eyes (another agent requests, approves or
/// refuses). It shares this context's store; its audit events are written as tier 2's account.
pub fn as_tier2(ctx: &AppContext) -> Result<AppContext> {
    let sandbox = ctx.teamviewer.sandbox().ok_or_else(|| {
        AppError::invalid("Acting as the tier 2 agent is for the demo only.")
            .with_fix("Run it with --demo.")
    })?;
    let tier2 = tier2_account();
    sandbox.handle.add_user(tier2.clone());
    sandbox.handle.add_user_token(TIER2_TOKEN, &tier2.userid);
    let (api, login) = (sandbox.base_url.clone(), sandbox.login_url.clone());
    let mut other = ctx.clone();
    other.teamviewer = crate::teamviewer::TeamViewer::from_lookup(move |name| match name {
        "HELPATWORK_TEAMVIEWER_API_URL" => Some(api.clone()),
        "HELPATWORK_TEAMVIEWER_LOGIN_URL" => Some(login.clone()),
        "HELPATWORK_TEAMVIEWER_TOKEN" => Some(TIER2_TOKEN.to_owned()),
        _ => None,
    });
    other.actor = TIER2_AGENT.to_owned();
    crate::actor::verify_with_teamviewer(&other);
    Ok(other)
}
