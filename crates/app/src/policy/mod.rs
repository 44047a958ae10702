//! Support policies per device group (`helpatwork_domain::policy`): kept in the store (a team
//! shares them through its PostgreSQL), edited with `helpatwork policy set|remove` and the
//! window's Settings, validated before anything is written, every change audited with the
//! policy before and after. The preflight checks the ones whose group holds the device
//! (`crate::session::preflight`); [`approvals`] is the four-eyes flow.

pub mod approvals;

use helpatwork_domain::policy::{CompiledPolicy, Policy};
use helpatwork_store::{NewAuditEvent, PolicyRecord};

use crate::context::AppContext;
use crate::dto::{rfc3339, PolicyEntry};
use crate::error::{AppError, ErrorDetails, Result};

/// The most policies kept (each start checks every one).
pub const MAX_POLICIES: usize = 200;

fn read(ctx: &AppContext, r: &PolicyRecord) -> Result<Policy> {
    serde_json::from_str(&r.body).map_err(|e| {
        AppError::internal(format!("the stored policy \"{}\" does not read back: {e}", r.name))
            .with_fix(ctx.lang.pick(
                "Write it again with `helpatwork policy set FILE`, or remove it with `helpatwork policy remove NAME`.",
                "Grave-a de novo com `helpatwork policy set ARQUIVO` ou remova-a com `helpatwork policy remove NOME`.",
            ))
    })
}

fn entry(ctx: &AppContext, r: &PolicyRecord) -> Result<PolicyEntry> {
    Ok(PolicyEntry {
        policy: read(ctx, r)?,
        updated_at: rfc3339(r.updated_at),
        updated_by: r.updated_by.clone(),
    })
}

/// The stored policies (by name) checked and ready: what a preflight evaluates.
pub(crate) fn compiled(ctx: &AppContext, stored: &[PolicyRecord]) -> Result<Vec<CompiledPolicy>> {
    stored
        .iter()
        .map(|r| {
            read(ctx, r)?.compile().map_err(|e| {
                invalid(ctx, &e).with_details(ErrorDetails::Field {
                    field: r.name.clone(),
                })
            })
        })
        .collect()
}

fn invalid(ctx: &AppContext, e: &helpatwork_domain::policy::PolicyError) -> AppError {
    AppError::invalid(e.message(ctx.lang)).with_fix(e.fix(ctx.lang))
}

pub async fn list(ctx: &AppContext) -> Result<Vec<PolicyEntry>> {
    ctx.store
        .policies()
        .await?
        .iter()
        .map(|r| entry(ctx, r))
        .collect()
}

fn not_found(ctx: &AppContext, name: &str) -> AppError {
    let name: String = name.chars().take(80).collect();
    AppError::not_found(match ctx.lang {
        helpatwork_domain::Lang::En => format!("No support policy is named \"{name}\"."),
        helpatwork_domain::Lang::PtBr => {
            format!("Nenhuma política de suporte se chama \"{name}\".")
        }
    })
    .with_fix(ctx.lang.pick(
        "List them with `helpatwork policy list`.",
        "Liste-as com `helpatwork policy list`.",
    ))
}

pub async fn show(ctx: &AppContext, name: &str) -> Result<PolicyEntry> {
    let r = ctx
        .store
        .policy(name.trim())
        .await?
        .ok_or_else(|| not_found(ctx, name))?;
    entry(ctx, &r)
}

/// Reads a policy from JSON (a file, the window's editor), naming the field that is wrong.
pub fn parse(ctx: &AppContext, text: &str) -> Result<Policy> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        AppError::invalid(match ctx.lang {
            helpatwork_domain::Lang::En => {
                format!("The policy is not valid at \"{path}\": {}", e.inner())
            }
            helpatwork_domain::Lang::PtBr => {
                format!("A política não é válida em \"{path}\": {}", e.inner())
            }
        })
        .with_fix(ctx.lang.pick(
            "Write the policy as JSON with the fields of docs/audit.md (Support policies).",
            "Escreva a política em JSON com os campos de docs/audit.md (Support policies).",
        ))
        .with_details(ErrorDetails::Field { field: path })
    })
}

/// Saves a policy (new, or replacing the one of that name) once it is valid; audited as
/// `policy.saved` with the policy before (`null` when new) and after.
pub async fn set(ctx: &AppContext, policy: Policy) -> Result<PolicyEntry> {
    let policy = policy.compile().map_err(|e| invalid(ctx, &e))?.policy;
    let kept = ctx.store.policies().await?;
    if kept.len() >= MAX_POLICIES && !kept.iter().any(|r| r.name == policy.name) {
        return Err(AppError::invalid(format!(
            "At most {MAX_POLICIES} support policies are kept."
        ))
        .with_fix(ctx.lang.pick(
            "Remove a policy first, or widen a group.",
            "Remova uma política antes ou amplie um grupo.",
        )));
    }
    let body = serde_json::to_string(&policy).map_err(|e| AppError::internal(e.to_string()))?;
    let after = serde_json::to_value(&policy).map_err(|e| AppError::internal(e.to_string()))?;
    let now = ctx.clock.now();
    ctx.store
        .save_policy(&policy.name, &body, &ctx.actor, now, |before| NewAuditEvent {
            actor: &ctx.actor,
            action: "policy.saved",
            device_id: None,
            session_id: None,
            detail: serde_json::json!({
                "name": policy.name,
                "before": before.and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok()),
                "after": after,
            }),
        })
        .await?;
    show(ctx, &policy.name).await
}

/// Removes a policy; audited as `policy.removed` with the policy it was.
pub async fn remove(ctx: &AppContext, name: &str) -> Result<PolicyEntry> {
    let name = name.trim();
    let removed = ctx
        .store
        .remove_policy(name, ctx.clock.now(), |before| NewAuditEvent {
            actor: &ctx.actor,
            action: "policy.removed",
            device_id: None,
            session_id: None,
            detail: serde_json::json!({
                "name": name,
                "before": serde_json::from_str::<serde_json::Value>(before).ok(),
                "after": null,
            }),
        })
        .await?
        .ok_or_else(|| not_found(ctx, name))?;
    let policy = serde_json::from_str(&removed).map_err(|e| AppError::internal(e.to_string()))?;
    Ok(PolicyEntry {
        policy,
        updated_at: rfc3339(ctx.clock.now()),
        updated_by: ctx.actor.clone(),
    })
}
