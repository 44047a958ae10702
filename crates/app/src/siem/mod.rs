//! Streaming the audit trail to a SIEM: the sinks (added, changed, removed, listed with their
//! backlog, tested) and the sender (`sender.rs`).
//!
//! The sinks live in the store, not in `settings.json`: every process writing audit events to
//! the store (each agent's window and CLI in team mode) writes the outbox rows of every sink in
//! the event's transaction, so they must all see the same sinks. A webhook's bearer secret is in
//! the OS keyring of each machine that sends (`audit_sink.<id>.bearer`), never in the store.
//! Every change is an audit event with the settings before and after.
//!
//! What is deliberately not here: the message formats and protocols (crates/siem), the outbox
//! and leases (crates/store).

mod config;
pub mod doctor;
pub mod sender;

use std::sync::Arc;

use helpatwork_store::NewAuditEvent;
use helpatwork_teamviewer::{SecretStore, Sensitive};

use crate::context::AppContext;
use crate::dto::{AuditSinkConfig, AuditSinkInput, AuditSinkStatus};
use crate::error::{AppError, Result};

pub use config::{default_hostname, validate};

/// The keyring entry of a webhook's bearer secret.
pub fn bearer_entry(id: &str) -> String {
    format!("audit_sink.{id}.bearer")
}

/// The OS keyring, where bearer secrets are kept.
pub fn secrets() -> Arc<dyn SecretStore> {
    crate::teamviewer::os_secret_store()
}

fn keyring_error(lang: helpatwork_domain::Lang, e: impl std::fmt::Display) -> AppError {
    AppError::internal(format!(
        "{} {e}",
        lang.pick(
            "The OS keyring could not be used:",
            "O chaveiro do sistema não pôde ser usado:"
        )
    ))
    .with_fix(lang.pick(
        "Unlock the OS keyring (on Linux: a Secret Service, or a kernel keyring session) and try again.",
        "Desbloqueie o chaveiro do sistema (no Linux: um Secret Service, ou uma sessão do keyring do kernel) e tente de novo.",
    ))
}

/// Every sink with its backlog.
pub async fn list(ctx: &AppContext, secrets: &dyn SecretStore) -> Result<Vec<AuditSinkStatus>> {
    // Real time, as the events' times and the leases are (not the product's test clock).
    let now = chrono::Utc::now();
    let backlog = ctx.store.audit_backlog().await?;
    let mut out = Vec::with_capacity(backlog.len());
    for b in backlog {
        let config: AuditSinkConfig = serde_json::from_value(b.sink.config.clone())
            .map_err(|e| AppError::internal(format!("sink {}: {e}", b.sink.id)))?;
        let bearer_set = matches!(config, AuditSinkConfig::Webhook { .. })
            && secrets
                .get(&bearer_entry(&b.sink.id))
                .ok()
                .flatten()
                .is_some();
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(helpatwork_store::timestamp);
        out.push(AuditSinkStatus {
            id: b.sink.id,
            config,
            bearer_set,
            pending: b.pending,
            oldest_at: time(b.oldest),
            oldest_age_seconds: b
                .oldest
                .map(|o| u64::try_from((now - o).num_seconds()).unwrap_or(0)),
            attempts: b.sink.attempts,
            last_error: b.sink.last_error,
            last_error_at: time(b.sink.last_error_at),
            next_attempt_at: time(b.sink.next_attempt_at),
            delivered: b.sink.delivered,
            last_delivered_at: time(b.sink.last_delivered_at),
        });
    }
    Ok(out)
}

