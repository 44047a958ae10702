//! Printing what the session lifecycle saw: `session sync`, and the note before a list.

use helpatwork_app::demo_sandbox::DemoOutcome;
use helpatwork_app::lifecycle::{ChangeCause, SessionSync, TeamViewerCheck};
use helpatwork_domain::Lang;

use crate::output::Output;
use crate::term::{note, say, visible};

fn cause_words(cause: ChangeCause, lang: Lang) -> &'static str {
    match cause {
        ChangeCause::TeamviewerOnline => lang.pick(
            "the device user joined at TeamViewer",
            "o usuário do dispositivo entrou no TeamViewer",
        ),
        ChangeCause::TeamviewerClosed => lang.pick(
            "the case was closed at TeamViewer",
            "o caso foi encerrado no TeamViewer",
        ),
        ChangeCause::Expired => lang.pick("the session code expired", "o código da sessão expirou"),
        ChangeCause::StaleRequest => lang.pick(
            "the start stopped before TeamViewer answered",
            "o início parou antes de o TeamViewer responder",
        ),
        ChangeCause::DeviceRetired => lang.pick(
            "the device is no longer managed",
            "o dispositivo não é mais gerenciado",
        ),
        ChangeCause::ActivationRemoved => {
            lang.pick("the activation was removed", "a ativação foi removida")
        }
        ChangeCause::Deprovisioned => {
            lang.pick("Host was deprovisioned", "o Host foi desprovisionado")
        }
    }
}

/// Why TeamViewer was not asked, or `None` when it was (or nothing needed asking).
fn not_checked(sync: &SessionSync, lang: Lang) -> Option<String> {
    let why = match sync.teamviewer {
        TeamViewerCheck::Checked | TeamViewerCheck::NothingOpen => return None,
        TeamViewerCheck::NotSignedIn => lang
            .pick(
                "not signed in to TeamViewer (run `helpatwork auth login`)",
                "sem login no TeamViewer (execute `helpatwork auth login`)",
            )
            .to_string(),
        TeamViewerCheck::NotConfigured => lang
            .pick(
                "TeamViewer is not configured",
                "o TeamViewer não está configurado",
            )
            .to_string(),
        TeamViewerCheck::Failed => {
            visible(sync.message.as_deref().unwrap_or_default()).into_owned()
        }
    };
    Some(match lang {
        Lang::En => format!("Sessions were not read back from TeamViewer: {why}. States may be behind."),
        Lang::PtBr => format!("As sessões não foram conferidas no TeamViewer: {why}. Os estados podem estar atrasados."),
    })
}

impl Output {
    /// `session sync`: every change, every close tried, what is still owed.
    pub fn session_sync(&self, sync: &SessionSync, lang: Lang) {
        if self.json {
            return self.print_json(sync);
        }
        if let Some(note) = not_checked(sync, lang) {
            note!("{note}");
        }
        if sync.changes.is_empty() {
            say!(
                "{}",
                lang.pick("No session changed.", "Nenhuma sessão mudou.")
            );
        }
        for c in &sync.changes {
            say!(
                "{}  {} {} → {}  ({})",
                visible(c.session.code.as_deref().unwrap_or(&c.session.id)),
                visible(&c.session.device_id),
                c.from.as_str(),
                c.session.state.as_str(),
                cause_words(c.cause, lang)
            );
        }
        for close in &sync.closes {
            let code = visible(&close.code);
            let error = close.error.as_deref().map(visible);
            match (&error, lang) {
                (None, Lang::En) => say!("{code}: closed at TeamViewer"),
                (None, Lang::PtBr) => say!("{code}: encerrado no TeamViewer"),
                (Some(e), Lang::En) => say!(
                    "{code}: still open at TeamViewer after {} tries: {e}",
                    close.attempts
                ),
                (Some(e), Lang::PtBr) => say!(
                    "{code}: ainda aberto no TeamViewer após {} tentativas: {e}",
                    close.attempts
                ),
            }
        }
        if !sync.pending_closes.is_empty() {
            say!(
                "{}",
                match lang {
                    Lang::En => format!(
                        "{} TeamViewer case(s) still to close; `helpatwork session sync` tries again.",
                        sync.pending_closes.len()
                    ),
                    Lang::PtBr => format!(
                        "{} caso(s) do TeamViewer ainda a encerrar; `helpatwork session sync` tenta de novo.",
                        sync.pending_closes.len()
                    ),
                }
            );
        }
    }

    /// Before a list: a note on stderr when TeamViewer could not be asked (stdout keeps the
    /// list, or the one JSON document).
    pub fn reconcile_note(&self, sync: &SessionSync, lang: Lang) {
        if let Some(note) = not_checked(sync, lang) {
            note!("{note}");
        }
    }

    /// `demo …`: what the demo's TeamViewer now says of the session.
    pub fn demo_outcome(&self, o: &DemoOutcome, lang: Lang) {
        if self.json {
            return self.print_json(o);
        }
        match lang {
            Lang::En => say!(
                "Demo TeamViewer: case {} of {} is {}, device user {}. The session follows at the next `session list` (or in the window).",
                visible(&o.code),
                visible(&o.device_id),
                o.case_state,
                if o.online { "online" } else { "offline" }
            ),
            Lang::PtBr => say!(
                "TeamViewer da demonstração: o caso {} de {} está {}, usuário do dispositivo {}. A sessão acompanha no próximo `session list` (ou na janela).",
                visible(&o.code),
                visible(&o.device_id),
                if o.case_state == "open" { "aberto" } else { "encerrado" },
                if o.online { "online" } else { "offline" }
            ),
        }
    }
}
