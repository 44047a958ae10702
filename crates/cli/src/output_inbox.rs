//! Printing help requests, hand-overs, agents and the device's TeamViewer Host.

use helpatwork_app::agents::Agent;
use helpatwork_app::demo_sandbox::{DemoHostOutcome, DemoOutcome};
use helpatwork_app::handover::{Handover, HandoverInfo};
use helpatwork_app::requests::{Inbox, TakenRequest};
use helpatwork_app::unattended::{HostAssignment, HostStatus};
use helpatwork_domain::Lang;

use crate::output::{cell, Output};
use crate::term::say;

/// "4 min", "1 h 05 min", "2 d 3 h".
pub(crate) fn waited(seconds: u32, lang: Lang) -> String {
    let minutes = seconds / 60;
    match (minutes / (60 * 24), minutes / 60 % 24, minutes % 60) {
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m:02} min"),
        (d, h, _) => format!("{d} {} {h} h", lang.pick("d", "d")),
    }
}

fn online_word(state: Option<&str>, lang: Lang) -> &'static str {
    match state {
        Some("online") => lang.pick("online", "online"),
        Some("busy") => lang.pick("online (busy)", "online (ocupado)"),
        Some("away") => lang.pick("online (away)", "online (ausente)"),
        Some("offline") => lang.pick("offline", "offline"),
        _ => lang.pick("not reported", "não informado"),
    }
}

impl Output {
    pub fn requests(&self, inbox: &Inbox, lang: Lang) {
        if self.json {
            return self.print_json(inbox);
        }
        if inbox.requests.is_empty() {
            say!(
                "{}",
                lang.pick(
                    "No help request is waiting.",
                    "Nenhum pedido de ajuda aguardando."
                )
            );
            return;
        }
        say!(
            "{:<13} {:<12} {:<24} {:<26} {}",
            lang.pick("CODE", "CÓDIGO"),
            lang.pick("WAITING", "ESPERANDO"),
            lang.pick("USER", "USUÁRIO"),
            lang.pick("DEVICE", "DISPOSITIVO"),
            lang.pick("DESCRIPTION", "DESCRIÇÃO")
        );
        for r in &inbox.requests {
            let user = r
                .end_customer_name
                .as_deref()
                .or(r.end_customer_email.as_deref())
                .unwrap_or("");
            let device = match (&r.device_id, &r.device_name) {
                (Some(id), Some(name)) => format!("{id} {name}"),
                (Some(id), None) => id.clone(),
                _ => lang
                    .pick("unknown device", "dispositivo desconhecido")
                    .to_owned(),
            };
            say!(
                "{:<13} {:<12} {} {} {}",
                cell(&r.code, 13),
                waited(r.waiting_seconds, lang),
                cell(user, 24),
                cell(&device, 26),
                cell(r.description.as_deref().unwrap_or(""), 60).trim_end()
            );
        }
    }

    pub fn taken(&self, t: &TakenRequest, lang: Lang) {
        if self.json {
            return self.print_json(t);
        }
        match (&t.device_id, lang) {
            (Some(device), Lang::En) => say!("Help request {} taken: device {device}.", t.code),
            (Some(device), Lang::PtBr) => {
                say!("Pedido de ajuda {} assumido: dispositivo {device}.", t.code)
            }
            (None, Lang::En) => say!(
                "Help request {} taken: unknown device (no session holds a device for it).",
                t.code
            ),
            (None, Lang::PtBr) => say!(
                "Pedido de ajuda {} assumido: dispositivo desconhecido (nenhuma sessão ocupa um dispositivo).",
                t.code
            ),
        }
        if let Some(s) = &t.session {
            say!("  {}: {}", lang.pick("Session", "Sessão"), s.id);
        }
        match (&t.supporter_link, t.launched) {
            (_, true) => say!(
                "  {}",
                lang.pick(
                    "Opened in the TeamViewer desktop client.",
                    "Aberto no cliente TeamViewer para desktop."
                )
            ),
            (Some(link), false) => say!(
                "  {}: {}",
                lang.pick("Supporter link", "Link do técnico"),
                cell(link, 200).trim_end()
            ),
            (None, false) => {}
        }
    }

    pub fn agents(&self, agents: &[Agent], lang: Lang) {
        if self.json {
            return self.print_json(&agents);
        }
        if agents.is_empty() {
            say!(
                "{}",
                lang.pick(
                    "No agent has signed in to TeamViewer here yet.",
                    "Nenhum agente entrou no TeamViewer aqui ainda."
                )
            );
            return;
        }
        for a in agents {
            say!(
                "{} {} {:<12} {} {}",
                if a.me { "*" } else { " " },
                cell(&a.agent, 20),
                cell(&a.userid, 12),
                cell(&a.name, 28),
                a.last_seen_at
            );
        }
    }

    pub fn handover(&self, h: &Handover, lang: Lang) {
        if self.json {
            return self.print_json(h);
        }
        let code = h.session.code.as_deref().unwrap_or(&h.session.id);
        match lang {
            Lang::En => say!(
                "Session {code} handed over from {} to {} (TeamViewer user {}): {}",
                cell(&h.from_agent, 40).trim_end(),
                cell(&h.to.agent, 40).trim_end(),
                h.to.userid,
                cell(&h.reason, 500).trim_end()
            ),
            Lang::PtBr => say!(
                "Sessão {code} passada de {} para {} (usuário do TeamViewer {}): {}",
                cell(&h.from_agent, 40).trim_end(),
                cell(&h.to.agent, 40).trim_end(),
                h.to.userid,
                cell(&h.reason, 500).trim_end()
            ),
        }
    }

