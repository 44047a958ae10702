//! Printing: text for people, one JSON document for scripts.

use std::process::ExitCode;

use helpatwork_app::admin::{AdminStatus, DistributionResult, Eula};
use helpatwork_app::auth::AuthStatus;
use helpatwork_app::doctor::DoctorReport;
use helpatwork_app::dto::{AuditEntry, AuditExport};
use helpatwork_app::dto::{DeviceDetail, DevicePage, ImportReport};
use helpatwork_app::session::{Preflight, ReportOutcome, Session};
use helpatwork_app::settings::{ConnectionTest, SettingChange, SettingSource, SettingsView};
use helpatwork_app::sync::SyncReport;
use helpatwork_app::AppError;
use helpatwork_domain::{CheckStatus, Lang, Readiness};
use serde::Serialize;

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

fn readiness_word(r: Readiness, lang: Lang) -> &'static str {
    match r {
        Readiness::Ready => lang.pick("ready", "pronto"),
        Readiness::Attention => lang.pick("attention", "atenção"),
        Readiness::Blocked => lang.pick("blocked", "bloqueado"),
        Readiness::Unsupported => lang.pick("unsupported", "incompatível"),
    }
}

/// Cuts a cell to `width` characters for the text table.
pub(crate) fn cell(text: &str, width: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
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
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot write JSON: {e}"),
        }
    }

    pub fn error(&self, e: &AppError) -> ExitCode {
        if self.json {
            self.print_json(&serde_json::json!({ "error": e }));
        } else {
            eprintln!("error: {}", e.message);
            if let Some(rows) = e.details.get("errors").and_then(|v| v.as_array()) {
                for row in rows {
                    let where_ = match (
                        row.get("index").and_then(|v| v.as_u64()),
                        row.get("line").and_then(|v| v.as_u64()),
                    ) {
                        (Some(i), Some(l)) => format!("device #{i} (line {l})"),
                        (Some(i), None) => format!("device #{i}"),
                        (None, Some(l)) => format!("line {l}"),
                        (None, None) => "file".to_string(),
                    };
                    let field = row.get("field").and_then(|v| v.as_str()).unwrap_or("");
                    let reason = row.get("reason").and_then(|v| v.as_str()).unwrap_or("");
                    eprintln!("  {where_}, {field}: {reason}");
                }
            }
            if let Some(checks) = e.details.get("checks").and_then(|v| v.as_array()) {
                for c in checks
                    .iter()
                    .filter(|c| c.get("status").and_then(|s| s.as_str()) != Some("pass"))
                {
                    eprintln!(
                        "  [{}] {}: {}",
                        c.get("status").and_then(|v| v.as_str()).unwrap_or(""),
                        c.get("rule").and_then(|v| v.as_str()).unwrap_or(""),
                        c.get("message").and_then(|v| v.as_str()).unwrap_or("")
                    );
                }
            }
            if let Some(fix) = &e.fix {
                eprintln!("fix: {fix}");
            }
        }
        ExitCode::from(e.code.exit_code() as u8)
    }

    pub fn import(&self, r: &ImportReport) {
        if self.json {
            return self.print_json(r);
        }
        println!(
            "Imported {} devices from {} ({}): {} new, {} updated, {} unchanged.",
            r.devices, r.file, r.format, r.inserted, r.updated, r.unchanged
        );
    }

    pub fn devices(&self, page: &DevicePage, lang: Lang) {
        if self.json {
            return self.print_json(page);
        }
        println!(
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
            println!(
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
            eprintln!(
                "{}",
                lang.pick("No devices match.", "Nenhum dispositivo corresponde.")
            );
        }
    }

    pub fn device(&self, d: &DeviceDetail, lang: Lang) {
        if self.json {
            return self.print_json(d);
        }
        println!("{} ({})", d.name, d.id);
        println!(
            "  {}: {} <{}>",
            lang.pick("User", "Usuário"),
            d.user.name,
            d.user.email
        );
        println!(
            "  {}: {} {} — {} {}",
            lang.pick("Device", "Dispositivo"),
            d.platform.display_name(),
            d.os_version,
            d.manufacturer,
            d.model
        );
        println!(
            "  Kiosk: {}  MAM-only: {}  Online: {}  {}: {}",
            d.kiosk,
            d.mam_only,
            d.online,
            lang.pick("Last check-in", "Último check-in"),
            d.last_checkin
        );
        println!("  {}:", lang.pick("Apps", "Aplicativos"));
        if d.apps.is_empty() {
            println!("    {}", lang.pick("(none)", "(nenhum)"));
        }
        for a in &d.apps {
            println!(
                "    {:<16} {:<10} managed={} allowlisted={}",
                a.app.as_str(),
                a.version,
                a.managed,
                a.allowlisted
            );
        }
        let action = d.remote_action.kind.label(lang);
        match &d.remote_action.disabled_reason {
            None => println!("  {}: {action}", lang.pick("Actions", "Ações")),
            Some(reason) => println!(
                "  {}: {action} ({}: {reason})",
                lang.pick("Actions", "Ações"),
                lang.pick("unavailable", "indisponível")
            ),
        }
        for e in &d.eligibility {
            println!("  {}: {}", e.mode.as_str(), readiness_word(e.status, lang));
            for r in &e.reasons {
                println!("    - {r}");
            }
        }
    }

    pub fn preflight(&self, p: &Preflight) {
        if self.json {
            return self.print_json(p);
        }
        for c in &p.checks {
            println!("[{}] {:<7} {}", status_mark(c.status), c.rule, c.message);
            if c.status != CheckStatus::Pass {
                if let Some(fix) = &c.fix {
                    println!("               fix: {fix}");
                }
            }
        }
    }

    pub fn doctor(&self, r: &DoctorReport) {
        if self.json {
            return self.print_json(r);
        }
        for c in &r.checks {
            println!("[{}] {}", status_mark(c.status), c.message);
            if c.status != CheckStatus::Pass {
                if let Some(fix) = &c.fix {
                    println!("       fix: {fix}");
                }
            }
        }
    }

    pub fn audit(&self, events: &[AuditEntry]) {
        if self.json {
            return self.print_json(&events);
        }
        for e in events {
            println!(
                "{}  {:<12} {:<24} {}",
                e.at.get(..19)
                    .map(|t| format!("{t}Z"))
                    .unwrap_or_else(|| e.at.clone()),
                e.actor,
                e.action,
                e.device_id.as_deref().unwrap_or("")
            );
        }
    }

    pub fn session(&self, s: &Session, lang: Lang) {
        if self.json {
            return self.print_json(s);
        }
        println!("{} {}", lang.pick("Session", "Sessão"), s.id);
        println!("  {}: {}", lang.pick("State", "Estado"), s.state.as_str());
        println!(
            "  {}: {}  {}: {}",
            lang.pick("Device", "Dispositivo"),
            s.device_id,
            lang.pick("Mode", "Modo"),
            s.mode.as_str()
        );
        if let Some(code) = &s.code {
            println!("  {}: {code}", lang.pick("Code", "Código"));
        }
        if let Some(expires) = &s.expires_at {
            println!("  {}: {expires}", lang.pick("Expires", "Expira"));
        }
        if let Some(link) = &s.supporter_link {
            if s.launched {
                println!(
                    "  {}",
                    lang.pick(
                        "Opened in the TeamViewer desktop client.",
                        "Aberta no cliente TeamViewer para desktop."
                    )
                );
            } else {
                println!(
                    "  {}: {link}",
                    lang.pick("Supporter link", "Link do técnico")
                );
            }
        }
        if let Some(link) = &s.end_customer_link {
            println!(
                "  {}: {link}",
                lang.pick("Device user's link", "Link do usuário do dispositivo")
            );
        }
    }

    pub fn sessions(&self, list: &[Session]) {
        if self.json {
            return self.print_json(&list);
        }
        for s in list {
            println!(
                "{}  {:<10} {:<12} {:<12} {:<12} {}",
                s.created_at,
                s.state.as_str(),
                cell(&s.device_id, 12),
                s.mode.as_str(),
                s.code.as_deref().unwrap_or("-"),
                s.agent
            );
        }
    }

    pub fn report(&self, r: &ReportOutcome) {
        if self.json {
            return self.print_json(r);
        }
        match &r.session {
            Some(s) => println!(
                "{}: {} (session {} is {})",
                r.device_id,
                r.event,
                s.id,
                s.state.as_str()
            ),
            None => println!("{}: {}", r.device_id, r.event),
        }
    }

    pub fn auth(&self, a: &AuthStatus, lang: Lang) {
        if self.json {
            return self.print_json(a);
        }
        match &a.account {
            Some(acc) if a.signed_in => println!(
                "{} {} ({}){}",
                lang.pick("Signed in to TeamViewer as", "Conectado ao TeamViewer como"),
                acc.name,
                acc.userid,
                acc.email.as_deref().map(|e| format!(" <{e}>")).unwrap_or_default()
            ),
            _ if !a.configured => println!(
                "{}",
                lang.pick(
                    "TeamViewer is not configured: set HELPATWORK_TEAMVIEWER_CLIENT_ID/_CLIENT_SECRET or HELPATWORK_TEAMVIEWER_TOKEN (docs/teamviewer.md).",
                    "O TeamViewer não está configurado: defina HELPATWORK_TEAMVIEWER_CLIENT_ID/_CLIENT_SECRET ou HELPATWORK_TEAMVIEWER_TOKEN (docs/teamviewer.md)."
                )
            ),
            _ => println!("{}", lang.pick("Not signed in to TeamViewer.", "Não conectado ao TeamViewer.")),
        }
    }

    pub fn eula(&self, e: &Eula, lang: Lang) {
        if self.json {
            return self.print_json(e);
        }
        println!("{}", e.text.trim_end());
        println!();
        println!(
            "({}: {}, {} {})",
            lang.pick("source", "origem"),
            e.source,
            lang.pick("version", "versão"),
            e.version
        );
        eprintln!(
            "{}",
            lang.pick(
                "Nothing was changed. To agree (I agree) and activate, run the command again with --accept-eula.",
                "Nada foi alterado. Para concordar (Concordo) e ativar, execute o comando novamente com --accept-eula."
            )
        );
    }

    pub fn admin(&self, s: &AdminStatus, lang: Lang) {
        if self.json {
            return self.print_json(s);
        }
        let tier = s.tier.map(|t| t.as_str()).unwrap_or("-");
        let locked = if s.locked {
            lang.pick(
                " (Help@Work locked: Platinum needed)",
                " (Help@Work bloqueado: requer Platinum)",
            )
        } else {
            ""
        };
        println!(
            "{}: {tier}{locked}",
            lang.pick("Licence tier", "Nível de licença")
        );
        for a in &s.activations {
            let name = match a.mode {
                helpatwork_domain::Mode::Attended => {
                    lang.pick("Attended TeamViewer", "TeamViewer assistido")
                }
                helpatwork_domain::Mode::Unattended => lang.pick(
                    "Unattended TeamViewer (Android only)",
                    "TeamViewer autônomo (somente Android)",
                ),
            };
            match (a.active, &a.account_name) {
                (true, Some(acc)) => println!(
                    "{name}: {} ({acc}, EULA {})",
                    lang.pick("activated", "ativado"),
                    a.eula_version.as_deref().unwrap_or("-")
                ),
                _ => println!("{name}: {}", lang.pick("not activated", "não ativado")),
            }
        }
        println!(
            "{}: {} / {}",
            lang.pick("Unattended licences used", "Licenças autônomas em uso"),
            s.unattended_licences.consumed,
            s.unattended_licences.purchased
        );
        if !s.kiosk_devices_missing_allowlist.is_empty() {
            println!(
                "{}: {}",
                lang.pick(
                    "Kiosk devices missing the allowlist (U4)",
                    "Dispositivos de quiosque sem a lista de permissões (U4)"
                ),
                s.kiosk_devices_missing_allowlist.join(", ")
            );
        }
        if !s.devices_with_host.is_empty() {
            println!(
                "{}: {}",
                lang.pick(
                    "Devices with Host installed",
                    "Dispositivos com o Host instalado"
                ),
                s.devices_with_host.len()
            );
        }
    }

    pub fn distribution(&self, r: &DistributionResult) {
        if self.json {
            return self.print_json(r);
        }
        println!(
            "{}: {} device(s) in this change; distributed to {} device(s) now.",
            r.app.as_str(),
            r.devices,
            r.distributed_to
        );
    }

    pub fn sync(&self, r: &SyncReport) {
        if self.json {
            return self.print_json(r);
        }
        println!(
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
    }

    pub fn audit_export(&self, r: &AuditExport, lang: Lang) {
        if self.json {
            return self.print_json(r);
        }
        eprintln!(
            "{} {} → {}",
            r.rows,
            lang.pick("audit events", "eventos de auditoria"),
            r.path
        );
    }

    pub fn settings(&self, v: &SettingsView, lang: Lang) {
        if self.json {
            return self.print_json(v);
        }
        println!(
            "{} {}",
            lang.pick("Settings file:", "Arquivo de configurações:"),
            v.file
        );
        for e in &v.entries {
            let value = if e.secret {
                if e.is_set {
                    lang.pick("(set)", "(definido)").to_string()
                } else {
                    lang.pick("(not set)", "(não definido)").to_string()
                }
            } else {
                e.value
                    .clone()
                    .unwrap_or_else(|| lang.pick("(default)", "(padrão)").to_string())
            };
            let source = match e.source {
                SettingSource::Env => e.env.clone().unwrap_or_default(),
                SettingSource::File => lang.pick("file", "arquivo").to_string(),
                SettingSource::Keyring => lang.pick("keyring", "chaveiro").to_string(),
                SettingSource::Default => String::new(),
            };
            println!("{}  {}  {source}", cell(&e.key, 24), cell(&value, 48));
        }
        eprintln!(
            "{} {}",
            lang.pick(
                "OAuth redirect to register for the TeamViewer app:",
                "Redirecionamento OAuth a registrar no app TeamViewer:"
            ),
            v.oauth_redirect
        );
    }

    pub fn setting_change(&self, c: &SettingChange, lang: Lang) {
        if self.json {
            return self.print_json(c);
        }
        eprintln!(
            "{} {}",
            c.key,
            if c.set {
                lang.pick("saved.", "salvo.")
            } else {
                lang.pick("cleared.", "apagado.")
            }
        );
        if let Some(env) = &c.overridden_by {
            eprintln!(
                "{} {env}",
                lang.pick(
                    "Not in effect while this environment variable is set:",
                    "Sem efeito enquanto esta variável de ambiente estiver definida:"
                )
            );
        }
        if c.restart {
            eprintln!(
                "{}",
                lang.pick(
                    "An open Help@Work Desk window applies it after a restart.",
                    "Uma janela aberta do Help@Work Desk aplica após reiniciar."
                )
            );
        }
    }

    pub fn connection_test(&self, t: &ConnectionTest) {
        if self.json {
            return self.print_json(t);
        }
        println!("ok  {}", t.message);
        for n in &t.notes {
            println!("    {n}");
        }
    }
}
