//! Printing: text for people, one JSON document for scripts. Every text line goes through
//! `crate::term` (escaped, quiet on a closed pipe); each value that came from outside is
//! escaped on its own too (`v`), line breaks included.

use std::process::ExitCode;

use helpatwork_app::doctor::DoctorReport;
use helpatwork_app::dto::{AuditEntry, AuditExport, AuditVerification};
use helpatwork_app::dto::{DeviceDetail, DevicePage, ImportReport};
use helpatwork_app::error::ErrorDetails;
use helpatwork_app::session::{Preflight, ReportOutcome, Session};
use helpatwork_app::sync::SyncReport;
use helpatwork_app::AppError;
use helpatwork_domain::{CheckStatus, Lang, Readiness};
use serde::Serialize;

use crate::term::{note, say, visible as esc};

pub struct Output {
    pub json: bool,
}

fn status_mark(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "ok  ",
        CheckStatus::Warn => "warn",
        CheckStatus::Block => "FAIL",
    }
}

pub(crate) fn readiness_word(r: Readiness, lang: Lang) -> &'static str {
    match r {
        Readiness::Ready => lang.pick("ready", "pronto"),
        Readiness::Attention => lang.pick("attention", "atenção"),
        Readiness::Blocked => lang.pick("blocked", "bloqueado"),
        Readiness::Unsupported => lang.pick("unsupported", "incompatível"),
    }
}

