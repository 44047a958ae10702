//! Unattended: TeamViewer Host on the device, assigned to the company's account (a block when not)
//! and online (a warning when not, with the last time TeamViewer saw it): `host_assigned`,
//! `host_online`. The app reads TeamViewer's device list and matches the device
//! (`crate::preflight::HostFacts`); the words and statuses are decided here.

use crate::eligibility::{Check, CheckStatus};
use crate::lang::Lang;
use crate::rules::RuleId;

/// What TeamViewer says of the device's Host, as the app read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostFacts {
    /// Not signed in to TeamViewer: it could not be asked.
    NotSignedIn,
    /// TeamViewer's device list could not be read (why).
    Unreadable(String),
    /// What it says.
    Read(HostState),
}

/// The device's Host in TeamViewer's device list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostState {
    pub device_id: String,
    /// The alias Help@Work writes into Host's assignment configuration.
    pub expected_alias: String,
    /// A TeamViewer device is matched to this device (by its alias, or confirmed by an admin).
    pub matched: bool,
    /// `confirmed` (by an admin, who is `confirmed_by`), else matched by its alias.
    pub matched_by: Option<String>,
    pub confirmed_by: Option<String>,
    /// The TeamViewer ID people read.
    pub teamviewer_id: Option<String>,
    /// Assigned to the account: unattended access.
    pub assigned: bool,
    /// `online`, `busy`, `away`, `offline`; `None` when TeamViewer does not say.
    pub online_state: Option<String>,
    /// When TeamViewer last saw it (RFC 3339).
    pub last_seen: Option<String>,
    /// A device of the account that may be this one (its remote control id), when unmatched.
    pub candidate: Option<String>,
}

fn check(rule: RuleId, status: CheckStatus, message: String, fix: Option<&str>) -> Check {
    Check {
        rule,
        status,
        message,
        fix: fix.map(str::to_owned),
    }
}

fn when(text: &Option<String>, lang: Lang) -> String {
    match text
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
    {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => lang.pick("not reported", "não informado").to_owned(),
    }
}

