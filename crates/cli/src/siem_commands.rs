//! `helpatwork audit send` and `helpatwork audit sinks …`: streaming the audit trail to a SIEM.

use std::path::PathBuf;

use clap::Subcommand;
use helpatwork_app::dto::{
    AuditSendReport, AuditSinkConfig, AuditSinkInput, AuditSinkStatus, SinkOutcome,
};
use helpatwork_app::siem::{self, sender};
use helpatwork_app::{AppContext, AppError};
use helpatwork_domain::Lang;

use crate::output::Output;
use crate::term::{self, note, say};

#[derive(Subcommand, Debug)]
pub enum SinksCommand {
    /// Every sink with its backlog (events not yet delivered, the oldest's age, the last error).
    List,
    /// Add a syslog sink (RFC 5424 over TCP with TLS), or change the one with this id.
    AddSyslog {
        id: String,
        #[arg(long)]
        host: String,
        #[arg(long, default_value_t = 6514)]
        port: u16,
        /// Plain TCP, without TLS (only to 127.0.0.1/localhost).
        #[arg(long)]
        no_tls: bool,
        /// A PEM file of CA certificates to trust besides the public roots.
        #[arg(long)]
        ca_file: Option<PathBuf>,
        /// RFC 5424 APP-NAME (default helpatwork).
        #[arg(long, default_value = "")]
        app_name: String,
        /// RFC 5424 HOSTNAME (default: this machine's name).
        #[arg(long, default_value = "")]
        hostname: String,
    },
    /// Add a webhook sink (JSON lines POSTed over HTTPS), or change the one with this id.
    AddWebhook {
        id: String,
        #[arg(long)]
        url: String,
        /// Read the bearer secret from standard input (kept in the OS keyring).
        #[arg(long)]
        bearer_stdin: bool,
        #[arg(long)]
        ca_file: Option<PathBuf>,
    },
    /// Remove a sink with its backlog.
    Remove { id: String },
    /// Send one test message (action audit.sink.test) to a sink, now.
    Test { id: String },
}

pub async fn sinks(ctx: &AppContext, out: &Output, command: SinksCommand) -> Result<(), AppError> {
    let secrets = siem::secrets();
    let input = match command {
        SinksCommand::List => {
            let list = siem::list(ctx, secrets.as_ref()).await?;
            print_sinks(out, &list, ctx.lang);
            return Ok(());
        }
        SinksCommand::Test { id } => {
            let sent = siem::test(ctx, secrets.as_ref(), &id).await?;
            if out.json {
                out.print_json(&serde_json::json!({ "sink": id, "id": sent }));
            } else {
                say!(
                    "{} {} ({})",
                    ctx.lang
                        .pick("Test message delivered to", "Mensagem de teste entregue a"),
                    term::visible(&id),
                    sent
                );
            }
            return Ok(());
        }
        SinksCommand::Remove { id } => {
            siem::remove(ctx, secrets.as_ref(), &id).await?;
            if !out.json {
                say!(
                    "{} {}",
                    ctx.lang.pick("Removed sink", "Destino removido:"),
                    term::visible(&id)
                );
            }
            return Ok(());
        }
        SinksCommand::AddSyslog {
            id,
            host,
            port,
            no_tls,
            ca_file,
            app_name,
            hostname,
        } => AuditSinkInput {
            id,
            config: AuditSinkConfig::Syslog {
                host,
                port,
                tls: !no_tls,
                ca_file: ca_file.map(|p| p.display().to_string()),
                app_name,
                hostname,
            },
            bearer: None,
        },
        SinksCommand::AddWebhook {
            id,
            url,
            bearer_stdin,
            ca_file,
        } => {
            let bearer = if bearer_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| AppError::invalid(format!("standard input: {e}")))?;
                Some(line.trim().to_string())
            } else {
                None
            };
            AuditSinkInput {
                id,
                config: AuditSinkConfig::Webhook {
                    url,
                    ca_file: ca_file.map(|p| p.display().to_string()),
                    uses_bearer: false,
                },
                bearer,
            }
        }
    };
    let status = siem::put(ctx, secrets.as_ref(), input).await?;
    print_sinks(out, std::slice::from_ref(&status), ctx.lang);
    Ok(())
}

