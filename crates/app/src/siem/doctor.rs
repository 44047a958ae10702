//! `doctor`'s view of the SIEM sinks: one check per sink with its backlog.

use helpatwork_domain::{CheckStatus, Lang};
use helpatwork_teamviewer::SecretStore;

use crate::context::AppContext;
use crate::dto::{AuditSinkConfig, AuditSinkStatus, DoctorCheck};
use crate::error::Result;

/// A backlog older than this is a warning even while the sink answers.
const STALE_SECONDS: u64 = 15 * 60;

/// One check per sink (`audit_sink`): pass while it keeps up; a warning when it fails, when
/// its oldest undelivered event is older than 15 minutes, or when a webhook's bearer secret is
/// not in this machine's keyring. Never a block: helping goes on while a SIEM is down, and the
/// outbox keeps what it is owed.
pub async fn checks(ctx: &AppContext, secrets: &dyn SecretStore) -> Result<Vec<DoctorCheck>> {
    Ok(super::list(ctx, secrets)
        .await?
        .iter()
        .map(|s| check(ctx.lang, s))
        .collect())
}

fn check(lang: Lang, s: &AuditSinkStatus) -> DoctorCheck {
    let mut message = format!(
        "{} {}: {} {}",
        lang.pick("Audit sink", "Destino de auditoria"),
        s.id,
        s.pending,
        lang.pick("events pending", "eventos pendentes"),
    );
    if let Some(age) = s.oldest_age_seconds {
        message.push_str(&format!(
            ", {} {age} s",
            lang.pick("the oldest for", "o mais antigo há")
        ));
    }
    let no_bearer = matches!(
        s.config,
        AuditSinkConfig::Webhook {
            uses_bearer: true,
            ..
        }
    ) && !s.bearer_set;
    let (status, fix) = if let Some(error) = &s.last_error.as_ref().filter(|_| s.attempts > 0) {
        message.push_str(&format!(
            "; {} {error}",
            lang.pick("last error:", "último erro:")
        ));
        (
            CheckStatus::Warn,
            Some(lang.pick(
                "Check that the receiver is up and reachable from here; events wait in the outbox and are sent again (`helpatwork audit send` tries at once).",
                "Verifique se o receptor está no ar e acessível daqui; os eventos aguardam na fila e são enviados de novo (`helpatwork audit send` tenta na hora).",
            )),
        )
    } else if s.oldest_age_seconds.is_some_and(|a| a > STALE_SECONDS) {
        (
            CheckStatus::Warn,
            Some(lang.pick(
                "No sender is running: keep the window open, or run `helpatwork audit send` (e.g. from a timer).",
                "Nenhum envio está em execução: mantenha a janela aberta, ou execute `helpatwork audit send` (ex.: por um timer).",
            )),
        )
    } else if no_bearer {
        message.push_str(&format!(
            "; {}",
            lang.pick(
                "no bearer secret in this machine's keyring",
                "nenhum segredo bearer no chaveiro desta máquina"
            )
        ));
        (
            CheckStatus::Warn,
            Some(lang.pick(
                "Give the secret with `helpatwork audit sinks add-webhook ID --url URL --bearer-stdin`.",
                "Informe o segredo com `helpatwork audit sinks add-webhook ID --url URL --bearer-stdin`.",
            )),
        )
    } else {
        (CheckStatus::Pass, None)
    };
    DoctorCheck {
        rule: "audit_sink".into(),
        status,
        message,
        fix: fix.map(str::to_string),
    }
}
