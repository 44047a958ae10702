//! What every start checks first: the reason, the ticket reference, the preflight with the
//! support policies (any block and nothing is created: no session row, no session at
//! TeamViewer) and the device's open session (a conflict naming the holder).

use helpatwork_domain::policy::{clean_ticket, Verdict, MAX_TICKET_CHARS};
use helpatwork_domain::{CheckStatus, Device, Mode};

use super::preflight::PolicyRequest;
use super::start::conflict;
use super::Preflight;
use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};

pub const MAX_REASON_CHARS: usize = 500;

/// A start admitted: the device, the trimmed reason and ticket, what the policies ask.
pub(crate) struct Admitted<'r> {
    pub device: Device,
    pub reason: &'r str,
    pub ticket: Option<String>,
    pub verdict: Verdict,
}

pub(crate) async fn admit<'r>(
    ctx: &AppContext,
    device_id: &str,
    mode: Mode,
    reason: &'r str,
    ticket: Option<&str>,
) -> Result<Admitted<'r>> {
    let lang = ctx.lang;
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(|c| c.is_control()) {
        return Err(AppError::invalid(format!(
            "The reason must be at most {MAX_REASON_CHARS} characters, without control characters."
        ))
        .with_fix("Shorten the reason."));
    }
    let ticket = clean_ticket(ticket).map_err(|_| {
        AppError::invalid(match lang {
            helpatwork_domain::Lang::En => format!("The ticket reference must be at most {MAX_TICKET_CHARS} characters, without control characters."),
            helpatwork_domain::Lang::PtBr => format!("A referência do chamado deve ter no máximo {MAX_TICKET_CHARS} caracteres, sem caracteres de controle."),
        })
        .with_fix(lang.pick("Give the ticket's reference alone, e.g. INC0012345.", "Informe só a referência do chamado, por exemplo INC0012345."))
    })?;
    // The device's session read back from TeamViewer once, then every fact read once; the
    // device's armed session is read at the same time.
    let request = PolicyRequest {
        reason: Some(reason),
        ticket: Some(ticket.as_deref().unwrap_or("")),
    };
    let (armed, checked) = tokio::join!(
        ctx.store.armed_for_device(device_id),
        super::preflight::reconciled_check(ctx, device_id, mode, request)
    );
    // An armed session holds the device for the agent who armed it (`super::armed`).
    if let Some(armed) = armed? {
        if armed.agent != ctx.actor {
            return Err(super::armed::armed_conflict(ctx, armed));
        }
    }
    let checked = checked?;
    if let Some(holder) = checked.holder {
        return Err(conflict(ctx, holder));
    }
    if !checked.preflight.ok {
        return Err(blocked(lang, &checked.preflight));
    }
    Ok(Admitted {
        device: checked.device,
        reason,
        ticket,
        verdict: checked.verdict,
    })
}

/// A preflight with a block, as the error a start (or a take) answers: the first block's words
/// and fix, every check in the details.
pub(crate) fn blocked(lang: helpatwork_domain::Lang, pre: &Preflight) -> AppError {
    let blocks: Vec<_> = pre
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Block)
        .collect();
    let first = blocks
        .first()
        .map(|c| c.message.clone())
        .unwrap_or_default();
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
    .with_details(ErrorDetails::Preflight(Box::new(pre.clone())));
    err.fix = blocks.iter().find_map(|c| c.fix.clone());
    err
}
