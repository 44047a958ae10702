//! Four eyes (`helpatwork_domain::policy::approval`): an unattended start under a policy that
//! asks for it is held (`awaiting_approval`, exit 9) as a request another signed-in agent
//! approves or refuses (`helpatwork approvals`, the window's Approvals list). The approval lets
//! the requester's own start go on: the requester starts again (their desktop client opens the
//! device, never the approver's), and that start uses the approval, in the transaction that
//! records the session. Requests and approvals expire after the policy's time, read from the
//! app's clock; every step is audited (`approval.requested|approved|refused|used|expired`).

use helpatwork_domain::policy::{self, AgentIdentity, ApprovalState, DecideRefusal, Verdict};
use helpatwork_domain::{Device, Lang, Mode};
use helpatwork_store::{ApprovalRecord, Decision, NewAuditEvent};

use crate::context::AppContext;
use crate::dto::Approval;
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};

/// The most requests one list answers.
pub const MAX_LIST: u32 = 500;
pub const MAX_DECISION_REASON_CHARS: usize = 500;

fn event<'a>(
    ctx: &'a AppContext,
    action: &'a str,
    a: &'a ApprovalRecord,
    detail: serde_json::Value,
) -> NewAuditEvent<'a> {
    let mut detail = detail;
    detail["approval"] = serde_json::json!(a.id);
    detail["requester"] = serde_json::json!(a.requester);
    detail["policies"] = serde_json::json!(a.policies);
    NewAuditEvent {
        actor: &ctx.actor,
        action,
        device_id: Some(&a.device_id),
        session_id: a.session_id.as_deref(),
        detail,
    }
}

/// Marks the requests and approvals past their end expired, each audited.
pub(crate) async fn expire_due(ctx: &AppContext) -> Result<()> {
    ctx.store
        .expire_approvals(ctx.clock.now(), &ctx.actor, |a| {
            serde_json::json!({"approval": a.id, "requester": a.requester, "policies": a.policies, "was": a.state.as_str(), "expires_at": crate::dto::rfc3339(a.expires_at)})
        })
        .await?;
    Ok(())
}

/// The requests, newest first: the open ones (pending, approved), or all with `all`.
pub async fn list(ctx: &AppContext, all: bool, limit: u32) -> Result<Vec<Approval>> {
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(AppError::invalid(format!(
            "{limit} requests per list is not between 1 and {MAX_LIST}."
        ))
        .with_fix(format!("Use a limit from 1 to {MAX_LIST}.")));
    }
    expire_due(ctx).await?;
    Ok(ctx
        .store
        .approvals(!all, limit)
        .await?
        .into_iter()
        .map(|r| Approval::from_record(r, &ctx.actor))
        .collect())
}

fn not_found(lang: Lang, id: &str) -> AppError {
    let id: String = id.chars().take(64).collect();
    AppError::not_found(match lang {
        Lang::En => format!("No approval request has the id \"{id}\"."),
        Lang::PtBr => format!("Nenhum pedido de aprovação tem o id \"{id}\"."),
    })
    .with_fix(lang.pick(
        "List them with `helpatwork approvals list`.",
        "Liste-os com `helpatwork approvals list`.",
    ))
}

pub async fn approve(ctx: &AppContext, id: &str) -> Result<Approval> {
    decide(ctx, id, ApprovalState::Approved, None).await
}

pub async fn refuse(ctx: &AppContext, id: &str, reason: Option<&str>) -> Result<Approval> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| {
        r.chars().count() > MAX_DECISION_REASON_CHARS || r.chars().any(char::is_control)
    }) {
        return Err(AppError::invalid(format!("The reason must be at most {MAX_DECISION_REASON_CHARS} characters, without control characters."))
            .with_fix(ctx.lang.pick("Shorten the reason.", "Encurte o motivo.")));
    }
    decide(ctx, id, ApprovalState::Refused, reason).await
}

