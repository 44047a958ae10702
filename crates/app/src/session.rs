//! Starting a remote session (spec S1–S12). The device-side preflight lives in the domain;
//! this service looks the device up, runs the checks and answers through the typed error path.

use helpatwork_domain::{eligibility, CheckStatus, Mode};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::devices::device_not_found;
use crate::error::{AppError, ErrorCode, Result};

/// `{"device_id","mode","ok","checks":[…]}` (design.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preflight {
    pub device_id: String,
    pub mode: Mode,
    pub ok: bool,
    pub checks: Vec<helpatwork_domain::Check>,
}

pub const MAX_REASON_CHARS: usize = 500;

pub async fn preflight(ctx: &AppContext, device_id: &str, mode: Mode) -> Result<Preflight> {
    let device = ctx
        .store
        .device(device_id)
        .await?
        .ok_or_else(|| device_not_found(ctx, device_id))?;
    let checks = eligibility::device_checks(&device, mode, ctx.lang);
    let ok = checks.iter().all(|c| c.status != CheckStatus::Block);
    Ok(Preflight {
        device_id: device.id,
        mode,
        ok,
        checks,
    })
}

/// Starts a session: preflight first; a blocked start changes nothing and lists the checks.
pub async fn start(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &str,
) -> Result<Preflight> {
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::invalid(format!(
            "The reason is longer than {MAX_REASON_CHARS} characters."
        ))
        .with_fix("Shorten the reason."));
    }
    let pre = preflight(ctx, device_id, mode).await?;
    if !pre.ok {
        let lang = ctx.lang;
        let blocks: Vec<_> = pre
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Block)
            .collect();
        let first = blocks
            .first()
            .map(|c| c.message.clone())
            .unwrap_or_default();
        let fix = blocks.iter().find_map(|c| c.fix.clone());
        let mut err = AppError::new(
            ErrorCode::Blocked,
            format!(
                "{} {first}",
                lang.pick(
                    "The session cannot start:",
                    "A sessão não pode ser iniciada:"
                )
            ),
        )
        .with_details(&pre);
        err.fix = fix;
        return Err(err);
    }
    Err(AppError::new(
        ErrorCode::SignInNeeded,
        ctx.lang.pick(
            "No TeamViewer account is signed in on this computer.",
            "Nenhuma conta do TeamViewer está conectada neste computador.",
        ),
    )
    .with_fix(ctx.lang.pick(
        "Sign in to TeamViewer (helpatwork auth login) and start again.",
        "Entre no TeamViewer (helpatwork auth login) e inicie novamente.",
    ))
    .with_details(&pre))
}