fn print_sinks(out: &Output, list: &[AuditSinkStatus], lang: Lang) {
    if out.json {
        return out.print_json(&list);
    }
    if list.is_empty() {
        say!(
            "{}",
            lang.pick(
                "No audit sink is configured.",
                "Nenhum destino de auditoria configurado."
            )
        );
    }
    for s in list {
        let target = match &s.config {
            AuditSinkConfig::Syslog {
                host, port, tls, ..
            } => {
                format!("syslog {host}:{port}{}", if *tls { " (TLS)" } else { "" })
            }
            AuditSinkConfig::Webhook { url, .. } => format!("webhook {url}"),
        };
        let age = s
            .oldest_age_seconds
            .map(|a| format!(", {} {a} s", lang.pick("oldest", "mais antigo há")))
            .unwrap_or_default();
        say!(
            "{}  {}  {} {}{}, {} {}",
            term::visible(&s.id),
            term::visible(&target),
            s.pending,
            lang.pick("pending", "pendentes"),
            age,
            s.delivered,
            lang.pick("delivered", "entregues")
        );
        if let Some(e) = &s.last_error {
            say!(
                "    {}: {}",
                lang.pick("last error", "último erro"),
                term::visible(e)
            );
        }
    }
}

struct Printed(Lang);

impl sender::Progress for Printed {
    fn sent(&self, sink: &str, sent: u64) {
        note!(
            "{} {}: {sent}",
            self.0.pick("sent to", "enviados para"),
            term::visible(sink)
        );
    }
}

/// `audit send`: one pass over every sink, now (even one waiting out its backoff).
pub async fn send(ctx: &AppContext, out: &Output) -> Result<(), AppError> {
    let secrets = siem::secrets();
    let report = sender::drain(
        ctx,
        secrets.as_ref(),
        &sender::holder(),
        true,
        &Printed(ctx.lang),
    )
    .await?;
    print_send(out, &report, ctx.lang);
    if let Some(failed) = report
        .sinks
        .iter()
        .find(|s| s.outcome == SinkOutcome::Failed)
    {
        return Err(AppError::new(
            helpatwork_app::ErrorCode::ServiceFailed,
            format!(
                "{} {}: {}",
                ctx.lang.pick("Not every event reached", "Nem todos os eventos chegaram a"),
                failed.id,
                failed.error.as_deref().unwrap_or_default()
            ),
        )
        .with_fix(ctx.lang.pick(
            "Check that the receiver is up and reachable; the events stay in the outbox and are sent again.",
            "Verifique se o receptor está no ar e acessível; os eventos ficam na fila e são enviados de novo.",
        )));
    }
    Ok(())
}

fn print_send(out: &Output, report: &AuditSendReport, lang: Lang) {
    if out.json {
        return out.print_json(report);
    }
    for s in &report.sinks {
        let word = match s.outcome {
            SinkOutcome::Delivered => lang.pick("delivered", "entregue"),
            SinkOutcome::Failed => lang.pick("failed", "falhou"),
            SinkOutcome::Waiting => lang.pick("waiting", "aguardando"),
            SinkOutcome::Busy => lang.pick(
                "busy (another process sends)",
                "ocupado (outro processo envia)",
            ),
            SinkOutcome::NoSecret => lang.pick(
                "skipped: no bearer secret in this computer's keyring",
                "ignorado: nenhum segredo bearer no chaveiro deste computador",
            ),
        };
        say!(
            "{}  {word}: {} {}, {} {}",
            term::visible(&s.id),
            s.sent,
            lang.pick("sent", "enviados"),
            s.pending,
            lang.pick("pending", "pendentes")
        );
    }
}