/// Approves or refuses: never the requester (nor the same TeamViewer account), only an agent
/// whose TeamViewer account is verified, only while the request is pending and not expired.
async fn decide(
    ctx: &AppContext,
    id: &str,
    state: ApprovalState,
    reason: Option<&str>,
) -> Result<Approval> {
    let lang = ctx.lang;
    expire_due(ctx).await?;
    let request = ctx
        .store
        .approval(id.trim())
        .await?
        .ok_or_else(|| not_found(lang, id))?;
    let account = ctx.store.audit_account().await;
    let decider = AgentIdentity {
        agent: &ctx.actor,
        account_id: account.as_ref().map(|a| a.userid.as_str()),
    };
    let requester = AgentIdentity {
        agent: &request.requester,
        account_id: request.requester_account_id.as_deref(),
    };
    match policy::may_decide(requester, decider) {
        Ok(()) => {}
        Err(DecideRefusal::OwnRequest) => {
            return Err(AppError::new(ErrorCode::Blocked, lang.pick(
                "You made this request: another agent must approve or refuse it (four eyes).",
                "Você fez este pedido: outro agente deve aprová-lo ou recusá-lo (quatro olhos).",
            ))
            .with_fix(lang.pick("Ask another signed-in agent to decide it.", "Peça a outro agente conectado para decidi-lo.")));
        }
        Err(DecideRefusal::NotVerified) => {
            return Err(AppError::new(
                ErrorCode::SignInNeeded,
                lang.pick(
                    "Deciding a request needs your TeamViewer sign-in, verified by TeamViewer.",
                    "Decidir um pedido exige seu login no TeamViewer, verificado pelo TeamViewer.",
                ),
            )
            .with_fix(ctx.sign_in_fix()));
        }
    }
    let now = ctx.clock.now();
    let decision = Decision {
        state,
        by: &ctx.actor,
        account_id: decider.account_id,
        at: now,
        expires_at: match state {
            ApprovalState::Approved => policy::approval::expires_at(now, request.approval_minutes),
            _ => now,
        },
        reason,
    };
    let action = match state {
        ApprovalState::Approved => "approval.approved",
        _ => "approval.refused",
    };
    let detail = serde_json::json!({"reason": reason, "expires_at": crate::dto::rfc3339(decision.expires_at)});
    match ctx
        .store
        .decide_approval(&request.id, &decision, event(ctx, action, &request, detail))
        .await?
    {
        Some(r) => Ok(Approval::from_record(r, &ctx.actor)),
        None => {
            let now_state = ctx
                .store
                .approval(&request.id)
                .await?
                .map(|r| r.state)
                .unwrap_or(ApprovalState::Expired);
            Err(AppError::new(
                ErrorCode::Conflict,
                match lang {
                    Lang::En => format!(
                        "The request is no longer pending: it is {}.",
                        now_state.as_str()
                    ),
                    Lang::PtBr => format!(
                        "O pedido não está mais pendente: está {}.",
                        now_state.as_str()
                    ),
                },
            )
            .with_fix(lang.pick(
                "List the requests again: helpatwork approvals list.",
                "Liste os pedidos de novo: helpatwork approvals list.",
            )))
        }
    }
}

/// The held start, as the error a start answers: the request, and what to do.
fn held(ctx: &AppContext, r: ApprovalRecord) -> AppError {
    let minutes = r.approval_minutes;
    let lang = ctx.lang;
    AppError::new(ErrorCode::AwaitingApproval, match lang {
        Lang::En => format!("The start is awaiting another agent's approval (request {}, policy {}).", r.id, r.policies.join(", ")),
        Lang::PtBr => format!("O início aguarda a aprovação de outro agente (pedido {}, política {}).", r.id, r.policies.join(", ")),
    })
    .with_fix(match lang {
        Lang::En => format!("Ask another signed-in agent to run `helpatwork approvals approve {}` (or use Approvals in the window), then start again within {minutes} minutes.", r.id),
        Lang::PtBr => format!("Peça a outro agente conectado para executar `helpatwork approvals approve {}` (ou usar Aprovações na janela) e inicie de novo em até {minutes} minutos.", r.id),
    })
    .with_details(ErrorDetails::AwaitingApproval { approval: Box::new(Approval::from_record(r, &ctx.actor)) })
}

/// Four eyes at a start: `Ok(None)` when no policy asks for it; `Ok(Some(approval))` when an
/// approval holds for this agent on this device now (the start uses it); otherwise the start is
/// held: the request is recorded (once) and `awaiting_approval` answered.
pub(crate) async fn gate(
    ctx: &AppContext,
    device: &Device,
    reason: &str,
    ticket: Option<&str>,
    verdict: &Verdict,
) -> Result<Option<ApprovalRecord>> {
    let Some(minutes) = verdict.approval_minutes else {
        return Ok(None);
    };
    expire_due(ctx).await?;
    if let Some(open) = ctx.store.open_approval(&device.id, &ctx.actor).await? {
        return match open.state {
            ApprovalState::Approved => Ok(Some(open)),
            _ => Err(held(ctx, open)),
        };
    }
    let now = ctx.clock.now();
    let account = ctx.store.audit_account().await;
    let record = ApprovalRecord {
        id: uuid::Uuid::now_v7().to_string(),
        device_id: device.id.clone(),
        mode: Mode::Unattended,
        requester: ctx.actor.clone(),
        requester_account_id: account.map(|a| a.userid),
        reason: reason.to_owned(),
        ticket: ticket.map(str::to_owned),
        policies: verdict.policies.clone(),
        approval_minutes: minutes,
        state: ApprovalState::Pending,
        requested_at: now,
        expires_at: policy::approval::expires_at(now, minutes),
        decided_by: None,
        decided_account_id: None,
        decided_at: None,
        decision_reason: None,
        session_id: None,
    };
    let detail = serde_json::json!({"reason": reason, "ticket": ticket, "expires_at": crate::dto::rfc3339(record.expires_at)});
    let (stored, _) = ctx
        .store
        .request_approval(&record, event(ctx, "approval.requested", &record, detail))
        .await?;
    Err(held(ctx, stored))
}

/// Who approved this agent's start on the device, when an approval holds now.
pub(crate) async fn approved(ctx: &AppContext, device_id: &str) -> Result<Option<String>> {
    let now = ctx.clock.now();
    Ok(ctx
        .store
        .open_approval(device_id, &ctx.actor)
        .await?
        .filter(|a| a.state == ApprovalState::Approved && a.expires_at > now)
        .and_then(|a| a.decided_by))
}
