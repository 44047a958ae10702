//! `helpatwork policy` (support policies per device group) and `helpatwork approvals` (four
//! eyes): parsing, the calls and their printing.

use std::io::Read as _;

use clap::Subcommand;
use helpatwork_app::dto::{Approval, PolicyEntry};
use helpatwork_app::policy::{self, approvals};
use helpatwork_app::{AppContext, AppError};
use helpatwork_domain::Lang;

use crate::output::{cell, Output};
use crate::term::{say, visible as esc};

/// The largest policy file read.
const MAX_FILE: u64 = 64 * 1024;

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// The support policies, by name.
    List,
    /// One policy, as JSON `policy set` takes.
    Show { name: String },
    /// Add or replace a policy from a JSON file (`-`: standard input); validated first, audited
    /// with the policy before and after (docs/audit.md, Support policies).
    Set { file: String },
    /// Remove a policy (audited with what it was).
    Remove { name: String },
}

#[derive(Subcommand, Debug)]
pub enum ApprovalsCommand {
    /// Unattended starts awaiting approval, and approvals not yet used, newest first.
    List {
        /// Every request, decided, used and expired ones too.
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=500))]
        limit: u32,
    },
    /// Approve another agent's request (never your own); the approval holds for the policy's time.
    Approve { id: String },
    /// Refuse another agent's request.
    Refuse {
        id: String,
        /// Why (recorded with the decision and in the audit trail).
        #[arg(long)]
        reason: Option<String>,
    },
}

fn read_file(ctx: &AppContext, file: &str) -> Result<String, AppError> {
    let cannot = |e: std::io::Error| {
        AppError::invalid(format!("Cannot read {file}: {e}")).with_fix(ctx.lang.pick(
            "Give a readable JSON file (at most 64 KiB), or - for standard input.",
            "Informe um arquivo JSON legível (até 64 KiB) ou - para a entrada padrão.",
        ))
    };
    let mut text = String::new();
    if file == "-" {
        std::io::stdin()
            .take(MAX_FILE + 1)
            .read_to_string(&mut text)
            .map_err(cannot)?;
    } else {
        let meta = std::fs::metadata(file).map_err(cannot)?;
        if !meta.is_file() || meta.len() > MAX_FILE {
            return Err(cannot(std::io::Error::other(
                "not a regular file of at most 64 KiB",
            )));
        }
        std::fs::File::open(file)
            .map_err(cannot)?
            .take(MAX_FILE + 1)
            .read_to_string(&mut text)
            .map_err(cannot)?;
    }
    if text.len() as u64 > MAX_FILE {
        return Err(cannot(std::io::Error::other("larger than 64 KiB")));
    }
    Ok(text)
}

pub async fn run_policy(
    ctx: &AppContext,
    out: &Output,
    command: PolicyCommand,
) -> Result<(), AppError> {
    match command {
        PolicyCommand::List => policies(out, &policy::list(ctx).await?, ctx.lang),
        PolicyCommand::Show { name } => entry(out, &policy::show(ctx, &name).await?, ctx.lang),
        PolicyCommand::Set { file } => {
            let text = read_file(ctx, &file)?;
            let parsed = policy::parse(ctx, &text)?;
            entry(out, &policy::set(ctx, parsed).await?, ctx.lang)
        }
        PolicyCommand::Remove { name } => {
            let removed = policy::remove(ctx, &name).await?;
            if out.json {
                out.print_json(&removed);
                return Ok(());
            }
            say!(
                "{} {}",
                ctx.lang.pick("Removed policy:", "Política removida:"),
                esc(&removed.policy.name)
            );
        }
    }
    Ok(())
}

fn policies(out: &Output, list: &[PolicyEntry], lang: Lang) {
    if out.json {
        return out.print_json(&list);
    }
    if list.is_empty() {
        say!(
            "{}",
            lang.pick(
                "No support policies. Add one with `helpatwork policy set FILE`.",
                "Nenhuma política de suporte. Adicione uma com `helpatwork policy set ARQUIVO`."
            )
        );
        return;
    }
    for e in list {
        let p = &e.policy;
        let mut asks = Vec::new();
        if p.reason_required {
            asks.push(lang.pick("reason", "motivo").to_owned());
        }
        if let Some(t) = &p.ticket_pattern {
            asks.push(format!("{} {t}", lang.pick("ticket", "chamado")));
        }
        asks.push(format!("unattended {:?}", p.unattended).to_lowercase());
        if p.personal_view_only {
            asks.push(lang.pick("BYOD view only", "BYOD só visualização").into());
        }
        if let Some(h) = &p.hours {
            asks.push(h.describe());
        }
        say!(
            "{} {} {}",
            cell(&p.name, 24),
            cell(&p.group.describe(), 32),
            esc(&asks.join("; "))
        );
    }
}

fn entry(out: &Output, e: &PolicyEntry, lang: Lang) {
    if out.json {
        return out.print_json(e);
    }
    say!(
        "{} {} ({} {}, {})",
        lang.pick("Policy", "Política"),
        esc(&e.policy.name),
        lang.pick("changed by", "alterada por"),
        esc(&e.updated_by),
        e.updated_at
    );
    say!(
        "  {}: {}",
        lang.pick("Group", "Grupo"),
        esc(&e.policy.group.describe())
    );
    out.print_json(&e.policy);
}

pub async fn run_approvals(
    ctx: &AppContext,
    out: &Output,
    command: ApprovalsCommand,
) -> Result<(), AppError> {
    match command {
        ApprovalsCommand::List { all, limit } => {
            approvals_list(out, &approvals::list(ctx, all, limit).await?, ctx.lang)
        }
        ApprovalsCommand::Approve { id } => {
            decided(out, &approvals::approve(ctx, &id).await?, ctx.lang)
        }
        ApprovalsCommand::Refuse { id, reason } => decided(
            out,
            &approvals::refuse(ctx, &id, reason.as_deref()).await?,
            ctx.lang,
        ),
    }
    Ok(())
}

fn approvals_list(out: &Output, list: &[Approval], lang: Lang) {
    if out.json {
        return out.print_json(&list);
    }
    if list.is_empty() {
        say!(
            "{}",
            lang.pick(
                "No start is awaiting approval.",
                "Nenhum início aguarda aprovação."
            )
        );
        return;
    }
    for a in list {
        say!(
            "{} {} {} {} {} {} {}",
            cell(&a.id, 36),
            cell(a.state.as_str(), 9),
            cell(&a.device_id, 12),
            cell(&a.requester, 14),
            cell(a.ticket.as_deref().unwrap_or("-"), 14),
            a.expires_at,
            esc(&a.reason)
        );
    }
}

fn decided(out: &Output, a: &Approval, lang: Lang) {
    if out.json {
        return out.print_json(a);
    }
    say!(
        "{} {}: {} ({} {})",
        lang.pick("Request", "Pedido"),
        esc(&a.id),
        a.state.as_str(),
        lang.pick("until", "até"),
        a.expires_at
    );
}
