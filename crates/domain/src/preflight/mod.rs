//! Preflight, the product's central idea: every check that decides whether a session can start
//! on one device in one mode, each with the rule it enforces, its status and its fix. The app
//! gathers the facts (the store, TeamViewer, the desktop client: IO); this module evaluates them,
//! the one place the checks are assembled:
//!
//! - the tenant: L1 (tier), A1 / U1 (the mode's activation), U3 (the device's unattended
//!   licence) — `crate::admin`;
//! - the device: L2, S2, S4, S7, S10, U2, U4, A6, online, management facts — `crate::eligibility`;
//! - the agent's TeamViewer sign-in: S3;
//! - the desktop client: D3, S11, security — `crate::desktop`;
//! - unattended: the Host assigned to the account and online — [`host`];
//! - the device's open session, held by another agent or this one: `open_session`;
//! - the support policies whose group holds the device — `crate::policy`.
//!
//! A reason no admin can lift (L2, unattended on iOS) comes first: its fix is the headline.

pub mod host;

use crate::admin::{tenant_checks, TenantFacts};
use crate::desktop::DesktopFinding;
use crate::device::{Device, Mode};
use crate::eligibility::{
    device_findings, session_checks, Check, CheckStatus, Circumstances, Finding,
};
use crate::lang::Lang;
use crate::policy::{CompiledPolicy, GroupFacts, PolicyInput};
use crate::rules::RuleId;
use crate::session::SessionState;

pub use host::HostFacts;

/// The agent's TeamViewer sign-in (S3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFact<'a> {
    /// No TeamViewer app or script token is configured.
    NotConfigured,
    /// A token is held.
    Held,
    /// No token: the start signs in first; `fix` says how on the surface the agent reads.
    Missing { fix: &'a str },
}

/// The open session that holds the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder<'a> {
    pub agent: &'a str,
    /// Its TeamViewer code, else its id.
    pub session: &'a str,
    pub state: SessionState,
}

/// Everything a preflight knows, gathered once by the app.
#[derive(Debug, Clone)]
pub struct PreflightFacts<'a> {
    pub device: &'a Device,
    pub mode: Mode,
    pub tenant: TenantFacts,
    pub circumstances: Circumstances<'a>,
    pub token: TokenFact<'a>,
    /// D3, S11, security: `crate::desktop::assess`; `None` when not looked at (the device side
    /// already blocks: [`device_side_blocks`]).
    pub desktop: Option<Vec<DesktopFinding>>,
    /// Unattended: what TeamViewer says of the device's Host; `None` for attended or when the
    /// device side already blocks.
    pub host: Option<HostFacts>,
    pub holder: Option<Holder<'a>>,
    /// The support policies and what the start brings for them; `None`: none are kept.
    pub policy: Option<PolicyFacts<'a>>,
}

/// What the support policies are checked against besides the device and the clock.
#[derive(Debug, Clone, Copy)]
pub struct PolicyFacts<'a> {
    pub policies: &'a [CompiledPolicy],
    /// `None`: not given yet (a preflight); a start gives both.
    pub reason: Option<&'a str>,
    pub ticket: Option<&'a str>,
    /// Unattended: the agent whose approval holds for this start now.
    pub approved_by: Option<&'a str>,
}