/// `host_assigned` and `host_online`.
pub fn checks(facts: &HostFacts, lang: Lang) -> Vec<Check> {
    let status = match facts {
        HostFacts::NotSignedIn => {
            return vec![check(
                RuleId::HostAssigned,
                CheckStatus::Warn,
                lang.pick(
                    "Whether TeamViewer Host is assigned to the account is checked once you are signed in to TeamViewer.",
                    "A atribuição do TeamViewer Host à conta é verificada depois que você entrar no TeamViewer.",
                )
                .to_owned(),
                Some(lang.pick(
                    "Sign in to TeamViewer: the start checks it then.",
                    "Entre no TeamViewer: o início verifica isso em seguida.",
                )),
            )]
        }
        HostFacts::Unreadable(why) => {
            return vec![check(
                RuleId::HostAssigned,
                CheckStatus::Block,
                match lang {
                    Lang::En => format!("TeamViewer's device list could not be read: {why}"),
                    Lang::PtBr => {
                        format!("A lista de dispositivos do TeamViewer não pôde ser lida: {why}")
                    }
                },
                Some(lang.pick(
                    "Try again in a moment; `helpatwork settings test teamviewer` checks the connection.",
                    "Tente de novo em instantes; `helpatwork settings test teamviewer` verifica a conexão.",
                )),
            )]
        }
        HostFacts::Read(status) => status,
    };
    let id = status.teamviewer_id.clone().unwrap_or_default();
    if !status.matched {
        let fix = match &status.candidate {
            Some(candidate) => match lang {
                Lang::En => format!("If it is this device, confirm the match: helpatwork devices match {} {candidate} (or Confirm in the device panel).", status.device_id),
                Lang::PtBr => format!("Se for este dispositivo, confirme a correspondência: helpatwork devices match {} {candidate} (ou Confirmar no painel do dispositivo).", status.device_id),
            },
            None => lang.pick(
                "Distribute Host with the assignment configuration (helpatwork admin host-assignment --id ASSIGNMENT_ID), then let the device user open Host once to complete the one-time activation.",
                "Distribua o Host com a configuração de atribuição (helpatwork admin host-assignment --id ID_DA_ATRIBUICAO) e deixe o usuário abrir o Host uma vez para concluir a ativação única.",
            ).to_owned(),
        };
        return vec![Check {
            rule: RuleId::HostAssigned,
            status: CheckStatus::Block,
            message: match lang {
                Lang::En => format!("TeamViewer Host on this device is not assigned to the TeamViewer account: no device of the account carries the alias \"{}\".", status.expected_alias),
                Lang::PtBr => format!("O TeamViewer Host deste dispositivo não está atribuído à conta do TeamViewer: nenhum dispositivo da conta tem o alias \"{}\".", status.expected_alias),
            },
            fix: Some(fix),
        }];
    }
    if !status.assigned {
        return vec![check(
            RuleId::HostAssigned,
            CheckStatus::Block,
            match lang {
                Lang::En => format!("TeamViewer device {id} is in the account's list but not assigned to the account."),
                Lang::PtBr => format!("O dispositivo {id} do TeamViewer está na lista da conta, mas não atribuído a ela."),
            },
            Some(lang.pick(
                "Let the device user complete Host's one-time activation with the assignment configuration in its managed app configuration.",
                "Deixe o usuário concluir a ativação única do Host com a configuração de atribuição na configuração de aplicativo gerenciado.",
            )),
        )];
    }
    let by = match (status.matched_by.as_deref(), lang) {
        (Some("confirmed"), Lang::En) => format!(
            "match confirmed by {}",
            status.confirmed_by.as_deref().unwrap_or("an admin")
        ),
        (Some("confirmed"), Lang::PtBr) => format!(
            "correspondência confirmada por {}",
            status.confirmed_by.as_deref().unwrap_or("um administrador")
        ),
        (_, Lang::En) => "matched by its alias".to_owned(),
        (_, Lang::PtBr) => "correspondência pelo alias".to_owned(),
    };
    let assigned = check(
        RuleId::HostAssigned,
        CheckStatus::Pass,
        match lang {
            Lang::En => {
                format!("TeamViewer Host is assigned to the account: TeamViewer ID {id} ({by}).")
            }
            Lang::PtBr => {
                format!("O TeamViewer Host está atribuído à conta: ID do TeamViewer {id} ({by}).")
            }
        },
        None,
    );
    let online = match status.online_state.as_deref() {
        Some("online" | "busy" | "away") => check(
            RuleId::HostOnline,
            CheckStatus::Pass,
            lang.pick("TeamViewer Host is online.", "O TeamViewer Host está online.")
                .to_owned(),
            None,
        ),
        Some("offline") => check(
            RuleId::HostOnline,
            CheckStatus::Warn,
            match lang {
                Lang::En => format!(
                    "TeamViewer Host is offline (last seen {}).",
                    when(&status.last_seen, lang)
                ),
                Lang::PtBr => format!(
                    "O TeamViewer Host está offline (visto por último em {}).",
                    when(&status.last_seen, lang)
                ),
            },
            Some(lang.pick(
                "The connection opens once the device is online: ask the user to connect it, or try later.",
                "A conexão abre quando o dispositivo estiver online: peça ao usuário para conectá-lo ou tente mais tarde.",
            )),
        ),
        _ => check(
            RuleId::HostOnline,
            CheckStatus::Warn,
            lang.pick(
                "TeamViewer does not report whether Host is online.",
                "O TeamViewer não informa se o Host está online.",
            )
            .to_owned(),
            Some(lang.pick(
                "The connection opens if the device is online.",
                "A conexão abre se o dispositivo estiver online.",
            )),
        ),
    };
    vec![assigned, online]
}