/// Adds sink `input.id`, or changes its settings; audited (`audit.sink.add` or
/// `audit.sink.change`, with the settings before and after). Nothing is written when a value
/// is not valid.
pub async fn put(
    ctx: &AppContext,
    secrets: &dyn SecretStore,
    input: AuditSinkInput,
) -> Result<AuditSinkStatus> {
    let mut config = validate(ctx.lang, &input.id, input.config)?;
    let bearer = input
        .bearer
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty());
    if bearer.is_some() && !matches!(config, AuditSinkConfig::Webhook { .. }) {
        return Err(AppError::invalid(ctx.lang.pick(
            "A bearer secret is only for a webhook sink.",
            "Um segredo bearer é só para um destino webhook.",
        ))
        .with_fix(ctx.lang.pick(
            "Leave the bearer secret out for a syslog sink.",
            "Não informe o segredo bearer para um destino syslog.",
        )));
    }
    let before = ctx.store.audit_sink(&input.id).await?;
    if let AuditSinkConfig::Webhook { uses_bearer, .. } = &mut config {
        // Given now, or given before (a change that leaves the secret as it is).
        *uses_bearer = bearer.is_some()
            || before.as_ref().is_some_and(|b| {
                b.config.get("uses_bearer") == Some(&serde_json::Value::Bool(true))
            });
    }
    if let Some(secret) = &bearer {
        secrets
            .set(&bearer_entry(&input.id), &Sensitive::new(secret.clone()))
            .map_err(|e| keyring_error(ctx.lang, e))?;
    }
    let kind = match config {
        AuditSinkConfig::Syslog { .. } => "syslog",
        AuditSinkConfig::Webhook { .. } => "webhook",
    };
    let after = serde_json::to_value(&config).map_err(|e| AppError::internal(e.to_string()))?;
    let action = if before.is_some() {
        "audit.sink.change"
    } else {
        "audit.sink.add"
    };
    let detail = serde_json::json!({
        "sink": input.id,
        "before": before.as_ref().map(|b| b.config.clone()),
        "after": after,
        "bearer": if bearer.is_some() { "set" } else { "unchanged" },
    });
    ctx.store
        .put_audit_sink(
            &input.id,
            kind,
            &after,
            NewAuditEvent {
                actor: &ctx.actor,
                action,
                device_id: None,
                session_id: None,
                detail,
            },
        )
        .await?;
    list(ctx, secrets)
        .await?
        .into_iter()
        .find(|s| s.id == input.id)
        .ok_or_else(|| AppError::internal("the sink just written is not there"))
}

/// Removes sink `id` with its backlog and its bearer secret; audited (`audit.sink.remove`).
pub async fn remove(ctx: &AppContext, secrets: &dyn SecretStore, id: &str) -> Result<()> {
    let Some(before) = ctx.store.audit_sink(id).await? else {
        return Err(not_found(ctx.lang, id));
    };
    let detail = serde_json::json!({"sink": id, "before": before.config, "after": null});
    let removed = ctx
        .store
        .remove_audit_sink(
            id,
            NewAuditEvent {
                actor: &ctx.actor,
                action: "audit.sink.remove",
                device_id: None,
                session_id: None,
                detail,
            },
        )
        .await?;
    if !removed {
        return Err(not_found(ctx.lang, id));
    }
    if let Err(e) = secrets.delete(&bearer_entry(id)) {
        tracing::warn!(sink = id, "the bearer secret could not be removed: {e}");
    }
    Ok(())
}

/// Sends one test message to sink `id` (action `audit.sink.test`, a fresh id: not an event of
/// the trail, so not owed nor audited); answers what was sent, or why it failed with the fix.
pub async fn test(ctx: &AppContext, secrets: &dyn SecretStore, id: &str) -> Result<String> {
    let Some(sink) = ctx.store.audit_sink(id).await? else {
        return Err(not_found(ctx.lang, id));
    };
    let config: AuditSinkConfig = serde_json::from_value(sink.config)
        .map_err(|e| AppError::internal(format!("sink {id}: {e}")))?;
    let bearer = secrets
        .get(&bearer_entry(id))
        .map_err(|e| keyring_error(ctx.lang, e))?;
    let event = helpatwork_siem::StreamEvent {
        id: uuid::Uuid::now_v7().to_string(),
        at: chrono::Utc::now(),
        seq: None,
        hash: None,
        actor: ctx.actor.clone(),
        account: None,
        action: "audit.sink.test".into(),
        device_id: None,
        session_id: None,
        detail: serde_json::json!({"test": true}),
    };
    config::target(&config, bearer)?
        .send(std::slice::from_ref(&event))
        .await
        .map_err(|e| {
            AppError::new(crate::error::ErrorCode::ServiceFailed, e.to_string()).with_fix(
                ctx.lang.pick(
                    "Check the host, port and TLS settings, that the receiver is up and reachable from here, and that it trusts this sender (a private CA needs the CA file).",
                    "Verifique host, porta e TLS, se o receptor está no ar e acessível daqui, e se ele confia neste remetente (uma CA privada precisa do arquivo de CA).",
                ),
            )
        })?;
    Ok(event.id)
}

pub(crate) fn not_found(lang: helpatwork_domain::Lang, id: &str) -> AppError {
    AppError::not_found(format!(
        "{} {id}",
        lang.pick(
            "No audit sink is named",
            "Nenhum destino de auditoria se chama"
        )
    ))
    .with_fix(lang.pick(
        "See the sinks with `helpatwork audit sinks list`.",
        "Veja os destinos com `helpatwork audit sinks list`.",
    ))
}