impl<'a> PolicyFacts<'a> {
    /// The policies' input for this device and mode at the preflight's time.
    pub fn input(&self, facts: &PreflightFacts<'a>) -> PolicyInput<'a> {
        PolicyInput {
            facts: GroupFacts::of(facts.device),
            mode: facts.mode,
            reason: self.reason,
            ticket: self.ticket,
            now: facts.circumstances.now,
            approved_by: self.approved_by,
        }
    }
}

/// Whether the device itself stops a session in this mode: then neither the desktop client nor
/// the Host is worth looking at.
pub fn device_side_blocks(device: &Device, mode: Mode, circumstances: &Circumstances<'_>) -> bool {
    session_checks(device, mode, circumstances, Lang::En)
        .iter()
        .any(|c| c.status == CheckStatus::Block)
}

/// The checks, in the order the checklist shows them.
pub fn checks(facts: &PreflightFacts<'_>, lang: Lang) -> Vec<Check> {
    let mut checks = tenant_checks(&facts.tenant, facts.mode, lang);
    let device_checks = session_checks(facts.device, facts.mode, &facts.circumstances, lang);
    if device_findings(facts.device, facts.mode)
        .iter()
        .any(Finding::is_permanent)
    {
        checks.splice(0..0, device_checks);
    } else {
        checks.extend(device_checks);
    }
    checks.push(token_check(facts.token, lang));
    if let Some(findings) = &facts.desktop {
        checks.extend(desktop_checks(findings, facts, lang));
    }
    if let Some(host) = &facts.host {
        checks.extend(host::checks(host, lang));
    }
    if let Some(holder) = facts.holder {
        checks.push(holder_check(holder, lang));
    }
    if let Some(policy) = &facts.policy {
        checks.extend(crate::policy::checks(
            policy.policies,
            &policy.input(facts),
            lang,
        ));
    }
    checks
}

/// No check blocks.
pub fn ok(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.status != CheckStatus::Block)
}

pub fn token_check(token: TokenFact<'_>, lang: Lang) -> Check {
    let (status, message, fix) = match token {
        TokenFact::NotConfigured => (
            CheckStatus::Block,
            lang.pick("TeamViewer is not configured.", "O TeamViewer não está configurado."),
            Some(lang.pick(
                "Set the TeamViewer app credentials or a script token (docs/teamviewer.md).",
                "Defina as credenciais do aplicativo TeamViewer ou um token de script (docs/teamviewer.md).",
            )),
        ),
        TokenFact::Held => (
            CheckStatus::Pass,
            lang.pick("A TeamViewer token is held.", "Há um token do TeamViewer."),
            None,
        ),
        // A missing sign-in is a warning: the start resolves it (the window signs in and goes on).
        TokenFact::Missing { fix } => (
            CheckStatus::Warn,
            lang.pick(
                "Sign-in to TeamViewer is needed.",
                "É preciso entrar no TeamViewer.",
            ),
            Some(fix),
        ),
    };
    Check {
        rule: RuleId::S3,
        status,
        message: message.into(),
        fix: fix.map(str::to_owned),
    }
}

/// D3, S11, security. Where the device app's version is unknown because its source could not
/// report it (an unknown inventory, an installed app without a version), S11 says so and where
/// to look, instead of asking the device to report.
fn desktop_checks(
    findings: &[DesktopFinding],
    facts: &PreflightFacts<'_>,
    lang: Lang,
) -> Vec<Check> {
    let kind = facts.mode.app();
    let unreported = match facts.device.app_fact(kind) {
        Err(()) => true,
        Ok(Some(app)) => app.version.is_none(),
        Ok(None) => false,
    };
    findings
        .iter()
        .map(|f| match f {
            DesktopFinding::DeviceAppVersionUnknown { device_app } if unreported => {
                Finding::AppVersionUnknown(*device_app).to_check(lang, facts.circumstances.reporter)
            }
            other => other.to_check(lang),
        })
        .collect()
}

fn holder_check(holder: Holder<'_>, lang: Lang) -> Check {
    let Holder {
        agent,
        session,
        state,
    } = holder;
    Check {
        rule: RuleId::OpenSession,
        status: CheckStatus::Block,
        message: match lang {
            Lang::En => format!(
                "{agent} already has session {session} open ({}).",
                state.as_str()
            ),
            Lang::PtBr => format!(
                "{agent} já tem a sessão {session} aberta ({}).",
                state.as_str()
            ),
        },
        fix: Some(
            lang.pick(
                "Ask the holder to close it, or close it with `helpatwork session close`.",
                "Peça a quem a abriu para encerrá-la ou encerre-a com `helpatwork session close`.",
            )
            .into(),
        ),
    }
}

#[cfg(test)]
mod tests;
