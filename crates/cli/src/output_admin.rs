//! Printing the admin, sign-in and settings commands (the rest: `output`).

use helpatwork_app::admin::{AdminStatus, DistributionResult, Eula, Licences};
use helpatwork_app::auth::AuthStatus;
use helpatwork_app::settings::{ConnectionTest, SettingChange, SettingSource, SettingsView};
use helpatwork_domain::Lang;

use crate::output::{cell, Output};
use crate::term::{note, say, visible as esc};

impl Output {
    pub fn auth(&self, a: &AuthStatus, lang: Lang) {
        if self.json {
            return self.print_json(a);
        }
        match &a.account {
            Some(acc) if a.signed_in => say!(
                "{} {} ({}){}",
                lang.pick("Signed in to TeamViewer as", "Conectado ao TeamViewer como"),
                esc(&acc.name),
                esc(&acc.userid),
                acc.email
                    .as_deref()
                    .map(|e| format!(" <{}>", esc(e)))
                    .unwrap_or_default()
            ),
            _ if !a.configured => say!(
                "{}",
                lang.pick(
                    "TeamViewer is not configured: set HELPATWORK_TEAMVIEWER_CLIENT_ID/_CLIENT_SECRET or HELPATWORK_TEAMVIEWER_TOKEN (docs/teamviewer.md).",
                    "O TeamViewer não está configurado: defina HELPATWORK_TEAMVIEWER_CLIENT_ID/_CLIENT_SECRET ou HELPATWORK_TEAMVIEWER_TOKEN (docs/teamviewer.md)."
                )
            ),
            _ => say!("{}", lang.pick("Not signed in to TeamViewer.", "Não conectado ao TeamViewer.")),
        }
        for w in &a.warnings {
            note!("{}: {}", lang.pick("warning", "aviso"), esc(w));
        }
    }

    pub fn eula(&self, e: &Eula, lang: Lang) {
        if self.json {
            return self.print_json(e);
        }
        say!("{}", e.text.trim_end());
        say!("");
        say!(
            "({}: {}, {} {})",
            lang.pick("source", "origem"),
            esc(&e.source),
            lang.pick("version", "versão"),
            e.version
        );
        note!(
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
        say!(
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
                (true, Some(acc)) => say!(
                    "{name}: {} ({}, EULA {})",
                    lang.pick("activated", "ativado"),
                    esc(acc),
                    esc(a.eula_version.as_deref().unwrap_or("-"))
                ),
                _ => say!("{name}: {}", lang.pick("not activated", "não ativado")),
            }
        }
        say!(
            "{}: {} / {}",
            lang.pick("Unattended licences used", "Licenças autônomas em uso"),
            s.unattended_licences.consumed,
            s.unattended_licences.purchased
        );
        if !s.kiosk_devices_missing_allowlist.is_empty() {
            say!(
                "{}: {}",
                lang.pick(
                    "Kiosk devices missing the allowlist (U4)",
                    "Dispositivos de quiosque sem a lista de permissões (U4)"
                ),
                esc(&s.kiosk_devices_missing_allowlist.join(", "))
            );
        }
        if !s.devices_with_host.is_empty() {
            say!(
                "{}: {}",
                lang.pick(
                    "Devices with Host installed",
                    "Dispositivos com o Host instalado"
                ),
                s.devices_with_host.len()
            );
        }
    }

    /// `admin tier`: the tier alone.
    pub fn tier(&self, s: &AdminStatus, lang: Lang) {
        if self.json {
            return self.print_json(&serde_json::json!({ "tier": s.tier, "locked": s.locked }));
        }
        let locked = if s.locked {
            lang.pick(
                " (Help@Work locked: Platinum needed)",
                " (Help@Work bloqueado: requer Platinum)",
            )
        } else {
            ""
        };
        say!(
            "{}: {}{locked}",
            lang.pick("Licence tier", "Nível de licença"),
            s.tier.map(|t| t.as_str()).unwrap_or("-")
        );
    }

    /// `admin licences`: the unattended licences alone.
    pub fn licences(&self, l: &Licences, lang: Lang) {
        if self.json {
            return self.print_json(l);
        }
        say!(
            "{}: {} / {}",
            lang.pick("Unattended licences used", "Licenças autônomas em uso"),
            l.consumed,
            l.purchased
        );
    }

    pub fn distribution(&self, r: &DistributionResult) {
        if self.json {
            return self.print_json(r);
        }
        say!(
            "{}: {} device(s) in this change; distributed to {} device(s) now.",
            r.app.as_str(),
            r.devices,
            r.distributed_to
        );
        for f in &r.failed {
            note!("{}: {}", esc(&f.device), esc(&f.message));
        }
    }

    pub fn settings(&self, v: &SettingsView, lang: Lang) {
        if self.json {
            return self.print_json(v);
        }
        say!(
            "{} {}",
            lang.pick("Settings file:", "Arquivo de configurações:"),
            esc(&v.file)
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
            say!("{}  {}  {source}", cell(&e.key, 24), cell(&value, 48));
        }
        note!(
            "{} {}",
            lang.pick(
                "OAuth redirect to register for the TeamViewer app:",
                "Redirecionamento OAuth a registrar no app TeamViewer:"
            ),
            v.oauth_redirect
        );
        for w in &v.warnings {
            note!("{}: {}", lang.pick("warning", "aviso"), esc(w));
        }
    }

    pub fn setting_change(&self, c: &SettingChange, lang: Lang) {
        if self.json {
            return self.print_json(c);
        }
        note!(
            "{} {}",
            c.key,
            if c.set {
                lang.pick("saved.", "salvo.")
            } else {
                lang.pick("cleared.", "apagado.")
            }
        );
        if let Some(env) = &c.overridden_by {
            note!(
                "{} {env}",
                lang.pick(
                    "Not in effect while this environment variable is set:",
                    "Sem efeito enquanto esta variável de ambiente estiver definida:"
                )
            );
        }
        if c.restart {
            note!(
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
        say!("ok  {}", esc(&t.message));
        for n in &t.notes {
            say!("    {}", esc(n));
        }
    }
}