/// Cuts a cell to `width` characters for the text table.
pub(crate) fn cell(text: &str, width: usize) -> String {
    let clean = esc(text).into_owned();
    if clean.chars().count() <= width {
        format!("{clean:<width$}")
    } else {
        let cut: String = clean.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

impl Output {
    pub(crate) fn print_json(&self, value: &impl Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(text) => say!("{}", crate::term::json_inert(&text)),
            Err(e) => note!("error: cannot write JSON: {e}"),
        }
    }

    pub fn error(&self, e: &AppError) -> ExitCode {
        if self.json {
            self.print_json(&serde_json::json!({ "error": e }));
        } else {
            note!("error: {}", esc(&e.message));
            if let Some(ErrorDetails::FleetFile(file)) = e.details.as_deref() {
                for row in &file.errors {
                    let where_ = match (row.index, row.line) {
                        (Some(i), Some(l)) => format!("device #{i} (line {l})"),
                        (Some(i), None) => format!("device #{i}"),
                        (None, Some(l)) => format!("line {l}"),
                        (None, None) => "file".to_string(),
                    };
                    match &row.id {
                        Some(id) => note!(
                            "  {where_} \"{}\", {}: {}",
                            esc(id),
                            esc(&row.field),
                            esc(&row.reason)
                        ),
                        None => note!("  {where_}, {}: {}", esc(&row.field), esc(&row.reason)),
                    }
                }
            }
            for c in e.checks().iter().filter(|c| c.status != CheckStatus::Pass) {
                note!(
                    "  [{}] {}: {}",
                    c.status.as_str(),
                    c.rule.as_str(),
                    esc(&c.message)
                );
            }
            if let Some(fix) = &e.fix {
                note!("fix: {}", esc(fix));
            }
        }
        ExitCode::from(e.code.exit_code() as u8)
    }

    pub fn import(&self, r: &ImportReport) {
        if self.json {
            return self.print_json(r);
        }
        say!(
            "Imported {} devices from {} ({}): {} new, {} updated, {} unchanged.",
            r.devices,
            esc(&r.file),
            r.format,
            r.inserted,
            r.updated,
            r.unchanged
        );
    }

    pub fn devices(&self, page: &DevicePage, lang: Lang) {
        if self.json {
            return self.print_json(page);
        }
        say!(
            "{} {} {} {} {} {} {}",
            cell("ID", 12),
            cell(lang.pick("NAME", "NOME"), 24),
            cell(lang.pick("USER", "USUÁRIO"), 20),
            cell(lang.pick("PLATFORM", "PLATAFORMA"), 10),
            cell("OS", 10),
            cell(lang.pick("MODEL", "MODELO"), 20),
            lang.pick("READINESS", "PRONTIDÃO"),
        );
        for d in &page.items {
            say!(
                "{} {} {} {} {} {} {}",
                cell(&d.id, 12),
                cell(&d.name, 24),
                cell(&d.user_name, 20),
                cell(d.platform.display_name(), 10),
                cell(&d.os_version, 10),
                cell(&d.model, 20),
                readiness_word(d.readiness, lang),
            );
        }
        if page.items.is_empty() {
            note!(
                "{}",
                lang.pick("No devices match.", "Nenhum dispositivo corresponde.")
            );
        }
    }

    pub fn device(&self, d: &DeviceDetail, lang: Lang) {
        if self.json {
            return self.print_json(d);
        }
        crate::device_text::print(d, lang);
    }

    pub fn preflight(&self, p: &Preflight) {
        if self.json {
            return self.print_json(p);
        }
        for c in &p.checks {
            say!(
                "[{}] {:<7} {}",
                status_mark(c.status),
                c.rule,
                esc(&c.message)
            );
            if c.status != CheckStatus::Pass {
                if let Some(fix) = &c.fix {
                    say!("               fix: {}", esc(fix));
                }
            }
        }
    }

    pub fn doctor(&self, r: &DoctorReport) {
        if self.json {
            return self.print_json(r);
        }
        for c in &r.checks {
            say!("[{}] {}", status_mark(c.status), esc(&c.message));
            if c.status != CheckStatus::Pass {
                if let Some(fix) = &c.fix {
                    say!("       fix: {}", esc(fix));
                }
            }
        }
    }

    pub fn audit(&self, events: &[AuditEntry]) {
        if self.json {
            return self.print_json(&events);
        }
        for e in events {
            // The OS account, and the TeamViewer account TeamViewer confirmed (or "unverified").
            let who = match (&e.actor_account_name, &e.actor_account_id) {
                (Some(name), Some(id)) => format!("{} ({} {})", esc(&e.actor), esc(name), esc(id)),
                _ => format!("{} (unverified)", esc(&e.actor)),
            };
            say!(
                "{}  {:<12} {:<24} {}",
                e.at.get(..19)
                    .map(|t| format!("{t}Z"))
                    .unwrap_or_else(|| e.at.clone()),
                who,
                esc(&e.action),
                esc(e.device_id.as_deref().unwrap_or(""))
            );
        }
    }

    pub fn session(&self, s: &Session, lang: Lang) {
        if self.json {
            return self.print_json(s);
        }
        say!("{} {}", lang.pick("Session", "Sessão"), s.id);
        say!("  {}: {}", lang.pick("State", "Estado"), s.state.as_str());
        say!(
            "  {}: {}  {}: {}",
            lang.pick("Device", "Dispositivo"),
            esc(&s.device_id),
            lang.pick("Mode", "Modo"),
            s.mode.as_str()
        );
        if let Some(code) = &s.code {
            say!("  {}: {}", lang.pick("Code", "Código"), esc(code));
        }
        if let Some(ticket) = &s.ticket {
            say!("  {}: {}", lang.pick("Ticket", "Chamado"), esc(ticket));
        }
        if s.view_only {
            say!(
                "  {}",
                lang.pick(
                    "View only (personal device, support policy): watch and guide, do not control.",
                    "Somente visualização (dispositivo pessoal, política de suporte): observe e oriente, não controle."
                )
            );
        }
        if let Some(expires) = &s.expires_at {
            say!("  {}: {expires}", lang.pick("Expires", "Expira"));
        }
        if let Some(link) = &s.supporter_link {
            if s.launched {
                say!(
                    "  {}",
                    lang.pick(
                        "Opened in the TeamViewer desktop client.",
                        "Aberta no cliente TeamViewer para desktop."
                    )
                );
            } else {
                say!(
                    "  {}: {}",
                    lang.pick("Supporter link", "Link do técnico"),
                    esc(link)
                );
            }
        }
        if let Some(link) = &s.end_customer_link {
            say!(
                "  {}: {}",
                lang.pick("Device user's link", "Link do usuário do dispositivo"),
                esc(link)
            );
        }
    }

    pub fn sessions(&self, list: &[Session]) {
        if self.json {
            return self.print_json(&list);
        }
        for s in list {
            say!(
                "{}  {:<10} {:<12} {:<12} {:<12} {}",
                s.created_at,
                s.state.as_str(),
                cell(&s.device_id, 12),
                s.mode.as_str(),
                esc(s.code.as_deref().unwrap_or("-")),
                esc(&s.agent)
            );
        }
    }

    pub fn report(&self, r: &ReportOutcome) {
        if self.json {
            return self.print_json(r);
        }
        match &r.session {
            Some(s) => say!(
                "{}: {} (session {} is {})",
                esc(&r.device_id),
                r.event,
                s.id,
                s.state.as_str()
            ),
            None => say!("{}: {}", esc(&r.device_id), r.event),
        }
    }

    pub fn sync(&self, r: &SyncReport) {
        if self.json {
            return self.print_json(r);
        }
        say!(
            "Synced {} devices from {} in {} pages{}: {} new, {} updated, {} unchanged, {} removed, {} skipped.",
            r.devices,
            r.connector,
            r.pages,
            if r.resumed { " (resumed)" } else { "" },
            r.inserted,
            r.updated,
            r.unchanged,
            r.removed,
            r.skipped
        );
        for w in &r.warnings {
            let device = w
                .device_id
                .as_deref()
                .map(|d| format!("{d}: "))
                .unwrap_or_default();
            note!("warning: {}{}", esc(&device), esc(&w.message));
            if let Some(fix) = &w.fix {
                note!("  fix: {}", esc(fix));
            }
        }
        let unlisted = (r.warnings_total as usize).saturating_sub(r.warnings.len());
        if unlisted > 0 {
            note!("warning: {unlisted} more (see --json)");
        }
    }

    pub fn audit_export(&self, r: &AuditExport, lang: Lang) {
        if self.json {
            return self.print_json(r);
        }
        note!(
            "{} {} → {}",
            r.rows,
            lang.pick("audit events", "eventos de auditoria"),
            esc(&r.path)
        );
    }

    /// `audit verify`: the finding. A broken chain's message and fix are the error's; this
    /// prints what the chain expected and found there.
    pub fn audit_verification(&self, v: &AuditVerification) {
        if self.json {
            return self.print_json(v);
        }
        match &v.broken {
            None => say!("{}", esc(&v.message)),
            Some(b) => {
                say!("expected: {}", esc(&b.expected));
                say!("found:    {}", esc(&b.found));
            }
        }
    }
}