    /// Who handed the session to whom, and why (text only).
    pub fn handovers(&self, history: &[HandoverInfo], lang: Lang) {
        for h in history {
            say!(
                "  {} {}: {} → {} ({}): {}",
                lang.pick("Handed over", "Passada adiante"),
                h.at,
                cell(&h.from_agent, 40).trim_end(),
                cell(&h.to_agent, 40).trim_end(),
                h.to_userid,
                cell(&h.reason, 500).trim_end()
            );
        }
    }

    /// The device's Host in `devices show` (text only: the JSON document carries `host`).
    pub fn host(&self, status: Option<&HostStatus>, lang: Lang) {
        if self.json {
            return;
        }
        let Some(h) = status else {
            return;
        };
        say!(
            "  {}:",
            lang.pick("TeamViewer Host (unattended)", "TeamViewer Host (autônomo)")
        );
        match (&h.teamviewer_id, h.matched) {
            (Some(id), true) => {
                let by = match h.matched_by.as_deref() {
                    Some("confirmed") => format!(
                        "{} {}",
                        lang.pick("match confirmed by", "correspondência confirmada por"),
                        cell(h.confirmed_by.as_deref().unwrap_or("?"), 40).trim_end()
                    ),
                    _ => lang
                        .pick("matched by its alias", "correspondência pelo alias")
                        .to_owned(),
                };
                say!("    TeamViewer ID: {id} ({by})");
                say!(
                    "    {}: {}",
                    lang.pick("Assigned to the account", "Atribuído à conta"),
                    if h.assigned {
                        lang.pick("yes", "sim")
                    } else {
                        lang.pick("no", "não")
                    }
                );
                say!(
                    "    {}: {}",
                    lang.pick("State", "Estado"),
                    online_word(h.online_state.as_deref(), lang)
                );
                say!(
                    "    {}: {}",
                    lang.pick("Last seen", "Visto por último"),
                    h.last_seen
                        .as_deref()
                        .unwrap_or(match h.online_state.as_deref() {
                            Some("online" | "busy" | "away") => lang.pick("now", "agora"),
                            _ => lang.pick("not reported", "não informado"),
                        })
                );
            }
            _ => {
                say!(
                    "    {} \"{}\"",
                    lang.pick(
                        "Not matched: no TeamViewer device of the account carries the alias",
                        "Sem correspondência: nenhum dispositivo da conta do TeamViewer tem o alias"
                    ),
                    cell(&h.expected_alias, 120).trim_end()
                );
                for c in &h.candidates {
                    say!(
                        "    {}: {} \"{}\" ({}) → helpatwork devices match {} {}",
                        lang.pick("May be", "Pode ser"),
                        c.remotecontrol_id,
                        cell(&c.alias, 60).trim_end(),
                        online_word(Some(&c.online_state), lang),
                        h.device_id,
                        c.remotecontrol_id
                    );
                }
            }
        }
        if let Some(note) = &h.note {
            say!("    {}", cell(note, 200).trim_end());
        }
    }

    pub fn host_status(&self, h: &HostStatus, lang: Lang) {
        if self.json {
            return self.print_json(h);
        }
        say!("{}", h.device_id);
        self.host(Some(h), lang);
    }

    pub fn host_assignment(&self, a: &HostAssignment, lang: Lang) {
        if self.json {
            return self.print_json(a);
        }
        match lang {
            Lang::En => say!(
                "Host's assignment configuration now carries assignment ID {}.",
                cell(&a.assignment_id, 80).trim_end()
            ),
            Lang::PtBr => say!(
                "A configuração de atribuição do Host agora leva o ID de atribuição {}.",
                cell(&a.assignment_id, 80).trim_end()
            ),
        }
        if a.pushed_by_mdm {
            match lang {
                Lang::En => say!("  Written to {} device(s) with Host.", a.written),
                Lang::PtBr => say!("  Gravada em {} dispositivo(s) com o Host.", a.written),
            }
        } else {
            say!(
                "  {}",
                lang.pick(
                    "The MDM connector cannot push a managed app configuration: set assignment_id and device_alias in Host's app configuration in the MDM (docs/unattended.md).",
                    "O conector do MDM não envia configuração de aplicativo gerenciado: defina assignment_id e device_alias na configuração do Host no MDM (docs/unattended.md)."
                )
            );
        }
    }

    pub fn demo_request(&self, o: &DemoOutcome, lang: Lang) {
        if self.json {
            return self.print_json(o);
        }
        match lang {
            Lang::En => say!(
                "Demo TeamViewer: the user of {} asked for help; case {} waits unassigned. See it with `helpatwork --demo requests list` (or in the window's inbox).",
                o.device_id, o.code
            ),
            Lang::PtBr => say!(
                "TeamViewer da demonstração: o usuário de {} pediu ajuda; o caso {} espera sem atribuição. Veja com `helpatwork --demo requests list` (ou na caixa de entrada da janela).",
                o.device_id, o.code
            ),
        }
    }

    pub fn demo_host(&self, o: &DemoHostOutcome, lang: Lang) {
        if self.json {
            return self.print_json(o);
        }
        let state = if o.online { "online" } else { "offline" };
        match lang {
            Lang::En => say!(
                "Demo TeamViewer: the Host of {} ({}) is {state}.",
                o.device_id,
                o.remotecontrol_id
            ),
            Lang::PtBr => say!(
                "TeamViewer da demonstração: o Host de {} ({}) está {state}.",
                o.device_id,
                o.remotecontrol_id
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_times_read_naturally() {
        assert_eq!(waited(59, Lang::En), "0 min");
        assert_eq!(waited(4 * 60 + 3, Lang::En), "4 min");
        assert_eq!(waited(65 * 60, Lang::En), "1 h 05 min");
        assert_eq!(waited(27 * 3600, Lang::En), "1 d 3 h");
    }
}
